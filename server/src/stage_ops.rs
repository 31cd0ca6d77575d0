//! The stage lifecycle: CreateStage (with its first participant tokens), GetStage,
//! DeleteStage and ListStages, over the stages the server holds ([`crate::stages`]).

use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ivs_participant_token::token::random_participant_id;
use ivs_participant_token::{
    check_stage_request, Checked, CreateParticipantTokenRequest, CreateStageResponse,
    CreateStageVerdict, DeleteStageRequest, ErrorKind, GetStageRequest, ListStagesRequest,
    ParseError, ServiceError, Stage, StageEndpoints, StageRequest, ValidRequest,
};
use serde_json::json;

use crate::app::{authorize, issue, json_response, Front};
use crate::respond::{error_response, other};
use crate::stages::{StageRecord, StagesFull, DEFAULT_PAGE_SIZE};
use crate::state::State;

/// The value of a checked body, or the error a server answers a bad one with.
fn valid<T>(checked: Result<Checked<T>, ParseError>) -> Result<T, ServiceError> {
    let checked = checked.map_err(|e| e.to_service_error())?;
    match checked.report.to_service_error() {
        Some(e) => Err(e),
        None => Ok(checked.value),
    }
}

fn not_found(arn: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::ResourceNotFound,
        format!("Stage not found: {arn}"),
    )
}

/// The stage `arn` as the API describes it: its record, and this server's endpoints.
fn stage_of(state: &State, arn: &str, record: StageRecord) -> Stage {
    Stage {
        arn: Some(arn.to_owned()),
        name: record.name,
        // No participant is ever connected here, so no session is active.
        active_session_id: None,
        tags: record.tags,
        auto_participant_recording_configuration: record.recording,
        endpoints: Some(StageEndpoints {
            events: Some(state.config.events_url.clone()),
            whip: Some(state.config.whip_url.clone()),
            // This server ingests nothing: it names no RTMP endpoint.
            rtmp: None,
            rtmps: None,
        }),
    }
}

/// `POST /CreateStage`: a stage in this server's region and account, and a token for
/// each configuration, in order, as CreateParticipantToken would issue it.
pub(crate) fn create_stage(state: &State, body: &[u8], id: &str) -> Response {
    let request = match CreateStageVerdict::create_stage_request(body).into_result() {
        Ok(c) => c.value,
        Err(e) => return error_response(&e, id),
    };
    let (region, account) = state.home();
    let arn = format!(
        "arn:aws:ivs:{region}:{account}:stage/{}",
        random_participant_id()
    );
    let record = StageRecord {
        name: request.name.clone(),
        tags: request.tags.clone(),
        recording: request.auto_participant_recording_configuration.clone(),
    };
    if let Err(StagesFull(n)) = state.stages.create(arn.clone(), record.clone()) {
        let e = ServiceError::new(
            ErrorKind::ServiceQuotaExceeded,
            format!("The account has reached its quota of {n} stages."),
        );
        return error_response(&e, id);
    }
    let mut tokens = Vec::new();
    for config in request.participant_token_configurations.unwrap_or_default() {
        let asked = CreateParticipantTokenRequest {
            stage_arn: Some(arn.clone()),
            duration: config.duration,
            user_id: config.user_id,
            attributes: config.attributes,
            capabilities: config.capabilities,
        };
        let issued = ValidRequest::new(asked)
            .map_err(|r| other("InternalServerException", 500, r.aws_message()))
            .and_then(|valid| issue(state, &valid));
        match issued {
            Ok(token) => tokens.push(token),
            Err(e) => {
                // All or nothing: a stage whose tokens could not all be issued is not made.
                state.stages.delete(&arn);
                return error_response(&e, id);
            }
        }
    }
    let response = CreateStageResponse {
        stage: Some(stage_of(state, &arn, record)),
        participant_tokens: Some(tokens),
    };
    json_response(&response, id)
}

/// The ARN a GetStage or DeleteStage names, checked, and the signer's right to it.
fn stage_arn<T: StageRequest>(
    front: &Front<'_>,
    action: &str,
    arn_of: impl FnOnce(T) -> Option<String>,
) -> Result<String, ServiceError> {
    let request = valid(check_stage_request::<T>(&front.body))?;
    let arn = arn_of(request).unwrap_or_default();
    authorize(front, action, &arn)?;
    Ok(arn)
}

/// `POST /GetStage`.
pub(crate) fn get_stage(state: &State, front: &Front<'_>, id: &str) -> Response {
    let arn = match stage_arn::<GetStageRequest>(front, "GetStage", |r| r.arn) {
        Ok(a) => a,
        Err(e) => return error_response(&e, id),
    };
    match state.stages.get(&arn) {
        Some(record) => json_response(&json!({ "stage": stage_of(state, &arn, record) }), id),
        None => error_response(&not_found(&arn), id),
    }
}

/// `POST /DeleteStage`: the stage is gone, and CreateParticipantToken for it answers 404.
pub(crate) fn delete_stage(state: &State, front: &Front<'_>, id: &str) -> Response {
    let arn = match stage_arn::<DeleteStageRequest>(front, "DeleteStage", |r| r.arn) {
        Ok(a) => a,
        Err(e) => return error_response(&e, id),
    };
    if state.stages.delete(&arn) {
        json_response(&json!({}), id)
    } else {
        error_response(&not_found(&arn), id)
    }
}

/// `POST /ListStages`: the held stages in ARN order, a page at a time; `nextToken` is
/// the last ARN of the page, base64url-encoded (an opaque token to clients). The implicit
/// stages of `--any-stage` are not listed.
pub(crate) fn list_stages(state: &State, body: &[u8], id: &str) -> Response {
    let request = match valid(check_stage_request::<ListStagesRequest>(body)) {
        Ok(r) => r,
        Err(e) => return error_response(&e, id),
    };
    let after = match request.next_token.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(token) => match URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        {
            Some(arn) => Some(arn),
            None => {
                let e = ServiceError::new(
                    ErrorKind::Validation,
                    "The nextToken is not one this server gave.",
                );
                return error_response(&e, id);
            }
        },
    };
    let size = request
        .max_results
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_PAGE_SIZE);
    let (page, more) = state.stages.page(after.as_deref(), size);
    let next = more
        .then(|| page.last().map(|(arn, _)| URL_SAFE_NO_PAD.encode(arn)))
        .flatten();
    let stages: Vec<_> = page
        .into_iter()
        .map(|(arn, r)| {
            let mut summary = json!({ "arn": arn, "tags": r.tags.unwrap_or_default() });
            if let Some(name) = r.name {
                summary["name"] = json!(name);
            }
            summary
        })
        .collect();
    let mut body = json!({ "stages": stages });
    if let Some(next) = next {
        body["nextToken"] = json!(next);
    }
    json_response(&body, id)
}
