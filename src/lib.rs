//! The Amazon IVS Real-Time **CreateParticipantToken** operation, modeled for checking:
//! request and response types, the constraint table, strict JSON reading, validation that
//! reports every violation at once, the documented defaults, and the operation's errors
//! with their wire form. No network and no file I/O; only the `token` feature reads the
//! operating system's random source, for fresh participant ids and keys.
//!
//! **CreateStage**, the other operation that issues participant tokens, is modeled the
//! same way ([`check_create_stage_request`], [`CreateStageVerdict`]): each of its token
//! configurations is held to CreateParticipantToken's very rows of the table, every
//! violation named by its path (`/participantTokenConfigurations/3/userId`). GetStage,
//! DeleteStage and ListStages requests are read by [`check_stage_request`].
//!
//! ```
//! use ivs_participant_token::{check_request, Capability};
//!
//! let body = br#"{"stageArn": "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234",
//!                 "userId": "alice", "capabilities": ["PUBLISH", "SUBSCRIBE", "ADMIN"]}"#;
//! let checked = check_request(body).expect("well-formed JSON");
//! let report = &checked.report;
//! assert_eq!(report.violations.len(), 2);
//! assert_eq!(report.violations[0].path, "/capabilities");   // 3 items, at most 2
//! assert_eq!(report.violations[1].path, "/capabilities/2"); // not in the enum
//! let effective = checked.value.effective();
//! assert_eq!(effective.duration, Some(720));
//! assert_eq!(effective.capabilities.as_ref().unwrap()[2], Capability::Unknown("ADMIN".into()));
//! ```
//!
//! [`Verdict`] is the one answer to "what does this body mean?": malformed, invalid or
//! valid, with the HTTP status and the error a server sends. The reference server, the
//! conformance runner and the CLI all go through it.
//!
//! ```
//! use ivs_participant_token::Verdict;
//! let v = Verdict::request(br#"{"stageArn": "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"}"#);
//! assert_eq!((v.status(), v.error_type()), (200, None));
//! assert_eq!(v.effective().unwrap().duration, Some(720));
//! ```
//!
//! # Sources and readings
//!
//! The constraints come from the Smithy model `ivs-realtime-2020-07-14` and, where the
//! model has no trait, from the API reference; [`constraints`] marks each. Where the two
//! are silent or disagree this crate follows the model and says so:
//!
//! - **Attributes, "1 KB total"** (docs only): the UTF-8 bytes of every key and every
//!   value, added up, are at most 1024. JSON quoting and punctuation are not counted.
//! - **Capabilities as a "set"** (docs) with no `@uniqueItems` (model): a repeated
//!   capability is an advisory, not a violation; the model wins.
//! - **Empty capabilities**: `[]` is legal (the model's length is 0..2) and grants
//!   nothing; only an absent list takes the default `[PUBLISH, SUBSCRIBE]`.
//! - **Lengths** count Unicode scalar values, as Smithy's `@length` does, never bytes.
//! - **The stage ARN pattern** is ECMA-262: `$` matches only at the very end, so a
//!   trailing newline fails. botocore's copy of the pattern lost its anchors; the model's
//!   anchored pattern is followed.
//! - **Responses**: the model requires no member of `ParticipantToken`; this kit requires
//!   a non-empty `token` and an `expirationTime`, marked [`constraints::Source::Interpretation`].
//! - **Strict JSON** rules are listed below.
//!
//! # Strict JSON
//!
//! Every entry point reads bodies with one strict reader ([`parse_request`],
//! [`parse_response`], and serde's `Deserialize` of the model's types):
//!
//! serde_json does the tokenising (and its recursion limit keeps deep nesting from
//! overflowing the stack); the visitors here add what a restJson1 server insists on and
//! serde's derive does not: the top level must be an object, member names are unique,
//! JSON types are exact (no `"720"` for an integer, no `720.5`, nothing beyond 32 bits),
//! and a list or map holds no `null`. Every failure carries its kind, the line and column
//! serde_json reports, and the JSON pointer of the member being read.
//!
//! Rules that are a reading of the protocol rather than a quote of it:
//! - an empty body (zero bytes) is read as `{}`, as restJson1 servers treat a missing
//!   payload; a body of only white space is not empty and is malformed;
//! - `null` for a member means the member is absent; a `null` `stageArn` is therefore a
//!   missing one, which validation reports;
//! - unknown members are skipped and reported as advisories, never errors;
//! - `-0` is read by serde_json as a float and so is not an integer.
//!
//! # Secrets
//!
//! The participant token is `@sensitive`: [`Token`] has no `Display`, its `Debug` is
//! redacted, violations never echo it, and parse errors never echo string values.

