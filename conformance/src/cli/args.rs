//! The command line: every command, flag and argument, parsed by clap. What each command
//! does is in [`crate::cli::commands`].

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use ivs_conformance::case::{AppliesTo, Level};
use ivs_conformance::report::Format;
use ivs_participant_token::token::{DEFAULT_EVENTS_URL, DEFAULT_WHIP_URL};

use crate::cli::builder::{ConnectArgs, TargetArgs};
use crate::cli::select::Selection;
use crate::cli::serving::ServeFlags;
use crate::cli::token::TokenSource;

/// Reads `--level`: must, should or may, in any case.
pub fn parse_level(text: &str) -> Result<Level, String> {
    Level::from_name(text).ok_or_else(|| format!("{text:?} is not a level: must, should or may"))
}

/// Reads `--applies-to`: model, server or client.
pub fn parse_applies_to(text: &str) -> Result<AppliesTo, String> {
    AppliesTo::from_name(text)
        .ok_or_else(|| format!("{text:?} is not one of model, server or client"))
}

/// The names of the report formats, for messages.
fn format_names() -> String {
    Format::ALL.map(Format::name).join(", ")
}

/// Reads `--format`.
pub fn parse_format(text: &str) -> Result<Format, String> {
    Format::from_name(text).ok_or_else(|| format!("{text:?} is not a format ({})", format_names()))
}

/// Reads `--report FORMAT=FILE`.
pub fn parse_report_target(text: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = text
        .split_once('=')
        .filter(|(_, p)| !p.is_empty())
        .ok_or_else(|| {
            format!("--report takes FORMAT=FILE, such as html=report.html, not {text:?}")
        })?;
    let format = Format::from_name(format).ok_or_else(|| {
        format!(
            "--report {text:?}: {format:?} is not a format ({})",
            format_names()
        )
    })?;
    Ok((format, PathBuf::from(path)))
}

#[derive(Parser)]
#[command(
    name = "ivs-conformance",
    about = "Conformance kit for Amazon IVS Real-Time CreateParticipantToken"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The output of `validate`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerdictFormat {
    Json,
    Human,
}

