//! What the `ivs-conformance` subcommands do, apart from parsing their arguments: each
//! function takes plain values and returns the text to print and the exit code, so that
//! it can be tested without a process.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ivs_participant_token::{CreateStageResponseVerdict, CreateStageVerdict, Verdict};

pub use crate::cli::output::{CommandOutput, Printed};
use ivs_conformance::case::{Case, Operation};
use ivs_conformance::expectations::{self, ExpectedFailures};
use ivs_conformance::report::Matrix;
use ivs_conformance::report::{self, Format, RunMeta, RunReport};
use ivs_conformance::runner::{self, Summary};
use ivs_conformance::suite::SuiteInfo;
use ivs_conformance::target::Target;
use ivs_reference_server::files::{self, FileKind};

/// The bytes of `file` (a regular file: see [`files::read`]), or of standard input for
/// nothing or `-` (saying so on stderr when it is a terminal); at most
/// [`MAX_BODY_BYTES`](ivs_participant_token::constraints::MAX_BODY_BYTES), the largest
/// body the kit reads: more is refused (exit 2) without being read.
pub fn read_input(file: Option<PathBuf>) -> Result<Vec<u8>, CommandOutput> {
    if let Some(p) = file.as_ref().filter(|p| p.as_os_str() != "-") {
        return read_file(p, FileKind::Body);
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let _ = writeln!(
            std::io::stderr(),
            "ivs-conformance: reading standard input (end it with Ctrl-D)"
        );
    }
    let limit = FileKind::Body.limit();
    let mut buf = Vec::new();
    match std::io::stdin().lock().take(limit + 1).read_to_end(&mut buf) {
        Err(e) => Err(CommandOutput::fail(2, format!("cannot read standard input: {e}"))),
        Ok(n) if n as u64 > limit => Err(CommandOutput::fail(
            2,
            format!(
                "standard input holds more than {limit} bytes, the largest body this kit reads (the reference server answers such a body 413)"
            ),
        )),
        Ok(_) => Ok(buf),
    }
}

/// The bytes of `path`, a regular file of `kind`, within its bound (exit 2 otherwise).
pub fn read_file(path: &Path, kind: FileKind) -> Result<Vec<u8>, CommandOutput> {
    files::read(path, kind).map_err(|e| CommandOutput::fail(2, e.to_string()))
}

/// The text of `path`, a regular file of `kind`, within its bound (exit 2 otherwise).
pub fn read_text(path: &Path, kind: FileKind) -> Result<String, CommandOutput> {
    files::read_text(path, kind).map_err(|e| CommandOutput::fail(2, e.to_string()))
}

/// `validate`: the verdict on a request (or, with `response`, a response) body of
/// `operation`, as JSON or in the human form. Exit 0 when valid, 1 otherwise.
pub fn validate(body: &[u8], operation: Operation, response: bool, human: bool) -> CommandOutput {
    let (text, valid) = match (operation, response) {
        (Operation::CreateParticipantToken, true) => render(&Verdict::response(body), human),
        (Operation::CreateParticipantToken, false) => render(&Verdict::request(body), human),
        (Operation::CreateStage, true) => render(
            &CreateStageResponseVerdict::create_stage_response(body),
            human,
        ),
        (Operation::CreateStage, false) => {
            render(&CreateStageVerdict::create_stage_request(body), human)
        }
    };
    let outcome = if valid {
        CommandOutput::ok(text)
    } else {
        CommandOutput::negative(text)
    };
    outcome.printed(if human { Printed::Text } else { Printed::Json })
}

fn render<T, V>(v: &Verdict<T, V>, human: bool) -> (String, bool)
where
    Verdict<T, V>: serde::Serialize + std::fmt::Display,
{
    let text = if human {
        v.to_string()
    } else {
        // Through a Value, whose members print in order, as the format always has.
        let value = serde_json::to_value(v).unwrap_or_default();
        format!("{value}\n")
    };
    (text, v.is_valid())
}

/// `list`: a line a case (level, id, tags, description) and the count; the tags are what
/// `--tag` selects by.
pub fn list(cases: &[Case]) -> String {
    let tags = |c: &Case| format!("[{}]", c.tags.join(", "));
    let width = cases
        .iter()
        .map(|c| c.id.chars().count())
        .max()
        .unwrap_or(0);
    let tag_width = cases
        .iter()
        .map(|c| tags(c).chars().count())
        .max()
        .unwrap_or(0);
    let mut out: String = cases
        .iter()
        .map(|c| {
            format!(
                "{:<6} {:<width$}  {:<tag_width$}  {}\n",
                c.level.as_str(),
                c.id,
                tags(c),
                c.description
            )
        })
        .collect();
    let noun = if cases.len() == 1 { "case" } else { "cases" };
    out.push_str(&format!("{} {noun}\n", cases.len()));
    out
}

