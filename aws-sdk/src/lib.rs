//! Checks Amazon IVS Real-Time **CreateParticipantToken** calls made with
//! [`aws-sdk-ivsrealtime`](https://docs.rs/aws-sdk-ivsrealtime) against every documented
//! constraint before anything is sent, with the `ivs-participant-token` crate.
//!
//! The SDK checks none of this operation's limits (its builder even accepts a missing
//! `stageArn`), so a duration of 20161, three capabilities or 2 KB of attributes travel to
//! AWS and come back as one ValidationException. [`ValidateBeforeSend`] stops such a call
//! at the caller with every violation at once, each with its JSON-pointer path:
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use ivs_participant_token_aws_sdk::{rejection, ValidateBeforeSend};
//!
//! let config = aws_sdk_ivsrealtime::Config::builder()
//!     .interceptor(ValidateBeforeSend::new()) // the one line
//! #   .behavior_version(aws_sdk_ivsrealtime::config::BehaviorVersion::latest())
//! #   .region(aws_sdk_ivsrealtime::config::Region::new("us-west-2"))
//!     .build();
//! let client = aws_sdk_ivsrealtime::Client::from_conf(config);
//!
//! let result = client
//!     .create_participant_token()
//!     .stage_arn("arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234")
//!     .duration(20_161)
//!     .send()
//!     .await;
//! if let Err(err) = &result {
//!     // Stopped before sending: `SdkError::ConstructionFailure`, whose source chain holds
//!     // the `Rejected` with the core's report.
//!     if let Some(rejected) = rejection(err) {
//!         for v in rejected.violations() {
//!             eprintln!("{}: {}", v.path, v.message());
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! What is checked, and where a failure surfaces:
//!
//! | hook | what | error |
//! | --- | --- | --- |
//! | before serialization | the typed input, converted without losing absent from empty capabilities ([`request_from_input`]) | `SdkError::ConstructionFailure`, [`Rejected::Input`] |
//! | after serialization | the bytes the SDK will send, through the strict reader | `SdkError::DispatchFailure` (the orchestrator's rule for this phase), [`Rejected::Body`]; a body from input that passed the typed check has not been seen to fail |
//! | after deserialization (opt-in: [`ValidateBeforeSend::check_responses`]) | the response, and its token's claims against the request | `SdkError::ResponseError`, [`Rejected::Response`] |
//!
//! **CreateStage** calls are checked before sending the same way, their token
//! configurations under CreateParticipantToken's rules ([`Rejected::StageInput`],
//! [`Rejected::StageBody`]); their responses are not checked. Other operations of the
//! client pass through untouched. [`convert`] has the public
//! conversions between the SDK's types and the core's, both ways.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs`: show which feature each gated item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod convert;
mod interceptor;
mod rejected;

pub use convert::{input_from_request, request_from_input, response_from_output};
pub use interceptor::{
    check_serialized, check_serialized_stage, ValidateBeforeSend, OPERATION, STAGE_OPERATION,
};
pub use rejected::{rejection, Rejected};
