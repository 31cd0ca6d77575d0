//! The offline target: the core crate itself, answering as a server would. What it
//! observes is the core's [`Verdict`], turned into the runner's terms by
//! `target::judge`.

use std::collections::BTreeMap;

use ivs_participant_token::ERROR_TYPE_HEADER;
use ivs_participant_token::{CreateStageResponseVerdict, CreateStageVerdict, Verdict};

use crate::case::{AppliesTo, Operation, ResponseSpec};
use crate::target::judge;
use crate::target::stage_judge;
use crate::target::wire;
use crate::target::{Observed, SendRequest, Target};

/// Runs cases against the core: a request body's verdict is the core's [`Verdict`]; a
/// response is read with the core's response verdict and restJson1 error reader. It
/// sets up no precondition and ignores method, path and headers, which only server
/// cases test.
#[derive(Debug, Clone)]
pub struct ModelTarget {
    vars: BTreeMap<String, String>,
}

impl Default for ModelTarget {
    fn default() -> Self {
        ModelTarget {
            vars: BTreeMap::from([(
                "stageArn".to_owned(),
                ivs_reference_server::DEFAULT_STAGE.to_owned(),
            )]),
        }
    }
}

impl Target for ModelTarget {
    fn name(&self) -> &str {
        "model (offline core)"
    }

    fn kind(&self) -> AppliesTo {
        AppliesTo::Model
    }

    fn variables(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    fn supports_precondition(&self, _: &str) -> bool {
        false
    }

    fn send(&self, request: &SendRequest, _: &[String]) -> Result<Observed, String> {
        let body = &request.body;
        Ok(match request.operation {
            Operation::CreateParticipantToken => judge::observe_request(&Verdict::request(body)),
            Operation::CreateStage => {
                stage_judge::observe_request(&CreateStageVerdict::create_stage_request(body))
            }
        })
    }

    fn read_response(&self, operation: Operation, response: &ResponseSpec) -> Option<Observed> {
        let body = response.body.as_bytes();
        Some(if (200..300).contains(&response.status) {
            match operation {
                Operation::CreateParticipantToken => {
                    judge::observe_response(response.status, &Verdict::response(body))
                }
                Operation::CreateStage => stage_judge::observe_response(
                    response.status,
                    &CreateStageResponseVerdict::create_stage_response(body),
                ),
            }
        } else {
            let header = wire::header(&response.headers, ERROR_TYPE_HEADER);
            judge::observe_error(response.status, header, body)
        })
    }
}
