//! The constraint table: every limit, pattern, enum value, default and error of
//! CreateParticipantToken, written once.
//!
//! Validation, violation messages, the JSON export (`ivs-conformance constraints --json`),
//! generators for property tests and the documentation all read these statics; nothing
//! else in the workspace spells a bound or a pattern again.
//!
//! Each constraint records where it comes from ([`Source`]): the Smithy model
//! (`ivs-realtime-2020-07-14`), a sentence of the API documentation that has no trait in
//! the model, a protocol rule, or this kit's own reading of something the docs leave open.
//!
//! Patterns carry both their text (the model's ECMA-262 pattern, verbatim) and a
//! hand-compiled matcher, because validation must not allocate or pay for a regex engine
//! on the hot path. The property tests compile the text with the `regex` crate and check
//! that both agree on arbitrary and near-miss inputs, so the two cannot drift apart.

use crate::error_kind::ErrorKind;
use crate::pattern;

/// The AWS service whose model the table's rows come from (its Smithy and botocore
/// name); `conformance/tests/trials/model.rs` holds the rows to that model.
pub const SERVICE: &str = "ivs-realtime";

/// The model's API version.
pub const API_VERSION: &str = "2020-07-14";

/// Where a constraint comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// A trait of the Smithy model (`smithy.api#length`, `#range`, `#pattern`, `#enum`,
    /// `#required`, `#httpError`).
    Model,
    /// A sentence of the API reference that the model does not express as a trait
    /// (the default duration and capabilities, the 1 KB attribute limit).
    Docs,
    /// A protocol rule of restJson1 or of Smithy servers (SerializationException).
    Protocol,
    /// This kit's own reading where the model and docs are silent (for example that a
    /// response must carry a non-empty token). Conformance cases built on it are `MAY`.
    Interpretation,
}

impl Source {
    /// The lower-case name used in exports: `model`, `docs`, `protocol`, `interpretation`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Model => "model",
            Source::Docs => "docs",
            Source::Protocol => "protocol",
            Source::Interpretation => "interpretation",
        }
    }
}

/// A value together with the [`Source`] it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The constraint's value.
    pub value: T,
    /// Where it comes from.
    pub source: Source,
}

const fn model<T>(value: T) -> Option<Sourced<T>> {
    Some(Sourced {
        value,
        source: Source::Model,
    })
}

const fn docs<T>(value: T) -> Option<Sourced<T>> {
    Some(Sourced {
        value,
        source: Source::Docs,
    })
}

const fn ours<T>(value: T) -> Option<Sourced<T>> {
    Some(Sourced {
        value,
        source: Source::Interpretation,
    })
}

/// Inclusive bounds, as Smithy's `@length` and `@range` traits give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bounds {
    /// The smallest allowed value, if any.
    pub min: Option<i64>,
    /// The largest allowed value, if any.
    pub max: Option<i64>,
}

impl Bounds {
    const fn new(min: i64, max: i64) -> Self {
        Bounds {
            min: Some(min),
            max: Some(max),
        }
    }

    /// Whether `n` lies within the bounds.
    pub fn contains(&self, n: i64) -> bool {
        self.min.is_none_or(|min| n >= min) && self.max.is_none_or(|max| n <= max)
    }
}

/// A `@pattern` trait: the model's ECMA-262 text and the matcher this crate compiled from it.
#[derive(Clone, Copy)]
pub struct Pattern {
    /// The pattern exactly as the model writes it (ECMA-262 syntax, anchors included).
    pub text: &'static str,
    /// Whether a string matches the pattern with ECMA-262 semantics (`$` only at the very
    /// end of the input, no multiline, no case folding).
    pub matches: fn(&str) -> bool,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.text).finish()
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Pattern {}

/// The JSON type of a member on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    /// A JSON string.
    String,
    /// A JSON number that must be an integer within 32 bits.
    Integer,
    /// A JSON number that must be an integer within 64 bits (Unix seconds in a JWT).
    Long,
    /// A JSON object of named members (a JWT's `capabilities` claim, a nested structure).
    Object,
    /// A JSON array of objects (CreateStage's token configurations and tokens).
    ObjectList,
    /// A JSON `true` or `false`.
    Boolean,
    /// A JSON array of strings.
    StringList,
    /// A JSON object of string values.
    StringMap,
    /// An RFC 3339 `date-time` string.
    Timestamp,
}

impl WireType {
    /// The name used in exports: `string`, `integer`, `list`, `map`, `timestamp`.
    pub fn as_str(self) -> &'static str {
        match self {
            WireType::String => "string",
            WireType::Integer => "integer",
            WireType::Long => "long",
            WireType::Object => "object",
            WireType::ObjectList => "objectList",
            WireType::Boolean => "boolean",
            WireType::StringList => "list",
            WireType::StringMap => "map",
            WireType::Timestamp => "timestamp",
        }
    }
}

/// A documented default value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValue {
    /// An integer default (the duration's 720 minutes).
    Integer(i64),
    /// A list default (the capabilities' `PUBLISH, SUBSCRIBE`).
    StringList(&'static [&'static str]),
    /// A boolean default (`recordParticipantReplicas`' false).
    Boolean(bool),
}

