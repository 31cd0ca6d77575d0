//! Bounds on what a client sends, answered in the service's error form: the size of a
//! request's head, its framing, and the size and arrival time of its body.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Version};
use axum::response::Response;
use ivs_participant_token::{ErrorKind, ServiceError};

use crate::respond::{error_response, other, request_id};

/// The error type and status of a body over the server's limit.
pub const BODY_TOO_LARGE: (&str, u16) = ("RequestEntityTooLargeException", 413);

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
pub(crate) async fn request_limits(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
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

/// Reads the body within `timeout`, refusing (without reading it whole) one over the
/// limit: 413 when it is too large, 408 when the client is too slow, a
/// SerializationException when it ends before its Content-Length or its last chunk (the
/// client stopped sending: the body is malformed, not too large), and a 400 when its
/// chunked framing is broken (a chunk size that is not hexadecimal, say).
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, ServiceError> {
    let too_large = || {
        other(
            BODY_TOO_LARGE.0,
            BODY_TOO_LARGE.1,
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
            if over {
                return Err(too_large());
            }
            let chunked = headers.contains_key(header::TRANSFER_ENCODING);
            Err(match io_error_in(&e) {
                Some(io) if io.kind() != std::io::ErrorKind::UnexpectedEof => other(
                    "BadRequestException",
                    400,
                    format!("the chunked body is malformed: {io}"),
                ),
                _ if chunked => ServiceError::new(
                    ErrorKind::Serialization,
                    "the body ended before its last chunk",
                ),
                _ => ServiceError::new(
                    ErrorKind::Serialization,
                    "the body ended before its Content-Length",
                ),
            })
        }
    }
}

/// The I/O error at the root of a body error, if any: hyper reports a body cut short as
/// `UnexpectedEof`, a broken chunk size line as `InvalidInput` or `InvalidData`.
fn io_error_in<'e>(e: &'e (dyn std::error::Error + 'static)) -> Option<&'e std::io::Error> {
    let mut at = Some(e);
    while let Some(err) = at {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        at = err.source();
    }
    None
}

/// HTTP leniencies AWS's front door refuses: a request without `Host` (which RFC 9112
/// section 3.2 requires of HTTP/1.1, and which the service routes by whatever the
/// version), and a `Transfer-Encoding` other than plain `chunked`.
pub(crate) fn framing_problem(headers: &HeaderMap, version: Version) -> Option<ServiceError> {
    if !headers.contains_key(header::HOST) {
        let message = if version == Version::HTTP_11 {
            "an HTTP/1.1 request must carry a Host header".to_owned()
        } else {
            format!("a request must carry a Host header, {version:?} too: the service is addressed by it")
        };
        return Some(other("BadRequestException", 400, message));
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
