//! Every case through the offline core target, one named test each (as servo/rust-url
//! runs the WPT data), with an expected-failures list that fails when it goes stale.
//!
//! `cargo test -p ivs-conformance --test offline_cases -- duration.` runs a subset.

use std::collections::BTreeSet;

use ivs_conformance::case::{self, Case};
use ivs_conformance::model_target::ModelTarget;
use ivs_conformance::runner::{run_case, Outcome};
use libtest_mimic::{Arguments, Completion, Failed, Trial};

fn expected_failures() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("expected-failures/model.txt");
    std::fs::read_to_string(path)
        .expect("expected-failures/model.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
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
        }
    })
    .with_kind(kind)
}

fn main() {
    let args = Arguments::from_args();
    let cases =
        case::load_dir(&case::default_cases_dir()).expect("cases load and match the schema");
    let listed = expected_failures();
    let mut xfail: BTreeSet<String> = BTreeSet::new();
    let mut trials = Vec::new();
    for id in &listed {
        if !xfail.insert(id.clone()) {
            let id = id.clone();
            trials.push(Trial::test(format!("expected-failures::{id}"), move || {
                Err(Failed::from(format!(
                    "expected-failures/model.txt lists {id:?} twice"
                )))
            }));
        }
    }
    for c in cases {
        let is_listed = xfail.remove(&c.id);
        trials.push(trial(c, is_listed));
    }
    // Whatever is left names no case at all: the list has gone stale.
    for stale in xfail {
        trials.push(Trial::test(
            format!("expected-failures::{stale}"),
            move || {
                Err(Failed::from(format!(
                    "expected-failures/model.txt lists {stale:?}, which is no case"
                )))
            },
        ));
    }
    libtest_mimic::run(&args, trials).exit();
}