/// Whether to color human output: stdout is a terminal and `NO_COLOR` is unset or empty.
pub fn color_wanted() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// How `run` runs and reports.
#[derive(Debug, Clone)]
pub struct RunSettings<'a> {
    /// Cases in flight at once.
    pub concurrency: usize,
    /// The format of standard output.
    pub format: Format,
    /// Whether the target is the core itself (every failure then fails the run).
    pub offline: bool,
    /// Human output lists every case.
    pub verbose: bool,
    /// The suite the cases come from.
    pub suite: &'a SuiteInfo,
    /// Cases known to fail: the run passes when exactly these fail.
    pub expected_failures: Option<&'a ExpectedFailures>,
    /// Where to write the run's failures as an expected-failures file.
    pub write_expected_failures: Option<&'a Path>,
    /// More reports to write, each in its format to its file.
    pub reports: &'a [(Format, PathBuf)],
    /// The flags of `show` that replay a case against this target, when cases go over
    /// HTTP.
    pub replay_flags: Option<String>,
    /// Where to write each case that did not pass, one file each.
    pub save_exchanges: Option<&'a Path>,
    /// The run's name, for every report.
    pub name: Option<String>,
    /// The version of the implementation under test.
    pub implementation_version: Option<String>,
}

/// `run`: every case against `target`, rendered in `format` on stdout and in each of
/// `reports` to its file, with a progress line on stderr when it is a terminal.
///
/// Exit 1 when a case fails: any case offline (the core must pass everything), a MUST
/// case against a server; with expected failures, any case not listed that fails and
/// any listed case that passes (whatever its level: the file is an exact record).
/// Exit 2 when a report cannot be written.
pub fn run(target: &dyn Target, cases: &[Case], settings: &RunSettings<'_>) -> CommandOutput {
    let selected: Vec<&Case> = cases.iter().collect();
    let format = settings.format;
    let color = format == Format::Human && color_wanted();
    let progress_on = format == Format::Human && std::io::stderr().is_terminal();
    let done = AtomicUsize::new(0);
    let total = selected.len();
    let progress = |r: &runner::CaseResult| {
        if progress_on {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            eprint!(
                "\r\x1b[2K[{n}/{total}] {}",
                ivs_reference_server::escape::terminal(&r.id)
            );
            if n == total {
                eprint!("\r\x1b[2K");
            }
        }
    };
    let mut results = runner::run_all(target, &selected, settings.concurrency, &progress);
    let mut meta = RunMeta::now(target.name(), settings.suite);
    meta.replay_flags = settings.replay_flags.clone();
    meta.name = settings.name.clone();
    meta.implementation_version = settings.implementation_version.clone();
    if let Some(expected) = settings.expected_failures {
        expected.apply(&mut results);
        meta.expected_failures = Some(expected.path.display().to_string());
    }
    let style = report::HumanStyle {
        color,
        verbose: settings.verbose,
    };
    let text = report::render(format, &meta, &results, style);
    let mut unwritten = Vec::new();
    for (format, path) in settings.reports {
        let body = report::render(*format, &meta, &results, report::HumanStyle::default());
        if let Err(e) = std::fs::write(path, body) {
            unwritten.push(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Some(dir) = settings.save_exchanges {
        if let Err(e) = save_exchanges(dir, &meta, &results) {
            unwritten.push(format!("cannot write into {}: {e}", dir.display()));
        }
    }
    if let Some(path) = settings.write_expected_failures {
        // An existing file is brought up to the run, its comments and notes kept.
        let body = match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_file() => {
                ivs_reference_server::files::read_text(path, FileKind::Expectations)
                    .map(|text| expectations::rewrite(&text, &meta.target, &results))
                    .map_err(|e| e.to_string())
            }
            _ => Ok(expectations::write(&meta.target, settings.suite, &results)),
        };
        match body.map(|b| std::fs::write(path, b)) {
            Err(e) => unwritten.push(e),
            Ok(Err(e)) => unwritten.push(format!("cannot write {}: {e}", path.display())),
            Ok(Ok(())) => {}
        }
    }
    let printed = match format {
        Format::Human if color => Printed::Styled,
        Format::Json | Format::Badge => Printed::Json,
        _ => Printed::Text,
    };
    if !unwritten.is_empty() {
        return CommandOutput {
            stdout: text,
            printed,
            stderr: Some(unwritten.join("; ")),
            code: 2,
        };
    }
    let summary = Summary::of(&results);
    let failed = if settings.expected_failures.is_some() {
        summary.failed + summary.stale
    } else if settings.offline {
        summary.failed
    } else {
        summary.failed_must
    };
    let outcome = if failed > 0 {
        CommandOutput::negative(text)
    } else {
        CommandOutput::ok(text)
    };
    outcome.printed(printed)
}

/// Writes each case that did not pass to `dir/ID.json` (an id's characters other than
/// letters, digits, `.`, `-` and `_` written as `_`): its JSON report entry, with the
/// exchange, and the command that replays it.
fn save_exchanges(
    dir: &Path,
    meta: &RunMeta,
    results: &[runner::CaseResult],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let report = RunReport::of(meta, results);
    // Two ids may make one name (`a/b`, `a_b`): the second gets a number.
    let mut used = std::collections::HashSet::new();
    for case in report.cases.iter().filter(|c| {
        !matches!(
            c.outcome,
            runner::OutcomeKind::Pass | runner::OutcomeKind::Skip
        )
    }) {
        let name: String = case
            .id
            .chars()
            .take(200)
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    name.clone()
                } else {
                    format!("{name}-{n}")
                }
            })
            .find(|n| used.insert(n.clone()))
            .unwrap_or_default();
        let mut entry = serde_json::to_value(case).unwrap_or_default();
        if let (Some(m), Some(flags)) = (entry.as_object_mut(), &meta.replay_flags) {
            let replay = format!(
                "ivs-conformance show {}{flags}",
                ivs_reference_server::escape::shell_word(&case.id)
            );
            m.insert("replay".into(), serde_json::json!(replay));
        }
        let text = serde_json::to_string_pretty(&entry).unwrap_or_default() + "\n";
        std::fs::write(dir.join(format!("{name}.json")), text)?;
    }
    Ok(())
}

