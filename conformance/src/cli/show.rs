//! `show CASE-ID`: a case as one replays it without the kit: its request body as JSON,
//! a curl command that sends exactly its bytes, and what the case expects.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use ivs_conformance::case::Case;
use ivs_conformance::target::embedded::UNKNOWN_STAGE_ARN;
use ivs_reference_server::escape::{self, shell_word};

use crate::cli::builder::{check_endpoint, TargetArgs};
use crate::cli::output::CommandOutput;
use crate::cli::select::Selection;

/// Where `show` points its command when no `--endpoint` is given: `ivs-conformance
/// serve` with its defaults.
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:4566";

/// The flags of `show` that point it at the target of these flags, as the human report
/// ends a failing line with (`ivs-conformance show ID` and these; none carries a secret).
pub fn replay_flags(target: &TargetArgs, select: &Selection) -> String {
    let mut cmd = String::new();
    let c = &target.connect;
    if let Some(e) = &c.endpoint {
        let _ = write!(cmd, " --endpoint {}", shell_word(e));
    }
    if let Some(a) = &c.stage_arn {
        let _ = write!(cmd, " --stage-arn {}", shell_word(a));
    }
    if let Some(a) = &target.unknown_stage_arn {
        let _ = write!(cmd, " --unknown-stage-arn {}", shell_word(a));
    }
    for (k, v) in &target.vars {
        let _ = write!(cmd, " --var {}", shell_word(&format!("{k}={v}")));
    }
    if c.sign {
        let _ = write!(cmd, " --sign --region {}", shell_word(&c.region));
    }
    if let Some(dir) = &select.cases {
        let _ = write!(cmd, " --cases {}", shell_word(&dir.display().to_string()));
    }
    cmd
}

/// `bytes` as a `printf` format in single quotes that writes exactly them: printable
/// ASCII as it is, everything else as an octal escape; a leading `-` escaped too, or
/// `printf` would read it as an option.
fn printf_format(bytes: &[u8]) -> String {
    let mut out = String::from("'");
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'-' if i == 0 => out.push_str(r"\055"),
            b'\'' => out.push_str(r"'\''"),
            b'\\' => out.push_str(r"\\"),
            b'%' => out.push_str("%%"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push('\'');
    out
}

/// The case variables `show` substitutes: the flags', else those of `serve` with its
/// defaults (the README's stage, the embedded servers' unknown one).
fn variables(target: &TargetArgs) -> BTreeMap<String, String> {
    let c = &target.connect;
    let mut vars = BTreeMap::from([
        (
            "stageArn".to_owned(),
            c.stage_arn
                .clone()
                .unwrap_or_else(|| ivs_reference_server::DEFAULT_STAGE.to_owned()),
        ),
        (
            "unknownStageArn".to_owned(),
            target
                .unknown_stage_arn
                .clone()
                .unwrap_or_else(|| UNKNOWN_STAGE_ARN.to_owned()),
        ),
    ]);
    vars.extend(target.vars.iter().cloned());
    vars
}

/// The longest `printf` format the command carries; a longer body is sent from a file
/// (`--body-file`): one argument of a command line holds at most 128 KiB on Linux.
const MAX_PRINTF_FORMAT: usize = 64 * 1024;

/// What `show` prints for `case` against the target of `target`; with `body_file`, the
/// body is written there and the command sends that file.
pub fn show(case: &Case, target: &TargetArgs, body_file: Option<&Path>) -> Result<String, String> {
    let mut out = String::new();
    let t = |s: &str| escape::terminal(s).into_owned();
    let _ = writeln!(out, "{} [{}]", t(&case.id), case.level.as_str());
    let _ = writeln!(out, "{}", t(&case.description));
    let Some(spec) = &case.request else {
        let _ = writeln!(out, "\nA response case: what a client reads.");
        if let Some(r) = &case.response {
            let text = serde_json::to_string_pretty(r).unwrap_or_default();
            let _ = writeln!(out, "{}", escape::terminal_lines(&text));
        }
        expects(&mut out, case);
        return Ok(out);
    };
    let vars = variables(target);
    let body = spec.body_bytes(&vars)?;
    let headers = spec.headers(&vars)?;
    let endpoint = target
        .connect
        .endpoint
        .clone()
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    check_endpoint(&endpoint)?;
    let url = format!("{}{}", endpoint.trim_end_matches('/'), spec.path);

    let _ = writeln!(out, "\nrequest: {} {}", t(&spec.method), t(&url));
    for (k, v) in &headers {
        let _ = writeln!(out, "  {}: {}", t(k), t(v));
    }
    let _ = writeln!(out, "body ({} bytes):", body.len());
    // The body exactly as sent: what the case holds is the point, be it JSON or not.
    let _ = writeln!(out, "{}", t(&String::from_utf8_lossy(&body)));
    if serde_json::from_slice::<serde_json::Value>(&body).is_err() {
        let _ = writeln!(
            out,
            "(not JSON as serde_json reads it; the curl command sends these exact bytes)"
        );
    }

    let format = printf_format(&body);
    let (mut curl, data) = match body_file {
        Some(file) => {
            std::fs::write(file, &body)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            ("curl -sS -i".to_owned(), format!("@{}", file.display()))
        }
        None if format.len() > MAX_PRINTF_FORMAT => {
            let _ = writeln!(
                out,
                "\nThe body is too long for a command line: add --body-file FILE, and the command \
                 sends that file."
            );
            expects(&mut out, case);
            return Ok(out);
        }
        None => (format!("printf {format} | curl -sS -i"), "@-".to_owned()),
    };
    if spec.method != "POST" {
        let _ = write!(curl, " -X {}", shell_word(&spec.method));
    }
    for (k, v) in &headers {
        let _ = write!(curl, " -H {}", shell_word(&format!("{k}: {v}")));
    }
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        // The case sends none: neither does the command (curl would add its own).
        curl.push_str(" -H 'Content-Type:'");
    }
    if target.connect.sign {
        // curl (8.3 or later) signs it itself, the credentials read from the
        // environment by curl, never written on its command line.
        let _ = write!(
            curl,
            " --variable %AWS_ACCESS_KEY_ID --variable %AWS_SECRET_ACCESS_KEY \
             --expand-user '{{{{AWS_ACCESS_KEY_ID}}}}:{{{{AWS_SECRET_ACCESS_KEY}}}}' --aws-sigv4 {}",
            shell_word(&format!("aws:amz:{}:ivs", target.connect.region))
        );
        if std::env::var_os("AWS_SESSION_TOKEN").is_some() {
            curl.push_str(
                " --variable %AWS_SESSION_TOKEN --expand-header 'x-amz-security-token: {{AWS_SESSION_TOKEN}}'",
            );
        }
    }
    let _ = write!(
        curl,
        " --data-binary {} {}",
        shell_word(&data),
        shell_word(&url)
    );
    // A control character in a header or the URL cannot travel in a pasted command: the
    // terminal shows it escaped, and the command would send the escape.
    let exact = !headers
        .iter()
        .flat_map(|(k, v)| [k, v])
        .chain([&url])
        .any(|s| s.chars().any(char::is_control));
    if exact {
        let _ = writeln!(out, "\nreplay it (exactly these bytes):\n{}", t(&curl));
    } else {
        let _ = writeln!(
            out,
            "\nreplay it (a header or the URL holds a control character, shown escaped: \
             put it back before sending):\n{}",
            t(&curl)
        );
    }
    expects(&mut out, case);
    Ok(out)
}