/// The identity of a member of the constraint table. Code that reads or checks a member
/// dispatches on this, never on a row's position; a member that several shapes share
/// (`duration` of the request and of `ParticipantToken`) has one identity, and its row
/// is found as (shape's table, identity) by the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum MemberId {
    /// `stageArn` (request).
    StageArn,
    /// `duration` (request, token).
    Duration,
    /// `userId` (request, token).
    UserId,
    /// `attributes` (request, token; the claims' `attributes`).
    Attributes,
    /// `capabilities` (request, token; the claims' `capabilities`).
    Capabilities,
    /// `participantId` (token).
    ParticipantId,
    /// `token` (token).
    Token,
    /// `expirationTime` (token).
    ExpirationTime,
    /// `participantToken` (response).
    ParticipantToken,
    /// The claim `exp`.
    Exp,
    /// The claim `iat`.
    Iat,
    /// The claim `jti`.
    Jti,
    /// The claim `user_id`.
    ClaimUserId,
    /// The claim `resource`.
    Resource,
    /// The claim `topic`.
    Topic,
    /// The claim `events_url`.
    EventsUrl,
    /// The claim `whip_url`.
    WhipUrl,
    /// The claim `version`.
    Version,
    /// The header `kid`.
    Kid,
    /// `name` (CreateStage request, stage).
    Name,
    /// `participantTokenConfigurations` (CreateStage request).
    ParticipantTokenConfigurations,
    /// `tags` (CreateStage request, stage).
    Tags,
    /// `autoParticipantRecordingConfiguration` (CreateStage request, stage).
    AutoParticipantRecordingConfiguration,
    /// `storageConfigurationArn` (recording configuration).
    StorageConfigurationArn,
    /// `mediaTypes` (recording configuration).
    MediaTypes,
    /// `thumbnailConfiguration` (recording configuration).
    ThumbnailConfiguration,
    /// `recordingReconnectWindowSeconds` (recording configuration).
    RecordingReconnectWindowSeconds,
    /// `hlsConfiguration` (recording configuration).
    HlsConfiguration,
    /// `recordParticipantReplicas` (recording configuration).
    RecordParticipantReplicas,
    /// `targetIntervalSeconds` (thumbnail configuration).
    TargetIntervalSeconds,
    /// `storage` (thumbnail configuration).
    Storage,
    /// `recordingMode` (thumbnail configuration).
    RecordingMode,
    /// `targetSegmentDurationSeconds` (HLS configuration).
    TargetSegmentDurationSeconds,
    /// `stage` (CreateStage response).
    Stage,
    /// `participantTokens` (CreateStage response).
    ParticipantTokens,
    /// `arn` (stage).
    Arn,
    /// `activeSessionId` (stage).
    ActiveSessionId,
    /// `endpoints` (stage).
    Endpoints,
    /// `events` (stage endpoints).
    Events,
    /// `whip` (stage endpoints).
    Whip,
    /// `rtmp` (stage endpoints).
    Rtmp,
    /// `rtmps` (stage endpoints).
    Rtmps,
    /// `nextToken` (ListStages).
    NextToken,
    /// `maxResults` (ListStages).
    MaxResults,
}

/// Every constraint on one member of a structure.
///
/// For a list member, `length` counts items and `enum_values` constrains each item.
/// For a string member, `length` counts Unicode scalar values (Smithy's rule), never bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberConstraints {
    /// The member's identity, what code dispatches on.
    pub id: MemberId,
    /// The structure the member belongs to (`CreateParticipantTokenRequest`, `ParticipantToken`).
    pub shape: &'static str,
    /// The member's wire name (camelCase).
    pub member: &'static str,
    /// The Smithy shape the member targets, without its namespace.
    pub target: &'static str,
    /// Its JSON type.
    pub wire_type: WireType,
    /// `@required` (or, with [`Source::Interpretation`], required by this kit).
    pub required: Option<Source>,
    /// `@length`: scalar values of a string, items of a list.
    pub length: Option<Sourced<Bounds>>,
    /// `@range` of an integer.
    pub range: Option<Sourced<Bounds>>,
    /// `@pattern` of a string.
    pub pattern: Option<Sourced<Pattern>>,
    /// `@enum` values (of each item, for a list).
    pub enum_values: Option<Sourced<&'static [&'static str]>>,
    /// The documented default when the member is absent.
    pub default: Option<Sourced<DefaultValue>>,
    /// A limit on the UTF-8 bytes of all keys and values of a map added up.
    pub max_bytes: Option<Sourced<usize>>,
    /// `@length` of a map's keys (their target shape's), in Unicode scalar values.
    pub key_length: Option<Sourced<Bounds>>,
    /// `@length` of a map's values (their target shape's), in Unicode scalar values.
    pub value_length: Option<Sourced<Bounds>>,
    /// `@uniqueItems` of a list.
    pub unique_items: Option<Source>,
    /// `@sensitive`: the value is a secret and is never echoed.
    pub sensitive: bool,
    /// Where the member's value reappears in what the operation issues (docs).
    pub echo: Echo,
}

/// Where a member's value reappears: in the `ParticipantToken` member of the same name,
/// and in the issued token's claims (the IVS User Guide's token format). Minting,
/// checking a token against its request, the conformance runner and the TypeScript
/// package read these rows, so that an echo is one edit here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Echo {
    /// The words of the check that the `ParticipantToken` member of the same name holds
    /// the effective value (`userId echoed`); `None` when no token member echoes it.
    pub token: Option<&'static str>,
    /// The claims that carry the value, each with how and the words of its check.
    pub claims: &'static [ClaimEcho],
}

impl Echo {
    /// Echoed nowhere.
    pub const NONE: Echo = Echo {
        token: None,
        claims: &[],
    };
}

/// One claim that carries a member's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimEcho {
    /// The claim's row in [`CLAIMS`].
    pub claim: MemberId,
    /// How the claim carries the value.
    pub form: ClaimForm,
    /// The words of the check (`user_id = userId`).
    pub rule: &'static str,
}

