//! The interceptor: the typed input before serialization, the bytes after it, and
//! optionally the response after deserialization.

use aws_sdk_ivsrealtime::operation::create_participant_token::{
    CreateParticipantTokenInput, CreateParticipantTokenOutput,
};
use aws_sdk_ivsrealtime::operation::create_stage::CreateStageInput;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextRef,
    BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use ivs_participant_token::token::audit_response;
use ivs_participant_token::{CreateStageVerdict, ValidRequest, Verdict};

use crate::convert::{request_from_input, response_from_output, stage_request_from_input};
use crate::Rejected;

/// The operation this interceptor checks first; CreateStage ([`STAGE_OPERATION`]) too, and
/// the client's others pass through.
pub const OPERATION: &str = "CreateParticipantToken";

/// The other operation that issues participant tokens, which the interceptor checks
/// before sending too (its responses are not checked).
pub const STAGE_OPERATION: &str = "CreateStage";

/// An `Intercept` for aws-sdk-ivsrealtime clients that fails a CreateParticipantToken
/// call before anything is sent when its input breaks a documented constraint, reporting
/// every violation (see the [crate] docs). Install it on a client's config with
/// `.interceptor(ValidateBeforeSend::new())`.
#[derive(Debug, Clone, Default)]
pub struct ValidateBeforeSend {
    check_responses: bool,
}

impl ValidateBeforeSend {
    /// Checks requests only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also checks each response after deserialization: the response's constraints, and
    /// its token's claims against the request (the core's `audit_response`). A response that fails
    /// is an error ([`Rejected::Response`]) although the service answered 200.
    pub fn check_responses(mut self, check: bool) -> Self {
        self.check_responses = check;
        self
    }
}

/// The request of this call, kept from the typed check for the later ones; its presence
/// also marks the call as a CreateParticipantToken one.
#[derive(Debug, Clone)]
struct CheckedRequest(ValidRequest);

impl Storable for CheckedRequest {
    type Storer = StoreReplace<Self>;
}

/// Marks the call as a CreateStage one whose typed input passed.
#[derive(Debug, Clone)]
struct CheckedStage;

impl Storable for CheckedStage {
    type Storer = StoreReplace<Self>;
}

/// Checks the bytes of a serialized CreateStage body, as [`check_serialized`] does a
/// CreateParticipantToken one.
pub fn check_serialized_stage(body: &[u8]) -> Result<(), Box<Rejected>> {
    let verdict = CreateStageVerdict::create_stage_request(body);
    if verdict.is_valid() {
        Ok(())
    } else {
        Err(Box::new(Rejected::StageBody(verdict)))
    }
}

/// Checks the bytes of a serialized request body with the core's strict reader: `Ok` for
/// a valid body, else [`Rejected::Body`] (boxed: a verdict is large, and it travels as
/// the SDK's boxed error anyway). What the interceptor runs after serialization.
pub fn check_serialized(body: &[u8]) -> Result<(), Box<Rejected>> {
    let verdict = Verdict::request(body);
    if verdict.is_valid() {
        Ok(())
    } else {
        Err(Box::new(Rejected::Body(verdict)))
    }
}

impl Intercept for ValidateBeforeSend {
    fn name(&self) -> &'static str {
        "ValidateBeforeSend"
    }

    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(input) = context.input().downcast_ref::<CreateStageInput>() {
            let report = stage_request_from_input(input).validate();
            if !report.is_valid() {
                return Err(Box::new(Rejected::StageInput(report)));
            }
            cfg.interceptor_state().store_put(CheckedStage);
            return Ok(());
        }
        let Some(input) = context
            .input()
            .downcast_ref::<CreateParticipantTokenInput>()
        else {
            return Ok(());
        };
        let request = match ValidRequest::new(request_from_input(input)) {
            Ok(request) => request,
            Err(report) => return Err(Box::new(Rejected::Input(report))),
        };
        cfg.interceptor_state().store_put(CheckedRequest(request));
        Ok(())
    }

    fn read_after_serialization(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if cfg.load::<CheckedStage>().is_some() {
            return match context.request().body().bytes() {
                Some(body) => check_serialized_stage(body).map_err(|e| e as BoxError),
                None => Ok(()),
            };
        }
        if cfg.load::<CheckedRequest>().is_none() {
            return Ok(());
        }
        // A streaming body has no bytes to read here; this operation's never streams.
        match context.request().body().bytes() {
            Some(body) => check_serialized(body).map_err(|e| e as BoxError),
            None => Ok(()),
        }
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !self.check_responses {
            return Ok(());
        }
        let Some(request) = cfg.load::<CheckedRequest>() else {
            return Ok(());
        };
        let Ok(output) = context.output_or_error() else {
            return Ok(()); // the service's errors pass through as they are
        };
        let Some(output) = output.downcast_ref::<CreateParticipantTokenOutput>() else {
            return Ok(());
        };
        let response = response_from_output(output);
        let audit = audit_response(Some(&request.0), &response);
        if audit.is_clean() {
            return Ok(());
        }
        Err(Box::new(Rejected::Response {
            report: audit.report,
            inconsistencies: audit.inconsistencies,
            token: audit.token,
        }))
    }
}
