//! The HTTP surface: `POST /CreateParticipantToken` and the key documents.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::State as Extract;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ivs_participant_token::error::ERROR_TYPE_HEADER;
use ivs_participant_token::token::{mint, MintParams};
use ivs_participant_token::{CreateParticipantTokenResponse, ErrorKind, ServiceError, Verdict};
use tower_http::catch_panic::CatchPanicLayer;

use crate::sigv4::{self, AuthError};
use crate::state::{QuotaExceeded, State};

/// Where the public key is published as a JWKS document.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";
/// Where the public key is published as SPKI PEM.
pub const PUBLIC_KEY_PATH: &str = "/public-key.pem";
/// A trivial endpoint, the baseline of the load benchmark.
pub const HEALTH_PATH: &str = "/health";
/// The request id header AWS sends.
pub const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";

/// The router over `state`.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/CreateParticipantToken", any(create_participant_token))
        .route(JWKS_PATH, get(jwks).fallback(method_not_allowed))
        .route(
            PUBLIC_KEY_PATH,
            get(public_key_pem).fallback(method_not_allowed),
        )
        .route(
            HEALTH_PATH,
            get(|| async { "ok" }).fallback(method_not_allowed),
        )
        .fallback(unknown_operation)
        .layer(axum::middleware::from_fn(request_limits))
        .layer(CatchPanicLayer::custom(|_| {
            error_response(
                &ServiceError {
                    kind: ErrorKind::Unknown("InternalServerException".into()),
                    status: 500,
                    message: Some("internal error".into()),
                },
                &request_id(),
            )
        }))
        .with_state(state)
}

/// The most header fields a request may carry before 431, in the service's error form.
/// It is below hyper's own limit ([`HTTP_MAX_HEADERS`]), past which hyper answers a bare
/// 431 before any handler runs. (Raising hyper's limit would cost every request a heap
/// allocation for its header array: hyper keeps up to 100 on the stack.)
pub const MAX_HEADERS: usize = 64;
/// The most bytes of header names and values a request may carry before 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The longest request target before 414, in the service's error form.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// hyper's own header-count limit (its default), past which it answers a bare 431
/// before any handler.
pub const HTTP_MAX_HEADERS: usize = 100;

/// Refuses requests whose head is too large with 431 or 414 in the service's error form
/// (`X-Amzn-Errortype` and an `exceptionMessage` body), rather than hyper's bare answer.
/// A head beyond hyper's own limits, or a Content-Length that is not a number, is still
/// refused by hyper with an empty body: no handler sees such a request.
async fn request_limits(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        let e = other(
            "RequestHeaderFieldsTooLargeException",
            431,
            format!(
                "the request's headers exceed {MAX_HEADERS} fields or {MAX_HEADER_BYTES} bytes"
            ),
        );
        return error_response(&e, &request_id());
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > MAX_URI_BYTES {
        let e = other(
            "UriTooLongException",
            414,
            format!("the request target exceeds {MAX_URI_BYTES} bytes"),
        );
        return error_response(&e, &request_id());
    }
    next.run(request).await
}