impl ClaimEcho {
    /// The claim's name in the token's payload (`user_id`), from its row of [`CLAIMS`].
    pub fn name(&self) -> &'static str {
        row(&CLAIMS, self.claim).member
    }
}

/// A claim's name in the token's payload, from its row of [`CLAIMS`].
pub fn claim_name(id: MemberId) -> &'static str {
    row(&CLAIMS, id).member
}

/// How a claim carries a member's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimForm {
    /// The value itself (a map absent from the request is an empty one).
    Value,
    /// The stage id: the last segment of a stage ARN.
    StageId,
    /// A number of minutes, as the claim's difference to `iat` in seconds.
    Minutes,
    /// The list's enum values as flags, `allow_` and each value in lower case.
    Flags,
    /// A date-time, as Unix seconds, to within this many seconds.
    UnixSeconds(i64),
}

impl MemberConstraints {
    const BLANK: MemberConstraints = MemberConstraints {
        id: MemberId::StageArn,
        shape: "",
        member: "",
        target: "",
        wire_type: WireType::String,
        required: None,
        length: None,
        range: None,
        pattern: None,
        enum_values: None,
        default: None,
        max_bytes: None,
        key_length: None,
        value_length: None,
        unique_items: None,
        sensitive: false,
        echo: Echo::NONE,
    };
}

/// Name of the input structure.
pub const REQUEST_SHAPE: &str = "CreateParticipantTokenRequest";
/// Name of the token structure inside the output.
pub const PARTICIPANT_TOKEN_SHAPE: &str = "ParticipantToken";

/// The capability `PUBLISH`: may publish media to the stage.
pub const PUBLISH: &str = "PUBLISH";
/// The capability `SUBSCRIBE`: may subscribe to others' media.
pub const SUBSCRIBE: &str = "SUBSCRIBE";
/// The capability enum's values, in the model's order.
pub const CAPABILITY_VALUES: &[&str] = &[PUBLISH, SUBSCRIBE];

/// The claims' `version` of self-signed tokens.
pub const CLAIMS_VERSION_1_0: &str = "1.0";

/// A stage ARN that matches [`STAGE_ARN_PATTERN`]: the stage of the examples, of the
/// golden cases and of the reference server's default configuration.
pub const EXAMPLE_STAGE_ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

/// `StageArn`'s pattern, verbatim from the model.
pub const STAGE_ARN_PATTERN: Pattern = Pattern {
    text: "^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$",
    matches: pattern::matches_stage_arn,
};

/// The pattern of a public-key ARN, a self-signed token's `kid` (IVS User Guide).
pub const PUBLIC_KEY_ARN_PATTERN: Pattern = Pattern {
    text: "^arn:aws:ivs:[a-z0-9-]+:[0-9]+:public-key/[a-zA-Z0-9-]+$",
    matches: pattern::matches_public_key_arn,
};

/// `ParticipantTokenId`'s pattern, verbatim from the model.
pub const PARTICIPANT_ID_PATTERN: Pattern = Pattern {
    text: "^[a-zA-Z0-9-_]*$",
    matches: pattern::matches_participant_id,
};

/// The Smithy model's `ParticipantId` pattern, verbatim: the id that GetParticipant,
/// ListParticipantEvents and the participant-replication operations take, and that a
/// self-signed token's `jti` becomes (IVS User Guide). It has no `_`, which
/// [`PARTICIPANT_ID_PATTERN`] (`ParticipantTokenId`) allows; botocore 1.44.8 writes it
/// `[a-zA-Z0-9-_]*`. The two models disagree, so a `jti` with `_` is an advisory.
pub const PARTICIPANT_ID_LOOKUP_PATTERN: Pattern = Pattern {
    text: "^[a-zA-Z0-9-]*$",
    matches: pattern::matches_participant_lookup_id,
};

/// The operations that take a `ParticipantId`, in the Smithy model.
pub const PARTICIPANT_ID_OPERATIONS: &[&str] = &[
    "GetParticipant",
    "ListParticipantEvents",
    "ListParticipantReplicas",
    "StartParticipantReplication",
    "StopParticipantReplication",
];

const fn duration(shape: &'static str, with_default: bool) -> MemberConstraints {
    MemberConstraints {
        shape,
        id: MemberId::Duration,
        member: "duration",
        target: "ParticipantTokenDurationMinutes",
        wire_type: WireType::Integer,
        range: model(Bounds::new(1, 20160)),
        default: if with_default {
            docs(DefaultValue::Integer(720))
        } else {
            None
        },
        ..MemberConstraints::BLANK
    }
}

const fn user_id(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        shape,
        id: MemberId::UserId,
        member: "userId",
        target: "ParticipantTokenUserId",
        length: model(Bounds::new(0, 128)),
        ..MemberConstraints::BLANK
    }
}

const fn attributes(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        shape,
        id: MemberId::Attributes,
        member: "attributes",
        target: "ParticipantTokenAttributes",
        wire_type: WireType::StringMap,
        // "The maximum length of this field is 1 KB total." Our reading: the UTF-8 bytes
        // of every key and every value, added up, are at most 1024.
        max_bytes: docs(1024),
        ..MemberConstraints::BLANK
    }
}

const fn capabilities(shape: &'static str, with_default: bool) -> MemberConstraints {
    MemberConstraints {
        shape,
        id: MemberId::Capabilities,
        member: "capabilities",
        target: "ParticipantTokenCapabilities",
        wire_type: WireType::StringList,
        length: model(Bounds::new(0, 2)),
        enum_values: model(CAPABILITY_VALUES),
        default: if with_default {
            docs(DefaultValue::StringList(CAPABILITY_VALUES))
        } else {
            None
        },
        ..MemberConstraints::BLANK
    }
}

