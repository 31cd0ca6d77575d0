//! What a command prints and how it exits, so that commands can be tested without a
//! process.

use std::io::Write;
use std::process::ExitCode;

use ivs_reference_server::escape;

/// What standard output holds, which says how it is made safe for a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Printed {
    /// Text (or markup, already escaped): every control character but line feeds and
    /// tabs is shown escaped.
    #[default]
    Text,
    /// JSON text: DEL and the C1 controls are written as `\u00XX` escapes, which keep
    /// the document's meaning.
    Json,
    /// Text with the kit's own colors, whose writer escaped every value from outside:
    /// printed as it is.
    Styled,
}

/// What a command prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutput {
    /// Standard output.
    pub stdout: String,
    /// What standard output holds.
    pub printed: Printed,
    /// One line for standard error (`ivs-conformance: …`), if any.
    pub stderr: Option<String>,
    /// The exit code: 0 success, 1 a negative verdict, 2 unusable input or settings.
    pub code: u8,
}

impl CommandOutput {
    /// Success, printing `stdout`.
    pub fn ok(stdout: impl Into<String>) -> CommandOutput {
        CommandOutput {
            stdout: stdout.into(),
            printed: Printed::Text,
            stderr: None,
            code: 0,
        }
    }

    /// A negative verdict (exit 1), printing `stdout`.
    pub fn negative(stdout: impl Into<String>) -> CommandOutput {
        CommandOutput {
            code: 1,
            ..CommandOutput::ok(stdout)
        }
    }

    /// A failure with a message on standard error and exit `code`.
    pub fn fail(code: u8, message: impl Into<String>) -> CommandOutput {
        CommandOutput {
            stdout: String::new(),
            printed: Printed::Text,
            stderr: Some(message.into()),
            code,
        }
    }

    /// This outcome, its standard output being `printed`.
    pub fn printed(self, printed: Printed) -> CommandOutput {
        CommandOutput { printed, ..self }
    }

    /// Standard output as it is printed: safe for a terminal.
    pub fn stdout_for_terminal(&self) -> std::borrow::Cow<'_, str> {
        match self.printed {
            Printed::Text => escape::terminal_lines(&self.stdout),
            Printed::Json => escape::json_for_terminal(self.stdout.clone()).into(),
            Printed::Styled => self.stdout.as_str().into(),
        }
    }

    /// Prints the outcome and returns its exit code, every message's text from outside
    /// shown escaped. A closed pipe (`| head`, or a closed stderr) is not an error worth
    /// a panic.
    pub fn emit(self) -> ExitCode {
        let _ = std::io::stdout().write_all(self.stdout_for_terminal().as_bytes());
        if let Some(e) = &self.stderr {
            let _ = writeln!(
                std::io::stderr(),
                "ivs-conformance: {}",
                escape::terminal_lines(e)
            );
        }
        ExitCode::from(self.code)
    }
}
