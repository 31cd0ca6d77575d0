//! `serve`: its flags, laid over a configuration file's settings, and the run of the
//! reference server until a signal.

use std::io::Write;
use std::time::Duration;

use ivs_reference_server::{AccessKey, Overrides, ServerConfig};

use crate::cli::output::CommandOutput;

/// The port `serve` listens on when neither `--port` nor a configuration file's `bind`
/// says otherwise (LocalStack's edge port, which AWS emulators' users already point at).
pub const DEFAULT_SERVE_PORT: u16 = 4566;

/// The configuration of `serve` without a configuration file: the library's defaults,
/// on 127.0.0.1:[`DEFAULT_SERVE_PORT`].
pub fn default_serve_config() -> ServerConfig {
    ServerConfig {
        bind: std::net::SocketAddr::from(([127, 0, 0, 1], DEFAULT_SERVE_PORT)),
        ..ServerConfig::default()
    }
}

/// Seconds on the command line: a number, not negative, at most the server's
/// [`MAX_WAIT`](ivs_reference_server::config::MAX_WAIT); whether zero is allowed is
/// [`ServerConfig::validate`]'s to say, naming the flag.
fn seconds(text: &str) -> Result<Duration, String> {
    let n: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    ivs_reference_server::config::seconds_setting(n)
}

/// Reads `--access-key ID:SECRET` with an error that never repeats the value (clap's
/// own errors quote it, and it holds a secret).
#[derive(Debug, Clone, Copy)]
struct AccessKeyParser;

impl clap::builder::TypedValueParser for AccessKeyParser {
    type Value = AccessKey;

    fn parse_ref(
        &self,
        _: &clap::Command,
        _: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<AccessKey, clap::Error> {
        value
            .to_str()
            .ok_or_else(|| "takes ID:SECRET as text".to_owned())
            .and_then(str::parse)
            .map_err(|why| {
                clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!("--access-key (or IVS_SERVE_ACCESS_KEYS) {why}\n"),
                )
            })
    }
}