// The members a token echoes, as both operations' requests have them: one constructor
// each, so that CreateStage's token configuration holds the very rows of
// CreateParticipantToken's request, bar the shape's name.
const fn echoed_duration(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        echo: Echo {
            token: Some("duration echoed"),
            claims: &[ClaimEcho {
                claim: MemberId::Exp,
                form: ClaimForm::Minutes,
                rule: "exp − iat = duration × 60",
            }],
        },
        ..duration(shape, true)
    }
}

const fn echoed_user_id(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        echo: Echo {
            token: Some("userId echoed"),
            claims: &[ClaimEcho {
                claim: MemberId::ClaimUserId,
                form: ClaimForm::Value,
                rule: "user_id = userId",
            }],
        },
        ..user_id(shape)
    }
}

const fn echoed_attributes(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        echo: Echo {
            token: Some("attributes echoed"),
            claims: &[ClaimEcho {
                claim: MemberId::Attributes,
                form: ClaimForm::Value,
                rule: "attributes claim = attributes",
            }],
        },
        ..attributes(shape)
    }
}

const fn echoed_capabilities(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        echo: Echo {
            token: Some("capabilities echoed"),
            claims: &[ClaimEcho {
                claim: MemberId::Capabilities,
                form: ClaimForm::Flags,
                rule: "capabilities claim = capabilities",
            }],
        },
        ..capabilities(shape, true)
    }
}

/// The members of `CreateParticipantTokenRequest`, in the model's order.
pub static REQUEST: [MemberConstraints; 5] = [
    MemberConstraints {
        shape: REQUEST_SHAPE,
        id: MemberId::StageArn,
        member: "stageArn",
        target: "StageArn",
        required: Some(Source::Model),
        length: model(Bounds::new(1, 128)),
        pattern: model(STAGE_ARN_PATTERN),
        echo: Echo {
            token: None,
            claims: &[
                ClaimEcho {
                    claim: MemberId::Resource,
                    form: ClaimForm::Value,
                    rule: "resource = stageArn",
                },
                ClaimEcho {
                    claim: MemberId::Topic,
                    form: ClaimForm::StageId,
                    rule: "topic = the stage id",
                },
            ],
        },
        ..MemberConstraints::BLANK
    },
    echoed_duration(REQUEST_SHAPE),
    echoed_user_id(REQUEST_SHAPE),
    echoed_attributes(REQUEST_SHAPE),
    echoed_capabilities(REQUEST_SHAPE),
];

/// The members of `ParticipantToken` (the output's one member), in the model's order.
///
/// The model requires none of them; this kit requires a non-empty `token` and an
/// `expirationTime` of any response that claims to have issued a token
/// ([`Source::Interpretation`]).
pub static PARTICIPANT_TOKEN: [MemberConstraints; 7] = [
    MemberConstraints {
        shape: PARTICIPANT_TOKEN_SHAPE,
        id: MemberId::ParticipantId,
        member: "participantId",
        target: "ParticipantTokenId",
        length: model(Bounds::new(0, 64)),
        pattern: model(PARTICIPANT_ID_PATTERN),
        echo: Echo {
            token: None,
            claims: &[ClaimEcho {
                claim: MemberId::Jti,
                form: ClaimForm::Value,
                rule: "jti = participantId",
            }],
        },
        ..MemberConstraints::BLANK
    },
    MemberConstraints {
        shape: PARTICIPANT_TOKEN_SHAPE,
        id: MemberId::Token,
        member: "token",
        target: "ParticipantTokenString",
        required: Some(Source::Interpretation),
        length: ours(Bounds {
            min: Some(1),
            max: None,
        }),
        sensitive: true,
        ..MemberConstraints::BLANK
    },
    user_id(PARTICIPANT_TOKEN_SHAPE),
    attributes(PARTICIPANT_TOKEN_SHAPE),
    duration(PARTICIPANT_TOKEN_SHAPE, false),
    capabilities(PARTICIPANT_TOKEN_SHAPE, false),
    MemberConstraints {
        shape: PARTICIPANT_TOKEN_SHAPE,
        id: MemberId::ExpirationTime,
        member: "expirationTime",
        target: "ParticipantTokenExpirationTime",
        wire_type: WireType::Timestamp,
        required: Some(Source::Interpretation),
        echo: Echo {
            token: None,
            claims: &[ClaimEcho {
                claim: MemberId::Exp,
                form: ClaimForm::UnixSeconds(1),
                rule: "exp = expirationTime (±1 s)",
            }],
        },
        ..MemberConstraints::BLANK
    },
];

/// The one member of `CreateParticipantTokenResponse`, the structure around
/// `ParticipantToken`. It has no constraint of its own; a missing one fails as a token
/// without its required members would.
pub static RESPONSE: [MemberConstraints; 1] = [MemberConstraints {
    shape: "CreateParticipantTokenResponse",
    id: MemberId::ParticipantToken,
    member: "participantToken",
    target: PARTICIPANT_TOKEN_SHAPE,
    wire_type: WireType::Object,
    ..MemberConstraints::BLANK
}];

/// Name of CreateStage's input structure.
pub const CREATE_STAGE_REQUEST_SHAPE: &str = "CreateStageRequest";
/// Name of the structure of each of CreateStage's token configurations.
pub const TOKEN_CONFIGURATION_SHAPE: &str = "ParticipantTokenConfiguration";
/// Name of the recording configuration's structure.
pub const RECORDING_SHAPE: &str = "AutoParticipantRecordingConfiguration";
/// Name of the stage structure of CreateStage's (and GetStage's) output.
pub const STAGE_SHAPE: &str = "Stage";

