//! `ivs-conformance`: validate bodies, export the constraint table, list and run the
//! conformance cases.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ivs_conformance::case::{self, AppliesTo, Filter, Level};
use ivs_conformance::export;
use ivs_conformance::http_target::{Embedded, Endpoint, HttpTarget, Signer};
use ivs_conformance::model_target::ModelTarget;
use ivs_conformance::report::{self, Format};
use ivs_conformance::runner::{self, Summary};
use ivs_conformance::target::Target;
use ivs_participant_token::{check_request, check_response, ParseError, Report};
use serde_json::{json, Value};

#[derive(Parser)]
#[command(
    name = "ivs-conformance",
    version,
    about = "Conformance kit for Amazon IVS Real-Time CreateParticipantToken"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        #[arg(long, default_value = "json", value_parser = ["json", "human"])]
        format: String,
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
    /// Participant tokens: mint self-signed ones, decode, verify.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Run the reference server: a local CreateParticipantToken endpoint.
    Serve {
        /// The port on 127.0.0.1 (0: any free one).
        #[arg(long, default_value_t = 4566)]
        port: u16,
        /// A TOML configuration file; flags override it.
        #[arg(long)]
        config: Option<PathBuf>,
        /// A stage that exists (repeatable). None: one is made up and printed.
        #[arg(long = "stage")]
        stages: Vec<String>,
        /// The region SigV4 scopes must name.
        #[arg(long)]
        region: Option<String>,
        /// Require SigV4 signatures by this key (`ID:SECRET`, repeatable).
        #[arg(long = "access-key")]
        access_keys: Vec<String>,
        /// Answer every request PendingVerification.
        #[arg(long)]
        pending_verification: bool,
        /// Tokens per stage before ServiceQuotaExceededException.
        #[arg(long)]
        tokens_per_stage: Option<u64>,
        /// Requests per second before ServiceQuotaExceededException.
        #[arg(long)]
        requests_per_second: Option<u32>,
    },
    /// List the conformance cases.
    List {
        #[command(flatten)]
        select: Select,
    },
    /// Run the conformance cases: against a server (`--endpoint URL`, or with none the
    /// embedded reference server on a loopback port), or `--offline` against the core.
    Run {
        /// Run against the core crate itself, offline.
        #[arg(long, conflicts_with = "endpoint")]
        offline: bool,
        /// The server's base URL, such as https://ivsrealtime.us-west-2.amazonaws.com.
        #[arg(long)]
        endpoint: Option<String>,
        #[command(flatten)]
        target: TargetArgs,
        /// Cases in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        #[command(flatten)]
        select: Select,
        /// Output format: human, json or junit.
        #[arg(long, default_value = "human")]
        format: Format,
    },
    /// Send generated requests (valid, and invalid by exactly one constraint) and check
    /// each answer against the core's own verdict; shrink any disagreement to a minimal
    /// request. Exit 1 on a disagreement.
    FuzzServer {
        /// The server's base URL; the embedded reference server when absent.
        #[arg(long)]
        endpoint: Option<String>,
        #[command(flatten)]
        target: TargetArgs,
        /// How many requests to generate.
        #[arg(long, default_value_t = 256)]
        cases: u32,
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
        #[arg(long, default_value = "wss://global.events.live-video.net")]
        events_url: String,
        /// The stage's WHIP endpoint.
        #[arg(long, default_value = "https://global.whip.live-video.net")]
        whip_url: String,
        /// The participant id (the JWT's jti); random when absent.
        #[arg(long)]
        participant_id: Option<String>,
        /// The request body.
        request: Option<PathBuf>,
    },
    /// Print a token's header and claims (never its signature), without verifying it.
    Decode {
        /// The token.
        token: String,
    },
    /// Verify an ES384 token against a public key and the clock, and validate its
    /// claims. Exit 0 when valid, 1 otherwise.
    Verify {
        /// The P-384 public key, SPKI PEM.
        #[arg(long)]
        public_key: PathBuf,
        /// The token.
        token: String,
    },
}

#[derive(clap::Args)]
struct TargetArgs {
    /// `{{stageArn}}`: a stage that exists on the target.
    #[arg(long)]
    stage_arn: Option<String>,
    /// `{{unknownStageArn}}`: an ARN of no stage (enables the stage-not-found case).
    #[arg(long)]
    unknown_stage_arn: Option<String>,
    /// Any other case variable, `name=value` (repeatable).
    #[arg(long = "var")]
    vars: Vec<String>,
    /// The region of the SigV4 scope.
    #[arg(long, default_value = "us-west-2")]
    region: String,
    /// Sign requests with SigV4, with credentials from AWS_ACCESS_KEY_ID and
    /// AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or else the shared credentials
    /// file's AWS_PROFILE (default) profile.
    #[arg(long)]
    sign: bool,
    /// Seconds to wait for one answer.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
}

