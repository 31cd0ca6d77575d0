//! The entry points from bytes to a checked value: the strict reader ([`crate::json`])
//! fills the model, and validation (`crate::validation`) checks it.

use crate::constraints;
use crate::json::{self, ParseError, Parsed};
use crate::model::{
    CreateParticipantTokenRequest, CreateParticipantTokenResponse, CreateStageRequest,
    CreateStageResponse,
};
use crate::report::{Checked, Report};

/// Reads a request body strictly and validates it: a `ParseError` for a malformed body
/// (SerializationException), otherwise the request and its report.
///
/// ```
/// let body = br#"{"stageArn": "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234", "duration": 0}"#;
/// let checked = ivs_participant_token::check_request(body).unwrap();
/// assert!(!checked.report.is_valid());
/// assert_eq!(checked.report.violations[0].path, "/duration");
/// assert_eq!(
///     checked.report.aws_message(),
///     "1 validation error detected: Value '0' at 'duration' failed to satisfy constraint: \
///      Member must have value greater than or equal to 1"
/// );
/// ```
pub fn check_request(body: &[u8]) -> Result<Checked<CreateParticipantTokenRequest>, ParseError> {
    let Parsed {
        value,
        unknown_members,
    } = json::parse_request(body)?;
    let mut report = value.validate();
    add_request_unknowns(&mut report, unknown_members);
    Ok(Checked { value, report })
}

/// Reads a response body strictly and validates it, as [`check_request`] does a request.
pub fn check_response(body: &[u8]) -> Result<Checked<CreateParticipantTokenResponse>, ParseError> {
    let Parsed {
        value,
        unknown_members,
    } = json::parse_response(body)?;
    let mut report = value.validate();
    add_response_unknowns(&mut report, unknown_members);
    Ok(Checked { value, report })
}

/// Reads a CreateStage request body strictly and validates it, as [`check_request`] does.
///
/// ```
/// let body = br#"{"participantTokenConfigurations": [{}, {"userId": "b", "duration": 0}]}"#;
/// let checked = ivs_participant_token::check_create_stage_request(body).unwrap();
/// assert_eq!(checked.report.violations[0].path, "/participantTokenConfigurations/1/duration");
/// assert_eq!(
///     checked.report.aws_message(),
///     "1 validation error detected: Value '0' at 'participantTokenConfigurations.2.member.duration' \
///      failed to satisfy constraint: Member must have value greater than or equal to 1"
/// );
/// ```
pub fn check_create_stage_request(body: &[u8]) -> Result<Checked<CreateStageRequest>, ParseError> {
    let Parsed {
        value,
        unknown_members,
    } = json::parse_create_stage_request(body)?;
    let mut report = value.validate();
    add_unknowns_from(
        &mut report,
        unknown_members,
        &constraints::CREATE_STAGE_REQUEST,
    );
    Ok(Checked { value, report })
}

/// Reads a CreateStage response body strictly and validates it.
pub fn check_create_stage_response(
    body: &[u8],
) -> Result<Checked<CreateStageResponse>, ParseError> {
    let Parsed {
        value,
        unknown_members,
    } = json::parse_create_stage_response(body)?;
    let mut report = value.validate();
    add_unknowns_from(
        &mut report,
        unknown_members,
        &constraints::CREATE_STAGE_RESPONSE,
    );
    Ok(Checked { value, report })
}

/// The requests of the stage lifecycle's other operations, read and checked by
/// [`check_stage_request`]: GetStage, DeleteStage and ListStages.
#[allow(private_bounds)]
pub trait StageRequest: crate::model::Shape {}

impl StageRequest for crate::model::GetStageRequest {}
impl StageRequest for crate::model::DeleteStageRequest {}
impl StageRequest for crate::model::ListStagesRequest {}

/// Reads a GetStage, DeleteStage or ListStages request body strictly and validates it,
/// as [`check_request`] does.
///
/// ```
/// use ivs_participant_token::{check_stage_request, GetStageRequest};
/// let checked = check_stage_request::<GetStageRequest>(br#"{"arn": "arn:aws:ivs:us-west-2:1:stage/x_y"}"#).unwrap();
/// assert_eq!(checked.report.violations[0].path, "/arn");
/// ```
pub fn check_stage_request<T: StageRequest>(body: &[u8]) -> Result<Checked<T>, ParseError> {
    let Parsed {
        value,
        unknown_members,
    } = json::parse_shape::<T>(body)?;
    let mut report = Report::default();
    crate::validation::check_members(&mut report, &value, crate::validation::At::TOP);
    add_unknowns_from(&mut report, unknown_members, T::TABLE);
    Ok(Checked { value, report })
}

/// Adds unknown members to a report, suggesting the member meant from the table of the
/// structure each sits in, found by walking its parent's pointer down from `top`.
fn add_unknowns_from(
    report: &mut Report,
    unknown: Vec<String>,
    top: &'static [constraints::MemberConstraints],
) {
    if unknown.is_empty() {
        return;
    }
    report.add_unknown(unknown, |parent| {
        let mut table = top;
        for seg in parent.split('/').skip(1) {
            if seg.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let row = table.iter().find(|m| m.member == seg)?;
            table = constraints::nested_table(row.id)?;
        }
        Some(table)
    });
}

/// Adds a request's unknown members to its report, with a suggestion where a name is
/// near a member's.
pub(crate) fn add_request_unknowns(report: &mut Report, unknown: Vec<String>) {
    if unknown.is_empty() {
        return;
    }
    report.add_unknown(unknown, |parent| {
        parent.is_empty().then_some(&constraints::REQUEST[..])
    });
}

/// Adds a response's unknown members (top level and in the token) to its report.
pub(crate) fn add_response_unknowns(report: &mut Report, unknown: Vec<String>) {
    if unknown.is_empty() {
        return;
    }
    report.add_unknown(unknown, |parent| {
        if parent.is_empty() {
            Some(&constraints::RESPONSE[..])
        } else {
            let member = constraints::PARTICIPANT_TOKEN_MEMBER.member;
            (parent.strip_prefix('/') == Some(member))
                .then_some(&constraints::PARTICIPANT_TOKEN[..])
        }
    });
}
