//! Conversions between aws-sdk-ivsrealtime's types and the core's, both ways.
//!
//! The core keeps what the SDK's types can say: an absent member stays `None`, and absent
//! capabilities stay apart from an empty list (read from the input's field, since its
//! `capabilities()` accessor answers `&[]` for both). A capability the SDK holds as
//! `Unknown` keeps its text, for validation to report. An expiration time outside the
//! years 0000 to 9999 has no core [`Timestamp`] and becomes `None`.

use aws_sdk_ivsrealtime::error::BuildError;
use aws_sdk_ivsrealtime::operation::create_participant_token::{
    CreateParticipantTokenInput, CreateParticipantTokenOutput,
};
use aws_sdk_ivsrealtime::types::{ParticipantToken as SdkToken, ParticipantTokenCapability};
use aws_smithy_types::DateTime;
use ivs_participant_token::{
    Capability, CreateParticipantTokenRequest, CreateParticipantTokenResponse, ParticipantToken,
    Timestamp, Token,
};

fn capabilities_from_sdk(c: &[ParticipantTokenCapability]) -> Vec<Capability> {
    c.iter()
        .map(|c| Capability::from_wire(c.as_str()))
        .collect()
}

fn capabilities_to_sdk(c: &[Capability]) -> Vec<ParticipantTokenCapability> {
    c.iter()
        .map(|c| ParticipantTokenCapability::from(c.as_str()))
        .collect()
}

/// The core's request for the SDK's input.
pub fn request_from_input(input: &CreateParticipantTokenInput) -> CreateParticipantTokenRequest {
    CreateParticipantTokenRequest {
        stage_arn: input.stage_arn.clone(),
        duration: input.duration,
        user_id: input.user_id.clone(),
        attributes: input
            .attributes
            .as_ref()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        capabilities: input.capabilities.as_deref().map(capabilities_from_sdk),
    }
}

/// The SDK's input for the core's request (the SDK's builder refuses nothing here).
pub fn input_from_request(
    request: &CreateParticipantTokenRequest,
) -> Result<CreateParticipantTokenInput, BuildError> {
    CreateParticipantTokenInput::builder()
        .set_stage_arn(request.stage_arn.clone())
        .set_duration(request.duration)
        .set_user_id(request.user_id.clone())
        .set_attributes(
            request
                .attributes
                .as_ref()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        )
        .set_capabilities(request.capabilities.as_deref().map(capabilities_to_sdk))
        .build()
}

/// The core's participant token for the SDK's.
pub fn token_from_sdk(t: &SdkToken) -> ParticipantToken {
    ParticipantToken {
        participant_id: t.participant_id.clone(),
        token: t.token.clone().map(Token::new),
        user_id: t.user_id.clone(),
        attributes: t
            .attributes
            .as_ref()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        duration: t.duration,
        capabilities: t.capabilities.as_deref().map(capabilities_from_sdk),
        expiration_time: t
            .expiration_time
            .and_then(|d| Timestamp::from_unix(d.secs(), d.subsec_nanos())),
    }
}

/// The SDK's participant token for the core's.
pub fn token_to_sdk(t: &ParticipantToken) -> SdkToken {
    SdkToken::builder()
        .set_participant_id(t.participant_id.clone())
        .set_token(t.token.as_ref().map(|t| t.expose().to_owned()))
        .set_user_id(t.user_id.clone())
        .set_attributes(
            t.attributes
                .as_ref()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        )
        .set_duration(t.duration)
        .set_capabilities(t.capabilities.as_deref().map(capabilities_to_sdk))
        .set_expiration_time(
            t.expiration_time
                .map(|e| DateTime::from_secs_and_nanos(e.unix_seconds(), e.subsec_nanos())),
        )
        .build()
}

/// The core's response for the SDK's output.
pub fn response_from_output(
    output: &CreateParticipantTokenOutput,
) -> CreateParticipantTokenResponse {
    CreateParticipantTokenResponse {
        participant_token: output.participant_token.as_ref().map(token_from_sdk),
    }
}

/// The SDK's output for the core's response.
pub fn output_from_response(
    response: &CreateParticipantTokenResponse,
) -> CreateParticipantTokenOutput {
    CreateParticipantTokenOutput::builder()
        .set_participant_token(response.participant_token.as_ref().map(token_to_sdk))
        .build()
}