impl TargetArgs {
    /// The target: the endpoint given, or the embedded reference server (kept alive in
    /// the second value).
    fn target(&self, endpoint: Option<&str>) -> Result<(HttpTarget, Option<Embedded>), String> {
        let timeout = std::time::Duration::from_secs(self.timeout);
        let (target, embedded) = match endpoint {
            None => {
                let e = Embedded::start(timeout)
                    .map_err(|e| format!("cannot start the embedded server: {e}"))?;
                (None, Some(e))
            }
            Some(url) => {
                let signer = if self.sign {
                    Some(Signer::from_environment(&self.region).ok_or("--sign needs AWS credentials in the environment or the shared credentials file")?)
                } else {
                    None
                };
                let mut vars = std::collections::BTreeMap::new();
                if let Some(a) = &self.stage_arn {
                    vars.insert("stageArn".to_owned(), a.clone());
                }
                let endpoint = Endpoint {
                    url: url.to_owned(),
                    signer,
                };
                (Some(HttpTarget::new(endpoint, vars, timeout)), None)
            }
        };
        let mut target = match (target, &embedded) {
            (Some(t), _) => t,
            (None, Some(e)) => e.target_clone(),
            (None, None) => unreachable!(),
        };
        if let Some(a) = &self.stage_arn {
            target.set_var("stageArn", a);
        }
        if let Some(a) = &self.unknown_stage_arn {
            target.set_var("unknownStageArn", a);
        }
        for v in &self.vars {
            let (k, val) = v.split_once('=').ok_or("--var takes name=value")?;
            target.set_var(k, val);
        }
        Ok((target, embedded))
    }
}

#[derive(clap::Args)]
struct Select {
    /// Only cases whose id contains this text (repeatable).
    #[arg(long)]
    filter: Vec<String>,
    /// Only cases with this tag (repeatable).
    #[arg(long)]
    tag: Vec<String>,
    /// The weakest level to run: must, should or may (all).
    #[arg(long)]
    level: Option<Level>,
    /// Only cases that apply to: model, server or client.
    #[arg(long)]
    applies_to: Option<AppliesTo>,
    /// The directory of case files.
    #[arg(long, default_value_os_t = case::default_cases_dir())]
    cases: PathBuf,
}

impl Select {
    fn load(&self) -> Result<Vec<case::Case>, String> {
        let filter = Filter {
            ids: self.filter.clone(),
            tags: self.tag.clone(),
            level: self.level,
            applies_to: self.applies_to,
        };
        let all = case::load_dir(&self.cases).map_err(|e| e.to_string())?;
        Ok(all.into_iter().filter(|c| filter.matches(c)).collect())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate {
            response,
            format,
            file,
        } => validate(response, format == "human", file),
        Command::Constraints { json } => constraints(json),
        Command::Schema { response } => {
            let schema = if response {
                ivs_participant_token::schema::response_schema()
            } else {
                ivs_participant_token::schema::request_schema()
            };
            print(&(serde_json::to_string_pretty(&schema).expect("JSON") + "\n"))
        }
        Command::Token { command } => token(command),
        Command::Serve {
            port,
            config,
            stages,
            region,
            access_keys,
            pending_verification,
            tokens_per_stage,
            requests_per_second,
        } => {
            let mut c = match config {
                Some(path) => match ivs_reference_server::ServerConfig::from_toml_file(&path) {
                    Ok(c) => c,
                    Err(e) => return fail(&e),
                },
                None => ivs_reference_server::ServerConfig::default(),
            };
            c.bind = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            if !stages.is_empty() {
                c.stages = stages;
            }
            if let Some(r) = region {
                c.region = r;
            }
            if !access_keys.is_empty() {
                let mut keys = Vec::new();
                for k in access_keys {
                    let Some((id, secret)) = k.split_once(':') else {
                        return fail("--access-key takes ID:SECRET");
                    };
                    keys.push(ivs_reference_server::AccessKey {
                        access_key_id: id.to_owned(),
                        secret_access_key: secret.to_owned(),
                        allowed_stages: None,
                    });
                }
                c.access_keys = Some(keys);
            }
            c.pending_verification |= pending_verification;
            if tokens_per_stage.is_some() {
                c.quotas.tokens_per_stage = tokens_per_stage;
            }
            if requests_per_second.is_some() {
                c.quotas.requests_per_second = requests_per_second;
            }
            serve(c)
        }
        Command::List { select } => list(&select),
        Command::Run {
            offline,
            endpoint,
            target,
            concurrency,
            select,
            format,
        } => run(
            offline,
            endpoint.as_deref(),
            &target,
            concurrency,
            &select,
            format,
        ),
        Command::FuzzServer {
            endpoint,
            target,
            cases,
            seed,
            replay,
        } => fuzz_server(endpoint.as_deref(), &target, cases, seed, replay),
    }
}