/// The most token configurations one CreateStage asks for (`ParticipantTokenConfigurations`).
pub const MAX_TOKEN_CONFIGURATIONS: i64 = 12;

/// `StageName`'s pattern, verbatim from the model (the text of `ParticipantTokenId`'s).
pub const STAGE_NAME_PATTERN: Pattern = Pattern {
    text: "^[a-zA-Z0-9-_]*$",
    matches: pattern::matches_participant_id,
};

/// `AutoParticipantRecordingStorageConfigurationArn`'s pattern, verbatim from the model:
/// empty, or a storage-configuration ARN.
pub const STORAGE_CONFIGURATION_ARN_PATTERN: Pattern = Pattern {
    text: "^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$$",
    matches: pattern::matches_storage_configuration_arn,
};

/// `StageSessionId`'s pattern, verbatim from the model.
pub const STAGE_SESSION_ID_PATTERN: Pattern = Pattern {
    text: "^st-[a-zA-Z0-9]+$",
    matches: pattern::matches_stage_session_id,
};

/// `ParticipantRecordingMediaType`'s values, in the model's order.
pub const MEDIA_TYPE_VALUES: &[&str] = &["AUDIO_VIDEO", "AUDIO_ONLY", "NONE"];
/// `ThumbnailStorageType`'s values, in the model's order.
pub const THUMBNAIL_STORAGE_VALUES: &[&str] = &["SEQUENTIAL", "LATEST"];
/// `ThumbnailRecordingMode`'s values, in the model's order.
pub const THUMBNAIL_RECORDING_MODE_VALUES: &[&str] = &["INTERVAL", "DISABLED"];

const fn member(
    shape: &'static str,
    id: MemberId,
    member: &'static str,
    target: &'static str,
    wire_type: WireType,
) -> MemberConstraints {
    MemberConstraints {
        id,
        shape,
        member,
        target,
        wire_type,
        ..MemberConstraints::BLANK
    }
}

const fn stage_name(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        length: model(Bounds::new(0, 128)),
        pattern: model(STAGE_NAME_PATTERN),
        ..member(shape, MemberId::Name, "name", "StageName", WireType::String)
    }
}

const fn tags(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        length: model(Bounds::new(0, 50)),
        key_length: model(Bounds::new(1, 128)),
        value_length: model(Bounds::new(0, 256)),
        ..member(shape, MemberId::Tags, "tags", "Tags", WireType::StringMap)
    }
}

const fn recording(shape: &'static str) -> MemberConstraints {
    member(
        shape,
        MemberId::AutoParticipantRecordingConfiguration,
        "autoParticipantRecordingConfiguration",
        RECORDING_SHAPE,
        WireType::Object,
    )
}

/// The members of `CreateStageRequest`, in the model's order. None is required.
pub static CREATE_STAGE_REQUEST: [MemberConstraints; 4] = [
    stage_name(CREATE_STAGE_REQUEST_SHAPE),
    MemberConstraints {
        length: model(Bounds::new(0, MAX_TOKEN_CONFIGURATIONS)),
        ..member(
            CREATE_STAGE_REQUEST_SHAPE,
            MemberId::ParticipantTokenConfigurations,
            "participantTokenConfigurations",
            "ParticipantTokenConfigurations",
            WireType::ObjectList,
        )
    },
    tags(CREATE_STAGE_REQUEST_SHAPE),
    recording(CREATE_STAGE_REQUEST_SHAPE),
];

/// The members of each `ParticipantTokenConfiguration`: CreateParticipantToken's request
/// rows bar `stageArn`, with their defaults (720 minutes, both capabilities) and echoes.
pub static TOKEN_CONFIGURATION: [MemberConstraints; 4] = [
    echoed_duration(TOKEN_CONFIGURATION_SHAPE),
    echoed_user_id(TOKEN_CONFIGURATION_SHAPE),
    echoed_attributes(TOKEN_CONFIGURATION_SHAPE),
    echoed_capabilities(TOKEN_CONFIGURATION_SHAPE),
];

/// The members of `AutoParticipantRecordingConfiguration`, in the model's order.
pub static RECORDING: [MemberConstraints; 6] = [
    MemberConstraints {
        required: Some(Source::Model),
        length: model(Bounds::new(0, 128)),
        pattern: model(STORAGE_CONFIGURATION_ARN_PATTERN),
        ..member(
            RECORDING_SHAPE,
            MemberId::StorageConfigurationArn,
            "storageConfigurationArn",
            "AutoParticipantRecordingStorageConfigurationArn",
            WireType::String,
        )
    },
    MemberConstraints {
        length: model(Bounds::new(0, 1)),
        enum_values: model(MEDIA_TYPE_VALUES),
        ..member(
            RECORDING_SHAPE,
            MemberId::MediaTypes,
            "mediaTypes",
            "ParticipantRecordingMediaTypeList",
            WireType::StringList,
        )
    },
    member(
        RECORDING_SHAPE,
        MemberId::ThumbnailConfiguration,
        "thumbnailConfiguration",
        "ParticipantThumbnailConfiguration",
        WireType::Object,
    ),
    MemberConstraints {
        range: model(Bounds::new(0, 300)),
        default: model(DefaultValue::Integer(0)),
        ..member(
            RECORDING_SHAPE,
            MemberId::RecordingReconnectWindowSeconds,
            "recordingReconnectWindowSeconds",
            "ParticipantRecordingReconnectWindowSeconds",
            WireType::Integer,
        )
    },
    member(
        RECORDING_SHAPE,
        MemberId::HlsConfiguration,
        "hlsConfiguration",
        "ParticipantRecordingHlsConfiguration",
        WireType::Object,
    ),
    MemberConstraints {
        default: model(DefaultValue::Boolean(false)),
        ..member(
            RECORDING_SHAPE,
            MemberId::RecordParticipantReplicas,
            "recordParticipantReplicas",
            "RecordParticipantReplicas",
            WireType::Boolean,
        )
    },
];

