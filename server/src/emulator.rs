//! What local AWS emulators' users already poll and call: LocalStack's health document and
//! a reset between tests (moto's path, and a short one of our own).

use std::sync::Arc;

use axum::extract::State as Extract;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::state::State;

/// LocalStack's health document, which its users' scripts and test containers poll.
pub const LOCALSTACK_HEALTH_PATH: &str = "/_localstack/health";

/// The name LocalStack (after botocore) gives this service in its health document.
pub const SERVICE_NAME: &str = "ivs-realtime";

/// `POST` here clears the quota counters ([`State::reset`]).
pub const RESET_PATH: &str = "/_reset";

/// moto's server resets its state at this path; the same reset, for moto's users.
pub const MOTO_RESET_PATH: &str = "/moto-api/reset";

/// `{"services":{"ivs-realtime":"running"},"version":…}`: the shape of LocalStack's
/// `GET /_localstack/health`, naming the one service this server runs.
pub async fn localstack_health() -> Response {
    let body = serde_json::json!({
        "services": { SERVICE_NAME: "running" },
        "version": env!("CARGO_PKG_VERSION"),
    });
    json(StatusCode::OK, body)
}

/// Clears quotas and counters, answers `{"status":"ok"}` (moto's answer).
pub async fn reset(Extract(state): Extract<Arc<State>>) -> Response {
    state.reset();
    tracing::info!("state reset");
    json(StatusCode::OK, serde_json::json!({ "status": "ok" }))
}

fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