fn print(text: &str) -> ExitCode {
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("ivs-conformance: {message}");
    ExitCode::from(2)
}

fn read_input(file: Option<PathBuf>) -> std::io::Result<Vec<u8>> {
    match file {
        Some(p) if p.as_os_str() != "-" => std::fs::read(p),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            Ok(buf)
        }
    }
}

/// The report object of `validate`.
fn verdict(parsed: Result<(Report, Option<Value>), ParseError>) -> Value {
    match parsed {
        Err(e) => json!({
            "valid": false,
            "error": "SerializationException",
            "message": e.to_string(),
            "serialization": {"kind": e.kind.code(), "path": e.path, "line": e.line, "column": e.column},
            "violations": [],
            "advisories": [],
            "effective": null,
        }),
        Ok((report, effective)) => {
            let valid = report.is_valid();
            json!({
                "valid": valid,
                "error": if valid { Value::Null } else { json!("ValidationException") },
                "message": report.aws_message(),
                "violations": report.violations,
                "advisories": report.advisories,
                "effective": if valid { effective.unwrap_or(Value::Null) } else { Value::Null },
            })
        }
    }
}

fn human_verdict(v: &Value) -> String {
    let mut out = String::new();
    if v["valid"] == true {
        out.push_str("valid\n");
    } else {
        out.push_str(&format!("invalid: {}\n", v["error"].as_str().unwrap_or("")));
        if v["error"] == "SerializationException" {
            out.push_str(&format!("  {}\n", v["message"].as_str().unwrap_or("")));
        }
    }
    for item in v["violations"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  violation  {:<32} {:<9} {}\n",
            item["path"].as_str().unwrap_or(""),
            item["constraint"].as_str().unwrap_or(""),
            item["message"].as_str().unwrap_or("")
        ));
    }
    for item in v["advisories"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  advisory   {}\n",
            item["message"].as_str().unwrap_or("")
        ));
    }
    if !v["effective"].is_null() {
        out.push_str(&format!("effective request: {}\n", v["effective"]));
    }
    out
}

