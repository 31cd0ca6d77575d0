//! The HTTP surface: `POST /CreateParticipantToken`, the stage lifecycle (`/CreateStage`,
//! `/GetStage`, `/DeleteStage`, `/ListStages`) and the key documents.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri, Version};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ivs_participant_token::token::{mint, MintParams};
use ivs_participant_token::ERROR_TYPE_HEADER;
use ivs_participant_token::{CreateParticipantTokenResponse, ErrorKind, ServiceError, Verdict};
use tower_http::catch_panic::CatchPanicLayer;

use crate::emulator::{self, LOCALSTACK_HEALTH_PATH, MOTO_RESET_PATH, RESET_PATH};
use crate::limits::{self, framing_problem, read_body};
use crate::respond::{error_response, other, request_id, with_request_id};
use crate::sigv4::{self, AuthError};
use crate::stage_ops;
use crate::state::{QuotaExceeded, State};

/// Where the public key is published as a JWKS document.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";
/// Where the public key is published as SPKI PEM.
pub const PUBLIC_KEY_PATH: &str = "/public-key.pem";
/// A trivial endpoint, the baseline of the load benchmark.
pub const HEALTH_PATH: &str = "/health";
/// The error type and status of a body sent as anything but `application/json`, as
/// Smithy's restJson1 servers answer it.
pub const UNSUPPORTED_MEDIA_TYPE: (&str, u16) = ("UnsupportedMediaTypeException", 415);
pub use crate::respond::REQUEST_ID_HEADER;

/// The router over `state`.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/CreateParticipantToken", any(create_participant_token))
        .route("/CreateStage", any(create_stage))
        .route("/GetStage", any(get_stage))
        .route("/DeleteStage", any(delete_stage))
        .route("/ListStages", any(list_stages))
        .route(JWKS_PATH, get(jwks).fallback(get_only))
        .route(PUBLIC_KEY_PATH, get(public_key_pem).fallback(get_only))
        .route(HEALTH_PATH, get(|| async { "ok" }).fallback(get_only))
        .route(
            LOCALSTACK_HEALTH_PATH,
            get(emulator::localstack_health).fallback(get_only),
        )
        .route(RESET_PATH, post(emulator::reset).fallback(post_only))
        .route(MOTO_RESET_PATH, post(emulator::reset).fallback(post_only))
        .fallback(unknown_operation)
        .layer(axum::middleware::from_fn(limits::request_limits))
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

/// A method other than GET on the key and health documents, in the service's error form.
async fn get_only(method: Method, uri: Uri) -> Response {
    method_not_allowed(&method, &uri, "GET", "GET, HEAD")
}

/// A method other than POST on the reset endpoints, in the service's error form.
async fn post_only(method: Method, uri: Uri) -> Response {
    method_not_allowed(&method, &uri, "POST", "POST")
}

fn method_not_allowed(method: &Method, uri: &Uri, use_: &str, allow: &'static str) -> Response {
    let e = other(
        "MethodNotAllowedException",
        405,
        format!("{method} is not allowed on {}; use {use_}", uri.path()),
    );
    with_allow(error_response(&e, &request_id()), allow)
}

/// `response` with the `Allow` header a 405 must carry (RFC 9110, section 15.5.6).
fn with_allow(mut response: Response, methods: &'static str) -> Response {
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(methods));
    response
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

/// The operations this server answers, each at `POST /<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    CreateParticipantToken,
    CreateStage,
    GetStage,
    DeleteStage,
    ListStages,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::CreateParticipantToken => "CreateParticipantToken",
            Operation::CreateStage => "CreateStage",
            Operation::GetStage => "GetStage",
            Operation::DeleteStage => "DeleteStage",
            Operation::ListStages => "ListStages",
        }
    }

    /// Whether the model lists PendingVerification among the operation's errors.
    fn may_be_pending(self) -> bool {
        !matches!(self, Operation::GetStage | Operation::ListStages)
    }
}

macro_rules! operation_handlers {
    ($($name:ident => $op:ident,)*) => {
        $(
            async fn $name(
                Extract(state): Extract<Arc<State>>,
                method: Method,
                version: Version,
                uri: Uri,
                headers: HeaderMap,
                body: Body,
            ) -> Response {
                let request = Incoming {
                    method: &method,
                    version,
                    uri: &uri,
                    headers: &headers,
                };
                operation(Operation::$op, &state, &request, body).await
            }
        )*
    };
}

operation_handlers! {
    create_participant_token => CreateParticipantToken,
    create_stage => CreateStage,
    get_stage => GetStage,
    delete_stage => DeleteStage,
    list_stages => ListStages,
}

/// One operation's request: the checks every operation shares, then its own, then a
/// log line with its outcome.
async fn operation(op: Operation, state: &State, request: &Incoming<'_>, body: Body) -> Response {
    let id = request_id();
    let started = Instant::now();
    let response = match front(op, state, request, body, &id).await {
        Err(r) => r,
        Ok(front) => match op {
            Operation::CreateParticipantToken => create_token(state, &front, &id),
            Operation::CreateStage => stage_ops::create_stage(state, &front.body, &id),
            Operation::GetStage => stage_ops::get_stage(state, &front, &id),
            Operation::DeleteStage => stage_ops::delete_stage(state, &front, &id),
            Operation::ListStages => stage_ops::list_stages(state, &front.body, &id),
        },
    };
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
        "{}",
        op.name()
    );
    response
}