fn expects(out: &mut String, case: &Case) {
    // What the case sets, not the members it leaves open.
    let mut expect = serde_json::to_value(&case.expect).unwrap_or_default();
    if let Some(m) = expect.as_object_mut() {
        m.retain(|_, v| !v.is_null());
    }
    let text = serde_json::to_string_pretty(&expect).unwrap_or_default();
    let _ = writeln!(out, "\nexpects:\n{}", escape::terminal_lines(&text));
}

/// `show`'s command: finds the case and prints it.
pub fn command(
    case_id: &str,
    target: &TargetArgs,
    select: &Selection,
    body_file: Option<&Path>,
) -> Result<String, CommandOutput> {
    let cases = select
        .load()
        .map_err(|e| CommandOutput::fail(2, e.to_string()))?;
    let Some(case) = cases.iter().find(|c| c.id == case_id) else {
        let near = ivs_conformance::case::nearest_id(case_id, cases.iter().map(|c| c.id.as_str()));
        let hint = near.map_or(String::new(), |n| format!(" (did you mean {n}?)"));
        return Err(CommandOutput::fail(
            2,
            format!(
                "no case {}{hint}; `ivs-conformance list` shows the cases",
                escape::terminal(&escape::cut(case_id, 200))
            ),
        ));
    };
    show(case, target, body_file).map_err(|e| CommandOutput::fail(2, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_writes_exactly_the_bytes_in_sh_and_bash() {
        let mut bytes: Vec<u8> = b"-1 %s %% \\ \\n ' \" \t\n\r".to_vec();
        bytes.extend([0x00, 0x7f, 0x80, 0xff, b'e', 0xcc, 0x81]);
        bytes.extend((0u8..=255).collect::<Vec<_>>());
        for shell in ["sh", "bash"] {
            let out = std::process::Command::new(shell)
                .arg("-c")
                .arg(format!("printf {}", printf_format(&bytes)))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{shell}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.stdout, bytes, "{shell}");
        }
    }
}
