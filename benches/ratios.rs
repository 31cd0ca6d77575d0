//! The speed targets as ratios, measured so that a noisy machine cannot skew them: ours
//! and each baseline run in alternating batches (A B, B A, A B, …), each pair of batches
//! gives one ratio, and the median of the ratios is reported with its quartiles. Drift in
//! the machine's speed over a run (other load, frequency changes) moves both sides of a
//! pair alike, which criterion's one-after-the-other groups cannot promise.
//!
//! `cargo bench --bench ratios` prints the table; `cargo bench --bench ratios -- --check`
//! also fails when a target is missed:
//! - `check_request` on the typical body within 1.15× of serde_json's plain typed read of
//!   the same bytes (what a reader that checks nothing costs);
//! - at least 2× faster than `serde_json::Value` + jsonschema-rs, with the schema generated
//!   from the same constraint table.
//!
//! On a machine too noisy even for that, count instructions instead: `SPIN=ours` (or
//! `plain`) with `SPIN_N=20000` runs one side on the typical body that many times and
//! nothing else, for `valgrind --tool=callgrind` to count.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::{invalid, maximal, response, typical, PlainRequest, PlainResponse};
use ivs_participant_token::schema::{request_schema, response_schema};
use ivs_participant_token::{check_request, check_response};

/// How long one batch runs, about.
const BATCH: Duration = Duration::from_millis(4);
/// Pairs of batches per comparison (odd, so that the median is one of them).
const ROUNDS: usize = 61;

/// The ratio time(a) / time(b): median, first and third quartiles, and each side's
/// median time per call in nanoseconds.
struct Ratio {
    median: f64,
    q1: f64,
    q3: f64,
    a_ns: f64,
    b_ns: f64,
}

fn time(f: &mut dyn FnMut(), n: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / n as f64
}

/// Calls per batch, so that the slower of the two takes about [`BATCH`].
fn calls_per_batch(a: &mut dyn FnMut(), b: &mut dyn FnMut()) -> u64 {
    let warm = 2_000;
    let slower = time(a, warm).max(time(b, warm)).max(1.0);
    ((BATCH.as_secs_f64() * 1e9 / slower) as u64).max(100)
}

fn median(sorted: &[f64]) -> f64 {
    sorted[sorted.len() / 2]
}

fn interleaved(a: &mut dyn FnMut(), b: &mut dyn FnMut()) -> Ratio {
    let n = calls_per_batch(a, b);
    let (mut ratios, mut a_times, mut b_times) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (ta, tb) = if round % 2 == 0 {
            let ta = time(a, n);
            (ta, time(b, n))
        } else {
            let tb = time(b, n);
            (time(a, n), tb)
        };
        ratios.push(ta / tb);
        a_times.push(ta);
        b_times.push(tb);
    }
    for v in [&mut ratios, &mut a_times, &mut b_times] {
        v.sort_by(f64::total_cmp);
    }
    Ratio {
        median: median(&ratios),
        q1: ratios[ROUNDS / 4],
        q3: ratios[3 * ROUNDS / 4],
        a_ns: median(&a_times),
        b_ns: median(&b_times),
    }
}

/// One line of the table, with its target when it has one; `Err` when that is missed.
fn report(what: &str, r: &Ratio, target: Option<(&str, bool)>) -> Result<(), String> {
    let verdict = match target {
        Some((text, met)) => format!("target {text}: {}", if met { "met" } else { "MISSED" }),
        None => "(reported)".to_owned(),
    };
    println!(
        "{what:<44} {:>8.0} ns {:>8.0} ns  {:>5.2}× [{:.2}–{:.2}]  {verdict}",
        r.a_ns, r.b_ns, r.median, r.q1, r.q3,
    );
    match target {
        Some((text, false)) => Err(format!("{what}: {:.2}×, target {text}", r.median)),
        _ => Ok(()),
    }
}

/// One call of ours on a request body: read strictly and check every constraint.
fn ours_once(bytes: &[u8]) {
    black_box(
        check_request(black_box(bytes))
            .unwrap()
            .report
            .violations
            .len(),
    );
}

/// One call of the plain baseline: serde_json's typed read, checking nothing.
fn plain_once(bytes: &[u8]) {
    black_box(serde_json::from_slice::<PlainRequest>(black_box(bytes)).unwrap());
}

/// Runs one side on the typical body `SPIN_N` times (default 100,000).
fn spin(which: &str) {
    let body = typical();
    let bytes = body.as_bytes();
    let n: u32 = std::env::var("SPIN_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    for _ in 0..n {
        match which {
            "ours" => ours_once(bytes),
            "plain" => plain_once(bytes),
            other => panic!("SPIN={other}: ours or plain"),
        }
    }
}

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, quickly.
    if !std::env::args().any(|a| a == "--bench") {
        let body = typical();
        assert!(check_request(body.as_bytes()).unwrap().report.is_valid());
        println!("ratios: run with `cargo bench --bench ratios` to measure");
        return;
    }
    let request_validator = jsonschema::validator_for(&request_schema()).unwrap();
    let response_validator = jsonschema::validator_for(&response_schema()).unwrap();
    println!(
        "{:<44} {:>11} {:>11}  {:>6} {:<11}",
        "ours against", "ours", "baseline", "ratio", "[quartiles]"
    );
    if let Ok(which) = std::env::var("SPIN") {
        spin(&which);
        return;
    }
    let mut missed = Vec::new();
    let bodies = [
        ("typical", typical()),
        ("maximal", maximal()),
        ("invalid", invalid()),
    ];
    for (name, body) in &bodies {
        let bytes = body.as_bytes();
        let valid = *name != "invalid";
        assert_eq!(check_request(bytes).unwrap().report.is_valid(), valid);
        let mut ours = || ours_once(bytes);
        let mut plain = || plain_once(bytes);
        let mut schema = || {
            let v: serde_json::Value = serde_json::from_slice(black_box(bytes)).unwrap();
            if valid {
                black_box(request_validator.is_valid(&v));
            } else {
                black_box(request_validator.iter_errors(&v).count());
            }
        };
        // The targets are held for the typical request; the other rows are reported.
        let typical = *name == "typical";
        let r = interleaved(&mut ours, &mut plain);
        let target = typical.then_some(("≤ 1.15×", r.median <= 1.15));
        missed.extend(report(&format!("request {name}: plain serde_json"), &r, target).err());
        let r = interleaved(&mut ours, &mut schema);
        let target = typical.then_some(("≤ 0.50×", r.median <= 0.5));
        let what = format!("request {name}: Value + jsonschema-rs");
        missed.extend(report(&what, &r, target).err());
    }
    let body = response();
    let bytes = body.as_bytes();
    let mut ours = || {
        black_box(check_response(black_box(bytes)).unwrap().report.is_valid());
    };
    let mut plain = || {
        black_box(serde_json::from_slice::<PlainResponse>(black_box(bytes)).unwrap());
    };
    let mut schema = || {
        let v: serde_json::Value = serde_json::from_slice(black_box(bytes)).unwrap();
        black_box(response_validator.is_valid(&v));
    };
    let r = interleaved(&mut ours, &mut plain);
    let _ = report("response: plain serde_json", &r, None);
    let r = interleaved(&mut ours, &mut schema);
    let _ = report("response: Value + jsonschema-rs", &r, None);
    if check && !missed.is_empty() {
        eprintln!("speed targets missed: {}", missed.join("; "));
        std::process::exit(1);
    }
}
