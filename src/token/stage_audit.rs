//! Do the tokens CreateStage issued agree with the configurations that asked for them,
//! and with the stage it made? Each token is held to its configuration as
//! CreateParticipantToken's token is held to its request, the stage's ARN in the place of
//! `stageArn`, in the order asked for.

use super::consistency::{inconsistencies, Inconsistency};
use super::jwt::{decode, TokenError};
use crate::constraints::{ClaimForm, EXPIRATION_TIME};
use crate::model::{CreateParticipantTokenRequest, CreateStageRequest, CreateStageResponse};
use crate::report::Report;
use crate::valid_request::ValidRequest;

/// What a client finds wrong with a CreateStage answer to its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateStageAudit {
    /// The response's violations and advisories.
    pub report: Report,
    /// `(configurations asked for, tokens issued)` when the two counts differ.
    pub count: Option<(usize, usize)>,
    /// Each token's disagreements with its configuration and the stage, by its index.
    pub inconsistencies: Vec<(usize, Inconsistency)>,
    /// Each token that could not be read as a participant-token JWT, by its index.
    pub tokens: Vec<(usize, TokenError)>,
}

impl CreateStageAudit {
    /// Whether nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.report.is_valid()
            && self.count.is_none()
            && self.inconsistencies.is_empty()
            && self.tokens.is_empty()
    }
}

/// Audits `response` as CreateStage's answer to `request` (when known and valid): the
/// response validated; as many tokens as configurations; each token, in order, consistent
/// with its configuration's effective values and with the stage's ARN. A token without
/// an `expirationTime` is no fault here (CreateStage's tokens have been reported to come
/// without one, aws/aws-sdk-java-v2#6429), nor is the `exp` claim it would be compared to.
pub fn audit_create_stage_response(
    request: Option<&CreateStageRequest>,
    response: &CreateStageResponse,
) -> CreateStageAudit {
    let report = response.validate();
    let tokens = response.participant_tokens.as_deref().unwrap_or_default();
    let configs = request.map(|r| {
        r.effective()
            .participant_token_configurations
            .unwrap_or_default()
    });
    let count = configs
        .as_ref()
        .filter(|c| c.len() != tokens.len())
        .map(|c| (c.len(), tokens.len()));
    let stage_arn = response.stage.as_ref().and_then(|s| s.arn.clone());
    let expiration_rules: Vec<&str> = EXPIRATION_TIME
        .echo
        .claims
        .iter()
        .filter(|c| matches!(c.form, ClaimForm::UnixSeconds(_)))
        .map(|c| c.rule)
        .collect();
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    for (i, issued) in tokens.iter().enumerate() {
        let Some(token) = &issued.token else { continue };
        let claims = match decode(token.expose()) {
            Ok(d) => d.claims,
            Err(e) => {
                unreadable.push((i, e));
                continue;
            }
        };
        // The configuration this token answers, as a request for the stage made.
        let asked = configs.as_ref().and_then(|c| c.get(i)).and_then(|c| {
            ValidRequest::new(CreateParticipantTokenRequest {
                stage_arn: stage_arn.clone(),
                duration: c.duration,
                user_id: c.user_id.clone(),
                attributes: c.attributes.clone(),
                capabilities: c.capabilities.clone(),
            })
            .ok()
        });
        let Some(asked) = asked else { continue };
        for inconsistency in inconsistencies(&asked, issued, &claims) {
            let no_time = issued.expiration_time.is_none();
            if no_time && expiration_rules.contains(&inconsistency.rule) {
                continue;
            }
            found.push((i, inconsistency));
        }
    }
    CreateStageAudit {
        report,
        count,
        inconsistencies: found,
        tokens: unreadable,
    }
}
