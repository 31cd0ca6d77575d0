//! Replays every saved fuzz crash (`fuzz/regressions/<target>/<name>`) and every seed of
//! the corpus (`fuzz/corpus/<target>/<name>`) through the checks the fuzz targets run,
//! so stable `cargo test` covers them without cargo-fuzz or nightly. Each file is a test
//! of its own, named `regressions::<target>::<name>` or `corpus::<target>::<name>`, as
//! rust-lang/regex replays its fuzz crashes; `cargo test --test fuzz_regressions --
//! regressions::` runs only the crashes.
//!
//! A target whose regressions folder is missing, or whose corpus is missing or empty,
//! is a failing test: a replay with nothing to replay must not pass in silence. The one
//! exception is the published package, which cannot carry `fuzz/` (a package of its own):
//! there, with no `fuzz/Cargo.toml` beside this crate, one ignored test says so.

use ivs_participant_token::fuzzing as checks;

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};

type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 9] = [
    ("parse_request", checks::parse_request_check),
    ("parse_response", checks::parse_response_check),
    ("error_wire", checks::error_wire_check),
    ("structured", checks::structured_check),
    ("differential", checks::differential_check),
    ("timestamp", checks::timestamp_check),
    ("token", checks::token_check),
    ("report_size", checks::report_size_check),
    ("create_stage", checks::create_stage_check),
];

/// The replayable files of `dir` (hidden files and notes left out), sorted; `None` when
/// the folder cannot be read.
fn inputs(dir: &Path) -> Option<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            p.is_file() && !name.starts_with('.') && !name.ends_with(".md")
        })
        .collect();
    files.sort();
    Some(files)
}

fn replay(path: PathBuf, check: Check) -> Trial {
    let name = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let kind = path
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let target = path
        .parent()
        .and_then(Path::file_name)
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    Trial::test(format!("{kind}::{target}::{name}"), move || {
        let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        std::panic::catch_unwind(|| check(&data))
            .map_err(|_| Failed::from(format!("{} fails its check", path.display())))
    })
}

fn missing(name: String, why: String) -> Trial {
    Trial::test(name, move || Err(Failed::from(why)))
}

fn main() {
    let args = Arguments::from_args();
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    if !fuzz.join("Cargo.toml").is_file() {
        eprintln!(
            "skipped: {} is absent (a published package does not carry the fuzz package), \
             so there are no saved crashes or seeds to replay",
            fuzz.display()
        );
        let skipped =
            Trial::test("fuzz_data_absent_from_this_package", || Ok(())).with_ignored_flag(true);
        libtest_mimic::run(&args, vec![skipped]).exit();
    }
    let mut trials = Vec::new();
    for (target, check) in TARGETS {
        let dir = fuzz.join("regressions").join(target);
        match inputs(&dir) {
            Some(files) => trials.extend(files.into_iter().map(|f| replay(f, check))),
            None => trials.push(missing(
                format!("regressions::{target}"),
                format!(
                    "{} is missing: saved crashes cannot be replayed",
                    dir.display()
                ),
            )),
        }
        let dir = fuzz.join("corpus").join(target);
        match inputs(&dir).filter(|files| !files.is_empty()) {
            Some(files) => trials.extend(files.into_iter().map(|f| replay(f, check))),
            None => trials.push(missing(
                format!("corpus::{target}"),
                format!("{} is missing or empty: no seed corpus", dir.display()),
            )),
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
