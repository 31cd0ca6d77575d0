//! The cases catch real faults: targets that each carry one known bug (seen in peers or
//! easy to write) must fail exactly the cases written for that bug.

use std::collections::BTreeMap;

use ivs_conformance::case::{AppliesTo, Case, ResponseSpec};
use ivs_conformance::load;
use ivs_conformance::runner::{run_case, Outcome};
use ivs_conformance::target::model::ModelTarget;
use ivs_conformance::target::{Observed, SendRequest, Target};
use ivs_participant_token::parse_request;
use serde_json::json;

#[derive(Clone, Copy)]
enum Fault {
    /// floci's: an empty capabilities list becomes both capabilities.
    EmptyCapabilitiesBecomeBoth,
    /// userId length counted in bytes instead of scalar values.
    UserIdLengthInBytes,
    /// A `$` that matches before a trailing newline (Perl/Python semantics).
    DollarBeforeNewline,
    /// Every serialization error reported as a plain syntax error.
    SerializationKindAlwaysSyntax,
    /// Every pattern violation reported as a length violation.
    PatternReportedAsLength,
}

struct Faulty {
    inner: ModelTarget,
    fault: Fault,
}

impl Target for Faulty {
    fn name(&self) -> &str {
        "faulty"
    }
    fn kind(&self) -> AppliesTo {
        AppliesTo::Model
    }
    fn variables(&self) -> &BTreeMap<String, String> {
        self.inner.variables()
    }
    fn supports_precondition(&self, _: &str) -> bool {
        false
    }
    fn send(&self, request: &SendRequest, pre: &[String]) -> Result<Observed, String> {
        let mut request = request.clone();
        let parsed = parse_request(&request.body).ok().map(|p| p.value);
        match self.fault {
            Fault::DollarBeforeNewline => {
                if let Some(mut r) = parsed {
                    if let Some(arn) = r.stage_arn.as_mut().filter(|a| a.ends_with('\n')) {
                        arn.pop();
                        request.body = serde_json::to_vec(&r).unwrap();
                    }
                }
            }
            Fault::UserIdLengthInBytes => {
                if parsed
                    .and_then(|r| r.user_id)
                    .is_some_and(|u| u.len() > 128)
                {
                    return Ok(Observed {
                        status: 400,
                        error_type: Some("ValidationException".into()),
                        violations: Some(vec!["/userId".into()]),
                        ..Observed::default()
                    });
                }
            }
            Fault::SerializationKindAlwaysSyntax => {
                let mut o = self.inner.send(&request, pre)?;
                if let Some(s) = o.serialization.as_mut() {
                    s.kind = "syntax".into();
                }
                return Ok(o);
            }
            Fault::PatternReportedAsLength => {
                let mut o = self.inner.send(&request, pre)?;
                for v in o.violations.iter_mut().flatten() {
                    if v.constraint.as_deref() == Some("pattern") {
                        v.constraint = Some("length".into());
                    }
                }
                return Ok(o);
            }
            Fault::EmptyCapabilitiesBecomeBoth => {
                let empty = parsed
                    .and_then(|r| r.capabilities)
                    .is_some_and(|c| c.is_empty());
                let mut o = self.inner.send(&request, pre)?;
                if empty {
                    if let Some(echo) = o.echo.as_mut() {
                        echo.insert("capabilities".into(), json!(["PUBLISH", "SUBSCRIBE"]));
                    }
                }
                return Ok(o);
            }
        }
        self.inner.send(&request, pre)
    }
    fn read_response(
        &self,
        operation: ivs_conformance::case::Operation,
        response: &ResponseSpec,
    ) -> Option<Observed> {
        self.inner.read_response(operation, response)
    }
}

fn failing(fault: Fault) -> Vec<String> {
    let cases: Vec<Case> = load::load_dir(&load::default_cases_dir()).unwrap();
    let target = Faulty {
        inner: ModelTarget::default(),
        fault,
    };
    cases
        .iter()
        .filter(|c| matches!(run_case(&target, c), Outcome::Fail(_)))
        .map(|c| c.id.clone())
        .collect()
}

#[test]
fn empty_capabilities_fault_is_caught() {
    assert_eq!(
        failing(Fault::EmptyCapabilitiesBecomeBoth),
        vec!["capabilities.empty"]
    );
}

#[test]
fn byte_length_fault_is_caught() {
    assert_eq!(
        failing(Fault::UserIdLengthInBytes),
        vec![
            // This faulty target stops at the first violation, too.
            "multiple.all-members",
            "multiple.length-and-pattern",
            "multiple.valid-everything",
            "user-id.length.max-two-byte",
            "user-id.length.max-three-byte",
            "user-id.length.max-emoji",
            "user-id.length.surrogate-pairs-max",
        ]
    );
}

#[test]
fn dollar_fault_is_caught() {
    assert_eq!(
        failing(Fault::DollarBeforeNewline),
        vec!["stage-arn.pattern.trailing-newline"]
    );
}

/// The model cases whose expectation says something `named` would check.
fn model_cases_expecting(named: impl Fn(&Case) -> bool) -> Vec<String> {
    load::load_dir(&load::default_cases_dir())
        .unwrap()
        .iter()
        .filter(|c| c.applies_to.contains(&AppliesTo::Model) && c.request.is_some() && named(c))
        .map(|c| c.id.clone())
        .collect()
}

#[test]
fn serialization_kind_fault_is_caught_by_every_case_that_names_another_kind() {
    let expected = model_cases_expecting(|c| {
        c.expect
            .serialization
            .as_ref()
            .is_some_and(|s| s.kind != "syntax")
    });
    assert!(expected.len() >= 20, "{expected:?}");
    assert_eq!(failing(Fault::SerializationKindAlwaysSyntax), expected);
}

#[test]
fn constraint_fault_is_caught_by_every_case_that_names_a_pattern() {
    let expected = model_cases_expecting(|c| {
        c.expect
            .violations
            .iter()
            .flatten()
            .any(|v| v.constraint() == Some("pattern"))
    });
    assert!(expected.len() >= 20, "{expected:?}");
    assert_eq!(failing(Fault::PatternReportedAsLength), expected);
}

/// A target that panics on one body: a bug in a checker, as an overflow once was.
struct PanicsOnEmptyBody(ModelTarget);

impl Target for PanicsOnEmptyBody {
    fn name(&self) -> &str {
        "panics on an empty body"
    }
    fn kind(&self) -> AppliesTo {
        AppliesTo::Model
    }
    fn variables(&self) -> &BTreeMap<String, String> {
        self.0.variables()
    }
    fn supports_precondition(&self, _: &str) -> bool {
        false
    }
    fn send(&self, request: &SendRequest, pre: &[String]) -> Result<Observed, String> {
        assert!(
            !request.body.is_empty(),
            "deliberate panic on an empty body"
        );
        self.0.send(request, pre)
    }
}

#[test]
fn a_panic_fails_its_case_and_the_run_goes_on() {
    let cases: Vec<Case> = load::load_dir(&load::default_cases_dir()).unwrap();
    let selected: Vec<&Case> = cases.iter().collect();
    let results = ivs_conformance::runner::run_all(
        &PanicsOnEmptyBody(ModelTarget::default()),
        &selected,
        2,
        &|_| {},
    );
    assert_eq!(results.len(), cases.len());
    let failed: Vec<(&str, &Outcome)> = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Fail(_)))
        .map(|r| (r.id.as_str(), &r.outcome))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "strict-json.empty-body");
    assert!(format!("{:?}", failed[0].1).contains("deliberate panic"));
}