/// The members of `ParticipantThumbnailConfiguration`, in the model's order.
pub static THUMBNAIL: [MemberConstraints; 3] = [
    MemberConstraints {
        range: model(Bounds::new(1, 86400)),
        ..member(
            "ParticipantThumbnailConfiguration",
            MemberId::TargetIntervalSeconds,
            "targetIntervalSeconds",
            "ThumbnailIntervalSeconds",
            WireType::Integer,
        )
    },
    MemberConstraints {
        length: model(Bounds::new(0, 2)),
        enum_values: model(THUMBNAIL_STORAGE_VALUES),
        unique_items: Some(Source::Model),
        ..member(
            "ParticipantThumbnailConfiguration",
            MemberId::Storage,
            "storage",
            "ThumbnailStorageTypeList",
            WireType::StringList,
        )
    },
    MemberConstraints {
        enum_values: model(THUMBNAIL_RECORDING_MODE_VALUES),
        ..member(
            "ParticipantThumbnailConfiguration",
            MemberId::RecordingMode,
            "recordingMode",
            "ThumbnailRecordingMode",
            WireType::String,
        )
    },
];

/// The one member of `ParticipantRecordingHlsConfiguration`. Its default of 6 is on the
/// target shape; the member itself clears it in the model, so it is the docs' default.
pub static HLS: [MemberConstraints; 1] = [MemberConstraints {
    range: model(Bounds::new(2, 10)),
    default: docs(DefaultValue::Integer(6)),
    ..member(
        "ParticipantRecordingHlsConfiguration",
        MemberId::TargetSegmentDurationSeconds,
        "targetSegmentDurationSeconds",
        "ParticipantRecordingTargetSegmentDurationSeconds",
        WireType::Integer,
    )
}];

const fn stage_arn_member(shape: &'static str) -> MemberConstraints {
    MemberConstraints {
        required: Some(Source::Model),
        length: model(Bounds::new(1, 128)),
        pattern: model(STAGE_ARN_PATTERN),
        ..member(shape, MemberId::Arn, "arn", "StageArn", WireType::String)
    }
}

/// The one member of `GetStageRequest`.
pub static GET_STAGE_REQUEST: [MemberConstraints; 1] = [stage_arn_member("GetStageRequest")];
/// The one member of `DeleteStageRequest`.
pub static DELETE_STAGE_REQUEST: [MemberConstraints; 1] = [stage_arn_member("DeleteStageRequest")];

/// The members of `ListStagesRequest` (paginated: `nextToken` in and out, `maxResults`
/// the page size).
pub static LIST_STAGES_REQUEST: [MemberConstraints; 2] = [
    MemberConstraints {
        length: model(Bounds::new(0, 1024)),
        pattern: model(PAGINATION_TOKEN_PATTERN),
        ..member(
            "ListStagesRequest",
            MemberId::NextToken,
            "nextToken",
            "PaginationToken",
            WireType::String,
        )
    },
    MemberConstraints {
        range: model(Bounds::new(1, 100)),
        ..member(
            "ListStagesRequest",
            MemberId::MaxResults,
            "maxResults",
            "MaxStageResults",
            WireType::Integer,
        )
    },
];

/// `PaginationToken`'s pattern, verbatim from the model.
pub const PAGINATION_TOKEN_PATTERN: Pattern = Pattern {
    text: "^[a-zA-Z0-9+/=_-]*$",
    matches: pattern::matches_pagination_token,
};

/// The members of `Stage`, in the model's order: only `arn` is required.
pub static STAGE: [MemberConstraints; 6] = [
    stage_arn_member(STAGE_SHAPE),
    stage_name(STAGE_SHAPE),
    MemberConstraints {
        length: model(Bounds::new(16, 16)),
        pattern: model(STAGE_SESSION_ID_PATTERN),
        ..member(
            STAGE_SHAPE,
            MemberId::ActiveSessionId,
            "activeSessionId",
            "StageSessionId",
            WireType::String,
        )
    },
    tags(STAGE_SHAPE),
    recording(STAGE_SHAPE),
    member(
        STAGE_SHAPE,
        MemberId::Endpoints,
        "endpoints",
        "StageEndpoints",
        WireType::Object,
    ),
];

const fn endpoint(id: MemberId, name: &'static str) -> MemberConstraints {
    MemberConstraints {
        length: model(Bounds::new(0, 2048)),
        ..member(
            "StageEndpoints",
            id,
            name,
            "StageEndpoint",
            WireType::String,
        )
    }
}

/// The members of `StageEndpoints`, in the model's order.
pub static ENDPOINTS: [MemberConstraints; 4] = [
    endpoint(MemberId::Events, "events"),
    endpoint(MemberId::Whip, "whip"),
    endpoint(MemberId::Rtmp, "rtmp"),
    endpoint(MemberId::Rtmps, "rtmps"),
];

