//! Answers in the service's form: an error with its status, `X-Amzn-Errortype` and
//! `exceptionMessage`, and the request id every answer carries.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ivs_participant_token::{ErrorKind, ServiceError};

/// The request id header AWS sends.
pub const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";

/// A fresh request id in AWS's form (a UUID).
pub(crate) fn request_id() -> String {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).expect("the operating system's random source");
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `response` with the `x-amzn-RequestId` header.
pub(crate) fn with_request_id(mut response: Response, id: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
    response
}

/// A modeled or protocol error in its restJson1 form.
pub(crate) fn error_response(e: &ServiceError, id: &str) -> Response {
    let http = e.to_http();
    let mut response = (
        StatusCode::from_u16(http.status).unwrap_or(StatusCode::BAD_REQUEST),
        http.body,
    )
        .into_response();
    for (k, v) in &http.headers {
        if let (Ok(k), Ok(v)) = (
            header::HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            response.headers_mut().insert(k, v);
        }
    }
    with_request_id(response, id)
}

/// An error the model does not define, by name and status.
pub(crate) fn other(name: &str, status: u16, message: impl Into<String>) -> ServiceError {
    ServiceError {
        kind: ErrorKind::Unknown(name.to_owned()),
        status,
        message: Some(message.into()),
    }
}
