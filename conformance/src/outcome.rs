//! What a command prints and how it exits, so that commands can be tested without a
//! process.

use std::io::Write;
use std::process::ExitCode;

/// What a command prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Standard output.
    pub stdout: String,
    /// One line for standard error (`ivs-conformance: …`), if any.
    pub stderr: Option<String>,
    /// The exit code: 0 success, 1 a negative verdict, 2 unusable input or settings.
    pub code: u8,
}

impl Outcome {
    /// Success, printing `stdout`.
    pub fn ok(stdout: impl Into<String>) -> Outcome {
        Outcome {
            stdout: stdout.into(),
            stderr: None,
            code: 0,
        }
    }

    /// A negative verdict (exit 1), printing `stdout`.
    pub fn negative(stdout: impl Into<String>) -> Outcome {
        Outcome {
            code: 1,
            ..Outcome::ok(stdout)
        }
    }

    /// A failure with a message on standard error and exit `code`.
    pub fn fail(code: u8, message: impl Into<String>) -> Outcome {
        Outcome {
            stdout: String::new(),
            stderr: Some(message.into()),
            code,
        }
    }

    /// Prints the outcome and returns its exit code. A closed pipe (`| head`, or a
    /// closed stderr) is not an error worth a panic.
    pub fn emit(self) -> ExitCode {
        let _ = std::io::stdout().write_all(self.stdout.as_bytes());
        if let Some(e) = self.stderr {
            let _ = writeln!(std::io::stderr(), "ivs-conformance: {e}");
        }
        ExitCode::from(self.code)
    }
}
