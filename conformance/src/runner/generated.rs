//! Generative testing of servers: requests drawn from the core's proptest strategies,
//! each answer checked against the core's own verdict on the same body.
//!
//! The expectation always comes from the core's [`Verdict`], never from the generator: a
//! request the generator meant to break is blamed on the server only if the core also
//! finds it invalid, at the same paths. Disagreements are shrunk by proptest to a minimal request.

use ivs_participant_token::strategies::{invalid_request, valid_request};
use ivs_participant_token::Verdict;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::runner::compare_graded;
use crate::target::http::HttpTarget;
use crate::target::judge::expect_of;
use crate::target::{SendRequest, Target};

/// A request on which the server and the core disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The request body (minimal after shrinking).
    pub body: String,
    /// How the answer departs from the core's verdict.
    pub reason: String,
}

/// Sends `body` and compares the answer with the expectation the core's [`Verdict`] on
/// it sets, by the runner's own comparison: a SerializationException for what the core
/// cannot read, a ValidationException naming exactly the core's violations for what it
/// finds invalid, and a consistent token echoing the effective values for what it
/// accepts.
pub fn check_one(target: &HttpTarget, body: &[u8]) -> Result<(), String> {
    let request = SendRequest {
        method: "POST".into(),
        path: "/CreateParticipantToken".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.to_vec(),
    };
    let got = target.send(&request, &[])?;
    // Exactness (item pointers where a server reports at the list) is a SHOULD, and a
    // generated request is judged at MUST.
    let why = compare_graded(&expect_of(&Verdict::request(body)), &got, true).hard;
    if why.is_empty() {
        Ok(())
    } else {
        Err(why.join("; "))
    }
}

/// Generates `cases` requests from `seed` (half valid, half invalid by one constraint),
/// with the target's `{{stageArn}}` wherever the stage ARN is not the broken member, and
/// checks each. Answers how many agreed, or the first disagreement, shrunk.
pub fn run(target: &HttpTarget, cases: u32, seed: u64) -> Result<u32, Disagreement> {
    let stage = target
        .variables()
        .get("stageArn")
        .cloned()
        .ok_or_else(|| Disagreement {
            body: String::new(),
            reason: "the target gives no stageArn".into(),
        })?;
    let strategy = prop_oneof![valid_request(), invalid_request().prop_map(|b| b.value)].prop_map(
        move |mut r| {
            let arn_broken = r
                .validate()
                .violations
                .iter()
                .any(|v| v.path == "/stageArn");
            if !arn_broken {
                r.stage_arn = Some(stage.clone());
            }
            r
        },
    );
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let outcome = runner.run(&strategy, |request| {
        let body = serde_json::to_vec(&request).expect("a request serialises");
        check_one(target, &body).map_err(TestCaseError::fail)
    });
    match outcome {
        Ok(()) => Ok(cases),
        Err(TestError::Fail(reason, request)) => Err(Disagreement {
            body: serde_json::to_string(&request).expect("a request serialises"),
            reason: reason.to_string(),
        }),
        Err(TestError::Abort(reason)) => Err(Disagreement {
            body: String::new(),
            reason: reason.to_string(),
        }),
    }
}
