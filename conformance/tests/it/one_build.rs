//! The README's two commands share one build: every compilation the main job
//! (`cargo run -p ivs-conformance -- run`) makes is one that the test command (`cargo test
//! --workspace --all-features`) makes too, with the same features, profile and
//! dependencies, so the second command compiles only what the tests add; and the tests
//! link at most 12 executables. Checked on cargo's unit graph of each command (an unstable
//! output, read with `RUSTC_BOOTSTRAP=1` as `tests/it/public_api.rs` of the core reads
//! rustdoc's JSON), so nothing is compiled here.
//!
//! When this fails after a dependency change: `cargo hakari generate && cargo hakari
//! manage-deps` (see `.config/hakari.toml`).

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Whether this runs in the workspace (not from the published package, which has no
/// workspace around it); if not, says so and why.
fn in_the_workspace() -> bool {
    let here = workspace().join(".config/hakari.toml").is_file();
    if !here {
        eprintln!(
            "skipped: {} is not this package's workspace (a published package has none), \
             so there are no two commands to compare",
            workspace().display()
        );
    }
    here
}

/// `cargo <args> --unit-graph`, parsed.
fn unit_graph(args: &[&str]) -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(args)
        .args(["--unit-graph", "-Z", "unstable-options"])
        .current_dir(workspace())
        .env("RUSTC_BOOTSTRAP", "1")
        // Its own target dir: the unit graph builds nothing, and must not wait on the lock
        // of the build that runs this test.
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/one-build-unit-graph"),
        )
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {args:?} --unit-graph failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the unit graph is JSON")
}

/// What makes a compilation the same one in two builds: the package, target, mode,
/// features, profile settings (not the profile's name: `test` builds dependencies as
/// `dev` does) and, recursively, its dependencies. Build-script runs are not compilations.
fn compilations(graph: &Value) -> BTreeMap<String, String> {
    let units = graph["units"].as_array().expect("units");
    let mut ids: Vec<Option<String>> = vec![None; units.len()];
    fn id(i: usize, units: &[Value], ids: &mut Vec<Option<String>>) -> String {
        if let Some(done) = &ids[i] {
            return done.clone();
        }
        let u = &units[i];
        let mut profile = u["profile"].clone();
        profile.as_object_mut().map(|p| p.remove("name"));
        let mut deps: Vec<String> = u["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| id(d["index"].as_u64().unwrap() as usize, units, ids))
            .collect();
        deps.sort();
        let mut features: Vec<&str> = u["features"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        features.sort();
        let key = serde_json::json!([
            u["pkg_id"],
            u["target"]["name"],
            u["target"]["kind"],
            u["mode"],
            features,
            profile,
            u["platform"],
            deps
        ])
        .to_string();
        // A digest of the key, which names its dependencies by their digests: the keys
        // themselves would nest every dependency's key, growing with the graph's paths.
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let digest = format!("{:016x}", hasher.finish());
        ids[i] = Some(digest.clone());
        digest
    }
    (0..units.len())
        .filter(|&i| units[i]["mode"] != "run-custom-build")
        .map(|i| {
            let u = &units[i];
            let name = format!("{} ({})", u["pkg_id"], u["target"]["name"]);
            (id(i, units, &mut ids), name)
        })
        .collect()
}

#[test]
fn the_main_job_builds_nothing_the_tests_do_not() {
    if !in_the_workspace() {
        return;
    }
    // `cargo run -p ivs-conformance` builds the package's one binary.
    let main_job = compilations(&unit_graph(&[
        "build",
        "-p",
        "ivs-conformance",
        "--bin",
        "ivs-conformance",
    ]));
    let tests_graph = unit_graph(&["test", "--workspace", "--all-features", "--no-run"]);
    let tests = compilations(&tests_graph);
    let extra: BTreeSet<&String> = main_job
        .iter()
        .filter(|(id, _)| !tests.contains_key(*id))
        .map(|(_, name)| name)
        .collect();
    assert!(
        extra.is_empty(),
        "the main job compiles {} units the test command compiles otherwise (features or \
         dependencies differ), so a newcomer compiles them twice; regenerate the \
         workspace-hack (cargo hakari generate && cargo hakari manage-deps):\n{extra:#?}",
        extra.len()
    );
    // The packages both commands compile, in all, within a bound: a newcomer waits for each.
    let packages: BTreeSet<&str> = tests_graph["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["pkg_id"].as_str())
        .collect();
    assert!(
        packages.len() <= 340,
        "the two commands compile {} packages (goal: at most 350 compilations in all, with \
         the workspace's own packages compiled by both)",
        packages.len()
    );
}

#[test]
fn the_tests_link_at_most_twelve_executables() {
    if !in_the_workspace() {
        return;
    }
    let graph = unit_graph(&["test", "--workspace", "--all-features", "--no-run"]);
    let linked: Vec<String> = graph["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| {
            let kind = u["target"]["kind"].to_string();
            u["mode"] == "test" || kind.contains("\"example\"") || kind.contains("\"bin\"")
        })
        .map(|u| format!("{} {} ({})", u["pkg_id"], u["target"]["name"], u["mode"]))
        .collect();
    assert!(
        linked.len() <= 12,
        "cargo test links {} executables:\n{linked:#?}",
        linked.len()
    );
}
