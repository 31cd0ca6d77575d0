//! `ivs-conformance`: validate bodies, export the constraint table, list and run the
//! conformance cases, fuzz a server, mint and check tokens, serve the reference server.
//! This file only parses arguments; what each command does is in
//! [`ivs_conformance::commands`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use ivs_conformance::builder::{preflight, ConnectArgs, TargetArgs};
use ivs_conformance::commands::{
    self, parse_report_target, read_file, read_input, read_text, MintSettings, Printed,
    RunSettings, TokenSource,
};
use ivs_conformance::expectations::ExpectedFailures;
use ivs_conformance::export;
use ivs_conformance::load::Selection;
use ivs_conformance::model_target::ModelTarget;
use ivs_conformance::outcome::Outcome;
use ivs_conformance::report::Format;
use ivs_conformance::serving::{self, ServeFlags};
use ivs_participant_token::token::{DEFAULT_EVENTS_URL, DEFAULT_WHIP_URL};
use ivs_reference_server::files::FileKind;
use ivs_reference_server::ServerConfig;

#[derive(Parser)]
#[command(
    name = "ivs-conformance",
    about = "Conformance kit for Amazon IVS Real-Time CreateParticipantToken"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The output of `validate`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum VerdictFormat {
    Json,
    Human,
}

#[derive(Subcommand)]
enum Command {
    /// Validate one JSON body (a request; with --response a response) and print a report.
    /// Exit 0 when valid, 1 when invalid, 2 when the input cannot be read.
    Validate {
        /// Read a CreateParticipantTokenResponse instead of a request.
        #[arg(long)]
        response: bool,
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
        #[arg(long, value_enum, default_value_t = Format::Human)]
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
        /// Send this one request body (a file, as printed for a disagreement) instead.
        #[arg(long)]
        replay: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
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

/// A JSON document on standard output.
fn json(value: &serde_json::Value) -> Outcome {
    Outcome::ok(serde_json::to_string_pretty(value).unwrap_or_default() + "\n")
        .printed(Printed::Json)
}

fn load(select: &Selection) -> Result<Vec<ivs_conformance::case::Case>, Outcome> {
    select.load().map_err(|e| Outcome::fail(2, e.to_string()))
}

/// `--version`: the kit's version and the embedded suite it runs (API version, cases,
/// digest), so that a report and a binary can be matched.
fn version() -> &'static str {
    let text = match ivs_conformance::load::load_embedded_suite() {
        Ok((_, suite)) => format!(
            "{} (API {}, {} cases, suite {})",
            suite.kit_version, suite.api_version, suite.cases, suite.digest
        ),
        Err(e) => format!(
            "{} (the embedded cases do not load: {e})",
            env!("CARGO_PKG_VERSION")
        ),
    };
    Box::leak(text.into_boxed_str())
}

fn main() -> ExitCode {
    let matches = Cli::command().version(version()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let outcome = match dispatch(cli.command) {
        Ok(o) | Err(o) => o,
    };
    outcome.emit()
}

fn dispatch(command: Command) -> Result<Outcome, Outcome> {
    Ok(match command {
        Command::Validate {
            response,
            format,
            file,
        } => commands::validate(&read_input(file)?, response, format == VerdictFormat::Human),
        Command::Constraints { json: true } => json(&export::constraints_json()),
        Command::Constraints { json: false } => Outcome::ok(export::constraints_text()),
        Command::Schema { response } => {
            let schema = if response {
                ivs_participant_token::schema::response_schema()
            } else {
                ivs_participant_token::schema::request_schema()
            };
            json(&schema)
        }
        // Generated source and JSON Lines: escapes that keep their meaning, as JSON's.
        Command::JsRules => {
            Outcome::ok(ivs_conformance::js_export::js_rules_module()).printed(Printed::Json)
        }
        Command::Bodies { count, seed } => {
            Outcome::ok(ivs_conformance::js_export::bodies(count, seed)).printed(Printed::Json)
        }
        Command::Openapi { server } => json(&ivs_conformance::openapi::openapi_document(&server)),
        Command::Token { command } => match command {
            TokenCommand::Mint {
                key,
                kid,
                events_url,
                whip_url,
                participant_id,
                request,
            } => {
                let key_pem = read_text(&key, FileKind::Key)?;
                let settings = MintSettings {
                    key_pem: &key_pem,
                    kid: &kid,
                    events_url: &events_url,
                    whip_url: &whip_url,
                    participant_id,
                };
                commands::token_mint(&settings, &read_input(request)?)
            }
            TokenCommand::Decode { token } => commands::token_decode(&token.read()?),
            TokenCommand::Verify { public_key, token } => {
                let key = read_text(&public_key, FileKind::Key)?;
                commands::token_verify(&key, &token.read()?)
            }
        },
        Command::Serve { config, flags } => {
            let base = match config {
                Some(path) => {
                    ServerConfig::from_toml_file_over(&path, serving::default_serve_config())
                        .map_err(|e| Outcome::fail(2, e))?
                }
                None => serving::default_serve_config(),
            };
            let log_format = flags.log_format;
            serving::serve(base.with_overrides(flags.overrides()), log_format)
        }
        Command::List { select } => Outcome::ok(commands::list(&load(&select)?)),
        Command::Run {
            offline,
            target,
            concurrency,
            select,
            format,
            reports,
            expected_failures,
            write_expected_failures,
            verbose,
        } => {
            let selected = select
                .load_selected()
                .map_err(|e| Outcome::fail(2, e.to_string()))?;
            let expected = match &expected_failures {
                Some(path) => {
                    let e = ExpectedFailures::read(path).map_err(|e| Outcome::fail(2, e))?;
                    e.check_ids(&selected.all_ids)
                        .map_err(|e| Outcome::fail(2, e))?;
                    Some(e)
                }
                None => None,
            };
            let settings = RunSettings {
                concurrency,
                format,
                offline,
                verbose,
                suite: &selected.suite,
                expected_failures: expected.as_ref(),
                write_expected_failures: write_expected_failures.as_deref(),
                reports: &reports,
            };
            if offline {
                commands::run(
                    &ModelTarget::default(),
                    &selected.cases,
                    &RunSettings {
                        concurrency: 1,
                        ..settings
                    },
                )
            } else {
                let built = target.options().build().map_err(|e| Outcome::fail(2, e))?;
                if let Some(url) = &target.connect.endpoint {
                    preflight(&built.target, url).map_err(|e| Outcome::fail(2, e))?;
                }
                commands::run(&built.target, &selected.cases, &settings)
            }
        }
        Command::Report { files, badge } => commands::report_files(&files, badge),
        Command::FuzzServer {
            target,
            requests,
            seed,
            replay,
        } => {
            let body = match &replay {
                Some(path) => Some(read_file(path, FileKind::Body)?),
                None => None,
            };
            let built = target.options().build().map_err(|e| Outcome::fail(2, e))?;
            if let Some(url) = &target.endpoint {
                preflight(&built.target, url).map_err(|e| Outcome::fail(2, e))?;
            }
            commands::fuzz_server(&built.target, requests, seed, body.as_deref())
        }
    })
}
