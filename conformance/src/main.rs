//! `ivs-conformance`: validate bodies, export the constraint table, list and run the
//! conformance cases, fuzz a server, mint and check tokens, serve the reference server.
//! This file only dispatches the parsed command; the arguments are in `cli::args` and
//! what each command does in `cli::commands`.

mod cli;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use ivs_conformance::expectations::ExpectedFailures;
use ivs_conformance::target::model::ModelTarget;
use ivs_reference_server::files::FileKind;
use ivs_reference_server::ServerConfig;

use cli::args::{Cli, Command, TokenCommand, VerdictFormat};
use cli::builder::preflight;
use cli::commands::{self, read_file, read_input, read_text, RunSettings};
use cli::export;
use cli::output::{CommandOutput, Printed};
use cli::select::Selection;
use cli::serving;
use cli::token::{self as token_commands, MintSettings};

/// A JSON document on standard output.
fn json(value: &serde_json::Value) -> CommandOutput {
    CommandOutput::ok(serde_json::to_string_pretty(value).unwrap_or_default() + "\n")
        .printed(Printed::Json)
}

fn load(select: &Selection) -> Result<Vec<ivs_conformance::case::Case>, CommandOutput> {
    select
        .load()
        .map_err(|e| CommandOutput::fail(2, e.to_string()))
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
    // The generators (fuzz-server, bodies) follow the kit's own settings: proptest would
    // read PROPTEST_* from the environment, and print its own words about a bad one.
    // Removed first, before any thread runs.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("PROPTEST_") {
            std::env::remove_var(name);
        }
    }
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

fn dispatch(command: Command) -> Result<CommandOutput, CommandOutput> {
    Ok(match command {
        Command::Validate {
            response,
            operation,
            format,
            file,
        } => commands::validate(
            &read_input(file)?,
            operation.into(),
            response,
            format == VerdictFormat::Human,
        ),
        Command::Constraints { json: true } => json(&export::constraints_json()),
        Command::Constraints { json: false } => CommandOutput::ok(export::constraints_text()),
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
            CommandOutput::ok(cli::js_export::js_rules_module()).printed(Printed::Json)
        }
        Command::Bodies { count, seed } => {
            CommandOutput::ok(cli::js_export::bodies(count, seed)).printed(Printed::Json)
        }
        Command::Openapi { server } => json(&cli::openapi::openapi_document(&server)),
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
                token_commands::token_mint(&settings, &read_input(request)?)
            }
            TokenCommand::Decode { token } => token_commands::token_decode(&token.read()?),
            TokenCommand::Verify { public_key, token } => {
                let key = read_text(&public_key, FileKind::Key)?;
                token_commands::token_verify(&key, &token.read()?)
            }
        },
        Command::Serve { config, flags } => {
            let base = match config {
                Some(path) => {
                    ServerConfig::from_toml_file_over(&path, serving::default_serve_config())
                        .map_err(|e| CommandOutput::fail(2, e))?
                }
                None => serving::default_serve_config(),
            };
            let log_format = flags.log_format;
            serving::serve(base.with_overrides(flags.overrides()), log_format)
        }
        Command::Show {
            case_id,
            target,
            cases,
            body_file,
        } => {
            let select = Selection {
                filter: Vec::new(),
                tag: Vec::new(),
                level: None,
                applies_to: None,
                cases,
            };
            CommandOutput::ok(cli::show::command(
                &case_id,
                &target,
                &select,
                body_file.as_deref(),
            )?)
        }
        Command::List { select } => CommandOutput::ok(commands::list(&load(&select)?)),
        Command::Run {
            offline,
            target,
            concurrency,
            select,
            format,
            reports,
            expected_failures,
            write_expected_failures,
            save_exchanges,
            name,
            implementation_version,
            verbose,
        } => {
            let selected = select
                .load_selected()
                .map_err(|e| CommandOutput::fail(2, e.to_string()))?;
            let expected = match &expected_failures {
                Some(path) => {
                    let e = ExpectedFailures::read(path).map_err(|e| CommandOutput::fail(2, e))?;
                    e.check_ids(&selected.all_ids)
                        .map_err(|e| CommandOutput::fail(2, e))?;
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
                replay_flags: (!offline).then(|| cli::show::replay_flags(&target, &select)),
                save_exchanges: save_exchanges.as_deref(),
                name,
                implementation_version,
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
                let mut built = target
                    .options()
                    .build()
                    .map_err(|e| CommandOutput::fail(2, e))?;
                if let Some(url) = &target.connect.endpoint {
                    preflight(&mut built.target, url).map_err(|e| CommandOutput::fail(2, e))?;
                }
                commands::run(&built.target, &selected.cases, &settings)
            }
        }
        Command::Report {
            files, diff: true, ..
        } => commands::report_diff(&files),
        Command::Report { files, badge, .. } => commands::report_files(&files, badge),
        Command::FuzzServer {
            target,
            requests,
            seed,
            replay,
            keep_going,
            save,
        } => {
            let body = match &replay {
                Some(path) => Some(read_file(path, FileKind::Body)?),
                None => None,
            };
            let mut built = target
                .options()
                .build()
                .map_err(|e| CommandOutput::fail(2, e))?;
            if let Some(url) = &target.endpoint {
                preflight(&mut built.target, url).map_err(|e| CommandOutput::fail(2, e))?;
            }
            let settings = cli::fuzz::FuzzSettings {
                cases: requests,
                seed,
                keep_going,
                save: save.as_deref(),
            };
            cli::fuzz::fuzz_server(&built.target, &settings, body.as_deref())
        }
    })
}
