//! Why a call was stopped, and how to find that in the SDK's error.

use std::error::Error;
use std::fmt;

use ivs_participant_token::token::{Inconsistency, TokenError};
use ivs_participant_token::{CreateStageVerdict, Report, RequestVerdict, Violation};

/// Why [`ValidateBeforeSend`](crate::ValidateBeforeSend) stopped a call. It never holds
/// the participant token.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Rejected {
    /// The typed input breaks at least one constraint; nothing was serialized or sent.
    Input(Report),
    /// The body the SDK serialized is not a valid request (malformed or invalid); it was
    /// not sent.
    Body(RequestVerdict),
    /// A CreateStage call's typed input breaks at least one constraint (one of its token
    /// configurations' included); nothing was serialized or sent.
    StageInput(Report),
    /// The body the SDK serialized for a CreateStage call is not a valid request; it was
    /// not sent.
    StageBody(CreateStageVerdict),
    /// The response does not conform (only with
    /// [`check_responses`](crate::ValidateBeforeSend::check_responses)).
    Response {
        /// The response's violations and advisories.
        report: Report,
        /// Where the token's claims disagree with the request or the response.
        inconsistencies: Vec<Inconsistency>,
        /// Why the token could not be decoded, when it could not.
        token: Option<TokenError>,
    },
}

impl Rejected {
    /// The failed constraints, each with its JSON-pointer path and message (none for a
    /// malformed body or a response whose only fault is its token).
    pub fn violations(&self) -> &[Violation] {
        match self {
            Rejected::Input(report)
            | Rejected::StageInput(report)
            | Rejected::Response { report, .. } => &report.violations,
            Rejected::Body(verdict) => verdict.violations(),
            Rejected::StageBody(verdict) => verdict.violations(),
        }
    }

    /// The core's whole report: violations and advisories (`None` for a malformed body).
    pub fn report(&self) -> Option<&Report> {
        match self {
            Rejected::Input(report)
            | Rejected::StageInput(report)
            | Rejected::Response { report, .. } => Some(report),
            Rejected::Body(verdict) => verdict.report(),
            Rejected::StageBody(verdict) => verdict.report(),
        }
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejected::Input(report) => write!(
                f,
                "CreateParticipantToken was not sent: {}",
                report.aws_message()
            ),
            Rejected::Body(verdict) => write!(
                f,
                "CreateParticipantToken was not sent: its serialized body is refused: {}",
                verdict.message()
            ),
            Rejected::StageInput(report) => {
                write!(f, "CreateStage was not sent: {}", report.aws_message())
            }
            Rejected::StageBody(verdict) => write!(
                f,
                "CreateStage was not sent: its serialized body is refused: {}",
                verdict.message()
            ),
            Rejected::Response {
                report,
                inconsistencies,
                token,
            } => {
                f.write_str("the CreateParticipantToken response does not conform")?;
                if !report.is_valid() {
                    write!(f, ": {}", report.aws_message())?;
                }
                for i in inconsistencies {
                    write!(f, "; {i}")?;
                }
                if let Some(e) = token {
                    write!(f, "; the token does not decode: {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl Error for Rejected {}

/// The [`Rejected`] somewhere in `err`'s source chain (`err` included): how to get the
/// report back from the SDK's `SdkError`, whichever variant carries it.
///
/// ```
/// # fn f(err: &aws_sdk_ivsrealtime::error::SdkError<
/// #     aws_sdk_ivsrealtime::operation::create_participant_token::CreateParticipantTokenError,
/// #     aws_smithy_runtime_api::client::orchestrator::HttpResponse>) {
/// if let Some(rejected) = ivs_participant_token_aws_sdk::rejection(err) {
///     eprintln!("{rejected}");
/// }
/// # }
/// ```
pub fn rejection<'a>(err: &'a (dyn Error + 'static)) -> Option<&'a Rejected> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(r) = e.downcast_ref::<Rejected>() {
            return Some(r);
        }
        current = e.source();
    }
    None
}
