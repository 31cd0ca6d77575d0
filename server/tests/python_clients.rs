//! boto3 and the AWS CLI against the reference server. They live in the venv `.ci/run`
//! makes (`.venv/` at the workspace root, or the interpreter named by `IVS_PYTHON`).
//! Without it the test is reported as ignored, with the reason, except under CI, where
//! it fails. A custom harness (libtest-mimic), because the standard one cannot decide
//! at run time to skip a test and say why.

use std::path::PathBuf;
use std::process::Command;

use libtest_mimic::{Arguments, Completion, Failed, Trial};

mod common;

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn python() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("IVS_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    venv.exists().then_some(venv)
}

fn boto3_and_the_aws_cli() -> Result<Completion, Failed> {
    let Some(python) = python() else {
        if std::env::var_os("CI").is_some() {
            return Err("CI must provide the Python venv (.ci/run makes it)".into());
        }
        return Ok(Completion::ignored_with(
            "no Python venv with boto3 (run .ci/run or set IVS_PYTHON)",
        ));
    };
    let server = common::signing_server(ARN, "AKIDEXAMPLE", "secret");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/boto3_client.py");
    let out = Command::new(python)
        .arg(script)
        .arg(server.url())
        .arg(ARN)
        .output()
        .map_err(|e| format!("python does not run: {e}"))?;
    if out.status.success() {
        Ok(Completion::Completed)
    } else {
        Err(format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let trials = vec![Trial::ignorable_test(
        "boto3_and_the_aws_cli",
        boto3_and_the_aws_cli,
    )];
    libtest_mimic::run(&args, trials).exit();
}
