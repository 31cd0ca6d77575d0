//! Every case through the offline core target, one named test each (as servo/rust-url
//! runs the WPT data), with an expected-failures list that fails when it goes stale.
//!
//! `cargo test -p ivs-conformance --test trials -- duration.` runs a subset.

use std::collections::BTreeSet;

use ivs_conformance::case::{self, Case};
use ivs_conformance::expectations::ExpectedFailures;
use ivs_conformance::load;
use ivs_conformance::runner::{run_case, Outcome};
use ivs_conformance::target::model::ModelTarget;
use libtest_mimic::{Completion, Failed, Trial};

/// The list, read as `run --expected-failures` reads one.
fn expected_failures() -> Result<ExpectedFailures, String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("expected-failures/model.txt");
    ExpectedFailures::read(&path)
}

fn trial(case: Case, expected_to_fail: bool) -> Trial {
    let kind = case.level.as_str();
    Trial::ignorable_test(case.id.clone(), move || {
        if !case.applies_to.contains(&case::AppliesTo::Model) {
            return Ok(Completion::ignored_with(
                "applies to servers or clients only, not to a model",
            ));
        }
        let outcome = run_case(&ModelTarget::default(), &case);
        match (outcome, expected_to_fail) {
            (Outcome::Pass, false) | (Outcome::Fail(_), true) => Ok(Completion::Completed),
            (Outcome::Fail(reasons), false) => Err(Failed::from(reasons.join("\n"))),
            (Outcome::Skip(why), _) => Err(Failed::from(format!("skipped unexpectedly: {why}"))),
            (Outcome::Pass, true) => Err(Failed::from(
                "passes but is listed in expected-failures/model.txt: remove it from the list",
            )),
            (other, _) => Err(Failed::from(format!(
                "run_case gave {other:?}, which only an expected-failures file gives"
            ))),
        }
    })
    .with_kind(kind)
}

/// This module's tests.
pub fn trials() -> Vec<Trial> {
    let cases =
        load::load_dir(&load::default_cases_dir()).expect("cases load and match the schema");
    let mut trials = Vec::new();
    let listed: BTreeSet<String> = match expected_failures() {
        Ok(e) => {
            let ids: BTreeSet<String> = cases.iter().map(|c| c.id.clone()).collect();
            if let Err(why) = e.check_ids(&ids) {
                // The list names something that is no case: it has gone stale.
                trials.push(Trial::test("expected-failures::ids", move || {
                    Err(Failed::from(why))
                }));
            }
            e.entries.into_keys().collect()
        }
        Err(why) => {
            trials.push(Trial::test("expected-failures::read", move || {
                Err(Failed::from(why))
            }));
            BTreeSet::new()
        }
    };
    for c in cases {
        let is_listed = listed.contains(&c.id);
        trials.push(trial(c, is_listed));
    }
    trials
}
