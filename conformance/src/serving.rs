//! `serve`: its flags, laid over a configuration file's settings, and the run of the
//! reference server until a signal.

use std::io::Write;
use std::time::Duration;

use ivs_reference_server::{AccessKey, Overrides, ServerConfig};

use crate::commands::Outcome;

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

/// Seconds on the command line: positive and finite.
fn seconds(text: &str) -> Result<Duration, String> {
    let n: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(n)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{text:?} must be a positive number of seconds"))
}

/// The flags of `serve`, laid over a configuration file's settings or the defaults.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeFlags {
    /// The port on 127.0.0.1 (0: any free one). Default: the configuration file's
    /// `bind`, else 4566.
    #[arg(long)]
    pub port: Option<u16>,
    /// A stage that exists (repeatable). None: one is made up and printed.
    #[arg(long = "stage")]
    pub stages: Vec<String>,
    /// The region SigV4 scopes must name. Default: the regions of the stages.
    #[arg(long)]
    pub region: Option<String>,
    /// Require SigV4 signatures by this key (`ID:SECRET`, repeatable).
    #[arg(long = "access-key")]
    pub access_keys: Vec<AccessKey>,
    /// Answer every request PendingVerification.
    #[arg(long)]
    pub pending_verification: bool,
    /// Tokens per stage before ServiceQuotaExceededException.
    #[arg(long)]
    pub tokens_per_stage: Option<u64>,
    /// Requests per second before ServiceQuotaExceededException.
    #[arg(long)]
    pub requests_per_second: Option<u32>,
    /// Seconds a client may take to send a request's headers, and an idle keep-alive
    /// connection may wait for its next request [default: 10].
    #[arg(long, value_parser = seconds)]
    pub header_timeout: Option<Duration>,
    /// Seconds a client may take to send a request's body, then 408 [default: 10].
    #[arg(long, value_parser = seconds)]
    pub body_timeout: Option<Duration>,
    /// Connections served at once [default: 1024].
    #[arg(long)]
    pub max_connections: Option<usize>,
    /// Seconds requests under way get to finish after SIGINT or SIGTERM [default: 5].
    #[arg(long, value_parser = seconds)]
    pub shutdown_grace: Option<Duration>,
}

impl ServeFlags {
    /// The settings these flags give.
    pub fn overrides(self) -> Overrides {
        Overrides {
            port: self.port,
            stages: self.stages,
            region: self.region,
            access_keys: self.access_keys,
            pending_verification: self.pending_verification,
            tokens_per_stage: self.tokens_per_stage,
            requests_per_second: self.requests_per_second,
            header_timeout: self.header_timeout,
            body_timeout: self.body_timeout,
            max_connections: self.max_connections,
            shutdown_grace: self.shutdown_grace,
        }
    }
}

/// `serve`: checks the settings, then runs the reference server until SIGINT or
/// SIGTERM, logging to stderr. A setting that can never work exits 2 with a message that
/// names it, before anything is bound.
pub fn serve(config: ServerConfig) -> Outcome {
    if let Err(e) = config.validate() {
        return Outcome::fail(2, e.to_string());
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return Outcome::fail(2, e.to_string()),
    };
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
            let _ = writeln!(out, "kid {}", state.kid);
            let _ = writeln!(
                out,
                "public key at http://{addr}{}",
                ivs_reference_server::app::JWKS_PATH
            );
            let _ = out.flush();
        },
    ));
    match result {
        Ok(()) => Outcome::ok(""),
        Err(e) => Outcome::fail(2, format!("cannot serve: {e}")),
    }
}
