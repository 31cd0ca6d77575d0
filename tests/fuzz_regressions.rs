//! Replays every saved fuzz crash (`fuzz/regressions/<target>/`) and the whole seed
//! corpus (`fuzz/corpus/<target>/`) through the same checks the fuzz targets run, so
//! stable `cargo test` covers them without cargo-fuzz or nightly.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 5] = [
    ("parse_request", checks::parse_request_check),
    ("parse_response", checks::parse_response_check),
    ("error_wire", checks::error_wire_check),
    ("structured", checks::structured_check),
    ("differential", checks::differential_check),
];

/// Runs `check` on every file of `dir`; answers how many.
fn replay(dir: &Path, check: Check) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with('.') || name.ends_with(".md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails its check", path.display());
        n += 1;
    }
    n
}

#[test]
fn saved_crashes_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    for (target, check) in TARGETS {
        replay(&root.join(target), check);
    }
}

#[test]
fn seed_corpus_passes_every_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (target, check) in TARGETS {
        let n = replay(&root.join(target), check);
        assert!(n > 0, "no seed corpus for {target}");
    }
}