/// The members of `CreateStageResponse`. The model requires neither; this kit requires
/// the `stage` of a stage that was created ([`Source::Interpretation`]).
pub static CREATE_STAGE_RESPONSE: [MemberConstraints; 2] = [
    MemberConstraints {
        required: Some(Source::Interpretation),
        ..member(
            "CreateStageResponse",
            MemberId::Stage,
            "stage",
            STAGE_SHAPE,
            WireType::Object,
        )
    },
    member(
        "CreateStageResponse",
        MemberId::ParticipantTokens,
        "participantTokens",
        "ParticipantTokenList",
        WireType::ObjectList,
    ),
];

/// The row of `id` in `table`, found by identity, never by position. A missing row is a
/// compile-time error where this is evaluated in a `const`.
pub(crate) const fn row(
    table: &'static [MemberConstraints],
    id: MemberId,
) -> &'static MemberConstraints {
    let mut i = 0;
    while i < table.len() {
        if table[i].id as u8 == id as u8 {
            return &table[i];
        }
        i += 1;
    }
    panic!("no row with that identity in the table")
}

/// `CreateParticipantTokenRequest.stageArn`.
pub const STAGE_ARN: &MemberConstraints = row(&REQUEST, MemberId::StageArn);
/// `CreateParticipantTokenRequest.duration`.
pub const DURATION: &MemberConstraints = row(&REQUEST, MemberId::Duration);
/// `CreateParticipantTokenRequest.userId`.
pub const USER_ID: &MemberConstraints = row(&REQUEST, MemberId::UserId);
/// `CreateParticipantTokenRequest.attributes`.
pub const ATTRIBUTES: &MemberConstraints = row(&REQUEST, MemberId::Attributes);
/// `CreateParticipantTokenRequest.capabilities`.
pub const CAPABILITIES: &MemberConstraints = row(&REQUEST, MemberId::Capabilities);

/// `ParticipantToken.participantId`.
pub const PARTICIPANT_ID: &MemberConstraints = row(&PARTICIPANT_TOKEN, MemberId::ParticipantId);
/// `ParticipantToken.token`.
pub const TOKEN: &MemberConstraints = row(&PARTICIPANT_TOKEN, MemberId::Token);
/// `ParticipantToken.userId`.
pub const TOKEN_USER_ID: &MemberConstraints = row(&PARTICIPANT_TOKEN, MemberId::UserId);
/// `ParticipantToken.attributes`.
pub const TOKEN_ATTRIBUTES: &MemberConstraints = row(&PARTICIPANT_TOKEN, MemberId::Attributes);
/// `ParticipantToken.duration`.
pub const TOKEN_DURATION: &MemberConstraints = row(&PARTICIPANT_TOKEN, MemberId::Duration);
/// `ParticipantToken.capabilities`.
pub const TOKEN_CAPABILITIES: &MemberConstraints = row(&PARTICIPANT_TOKEN, MemberId::Capabilities);
/// `ParticipantToken.expirationTime`.
pub const EXPIRATION_TIME: &MemberConstraints = row(&PARTICIPANT_TOKEN, MemberId::ExpirationTime);
/// `CreateParticipantTokenResponse.participantToken`.
pub const PARTICIPANT_TOKEN_MEMBER: &MemberConstraints = row(&RESPONSE, MemberId::ParticipantToken);

/// Every member of the request, then every member of `ParticipantToken`.
pub fn all_members() -> impl Iterator<Item = &'static MemberConstraints> {
    REQUEST.iter().chain(PARTICIPANT_TOKEN.iter())
}

/// The table of the structure a member holds (or, for a list, each of its items hold):
/// how a pointer is followed down CreateStage's nested structures.
pub fn nested_table(id: MemberId) -> Option<&'static [MemberConstraints]> {
    Some(match id {
        MemberId::ParticipantToken | MemberId::ParticipantTokens => &PARTICIPANT_TOKEN,
        MemberId::ParticipantTokenConfigurations => &TOKEN_CONFIGURATION,
        MemberId::AutoParticipantRecordingConfiguration => &RECORDING,
        MemberId::ThumbnailConfiguration => &THUMBNAIL,
        MemberId::HlsConfiguration => &HLS,
        MemberId::Stage => &STAGE,
        MemberId::Endpoints => &ENDPOINTS,
        _ => return None,
    })
}

/// Every member of CreateStage's structures: its request, each token configuration, the
/// recording configuration and its parts, the stage, its endpoints, and its response.
pub fn create_stage_members() -> impl Iterator<Item = &'static MemberConstraints> {
    CREATE_STAGE_REQUEST
        .iter()
        .chain(TOKEN_CONFIGURATION.iter())
        .chain(RECORDING.iter())
        .chain(THUMBNAIL.iter())
        .chain(HLS.iter())
        .chain(STAGE.iter())
        .chain(ENDPOINTS.iter())
        .chain(CREATE_STAGE_RESPONSE.iter())
}

/// The deepest nesting of JSON arrays and objects the strict parser reads, counting the
/// top-level object as 1; one level more is a `SerializationException`. It is what
/// serde_json's recursion limit (128 entries into `[` or `{`, the last of which fails)
/// allows, and it turns what would be a stack overflow into an error. Unknown members are
/// held to it too. The strict-JSON tests pin this number to serde_json's behaviour.
pub const MAX_JSON_DEPTH: usize = 127;

/// The largest body this kit reads: 1 MiB. The reference server answers a larger one
/// 413 without reading it whole, and `ivs-conformance validate` refuses larger input
/// (a file or standard input) before reading past it. Our interpretation: neither the
/// model nor the API reference states a request size limit, and a valid request is at
/// most a few kilobytes (every member at its limit is under 2 KB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One error the operation can answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorSpec {
    /// Which error (never [`ErrorKind::Unknown`]).
    pub kind: ErrorKind,
    /// The wire name, as sent in `X-Amzn-Errortype`.
    pub name: &'static str,
    /// The HTTP status (`@httpError`).
    pub status: u16,
    /// `Model` for the five modeled errors, `Protocol` for SerializationException.
    pub source: Source,
    /// What the error means, after the model's documentation.
    pub meaning: &'static str,
}