fn validate(response: bool, human: bool, file: Option<PathBuf>) -> ExitCode {
    let body = match read_input(file) {
        Ok(b) => b,
        Err(e) => return fail(&format!("cannot read input: {e}")),
    };
    let parsed = if response {
        check_response(&body).map(|c| (c.report, None))
    } else {
        check_request(&body).map(|c| {
            let effective = serde_json::to_value(c.value.effective()).ok();
            (c.report, effective)
        })
    };
    let v = verdict(parsed);
    let text = if human {
        human_verdict(&v)
    } else {
        format!("{v}\n")
    };
    print(&text);
    if v["valid"] == true {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn constraints(as_json: bool) -> ExitCode {
    let table = export::constraints_json();
    if as_json {
        return print(&(serde_json::to_string_pretty(&table).expect("JSON") + "\n"));
    }
    let mut out = String::new();
    for row in table.as_array().into_iter().flatten() {
        let mut parts = Vec::new();
        for key in [
            "required", "length", "range", "pattern", "enum", "default", "maxBytes",
        ] {
            let v = &row[key];
            if !(v.is_null() || v == false) {
                let src = row["source"][key].as_str().unwrap_or("");
                parts.push(format!("{key}={v} ({src})"));
            }
        }
        out.push_str(&format!(
            "{}.{}: {}\n",
            row["shape"].as_str().unwrap_or(""),
            row["member"].as_str().unwrap_or(""),
            parts.join(", ")
        ));
    }
    print(&out)
}

fn list(select: &Select) -> ExitCode {
    let cases = match select.load() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let mut out = String::new();
    for c in &cases {
        out.push_str(&format!(
            "{:<6} {}  {}\n",
            c.level.as_str(),
            c.id,
            c.description
        ));
    }
    out.push_str(&format!("{} cases\n", cases.len()));
    print(&out)
}

fn run(
    offline: bool,
    endpoint: Option<&str>,
    target_args: &TargetArgs,
    concurrency: usize,
    select: &Select,
    format: Format,
) -> ExitCode {
    let cases = match select.load() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let selected: Vec<&case::Case> = cases.iter().collect();
    let color = format == Format::Human && report::color_wanted();
    let progress_on = format == Format::Human && std::io::stderr().is_terminal();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = selected.len();
    let progress = |r: &runner::CaseResult| {
        if progress_on {
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            eprint!("\r\x1b[2K[{n}/{total}] {}", r.id);
            if n == total {
                eprint!("\r\x1b[2K");
            }
        }
    };
    let (results, name) = if offline {
        let target = ModelTarget::default();
        (
            runner::run_all(&target, &selected, 1, &progress),
            target.name().to_owned(),
        )
    } else {
        let (target, _embedded) = match target_args.target(endpoint) {
            Ok(t) => t,
            Err(e) => return fail(&e),
        };
        (
            runner::run_all(&target, &selected, concurrency, &progress),
            target.name().to_owned(),
        )
    };
    print(&report::render_with(format, &name, &results, color));
    let summary = Summary::of(&results);
    // Offline, the core must pass everything; a server fails the run on a MUST.
    let failed = if offline {
        summary.failed
    } else {
        summary.failed_must
    };
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn fuzz_server(
    endpoint: Option<&str>,
    target_args: &TargetArgs,
    cases: u32,
    seed: u64,
    replay: Option<PathBuf>,
) -> ExitCode {
    let (target, _embedded) = match target_args.target(endpoint) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    if let Some(path) = replay {
        let body = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => return fail(&format!("cannot read {}: {e}", path.display())),
        };
        return match ivs_conformance::generative::check_one(&target, &body) {
            Ok(()) => print("agrees with the core\n"),
            Err(why) => {
                print(&format!("disagrees with the core: {why}\n"));
                ExitCode::from(1)
            }
        };
    }
    match ivs_conformance::generative::run(&target, cases, seed) {
        Ok(n) => print(&format!(
            "{n} generated requests: every answer agrees with the core (seed {seed})\n"
        )),
        Err(d) => {
            print(&format!(
                "disagreement (seed {seed}), shrunk to a minimal request:\n{}\n{}\nreplay: save the body to a file and run ivs-conformance fuzz-server --replay FILE\n",
                d.body, d.reason
            ));
            ExitCode::from(1)
        }
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn token(command: TokenCommand) -> ExitCode {
    use ivs_participant_token::token;
    match command {
        TokenCommand::Mint {
            key,
            kid,
            events_url,
            whip_url,
            participant_id,
            request,
        } => {
            let pem = match std::fs::read_to_string(&key) {
                Ok(p) => p,
                Err(e) => return fail(&format!("cannot read {}: {e}", key.display())),
            };
            let key = match token::PrivateKey::from_pem(&pem) {
                Ok(k) => k,
                Err(e) => return fail(&e.to_string()),
            };
            let body = match read_input(request) {
                Ok(b) => b,
                Err(e) => return fail(&format!("cannot read input: {e}")),
            };
            let request = match ivs_participant_token::parse_request(&body) {
                Ok(p) => p.value,
                Err(e) => {
                    eprintln!("ivs-conformance: {e}");
                    return ExitCode::from(1);
                }
            };
            let params = token::MintParams {
                kid: &kid,
                events_url: &events_url,
                whip_url: &whip_url,
                now: now(),
                participant_id,
            };
            match token::mint(&request, &key, &params) {
                Ok(issued) => {
                    let response = ivs_participant_token::CreateParticipantTokenResponse {
                        participant_token: Some(issued),
                    };
                    print(&(serde_json::to_string_pretty(&response).expect("JSON") + "\n"))
                }
                Err(e) => {
                    eprintln!("ivs-conformance: {e}");
                    ExitCode::from(1)
                }
            }
        }
        TokenCommand::Decode { token } => match token::decode(token.trim()) {
            Ok(d) => print(
                &(serde_json::to_string_pretty(&json!({"header": d.header, "claims": d.claims}))
                    .expect("JSON")
                    + "\n"),
            ),
            Err(e) => {
                eprintln!("ivs-conformance: {e}");
                ExitCode::from(1)
            }
        },
        TokenCommand::Verify { public_key, token } => {
            let pem = match std::fs::read_to_string(&public_key) {
                Ok(p) => p,
                Err(e) => return fail(&format!("cannot read {}: {e}", public_key.display())),
            };
            let key = match token::PublicKey::from_pem(&pem) {
                Ok(k) => k,
                Err(e) => return fail(&e.to_string()),
            };
            match token::verify(token.trim(), &key, now()) {
                Ok(d) => {
                    let mut report = d.header.validate();
                    report.violations.extend(d.claims.validate().violations);
                    if report.is_valid() {
                        print("valid\n");
                        ExitCode::SUCCESS
                    } else {
                        print(&format!("invalid claims: {}\n", report.aws_message()));
                        ExitCode::from(1)
                    }
                }
                Err(e) => {
                    print(&format!("invalid: {e}\n"));
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn serve(config: ivs_reference_server::ServerConfig) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    let result = runtime.block_on(ivs_reference_server::serve(
        config,
        ivs_reference_server::shutdown_signal(),
        |addr, state| {
            println!("listening on http://{addr}");
            for stage in &state.config.stages {
                println!("stage {stage}");
            }
            println!("kid {}", state.kid);
            println!(
                "public key at http://{addr}{}",
                ivs_reference_server::app::JWKS_PATH
            );
        },
    ));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot serve: {e}")),
    }
}