/// A request's head, as the handler reads it.
struct Incoming<'a> {
    method: &'a Method,
    version: Version,
    uri: &'a Uri,
    headers: &'a HeaderMap,
}

/// What passed the checks every operation shares: the body, and the key that signed it.
pub(crate) struct Front<'s> {
    pub(crate) body: axum::body::Bytes,
    pub(crate) signer: Option<&'s crate::config::AccessKey>,
}

/// The checks every operation shares, in the order a service makes them: the method,
/// the framing, the body within its bounds, the signature, the media type, the request
/// rate, and the account's verification where the operation models it.
async fn front<'s>(
    op: Operation,
    state: &'s State,
    request: &Incoming<'_>,
    body: Body,
    id: &str,
) -> Result<Front<'s>, Response> {
    let Incoming {
        method,
        version,
        uri,
        headers,
    } = *request;
    if method != Method::POST {
        let e = other(
            "MethodNotAllowedException",
            405,
            format!("{method} is not allowed; use POST"),
        );
        return Err(with_allow(error_response(&e, id), "POST"));
    }
    if let Some(e) = framing_problem(headers, version) {
        return Err(error_response(&e, id));
    }
    let limit = state.config.max_body_bytes;
    let body = read_body(headers, body, limit, state.config.body_timeout)
        .await
        .map_err(|e| error_response(&e, id))?;
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
            Err(e) => return Err(auth_response(&e, id)),
        }
    }
    if !body.is_empty() && !is_json(headers) {
        let e = other(
            UNSUPPORTED_MEDIA_TYPE.0,
            UNSUPPORTED_MEDIA_TYPE.1,
            "the body must be sent as application/json",
        );
        return Err(error_response(&e, id));
    }
    if let Err(q) = state.admit_request() {
        return Err(quota_response(&q, id));
    }
    if state.config.pending_verification && op.may_be_pending() {
        let e = ServiceError::new(
            ErrorKind::PendingVerification,
            "Your account is pending verification.",
        );
        return Err(error_response(&e, id));
    }
    Ok(Front { body, signer })
}

/// Whether `signer` may act on the stage `arn`; AccessDeniedException otherwise.
pub(crate) fn authorize(front: &Front<'_>, action: &str, arn: &str) -> Result<(), ServiceError> {
    match front.signer.and_then(|k| k.allowed_stages.as_ref()) {
        Some(allowed) if !allowed.iter().any(|a| a == arn) => Err(ServiceError::new(
            ErrorKind::AccessDenied,
            format!("User is not authorized to perform: ivs:{action} on resource: {arn}"),
        )),
        _ => Ok(()),
    }
}

fn create_token(state: &State, front: &Front<'_>, id: &str) -> Response {
    // The core's verdict decides: SerializationException, ValidationException, or on.
    let request = match Verdict::request(&front.body).into_result() {
        Ok(checked) => checked.value,
        Err(e) => return error_response(&e, id),
    };
    let arn = request.stage_arn().as_str().to_owned();
    if !state.stage_exists(&arn) {
        let e = ServiceError::new(
            ErrorKind::ResourceNotFound,
            format!("Stage not found: {arn}"),
        );
        return error_response(&e, id);
    }
    if let Err(e) = authorize(front, "CreateParticipantToken", &arn) {
        return error_response(&e, id);
    }
    match issue(state, &request) {
        Ok(token) => json_response(
            &CreateParticipantTokenResponse {
                participant_token: Some(token),
            },
            id,
        ),
        Err(e) => error_response(&e, id),
    }
}

/// A participant token for a valid request: its quota reserved, then minted.
pub(crate) fn issue(
    state: &State,
    request: &ivs_participant_token::ValidRequest,
) -> Result<ivs_participant_token::ParticipantToken, ServiceError> {
    let arn = request.stage_arn().as_str();
    let participant_id = state.reserve_token(arn).map_err(|q| quota_error(&q))?;
    let params = MintParams {
        kid: &state.kid,
        events_url: &state.config.events_url,
        whip_url: &state.config.whip_url,
        now: ivs_participant_token::token::unix_now(),
        participant_id: Some(participant_id),
    };
    // The request validated, so a failure is the server's own configuration (a bad
    // kid): a 500, said plainly.
    mint(request, &state.key, &params)
        .map_err(|e| other("InternalServerException", 500, e.to_string()))
}

/// 200 with `value` as its JSON body.
pub(crate) fn json_response(value: &impl serde::Serialize, id: &str) -> Response {
    let body = serde_json::to_string(value).expect("a response serialises");
    let response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    with_request_id(response, id)
}

fn quota_response(q: &QuotaExceeded, id: &str) -> Response {
    error_response(&quota_error(q), id)
}

fn quota_error(q: &QuotaExceeded) -> ServiceError {
    let message = match q {
        QuotaExceeded::TokensPerStage(n) => {
            format!("The stage has reached its quota of {n} participant tokens.")
        }
        QuotaExceeded::RequestsPerSecond(n) => {
            format!("Request rate exceeds the quota of {n} requests per second.")
        }
        QuotaExceeded::CountedStages(n) => format!(
            "The server counts tokens for at most {n} stages; reset it (POST /_reset) to count others."
        ),
    };
    ServiceError::new(ErrorKind::ServiceQuotaExceeded, message)
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