/// The errors of CreateParticipantToken: the five of the model, then the protocol's
/// SerializationException for malformed bodies.
pub static ERRORS: [ErrorSpec; 6] = [
    ErrorSpec {
        kind: ErrorKind::AccessDenied,
        name: "AccessDeniedException",
        status: 403,
        source: Source::Model,
        meaning: "the caller may not perform this action on the stage",
    },
    ErrorSpec {
        kind: ErrorKind::PendingVerification,
        name: "PendingVerification",
        status: 403,
        source: Source::Model,
        meaning: "the account is pending verification",
    },
    ErrorSpec {
        kind: ErrorKind::ResourceNotFound,
        name: "ResourceNotFoundException",
        status: 404,
        source: Source::Model,
        meaning: "the stage does not exist",
    },
    ErrorSpec {
        kind: ErrorKind::ServiceQuotaExceeded,
        name: "ServiceQuotaExceededException",
        status: 402,
        source: Source::Model,
        meaning: "the request would exceed a service quota",
    },
    ErrorSpec {
        kind: ErrorKind::Validation,
        name: "ValidationException",
        status: 400,
        source: Source::Model,
        meaning: "the input fails to satisfy the constraints",
    },
    ErrorSpec {
        kind: ErrorKind::Serialization,
        name: "SerializationException",
        status: 400,
        source: Source::Protocol,
        meaning: "the body is not a well-formed request of the right JSON types",
    },
];

/// The errors CreateStage answers with, as the model lists them: those of
/// CreateParticipantToken bar ResourceNotFoundException (there is no stage to find yet).
/// Their wire names and statuses are [`ERRORS`]' rows.
pub static CREATE_STAGE_ERRORS: [ErrorKind; 4] = [
    ErrorKind::AccessDenied,
    ErrorKind::PendingVerification,
    ErrorKind::ServiceQuotaExceeded,
    ErrorKind::Validation,
];

/// Name of the participant token's JWT claims, as this kit calls the shape.
pub const CLAIMS_SHAPE: &str = "ParticipantTokenClaims";

/// The JWS algorithm of self-signed tokens (ECDSA P-384 with SHA-384).
pub const SELF_SIGNED_ALG: &str = "ES384";

/// The `alg` of the tokens the API itself issues.
pub const API_TOKEN_ALG: &str = "KMS";

/// The `version` claim of self-signed tokens.
pub const CLAIMS_VERSIONS: &[&str] = &[CLAIMS_VERSION_1_0];

/// The longest a token may live: `exp` at most 14 days after `iat` (IVS User Guide).
pub const MAX_TOKEN_LIFETIME_SECONDS: Sourced<i64> = Sourced {
    value: 14 * 24 * 60 * 60,
    source: Source::Docs,
};

const fn claim(id: MemberId, member: &'static str, wire_type: WireType) -> MemberConstraints {
    MemberConstraints {
        id,
        shape: CLAIMS_SHAPE,
        member,
        target: "",
        wire_type,
        required: Some(Source::Docs),
        ..MemberConstraints::BLANK
    }
}

/// The claims of a participant token (IVS User Guide, "self-signed tokens"). All but
/// `user_id` are mandatory there; `topic` must be the stage id of `resource` and `exp` at
/// most [`MAX_TOKEN_LIFETIME_SECONDS`] after `iat`, relations the token module checks.
pub static CLAIMS: [MemberConstraints; 11] = [
    claim(MemberId::Exp, "exp", WireType::Long),
    claim(MemberId::Iat, "iat", WireType::Long),
    MemberConstraints {
        length: docs(Bounds::new(1, 64)),
        pattern: docs(PARTICIPANT_ID_PATTERN),
        ..claim(MemberId::Jti, "jti", WireType::String)
    },
    MemberConstraints {
        required: None,
        // The request's userId, echoed: the same bounds, written once there.
        length: USER_ID.length,
        ..claim(MemberId::ClaimUserId, "user_id", WireType::String)
    },
    MemberConstraints {
        pattern: docs(STAGE_ARN_PATTERN),
        ..claim(MemberId::Resource, "resource", WireType::String)
    },
    claim(MemberId::Topic, "topic", WireType::String),
    claim(MemberId::EventsUrl, "events_url", WireType::String),
    claim(MemberId::WhipUrl, "whip_url", WireType::String),
    claim(MemberId::Capabilities, "capabilities", WireType::Object),
    MemberConstraints {
        // The request's attributes, echoed: the same limit, written once there.
        max_bytes: ATTRIBUTES.max_bytes,
        ..claim(MemberId::Attributes, "attributes", WireType::StringMap)
    },
    MemberConstraints {
        enum_values: docs(CLAIMS_VERSIONS),
        ..claim(MemberId::Version, "version", WireType::String)
    },
];

/// The `kid` header of a self-signed token: the imported public key's ARN.
pub static KID: MemberConstraints = MemberConstraints {
    shape: "ParticipantTokenHeader",
    id: MemberId::Kid,
    member: "kid",
    target: "",
    wire_type: WireType::String,
    required: Some(Source::Docs),
    pattern: docs(PUBLIC_KEY_ARN_PATTERN),
    ..MemberConstraints::BLANK
};
