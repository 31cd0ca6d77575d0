//! `fuzz-server`: generated requests, some broken on the wire, each answer checked
//! against the core's verdict; the disagreements grouped by cause, shrunk and saved.

use std::fmt::Write as _;
use std::path::Path;

use ivs_conformance::runner::generated as generative;
use ivs_conformance::target::http::HttpTarget;

use crate::cli::output::{CommandOutput, Printed};

/// What `fuzz-server` generates and what it keeps.
pub struct FuzzSettings<'a> {
    /// How many requests.
    pub cases: u32,
    /// The generator's seed.
    pub seed: u64,
    /// Collect every distinct disagreement instead of stopping at the first.
    pub keep_going: bool,
    /// Where to write each minimal request.
    pub save: Option<&'a Path>,
}

/// `fuzz-server`: generated requests, or with `replay` that one body; exit 1 on a
/// disagreement with the core. Each disagreement is shown by its cause and its minimal
/// request (escaped for the terminal), and saved as a file `--replay` reads.
pub fn fuzz_server(
    target: &HttpTarget,
    s: &FuzzSettings<'_>,
    replay: Option<&[u8]>,
) -> CommandOutput {
    let t = |text: &str| ivs_reference_server::escape::terminal(text).into_owned();
    if let Some(body) = replay {
        return match generative::check_one(target, body) {
            Ok(()) => CommandOutput::ok("agrees with the core\n"),
            Err(why) => CommandOutput::negative(format!("disagrees with the core: {}\n", t(&why))),
        };
    }
    let found = match generative::explore(target, s.cases, s.seed, s.keep_going) {
        Ok(found) => found,
        Err(d) => return CommandOutput::fail(2, d.reason),
    };
    if found.is_empty() {
        return CommandOutput::ok(format!(
            "{} generated requests: every answer agrees with the core (seed {})\n",
            s.cases, s.seed
        ));
    }
    let mut out = format!(
        "{} {} with the core (seed {}), by cause, each shrunk to a minimal request:\n",
        found.len(),
        if found.len() == 1 {
            "disagreement"
        } else {
            "distinct disagreements"
        },
        s.seed
    );
    let mut unwritten = Vec::new();
    if let Some(dir) = s.save {
        if let Err(e) = std::fs::create_dir_all(dir) {
            unwritten.push(format!("cannot make {}: {e}", dir.display()));
        }
    }
    for (i, d) in found.iter().enumerate() {
        let _ = write!(
            out,
            "{}. {} ({} of the requests)\n   request: {}\n   {}\n",
            i + 1,
            t(&d.cause),
            d.count,
            t(&String::from_utf8_lossy(&d.body)),
            t(&d.reason)
        );
        if let Some(dir) = s.save.filter(|_| unwritten.is_empty()) {
            let file = dir.join(format!("disagreement-{}.body", i + 1));
            match std::fs::write(&file, &d.body) {
                Ok(()) => {
                    let _ = writeln!(
                        out,
                        "   replay: ivs-conformance fuzz-server --replay {} (with the same --endpoint and --stage-arn)",
                        t(&ivs_reference_server::escape::shell_word(&file.display().to_string()))
                    );
                }
                Err(e) => unwritten.push(format!("cannot write {}: {e}", file.display())),
            }
        }
    }
    if s.save.is_none() {
        out.push_str(
            "replay: --save DIR writes each request as a file, which --replay FILE sends again\n",
        );
    }
    if !unwritten.is_empty() {
        return CommandOutput {
            stdout: out,
            printed: Printed::Text,
            stderr: Some(unwritten.join("; ")),
            code: 2,
        };
    }
    CommandOutput::negative(out)
}
