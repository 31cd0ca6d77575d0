//! A request that passed every check: what a valid verdict holds, and what minting a token
//! and checking one against its request take, so that nothing downstream validates it or
//! parses its stage ARN again.

use std::borrow::Cow;

use crate::arn::StageArn;
use crate::model::{
    default_capabilities, default_duration, Attributes, Capability, CreateParticipantTokenRequest,
};
use crate::report::Report;

/// A CreateParticipantToken request that satisfies every constraint, with its stage ARN
/// parsed. It reads as the service reads it: [`duration`](ValidRequest::duration) and
/// [`capabilities`](ValidRequest::capabilities) give the documented defaults for absent
/// members; [`request`](ValidRequest::request) gives the request as sent.
///
/// ```
/// use ivs_participant_token::{Capability, CreateParticipantTokenRequest, ValidRequest};
///
/// let sent = CreateParticipantTokenRequest::new("arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234");
/// let valid = ValidRequest::new(sent).unwrap();
/// assert_eq!(valid.stage_arn().stage_id(), "abcdABCD1234");
/// assert_eq!(valid.duration(), 720);
/// assert_eq!(*valid.capabilities(), [Capability::Publish, Capability::Subscribe]);
///
/// let report = ValidRequest::new(CreateParticipantTokenRequest::default()).unwrap_err();
/// assert_eq!(report.violations[0].path, "/stageArn");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    request: CreateParticipantTokenRequest,
    stage_arn: StageArn,
}

impl ValidRequest {
    /// Checks `request` against every constraint: the valid request, or the report of
    /// everything wrong with it.
    pub fn new(request: CreateParticipantTokenRequest) -> Result<ValidRequest, Report> {
        let report = request.validate();
        if !report.is_valid() {
            return Err(report);
        }
        ValidRequest::checked(request).map_err(|_| report)
    }

    /// A request already validated, its stage ARN parsed; handed back only if the ARN's
    /// own parser refused what validation accepted (the fuzz targets hold the two equal).
    pub(crate) fn checked(
        request: CreateParticipantTokenRequest,
    ) -> Result<ValidRequest, CreateParticipantTokenRequest> {
        match request.stage_arn.as_deref().map(StageArn::parse) {
            Some(Ok(stage_arn)) => Ok(ValidRequest { request, stage_arn }),
            _ => Err(request),
        }
    }

    /// The request as sent, no defaults applied.
    pub fn request(&self) -> &CreateParticipantTokenRequest {
        &self.request
    }

    /// The stage ARN, parsed.
    pub fn stage_arn(&self) -> &StageArn {
        &self.stage_arn
    }

    /// The token's lifetime in minutes: as sent, or the documented 720.
    pub fn duration(&self) -> i32 {
        self.request.duration.unwrap_or_else(default_duration)
    }

    /// The user id, when one was sent.
    pub fn user_id(&self) -> Option<&str> {
        self.request.user_id.as_deref()
    }

    /// The attributes, when they were sent.
    pub fn attributes(&self) -> Option<&Attributes> {
        self.request.attributes.as_ref()
    }

    /// The capabilities: as sent (an empty list stays empty), or the documented
    /// `[PUBLISH, SUBSCRIBE]` when absent. Every one is a known value.
    pub fn capabilities(&self) -> Cow<'_, [Capability]> {
        match &self.request.capabilities {
            Some(sent) => Cow::Borrowed(sent),
            None => Cow::Owned(default_capabilities()),
        }
    }

    /// The request as the service reads it, as the model's type: the documented defaults
    /// applied ([`CreateParticipantTokenRequest::effective`]).
    pub fn effective(&self) -> CreateParticipantTokenRequest {
        self.request.effective()
    }

    /// The request as sent, given back.
    pub fn into_request(self) -> CreateParticipantTokenRequest {
        self.request
    }
}

impl AsRef<CreateParticipantTokenRequest> for ValidRequest {
    fn as_ref(&self) -> &CreateParticipantTokenRequest {
        &self.request
    }
}
