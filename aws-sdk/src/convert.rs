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
use aws_sdk_ivsrealtime::operation::create_stage::CreateStageInput;
use aws_sdk_ivsrealtime::types::{ParticipantToken as SdkToken, ParticipantTokenCapability};
use aws_smithy_types::DateTime;
use ivs_participant_token::{
    AutoParticipantRecordingConfiguration, Capability, CreateParticipantTokenRequest,
    CreateParticipantTokenResponse, CreateStageRequest, ParticipantRecordingHlsConfiguration,
    ParticipantThumbnailConfiguration, ParticipantToken, ParticipantTokenConfiguration, Timestamp,
    Token,
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

/// The core's CreateStage request for the SDK's input. Enums keep their text (an
/// `Unknown` one its own, for validation to report); the SDK's defaults for
/// `recordingReconnectWindowSeconds` (0) and `recordParticipantReplicas` (false) are
/// what it sends, and so what is checked.
pub fn stage_request_from_input(input: &CreateStageInput) -> CreateStageRequest {
    let map = |m: &std::collections::HashMap<String, String>| {
        m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    CreateStageRequest {
        name: input.name.clone(),
        participant_token_configurations: input.participant_token_configurations.as_ref().map(
            |configs| {
                configs
                    .iter()
                    .map(|c| ParticipantTokenConfiguration {
                        duration: c.duration,
                        user_id: c.user_id.clone(),
                        attributes: c.attributes.as_ref().map(map),
                        capabilities: c.capabilities.as_deref().map(capabilities_from_sdk),
                    })
                    .collect()
            },
        ),
        tags: input.tags.as_ref().map(map),
        auto_participant_recording_configuration: input
            .auto_participant_recording_configuration
            .as_ref()
            .map(|r| AutoParticipantRecordingConfiguration {
                storage_configuration_arn: Some(r.storage_configuration_arn.clone()),
                media_types: r
                    .media_types
                    .as_ref()
                    .map(|m| m.iter().map(|t| t.as_str().to_owned()).collect()),
                thumbnail_configuration: r.thumbnail_configuration.as_ref().map(|t| {
                    ParticipantThumbnailConfiguration {
                        target_interval_seconds: t.target_interval_seconds,
                        storage: t
                            .storage
                            .as_ref()
                            .map(|s| s.iter().map(|x| x.as_str().to_owned()).collect()),
                        recording_mode: t.recording_mode.as_ref().map(|m| m.as_str().to_owned()),
                    }
                }),
                recording_reconnect_window_seconds: Some(r.recording_reconnect_window_seconds),
                hls_configuration: r.hls_configuration.as_ref().map(|h| {
                    ParticipantRecordingHlsConfiguration {
                        target_segment_duration_seconds: h.target_segment_duration_seconds,
                    }
                }),
                record_participant_replicas: Some(r.record_participant_replicas),
            }),
    }
}