/// How `serve` writes its log lines (to stderr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Plain text, coloured only when stderr is a terminal.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The flags of `serve`, laid over a configuration file's settings or the defaults.
/// Every flag can also come from the environment variable `--help` names, as emulators
/// are configured in containers; a flag given on the command line wins. Repeatable flags
/// take a comma-separated list from their variable; switches take `true`/`false`,
/// `1`/`0`, `yes`/`no` or `on`/`off`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeFlags {
    /// The address to listen on (0.0.0.0 in a container). Default: the configuration
    /// file's `bind`, else 127.0.0.1.
    #[arg(long, env = "IVS_SERVE_HOST")]
    pub host: Option<std::net::IpAddr>,
    /// The port (0: any free one). Default: the configuration file's `bind`, else 4566.
    #[arg(long, env = "IVS_SERVE_PORT")]
    pub port: Option<u16>,
    /// A stage that exists (repeatable). None: the README's example stage (serve prints
    /// it when it starts).
    #[arg(long = "stage", env = "IVS_SERVE_STAGES", value_delimiter = ',')]
    pub stages: Vec<String>,
    /// Every well-formed stage ARN exists, for tests that make up their own ARNs.
    #[arg(long, env = "IVS_SERVE_ANY_STAGE", value_parser = clap::builder::BoolishValueParser::new())]
    pub any_stage: bool,
    /// The region SigV4 scopes must name. Default: the regions of the stages.
    #[arg(long, env = "IVS_SERVE_REGION")]
    pub region: Option<String>,
    /// Require SigV4 signatures by this key (`ID:SECRET`, repeatable).
    #[arg(
        long = "access-key",
        env = "IVS_SERVE_ACCESS_KEYS",
        value_delimiter = ',',
        hide_env_values = true,
        value_parser = AccessKeyParser
    )]
    pub access_keys: Vec<AccessKey>,
    /// Answer every request PendingVerification.
    #[arg(long, env = "IVS_SERVE_PENDING_VERIFICATION", value_parser = clap::builder::BoolishValueParser::new())]
    pub pending_verification: bool,
    /// Tokens per stage before ServiceQuotaExceededException.
    #[arg(long, env = "IVS_SERVE_TOKENS_PER_STAGE")]
    pub tokens_per_stage: Option<u64>,
    /// Requests per second before ServiceQuotaExceededException.
    #[arg(long, env = "IVS_SERVE_REQUESTS_PER_SECOND")]
    pub requests_per_second: Option<u32>,
    /// Stages CreateStage may hold at once before ServiceQuotaExceededException
    /// [default and most: 10000].
    #[arg(long, env = "IVS_SERVE_STAGES_QUOTA")]
    pub stages_quota: Option<u64>,
    /// Seconds a client may take to send a request's headers, and an idle keep-alive
    /// connection may wait for its next request [default: 10].
    #[arg(long, value_parser = seconds, env = "IVS_SERVE_HEADER_TIMEOUT")]
    pub header_timeout: Option<Duration>,
    /// Seconds a client may take to send a request's body, then 408 [default: 10].
    #[arg(long, value_parser = seconds, env = "IVS_SERVE_BODY_TIMEOUT")]
    pub body_timeout: Option<Duration>,
    /// Seconds a write may wait for the client to read (between two writes that make
    /// progress), then the connection is closed [default: 10].
    #[arg(long, value_parser = seconds, env = "IVS_SERVE_WRITE_TIMEOUT")]
    pub write_timeout: Option<Duration>,
    /// Connections served at once; as many more may wait for a slot, each at most the
    /// header timeout, then get 503 [default: 1024].
    #[arg(long, env = "IVS_SERVE_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Seconds requests under way get to finish after SIGINT or SIGTERM [default: 5].
    #[arg(long, value_parser = seconds, env = "IVS_SERVE_SHUTDOWN_GRACE")]
    pub shutdown_grace: Option<Duration>,
    /// Log lines as plain text (no colour unless stderr is a terminal) or JSON.
    #[arg(long, value_enum, default_value_t, env = "IVS_SERVE_LOG_FORMAT")]
    pub log_format: LogFormat,
}

impl ServeFlags {
    /// The settings these flags give.
    pub fn overrides(self) -> Overrides {
        Overrides {
            host: self.host,
            port: self.port,
            stages: self.stages,
            any_stage: self.any_stage,
            region: self.region,
            access_keys: self.access_keys,
            pending_verification: self.pending_verification,
            tokens_per_stage: self.tokens_per_stage,
            requests_per_second: self.requests_per_second,
            stages_quota: self.stages_quota,
            header_timeout: self.header_timeout,
            body_timeout: self.body_timeout,
            write_timeout: self.write_timeout,
            max_connections: self.max_connections,
            shutdown_grace: self.shutdown_grace,
        }
    }
}

/// The most log lines waiting for stderr. When its reader stalls (a pipe nobody reads,
/// as test fixtures often start a server) the lines beyond these are dropped and counted,
/// and serving goes on: no request ever waits on the log.
pub const LOG_LINES_BUFFERED: usize = 4096;

/// How often the count of dropped log lines is looked at, and reported when it grew.
const DROPPED_REPORT_EVERY: Duration = Duration::from_secs(10);

/// Logs to stderr at `RUST_LOG`'s level (default info): colour only on a terminal, so a
/// log file holds no escape codes; or one JSON object per line. Lines are written by a
/// thread of their own (tracing-appender's non-blocking writer, lossy), so a stalled
/// reader of stderr stalls nothing but that thread. The guard flushes what is buffered
/// when dropped (waiting a second at most); the counter tells how many lines were
/// dropped.
fn init_logs(
    format: LogFormat,
) -> (
    tracing_appender::non_blocking::WorkerGuard,
    tracing_appender::non_blocking::ErrorCounter,
) {
    use std::io::IsTerminal;
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(LOG_LINES_BUFFERED)
        .thread_name("ivs-serve-log")
        .finish(std::io::stderr());
    let dropped = writer.error_counter();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    (guard, dropped)
}

