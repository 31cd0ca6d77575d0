//! The offline target: the core crate itself, answering as a server would.

use std::collections::BTreeMap;

use ivs_participant_token::{
    check_request, check_response, CreateParticipantTokenRequest, Report, ServiceError,
};
use serde_json::{json, Value};

use crate::case::{AppliesTo, ResponseSpec};
use crate::target::{Observed, SendRequest, Target};
use crate::wire;

/// The stage ARN the offline target gives `{{stageArn}}`.
pub const DEFAULT_STAGE_ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

/// Runs cases against the core: a request body's verdict is what the core's strict
/// parser and validator say; a response is read with the core's response checks and
/// restJson1 error reader. It sets up no precondition and ignores method, path and
/// headers, which only server cases test.
#[derive(Debug, Clone)]
pub struct ModelTarget {
    vars: BTreeMap<String, String>,
}

impl Default for ModelTarget {
    fn default() -> Self {
        ModelTarget {
            vars: BTreeMap::from([("stageArn".to_owned(), DEFAULT_STAGE_ARN.to_owned())]),
        }
    }
}

fn paths(report: &Report) -> (Vec<String>, Vec<String>) {
    (
        report.violations.iter().map(|v| v.path.clone()).collect(),
        report.advisories.iter().map(|a| a.path.clone()).collect(),
    )
}

/// The members a server echoes for an accepted request: the effective values.
fn echo(request: &CreateParticipantTokenRequest) -> BTreeMap<String, Value> {
    let e = request.effective();
    BTreeMap::from([
        ("duration".to_owned(), json!(e.duration)),
        ("capabilities".to_owned(), json!(e.capabilities)),
        ("userId".to_owned(), json!(e.user_id)),
        ("attributes".to_owned(), json!(e.attributes)),
    ])
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
        Ok(match check_request(&request.body) {
            Err(e) => {
                let se = e.to_service_error();
                Observed {
                    status: se.status,
                    error_type: Some(se.kind.name().to_owned()),
                    message: se.message,
                    ..Observed::default()
                }
            }
            Ok(checked) => {
                let (violations, advisories) = paths(&checked.report);
                match checked.report.to_service_error() {
                    Some(se) => Observed {
                        status: se.status,
                        error_type: Some(se.kind.name().to_owned()),
                        message: se.message,
                        violations: Some(violations),
                        advisories: Some(advisories),
                        ..Observed::default()
                    },
                    None => Observed {
                        status: 200,
                        advisories: Some(advisories),
                        echo: Some(echo(&checked.value)),
                        ..Observed::default()
                    },
                }
            }
        })
    }

    fn read_response(&self, response: &ResponseSpec) -> Option<Observed> {
        let body = response.body.as_bytes();
        if (200..300).contains(&response.status) {
            return Some(match check_response(body) {
                Err(e) => Observed {
                    status: response.status,
                    error_type: Some("SerializationException".to_owned()),
                    message: Some(e.to_string()),
                    conforms: Some(false),
                    problems: vec![e.to_string()],
                    ..Observed::default()
                },
                Ok(checked) => {
                    let (violations, advisories) = paths(&checked.report);
                    Observed {
                        status: response.status,
                        conforms: Some(checked.report.is_valid()),
                        problems: checked
                            .report
                            .violations
                            .iter()
                            .map(|v| v.message())
                            .collect(),
                        violations: Some(violations),
                        advisories: Some(advisories),
                        ..Observed::default()
                    }
                }
            });
        }
        let header = wire::header(
            &response.headers,
            ivs_participant_token::error::ERROR_TYPE_HEADER,
        );
        let read = ServiceError::from_http(response.status, header, body);
        let problems = wire::error_response_problems(response.status, header, body);
        Some(Observed {
            status: response.status,
            error_type: Some(read.kind.name().to_owned()),
            message: read.message,
            conforms: Some(problems.is_empty()),
            problems,
            ..Observed::default()
        })
    }
}