#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs`: show which feature each gated item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

/// The crate's README, whose Rust blocks run as doctests: its first use runs as written.
#[cfg(doctest)]
#[doc = include_str!("../README.crate.md")]
struct ReadmeDoctests;

#[cfg(feature = "arbitrary")]
mod arbitrary_impls;
mod arn;
mod body;
pub mod constraints;
mod error;
mod error_kind;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod hint;
mod json;
mod messages;
mod model;
mod pattern;
mod pointer;
mod report;
pub mod schema;
#[cfg(feature = "proptest")]
pub mod strategies;
mod timestamp;
#[cfg(feature = "token")]
pub mod token;
mod valid_request;
mod validation;
mod verdict;
mod violation;

pub use arn::{StageArn, StageArnError};
pub use body::{
    check_create_stage_request, check_create_stage_response, check_request, check_response,
    check_stage_request, StageRequest,
};
pub use error::{
    sanitize_error_type, ErrorKind, HttpErrorResponse, ServiceError, ERROR_TYPE_HEADER,
};
pub use json::{
    parse_create_stage_request, parse_create_stage_response, parse_request, parse_response,
    ParseError, ParseErrorKind, Parsed,
};
pub use model::{
    Attributes, AutoParticipantRecordingConfiguration, Capability, CreateParticipantTokenRequest,
    CreateParticipantTokenResponse, CreateStageRequest, CreateStageResponse,
    ParticipantRecordingHlsConfiguration, ParticipantThumbnailConfiguration, ParticipantToken,
    ParticipantTokenConfiguration, Stage, StageEndpoints, Tags, Token,
};
pub use model::{DeleteStageRequest, GetStageRequest, ListStagesRequest};
pub use report::{Advisory, AdvisoryKind, Checked, Report};
pub use timestamp::{Timestamp, TimestampError};
pub use valid_request::ValidRequest;
pub use verdict::{
    CreateStageResponseVerdict, CreateStageVerdict, RequestVerdict, ResponseVerdict, Verdict,
};
pub use violation::{Constraint, Violation, MAX_ECHOED_CHARS, MAX_LISTED};

/// What the other crates of this workspace (the conformance runner, the fuzz package)
/// reach into, and nothing a user should: not part of the API, and free to change in
/// any release (rustls's `internal` pattern).
#[doc(hidden)]
pub mod internal {
    pub use crate::pattern::{CHANNEL_RESOURCE, PUBLIC_KEY_RESOURCE};

    /// The members of a token that echo its request, as JSON cut at `max` entries.
    pub fn token_echo(
        token: &crate::ParticipantToken,
        max: usize,
    ) -> Vec<(&'static str, serde_json::Value)> {
        crate::model::echoed_members(token, max)
    }

    /// The members of a request that a token echoes, as JSON cut at `max` entries.
    pub fn request_echo(
        request: &crate::CreateParticipantTokenRequest,
        max: usize,
    ) -> Vec<(&'static str, serde_json::Value)> {
        crate::model::echoed_members(request, max)
    }
    /// The members of a CreateStage token configuration that its token echoes, as JSON
    /// cut at `max` entries.
    pub fn configuration_echo(
        configuration: &crate::ParticipantTokenConfiguration,
        max: usize,
    ) -> Vec<(&'static str, serde_json::Value)> {
        crate::model::echoed_members(configuration, max)
    }
    pub use crate::pointer::{from_aws_path, to_aws_path};
    pub use crate::verdict::EffectiveView;
    pub use crate::violation::constraint_of_rule;
    /// The message templates, which `ivs-conformance js-rules` exports.
    pub mod messages {
        pub use crate::messages::*;
    }
}
