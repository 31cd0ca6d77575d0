//! boto3 and the AWS CLI against the reference server. They live in the venv `.ci/run`
//! makes (`.venv/` at the workspace root, or the interpreter named by `IVS_PYTHON`).
//! Without it the test says so and passes, except under CI, where it fails.

use std::path::PathBuf;
use std::process::Command;

mod common;

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn python() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("IVS_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    venv.exists().then_some(venv)
}

#[test]
fn boto3_and_the_aws_cli() {
    let Some(python) = python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must provide the Python venv (.ci/run makes it)"
        );
        eprintln!("no Python venv with boto3: run .ci/run or set IVS_PYTHON; not testing real Python clients");
        return;
    };
    let server = common::signing_server(ARN, "AKIDEXAMPLE", "secret");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/boto3_client.py");
    let out = Command::new(python)
        .arg(script)
        .arg(server.url())
        .arg(ARN)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