#[derive(Subcommand)]
pub enum Command {
    /// Validate one JSON body (a request; with --response a response) and print a report.
    /// Exit 0 when valid, 1 when invalid, 2 when the input cannot be read.
    Validate {
        /// Read the operation's response instead of its request.
        #[arg(long)]
        response: bool,
        /// The operation whose body it is.
        #[arg(long, value_enum, default_value_t = OperationName::CreateParticipantToken)]
        operation: OperationName,
        /// Output format.
        #[arg(long, value_enum, default_value_t = VerdictFormat::Json)]
        format: VerdictFormat,
        /// The file to read; `-` or nothing for standard input.
        file: Option<PathBuf>,
    },
    /// Print the constraint table.
    Constraints {
        /// As a JSON array, one object per member (the default is a text table).
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema (draft 2020-12) of a request body, generated from the
    /// constraint table; with --response, of a response body.
    Schema {
        /// The response's schema instead of the request's.
        #[arg(long)]
        response: bool,
    },
    /// The TypeScript module of the npm package `ivs-participant-token` (js/src/rules.ts):
    /// the constraint table, the message templates and the limits, from the core.
    JsRules,
    /// Bodies for differential tests of other implementations: JSON Lines of the body
    /// (hex), whether it is a response, and the verdict `validate` prints for it.
    #[command(hide = true)]
    Bodies {
        /// How many bodies.
        #[arg(long, default_value_t = 10_000)]
        count: u32,
        /// The generator's seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// An OpenAPI 3.1 document of the operation, from the constraint table, with every
    /// error under its real status (for schemathesis, Prism, Postman).
    Openapi {
        /// The `servers` entry.
        #[arg(long, default_value = "http://localhost:4566")]
        server: String,
    },
    /// Participant tokens: mint self-signed ones, decode, verify.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Run the reference server: a local CreateParticipantToken endpoint.
    Serve {
        /// A TOML configuration file; flags override it. Its keys: server/serve.example.toml.
        #[arg(long, env = "IVS_SERVE_CONFIG")]
        config: Option<PathBuf>,
        #[command(flatten)]
        flags: ServeFlags,
    },
    /// Show one case as it is replayed without the kit: its request body as JSON, a curl
    /// command that sends exactly its bytes to the target of the flags (`serve`'s
    /// default address when none), and what the case expects.
    Show {
        /// The case's id (`ivs-conformance list` shows them).
        case_id: String,
        #[command(flatten)]
        target: TargetArgs,
        /// A directory of case files to look in instead of the golden cases built into
        /// this binary.
        #[arg(long, value_name = "DIR")]
        cases: Option<PathBuf>,
        /// Write the body's exact bytes to FILE, which the curl command then sends (for
        /// a body too long for a command line).
        #[arg(long, value_name = "FILE")]
        body_file: Option<PathBuf>,
    },
    /// List the conformance cases.
    List {
        #[command(flatten)]
        select: Selection,
    },
    /// Run the conformance cases: against a server (`--endpoint URL`, or with none the
    /// embedded reference server on a loopback port), or `--offline` against the core.
    Run {
        /// Run against the core crate itself, offline.
        #[arg(long, conflicts_with = "endpoint")]
        offline: bool,
        #[command(flatten)]
        target: TargetArgs,
        /// Cases in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        #[command(flatten)]
        select: Selection,
        /// Output format on standard output.
        #[arg(long, value_parser = parse_format, default_value = "human")]
        format: Format,
        /// Also write a report in FORMAT to FILE (repeatable), such as html=report.html
        /// or junit=results.xml.
        #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_report_target)]
        reports: Vec<(Format, PathBuf)>,
        /// Cases known to fail, one id a line (`#` comments, a note after the id): the
        /// run passes when exactly these fail, and fails when another fails or one of
        /// them passes (stale).
        #[arg(long, value_name = "FILE")]
        expected_failures: Option<PathBuf>,
        /// Write the run's failures to FILE, in the form --expected-failures reads.
        #[arg(long, value_name = "FILE")]
        write_expected_failures: Option<PathBuf>,
        /// A name for this run, recorded in every report: the matrix (`report`) heads
        /// its column with it.
        #[arg(long)]
        name: Option<String>,
        /// The version of the implementation under test, recorded beside the name.
        #[arg(long)]
        implementation_version: Option<String>,
        /// Write each case that did not pass to DIR/CASE-ID.json: its cause, reasons,
        /// the request sent and the answer as it came, and the command that replays it.
        #[arg(long, value_name = "DIR")]
        save_exchanges: Option<PathBuf>,
        /// List every case in human output, not only the failures.
        #[arg(long)]
        verbose: bool,
    },
    /// Combine the JSON reports of several runs (`run --format json`) into one HTML page:
    /// a column per run, a row per case. With --badge, the shields.io endpoint JSON of
    /// one report.
    Report {
        /// The JSON reports.
        #[arg(required = true, value_name = "RUN.json")]
        files: Vec<PathBuf>,
        /// Print a shields.io endpoint badge (one report) instead of the page.
        #[arg(long)]
        badge: bool,
        /// Compare two reports, OLD then NEW: the cases that broke, those fixed, those
        /// failing of another cause. Exit 1 when a case that passed in OLD fails in NEW.
        #[arg(long, conflicts_with = "badge")]
        diff: bool,
    },
    /// Send generated requests (valid, and invalid by exactly one constraint) and check
    /// each answer against the core's own verdict; shrink any disagreement to a minimal
    /// request. Exit 1 on a disagreement.
    FuzzServer {
        #[command(flatten)]
        target: ConnectArgs,
        /// How many requests to generate.
        #[arg(long, default_value_t = 256)]
        requests: u32,
        /// The generator's seed: the same seed generates the same requests.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Send this one request body (a file, as --save writes one) instead.
        #[arg(long)]
        replay: Option<PathBuf>,
        /// Go on after a disagreement: collect every distinct one (grouped by cause, at
        /// most 20), each shrunk to a minimal request.
        #[arg(long)]
        keep_going: bool,
        /// Write each minimal request to DIR, one file a disagreement, which --replay
        /// reads.
        #[arg(long, value_name = "DIR")]
        save: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Mint a self-signed ES384 token for a request (file, `-` or stdin) and print the
    /// CreateParticipantTokenResponse JSON.
    Mint {
        /// The P-384 private key, PEM (PKCS#8 or SEC1).
        #[arg(long)]
        key: PathBuf,
        /// The imported public key's ARN (`arn:aws:ivs:…:public-key/…`).
        #[arg(long)]
        kid: String,
        /// The stage's events endpoint.
        #[arg(long, default_value = DEFAULT_EVENTS_URL)]
        events_url: String,
        /// The stage's WHIP endpoint.
        #[arg(long, default_value = DEFAULT_WHIP_URL)]
        whip_url: String,
        /// The participant id (the JWT's jti); random when absent.
        #[arg(long)]
        participant_id: Option<String>,
        /// The request body.
        request: Option<PathBuf>,
    },
    /// Print a token's header and claims (never its signature), without verifying it.
    /// The token comes from --token-file, or standard input (nothing or `-`), so that
    /// shell history and `ps` never see it.
    Decode {
        #[command(flatten)]
        token: TokenSource,
    },
    /// Verify an ES384 token against a public key and the clock, and validate its
    /// claims. Exit 0 when valid, 1 otherwise.
    Verify {
        /// The P-384 public key, SPKI PEM.
        #[arg(long)]
        public_key: PathBuf,
        #[command(flatten)]
        token: TokenSource,
    },
}

/// An operation, as `--operation` names it (the model's spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OperationName {
    /// CreateParticipantToken.
    #[value(name = "CreateParticipantToken")]
    CreateParticipantToken,
    /// CreateStage.
    #[value(name = "CreateStage")]
    CreateStage,
}

impl From<OperationName> for ivs_conformance::case::Operation {
    fn from(o: OperationName) -> Self {
        match o {
            OperationName::CreateParticipantToken => Self::CreateParticipantToken,
            OperationName::CreateStage => Self::CreateStage,
        }
    }
}
