//! The request and response types of CreateStage: a stage, and optionally its first
//! participant tokens, each asked for by a token configuration that holds the members of
//! a CreateParticipantToken request bar `stageArn`.

use super::{default_capabilities, default_duration, Attributes, Capability, ParticipantToken};
use crate::constraints;

/// Tags: a map of keys (1 to 128 characters) to values (up to 256), at most 50 entries.
pub type Tags = Attributes;

shape! {
    /// The input of CreateStage. No member is required.
    pub struct CreateStageRequest in constraints::CREATE_STAGE_REQUEST {
        /// The stage's name, up to 128 of `[a-zA-Z0-9-_]`.
        Name => name: Option<String>,
        /// The tokens to issue with the stage, 0 to 12, in the order asked for.
        ParticipantTokenConfigurations => participant_token_configurations: Option<Vec<ParticipantTokenConfiguration>>,
        /// Tags for the stage.
        Tags => tags: Option<Tags>,
        /// Records every participant's media when set.
        AutoParticipantRecordingConfiguration => auto_participant_recording_configuration: Option<AutoParticipantRecordingConfiguration>,
    }
}

shape! {
    /// One token that CreateStage issues: CreateParticipantToken's members bar `stageArn`,
    /// under the very rows of the constraint table.
    pub struct ParticipantTokenConfiguration in constraints::TOKEN_CONFIGURATION {
        /// Minutes until the token expires, 1..=20160; 720 when absent.
        Duration => duration: Option<i32>,
        /// A name that identifies the token, up to 128 characters.
        UserId => user_id: Option<String>,
        /// Application attributes, at most 1 KB in total.
        Attributes => attributes: Option<Attributes>,
        /// What the participant may do; `[PUBLISH, SUBSCRIBE]` when absent.
        Capabilities => capabilities: Option<Vec<Capability>>,
    }
}

shape! {
    /// Automatic recording of every participant's media.
    pub struct AutoParticipantRecordingConfiguration in constraints::RECORDING {
        /// The storage configuration's ARN (required; may be empty).
        StorageConfigurationArn => storage_configuration_arn: Option<String>,
        /// What to record: at most one of `AUDIO_VIDEO`, `AUDIO_ONLY`, `NONE`.
        MediaTypes => media_types: Option<Vec<String>>,
        /// Thumbnails of the recording.
        ThumbnailConfiguration => thumbnail_configuration: Option<ParticipantThumbnailConfiguration>,
        /// Seconds within which a reconnecting participant's recording continues, 0..=300.
        RecordingReconnectWindowSeconds => recording_reconnect_window_seconds: Option<i32>,
        /// The HLS output of the recording.
        HlsConfiguration => hls_configuration: Option<ParticipantRecordingHlsConfiguration>,
        /// Whether participant replicas are recorded too; false when absent.
        RecordParticipantReplicas => record_participant_replicas: Option<bool>,
    }
}

shape! {
    /// Thumbnails of a participant's recording.
    pub struct ParticipantThumbnailConfiguration in constraints::THUMBNAIL {
        /// Seconds between thumbnails, 1..=86400.
        TargetIntervalSeconds => target_interval_seconds: Option<i32>,
        /// Where thumbnails go: `SEQUENTIAL`, `LATEST`, each at most once.
        Storage => storage: Option<Vec<String>>,
        /// `INTERVAL` or `DISABLED`.
        RecordingMode => recording_mode: Option<String>,
    }
}

shape! {
    /// The HLS output of a participant's recording.
    pub struct ParticipantRecordingHlsConfiguration in constraints::HLS {
        /// Target segment length in seconds, 2..=10.
        TargetSegmentDurationSeconds => target_segment_duration_seconds: Option<i32>,
    }
}

shape! {
    /// The output of CreateStage.
    pub struct CreateStageResponse in constraints::CREATE_STAGE_RESPONSE {
        /// The stage created.
        Stage => stage: Option<Stage>,
        /// The tokens issued, one per configuration, in the order asked for.
        ParticipantTokens => participant_tokens: Option<Vec<ParticipantToken>>,
    }
}

shape! {
    /// A stage.
    pub struct Stage in constraints::STAGE {
        /// The stage's ARN (required).
        Arn => arn: Option<String>,
        /// The stage's name.
        Name => name: Option<String>,
        /// The session running now, `st-` and 13 alphanumerics.
        ActiveSessionId => active_session_id: Option<String>,
        /// The stage's tags.
        Tags => tags: Option<Tags>,
        /// The stage's recording configuration.
        AutoParticipantRecordingConfiguration => auto_participant_recording_configuration: Option<AutoParticipantRecordingConfiguration>,
        /// Where clients connect.
        Endpoints => endpoints: Option<StageEndpoints>,
    }
}

shape! {
    /// A stage's endpoints.
    pub struct StageEndpoints in constraints::ENDPOINTS {
        /// The events endpoint.
        Events => events: Option<String>,
        /// The WHIP endpoint.
        Whip => whip: Option<String>,
        /// The RTMP endpoint.
        Rtmp => rtmp: Option<String>,
        /// The RTMPS endpoint.
        Rtmps => rtmps: Option<String>,
    }
}

shape! {
    /// The input of GetStage.
    pub struct GetStageRequest in constraints::GET_STAGE_REQUEST {
        /// The stage's ARN (required).
        Arn => arn: Option<String>,
    }
}

shape! {
    /// The input of DeleteStage.
    pub struct DeleteStageRequest in constraints::DELETE_STAGE_REQUEST {
        /// The stage's ARN (required).
        Arn => arn: Option<String>,
    }
}

shape! {
    /// The input of ListStages.
    pub struct ListStagesRequest in constraints::LIST_STAGES_REQUEST {
        /// Where the previous page ended.
        NextToken => next_token: Option<String>,
        /// The most stages a page holds, 1..=100.
        MaxResults => max_results: Option<i32>,
    }
}

impl ParticipantTokenConfiguration {
    /// The configuration as the service reads it: duration 720 and both capabilities
    /// when absent, as for CreateParticipantToken. An explicit empty list stays empty.
    pub fn effective(&self) -> ParticipantTokenConfiguration {
        let mut out = self.clone();
        out.duration.get_or_insert_with(default_duration);
        out.capabilities.get_or_insert_with(default_capabilities);
        out
    }
}

impl CreateStageRequest {
    /// The request as the service reads it: each token configuration with its defaults.
    pub fn effective(&self) -> CreateStageRequest {
        let mut out = self.clone();
        if let Some(configs) = &mut out.participant_token_configurations {
            for c in configs.iter_mut() {
                *c = c.effective();
            }
        }
        out
    }
}

impl AsRef<CreateStageRequest> for CreateStageRequest {
    fn as_ref(&self) -> &CreateStageRequest {
        self
    }
}

impl AsRef<CreateStageResponse> for CreateStageResponse {
    fn as_ref(&self) -> &CreateStageResponse {
        self
    }
}