fn request_id() -> String {
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

fn with_request_id(mut response: Response, id: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
    response
}

/// A modeled or protocol error in its restJson1 form.
fn error_response(e: &ServiceError, id: &str) -> Response {
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

/// An authentication error as AWS's front door sends it: 403, the type in the header,
/// `message` in the body.
fn auth_response(e: &AuthError, id: &str) -> Response {
    let body = serde_json::json!({ "message": e.message() }).to_string();
    let mut response = (StatusCode::FORBIDDEN, body).into_response();
    let h = response.headers_mut();
    h.insert(ERROR_TYPE_HEADER, HeaderValue::from_static(e.error_type()));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    with_request_id(response, id)
}

fn other(name: &str, status: u16, message: impl Into<String>) -> ServiceError {
    ServiceError {
        kind: ErrorKind::Unknown(name.to_owned()),
        status,
        message: Some(message.into()),
    }
}

/// A method other than GET on the key and health documents, in the service's error form.
async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let e = other(
        "MethodNotAllowedException",
        405,
        format!("{method} is not allowed on {}; use GET", uri.path()),
    );
    error_response(&e, &request_id())
}

async fn unknown_operation(uri: Uri) -> Response {
    let e = other(
        "UnknownOperationException",
        404,
        format!("no operation at {}", uri.path()),
    );
    error_response(&e, &request_id())
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads the body within `timeout`, refusing (without reading it whole) one over the
/// limit: 413 when it is too large, 408 when the client is too slow, and a
/// SerializationException when it ends before its Content-Length (the client stopped
/// sending: the body is malformed, not too large).
async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, ServiceError> {
    let too_large = || {
        other(
            "RequestEntityTooLargeException",
            413,
            format!("the body exceeds {limit} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let read = tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await;
    match read {
        Err(_) => Err(other(
            "RequestTimeoutException",
            408,
            format!("the body did not arrive within {} s", timeout.as_secs_f64()),
        )),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            let over = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            Err(if over {
                too_large()
            } else {
                ServiceError::new(
                    ErrorKind::Serialization,
                    "the body ended before its Content-Length",
                )
            })
        }
    }
}

/// HTTP/1.1 leniencies AWS's front door refuses: a request without `Host` (RFC 9112
/// section 3.2), and a `Transfer-Encoding` other than plain `chunked`.
fn framing_problem(headers: &HeaderMap) -> Option<ServiceError> {
    if !headers.contains_key(header::HOST) {
        return Some(other(
            "BadRequestException",
            400,
            "an HTTP/1.1 request must carry a Host header",
        ));
    }
    let te: Vec<&str> = headers
        .get_all(header::TRANSFER_ENCODING)
        .iter()
        .map(|v| v.to_str().unwrap_or("?"))
        .collect();
    let plain_chunked =
        matches!(te.as_slice(), [one] if one.trim().eq_ignore_ascii_case("chunked"));
    if !te.is_empty() && !plain_chunked {
        return Some(other(
            "BadRequestException",
            400,
            format!(
                "Transfer-Encoding {:?} is not supported; send chunked or a Content-Length",
                te.join(", ")
            ),
        ));
    }
    None
}

async fn create_participant_token(
    Extract(state): Extract<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let id = request_id();
    let started = Instant::now();
    let response = handle(&state, &method, &uri, &headers, body, &id).await;
    let status = response.status().as_u16();
    let error_type = response
        .headers()
        .get(ERROR_TYPE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info!(
        request_id = %id,
        status,
        error_type,
        micros = started.elapsed().as_micros() as u64,
        "CreateParticipantToken"
    );
    response
}

async fn handle(
    state: &State,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
    id: &str,
) -> Response {
    if method != Method::POST {
        let e = other(
            "MethodNotAllowedException",
            405,
            format!("{method} is not allowed; use POST"),
        );
        return error_response(&e, id);
    }
    if let Some(e) = framing_problem(headers) {
        return error_response(&e, id);
    }
    let limit = state.config.max_body_bytes;
    let body = match read_body(headers, body, limit, state.config.body_timeout).await {
        Ok(b) => b,
        Err(e) => return error_response(&e, id),
    };
    let mut signer = None;
    if let Some(keys) = &state.config.access_keys {
        let signed = sigv4::SignedRequest {
            method: method.as_str(),
            path: uri.path(),
            query: uri.query().unwrap_or(""),
            headers,
            body: &body,
        };
        match sigv4::verify(&signed, keys, &state.signing_regions, SystemTime::now()) {
            Ok(k) => signer = Some(k),
            Err(e) => return auth_response(&e, id),
        }
    }
    if !body.is_empty() && !is_json(headers) {
        let e = other(
            "UnsupportedMediaTypeException",
            415,
            "the body must be sent as application/json",
        );
        return error_response(&e, id);
    }
    if let Err(q) = state.admit_request() {
        return quota_response(&q, id);
    }
    if state.config.pending_verification {
        let e = ServiceError::new(
            ErrorKind::PendingVerification,
            "Your account is pending verification.",
        );
        return error_response(&e, id);
    }
    // The core's verdict decides: SerializationException, ValidationException, or on.
    let request = match Verdict::request(&body).into_result() {
        Ok(checked) => checked.value,
        Err(e) => return error_response(&e, id),
    };
    let arn = request.stage_arn.clone().unwrap_or_default();
    if !state.stages.contains(&arn) {
        let e = ServiceError::new(
            ErrorKind::ResourceNotFound,
            format!("Stage not found: {arn}"),
        );
        return error_response(&e, id);
    }
    if let Some(allowed) = signer.and_then(|k| k.allowed_stages.as_ref()) {
        if !allowed.contains(&arn) {
            let e = ServiceError::new(
                ErrorKind::AccessDenied,
                format!("User is not authorized to perform: ivs:CreateParticipantToken on resource: {arn}"),
            );
            return error_response(&e, id);
        }
    }
    let participant_id = match state.reserve_token(&arn) {
        Ok(p) => p,
        Err(q) => return quota_response(&q, id),
    };
    let now = ivs_participant_token::token::unix_now();
    let params = MintParams {
        kid: &state.kid,
        events_url: &state.config.events_url,
        whip_url: &state.config.whip_url,
        now,
        participant_id: Some(participant_id),
    };
    match mint(&request, &state.key, &params) {
        Ok(token) => {
            let body = serde_json::to_string(&CreateParticipantTokenResponse {
                participant_token: Some(token),
            })
            .expect("a response serialises");
            let response = (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response();
            with_request_id(response, id)
        }
        Err(e) => {
            // The request validated, so this is the server's own configuration (a bad
            // kid): a 500, said plainly.
            let e = other("InternalServerException", 500, e.to_string());
            error_response(&e, id)
        }
    }
}

fn quota_response(q: &QuotaExceeded, id: &str) -> Response {
    let message = match q {
        QuotaExceeded::TokensPerStage(n) => {
            format!("The stage has reached its quota of {n} participant tokens.")
        }
        QuotaExceeded::RequestsPerSecond(n) => {
            format!("Request rate exceeds the quota of {n} requests per second.")
        }
    };
    error_response(
        &ServiceError::new(ErrorKind::ServiceQuotaExceeded, message),
        id,
    )
}

async fn jwks(Extract(state): Extract<Arc<State>>) -> Response {
    let (x, y) = state.key.public_key().coordinates();
    let doc = serde_json::json!({
        "keys": [{
            "kty": "EC",
            "crv": "P-384",
            "x": URL_SAFE_NO_PAD.encode(x),
            "y": URL_SAFE_NO_PAD.encode(y),
            "kid": state.kid,
            "alg": "ES384",
            "use": "sig",
        }]
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.to_string(),
    )
        .into_response()
}

async fn public_key_pem(Extract(state): Extract<Arc<State>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/x-pem-file")],
        state.key.public_key().to_pem(),
    )
        .into_response()
}