/// Reports, through the log itself, how many lines were dropped since the last report,
/// every [`DROPPED_REPORT_EVERY`] while lines are being dropped.
async fn report_dropped_lines(counter: tracing_appender::non_blocking::ErrorCounter) {
    let mut reported = 0;
    loop {
        tokio::time::sleep(DROPPED_REPORT_EVERY).await;
        let dropped = counter.dropped_lines();
        if dropped > reported {
            tracing::warn!(
                dropped_lines = dropped,
                "log lines dropped: stderr is not being read fast enough"
            );
            reported = dropped;
        }
    }
}

/// `serve`: checks the settings, then runs the reference server until SIGINT or
/// SIGTERM, logging to stderr. A setting that can never work exits 2 with a message that
/// names it, before anything is bound.
pub fn serve(config: ServerConfig, log_format: LogFormat) -> CommandOutput {
    if let Err(e) = config.validate() {
        return CommandOutput::fail(2, e.to_string());
    }
    let (_flush_on_exit, dropped) = init_logs(log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return CommandOutput::fail(2, e.to_string()),
    };
    runtime.spawn(report_dropped_lines(dropped));
    let result = runtime.block_on(ivs_reference_server::serve(
        config,
        ivs_reference_server::shutdown_signal(),
        |addr, state| {
            // Written without println!, so that a closed stdout (`| head -1`) does not
            // panic the server.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "listening on http://{addr}");
            for stage in &state.config.stages {
                let _ = writeln!(out, "stage {stage}");
            }
            if state.config.any_stage {
                let _ = writeln!(out, "any well-formed stage ARN exists (--any-stage)");
            }
            let _ = writeln!(out, "kid {}", state.kid);
            match &state.config.access_keys {
                Some(keys) => {
                    let _ = writeln!(
                        out,
                        "SigV4 required: {} access key{}, scopes in {}",
                        keys.len(),
                        if keys.len() == 1 { "" } else { "s" },
                        state.signing_regions.join(", ")
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "SigV4 not checked: any credentials are accepted (--access-key ID:SECRET requires signatures)"
                    );
                }
            }
            let _ = writeln!(
                out,
                "public key at http://{addr}{}",
                ivs_reference_server::app::JWKS_PATH
            );
            // The line LocalStack prints when it can take requests, which test
            // containers wait for.
            let _ = writeln!(out, "Ready.");
            let _ = out.flush();
        },
    ));
    match result {
        Ok(()) => CommandOutput::ok(""),
        Err(e) => CommandOutput::fail(2, format!("cannot serve: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Args, CommandFactory};

    const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

    #[test]
    fn every_serve_flag_has_an_environment_variable_named_in_help() {
        let flags = ServeFlags::augment_args(clap::Command::new("serve"));
        let mut named = 0;
        for arg in flags.get_arguments() {
            let env = arg.get_env().map(|e| e.to_string_lossy().into_owned());
            let env =
                env.unwrap_or_else(|| panic!("--{} has no environment variable", arg.get_id()));
            assert!(env.starts_with("IVS_SERVE_"), "{env}");
            named += 1;
        }
        assert!(named >= 14, "{named} flags");
        let mut cli = crate::cli::args::Cli::command();
        let help = cli
            .find_subcommand_mut("serve")
            .expect("a serve command")
            .render_long_help()
            .to_string();
        for arg in flags.get_arguments() {
            let env = arg.get_env().unwrap().to_string_lossy();
            assert!(
                help.contains(&format!("[env: {env}")),
                "--help does not name {env}"
            );
        }
        assert!(help.contains("[env: IVS_SERVE_CONFIG"), "{help}");
    }

    #[test]
    fn a_config_file_without_bind_keeps_the_default_port() {
        let dir = std::env::temp_dir().join(format!("ivs-nobind-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("server.toml");
        std::fs::write(&file, format!("stages = [\"{ARN}\"]\n")).unwrap();
        let base = ServerConfig::from_toml_file_over(&file, default_serve_config()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(base.bind.port(), DEFAULT_SERVE_PORT);
        assert_eq!(base.stages, vec![ARN.to_owned()]);
    }
}
