//! Generative testing of servers: requests drawn from the core's proptest strategies,
//! some of them then broken on the wire (a member twice, `NaN`, a trailing comma, a
//! comment, a bad escape, a lone surrogate, a leading zero, a byte-order mark, a cut),
//! each answer checked against the core's own verdict on the same bytes.
//!
//! The expectation always comes from the core's [`Verdict`], never from the generator: a
//! request the generator meant to break is blamed on the server only if the core also
//! finds it invalid, at the same paths. Each disagreement is shrunk to a minimal request
//! (proptest's value trees, driven here so that nothing of proptest's own reporting or
//! environment reaches the output), and disagreements are grouped by cause.

use std::collections::BTreeMap;

use ivs_participant_token::strategies::{invalid_request, valid_request};
use ivs_participant_token::Verdict;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::cause::Cause;
use crate::runner::compare_graded;
use crate::target::http::HttpTarget;
use crate::target::judge::expect_of;
use crate::target::{SendRequest, Target};

/// The most distinct disagreements one run collects (`--keep-going`); later ones of a
/// cause already found are only counted.
pub const MAX_DISAGREEMENTS: usize = 20;

/// The most simplification steps spent shrinking one disagreement.
const MAX_SHRINK_STEPS: u32 = 256;

/// A way of breaking a request's bytes, and its name.
pub type Mutation = (&'static str, fn(&[u8]) -> Vec<u8>);

/// How a request's bytes are broken on the wire: each a way a lax reader lets through
/// what a strict one refuses (SerializationException).
pub const MUTATIONS: [Mutation; 10] = [
    ("a member twice", |b| insert_first(b, br#""stageArn":"x","#)),
    ("NaN", |b| insert_first(b, br#""duration":NaN,"#)),
    ("Infinity", |b| insert_first(b, br#""duration":Infinity,"#)),
    ("a trailing comma", |b| {
        let mut out = b.to_vec();
        if out.last() == Some(&b'}') {
            out.pop();
            out.extend_from_slice(b",}");
        }
        out
    }),
    ("a comment", |b| insert_first(b, b"/* c */")),
    ("a bad escape", |b| insert_first(b, br#""userId":"\x41","#)),
    ("a lone surrogate", |b| {
        insert_first(b, br#""userId":"\ud800","#)
    }),
    ("a leading zero", |b| {
        insert_first(b, br#""duration":0720,"#)
    }),
    ("a byte-order mark", |b| [&b"\xef\xbb\xbf"[..], b].concat()),
    ("a cut", |b| b[..b.len() / 2].to_vec()),
];

/// `what` inserted just after the body's opening brace.
fn insert_first(body: &[u8], what: &[u8]) -> Vec<u8> {
    match body.split_first() {
        Some((b'{', rest)) => [&b"{"[..], what, rest].concat(),
        _ => body.to_vec(),
    }
}

/// A request on which the server and the core disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The request body (minimal after shrinking), as sent.
    pub body: Vec<u8>,
    /// How the answer departs from the core's verdict.
    pub reason: String,
    /// What it failed of first, as a run names causes.
    pub cause: String,
    /// How many generated requests disagreed of this cause.
    pub count: usize,
}

/// Sends `body` and compares the answer with the expectation the core's [`Verdict`] on
/// it sets, by the runner's own comparison: a SerializationException for what the core
/// cannot read, a ValidationException naming exactly the core's violations for what it
/// finds invalid, and a consistent token echoing the effective values for what it
/// accepts. Departures in wording or exactness (SHOULD) are not disagreements.
pub fn check_one(target: &HttpTarget, body: &[u8]) -> Result<(), String> {
    check(target, body).map_err(|(reason, _)| reason)
}

/// [`check_one`], with the cause of a disagreement.
fn check(target: &HttpTarget, body: &[u8]) -> Result<(), (String, String)> {
    let request = SendRequest {
        operation: crate::case::Operation::CreateParticipantToken,
        method: "POST".into(),
        path: "/CreateParticipantToken".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.to_vec(),
    };
    let got = target.send(&request, &[]).map_err(|e| {
        let what = e.split_once(": ").map_or(e.as_str(), |(_, rest)| rest);
        (e.clone(), format!("no answer: {what}"))
    })?;
    let graded = compare_graded(&expect_of(&Verdict::request(body)), &got, true);
    if graded.hard.is_empty() {
        return Ok(());
    }
    let cause = graded
        .cause
        .unwrap_or_else(|| Cause::new(&graded.hard[0], None))
        .key;
    Err((graded.hard.join("; "), cause))
}

/// Generates `cases` requests from `seed` (half valid, half invalid by one constraint;
/// about a third of them then broken on the wire by one of [`MUTATIONS`]), with the
/// target's `{{stageArn}}` wherever the stage ARN is not the broken member, and checks
/// each. Answers how many agreed, or the first disagreement, shrunk.
pub fn run(target: &HttpTarget, cases: u32, seed: u64) -> Result<u32, Disagreement> {
    let found = explore(target, cases, seed, false)?;
    match found.into_iter().next() {
        Some(d) => Err(d),
        None => Ok(cases),
    }
}

/// As [`run`], but going on after a disagreement: every distinct cause found (at most
/// [`MAX_DISAGREEMENTS`]), each shrunk once and counted, largest first.
pub fn explore(
    target: &HttpTarget,
    cases: u32,
    seed: u64,
    keep_going: bool,
) -> Result<Vec<Disagreement>, Disagreement> {
    let stage = target
        .variables()
        .get("stageArn")
        .cloned()
        .ok_or_else(|| Disagreement {
            body: Vec::new(),
            reason: "the target gives no stageArn".into(),
            cause: "the target gives no stageArn".into(),
            count: 0,
        })?;
    let request = prop_oneof![valid_request(), invalid_request().prop_map(|b| b.value)].prop_map(
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
    let strategy = (
        request,
        proptest::option::weighted(0.35, 0..MUTATIONS.len()),
    )
        .prop_map(|(r, mutation)| {
            let body = serde_json::to_vec(&r).expect("a request serialises");
            match mutation {
                Some(m) => (MUTATIONS[m].1)(&body),
                None => body,
            }
        });
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    // The runner only draws values: its own loop, which reports shrinking in its own
    // words, is never run. (The CLI clears PROPTEST_* from its environment first.)
    let config = Config {
        failure_persistence: None,
        ..Config::with_cases(cases)
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let mut found: Vec<Disagreement> = Vec::new();
    let mut by_cause: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..cases {
        let Ok(mut tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        let Err((reason, cause)) = check(target, &tree.current()) else {
            continue;
        };
        if let Some(&i) = by_cause.get(&cause) {
            found[i].count += 1;
            continue;
        }
        if found.len() >= MAX_DISAGREEMENTS {
            continue;
        }
        let mut minimal = (tree.current(), reason, cause.clone());
        let mut steps = 0;
        while steps < MAX_SHRINK_STEPS && tree.simplify() {
            steps += 1;
            // A simpler request that disagrees of the same cause is kept; any other
            // answer undoes the step.
            match check(target, &tree.current()) {
                Err((r, c)) if c == cause => minimal = (tree.current(), r, c),
                _ => {
                    if !tree.complicate() {
                        break;
                    }
                }
            }
        }
        by_cause.insert(cause, found.len());
        found.push(Disagreement {
            body: minimal.0,
            reason: minimal.1,
            cause: minimal.2,
            count: 1,
        });
        if !keep_going {
            break;
        }
    }
    found.sort_by_key(|d| std::cmp::Reverse(d.count));
    Ok(found)
}