/// `report --diff OLD NEW`: exit 1 when a case that passed in OLD fails in NEW.
pub fn report_diff(files: &[PathBuf]) -> CommandOutput {
    let [old, new] = files else {
        return CommandOutput::fail(
            2,
            format!(
                "--diff takes two reports, OLD then NEW, not {}",
                files.len()
            ),
        );
    };
    let read = |file: &PathBuf| -> Result<RunReport, CommandOutput> {
        let text = read_text(file, FileKind::Report)?;
        RunReport::parse(&text)
            .map_err(|e| CommandOutput::fail(2, format!("{}: {e}", file.display())))
    };
    let (old, new) = match (read(old), read(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let diff = report::Diff::of(&old, &new);
    if diff.regressed() {
        CommandOutput::negative(diff.text())
    } else {
        CommandOutput::ok(diff.text())
    }
}

/// `report`: the matrix page of several JSON reports, or the badge of one. Each report
/// is read within [`FileKind::Report`]'s bound and added to the matrix at once, which
/// refuses, naming its bounds, reports past them (see [`ivs_conformance::report::Matrix`]).
pub fn report_files(files: &[PathBuf], badge: bool) -> CommandOutput {
    let read = |file: &PathBuf| -> Result<RunReport, CommandOutput> {
        let text = read_text(file, FileKind::Report)?;
        RunReport::parse(&text)
            .map_err(|e| CommandOutput::fail(2, format!("{}: {e}", file.display())))
    };
    if badge {
        let [file] = files else {
            return CommandOutput::fail(
                2,
                format!(
                    "--badge takes one report (one implementation), not {}",
                    files.len()
                ),
            );
        };
        let run = match read(file) {
            Ok(r) => r,
            Err(o) => return o,
        };
        let badge = report::Badge::of(&run.summary());
        return CommandOutput::ok(serde_json::to_string_pretty(&badge).unwrap_or_default() + "\n")
            .printed(Printed::Json);
    }
    if let Err(e) = Matrix::check_runs(files.len()) {
        return CommandOutput::fail(2, e);
    }
    let mut matrix = Matrix::default();
    for file in files {
        let run = match read(file) {
            Ok(r) => r,
            Err(o) => return o,
        };
        if let Err(e) = matrix.add(&file.display().to_string(), run) {
            return CommandOutput::fail(2, format!("{}: {e}", file.display()));
        }
    }
    CommandOutput::ok(matrix.page())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_exit_codes() {
        let cpt = Operation::CreateParticipantToken;
        assert_eq!(validate(br#"{"duration":0}"#, cpt, false, false).code, 1);
        let ok = validate(
            br#"{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"}"#,
            cpt,
            false,
            true,
        );
        assert_eq!((ok.code, ok.stdout.lines().next()), (0, Some("valid")));
        assert!(validate(b"[", cpt, false, false)
            .stdout
            .contains("SerializationException"));
    }
}
