//! What a server is started with: stages, keys, credentials, quotas. From code, or from a
//! TOML file (`ivs-conformance serve --config server.toml`).

use std::net::SocketAddr;
use std::time::Duration;

use ivs_participant_token::token::PrivateKey;
use serde::Deserialize;

mod checks;

pub use checks::{check_wait, seconds_setting};

/// One access key the server accepts when SigV4 verification is on. Its `Debug` shows
/// the id and never the secret.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessKey {
    /// The access key id (`AKIA…`).
    pub access_key_id: String,
    /// The secret. Never logged.
    pub secret_access_key: String,
    /// Stage ARNs this key may create tokens for; every stage when absent.
    #[serde(default)]
    pub allowed_stages: Option<Vec<String>>,
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKey")
            .field("access_key_id", &self.access_key_id)
            .field("allowed_stages", &self.allowed_stages)
            .finish_non_exhaustive()
    }
}

impl std::str::FromStr for AccessKey {
    type Err = String;

    /// Reads `ID:SECRET` (the secret may itself hold `:`), allowed on every stage. The
    /// error never repeats the text, which may hold a secret.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok(AccessKey {
                access_key_id: id.to_owned(),
                secret_access_key: secret.to_owned(),
                allowed_stages: None,
            }),
            _ => Err(
                "takes ID:SECRET, both non-empty (the value given is not shown: it may hold a secret)"
                    .to_owned(),
            ),
        }
    }
}

/// Quotas that, once exceeded, answer ServiceQuotaExceededException (402).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quotas {
    /// Tokens the server issues per stage over its lifetime.
    #[serde(default)]
    pub tokens_per_stage: Option<u64>,
    /// CreateParticipantToken requests accepted per second (over all stages).
    #[serde(default)]
    pub requests_per_second: Option<u32>,
    /// Stages that CreateStage may hold at once; never more than
    /// [`MAX_STAGES`](crate::stages::MAX_STAGES).
    #[serde(default)]
    pub stages: Option<u64>,
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen; port 0 picks a free one.
    pub bind: SocketAddr,
    /// The region SigV4 scopes must name; `None`: the regions of the configured stages
    /// (a client that signs for its stage's region is accepted), or `us-west-2` when no
    /// stage is configured.
    pub region: Option<String>,
    /// The stages that exist. Empty: [`DEFAULT_STAGE`]'s stage, in the configured region
    /// when there is one, so that the README's examples answer 200.
    pub stages: Vec<String>,
    /// Every well-formed stage ARN exists, as for tests that make up their own ARNs
    /// (`--any-stage`); `stages` then only sets the SigV4 regions and what is printed.
    pub any_stage: bool,
    /// The key tokens are signed with; a fresh one when `None`.
    pub signing_key: Option<PrivateKey>,
    /// The public key's ARN, the tokens' `kid`; made up from region and account when `None`.
    pub kid: Option<String>,
    /// The stages' events endpoint, written into tokens.
    pub events_url: String,
    /// The stages' WHIP endpoint, written into tokens.
    pub whip_url: String,
    /// Answer every request PendingVerification (403), as an unverified account would.
    pub pending_verification: bool,
    /// Quotas.
    pub quotas: Quotas,
    /// When `Some`, requests must carry a valid SigV4 signature by one of these keys.
    pub access_keys: Option<Vec<AccessKey>>,
    /// Bodies larger than this are refused with 413 without being read whole.
    pub max_body_bytes: usize,
    /// How long a client may take to send a request's headers, and how long an idle
    /// keep-alive connection is kept waiting for its next request; then it is closed.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body; then 408.
    pub body_timeout: Duration,
    /// How long a write to a client may wait for the client to read (nginx's
    /// `send_timeout`: between two successful writes, not for the whole answer); then
    /// the connection is closed. A client that sends requests and never reads the
    /// answers holds its connection this long at most once its socket buffers are full.
    pub write_timeout: Duration,
    /// Connections served at once. Up to as many more are accepted and wait for a slot,
    /// each at most `header_timeout`, then are answered 503 ServiceUnavailableException;
    /// beyond that, a connection is answered 503 at once.
    pub max_connections: usize,
    /// On SIGINT or SIGTERM, how long requests under way may take to finish before the
    /// server closes their connections and exits.
    pub shutdown_grace: Duration,
}

/// The default region of made-up stages and SigV4 scopes.
pub const DEFAULT_REGION: &str = "us-west-2";

/// The stage that exists when none is configured: the README's and `examples/request.json`'s
/// example ARN (in [`DEFAULT_REGION`]; a configured region replaces its region).
pub const DEFAULT_STAGE: &str = ivs_participant_token::constraints::EXAMPLE_STAGE_ARN;

/// [`DEFAULT_STAGE`] in `region`.
pub fn default_stage_in(region: &str) -> String {
    DEFAULT_STAGE.replacen(DEFAULT_REGION, region, 1)
}

/// A setting that can never work, found before the server starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The setting, as its command-line flag names it (`--stage`, `--region`, …).
    pub setting: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.setting, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The default account id of made-up ARNs.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// The longest any timeout or grace period may be set to (an hour): a wait on a client
/// is meant to be bounded, and a longer one is more likely a unit mistake.
pub const MAX_WAIT: Duration = Duration::from_secs(3600);

/// The most connections that may be served at once (each holds a file descriptor, and
/// as many more may wait for a slot).
pub const MAX_CONNECTIONS: usize = 100_000;

/// The largest body limit that may be set: 64 times the service's
/// ([`MAX_BODY_BYTES`](ivs_participant_token::constraints::MAX_BODY_BYTES)). Bodies are
/// held whole in memory while they are judged.
pub const MAX_BODY_LIMIT: usize = 64 * ivs_participant_token::constraints::MAX_BODY_BYTES;

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            region: None,
            stages: Vec::new(),
            any_stage: false,
            signing_key: None,
            kid: None,
            events_url: ivs_participant_token::token::DEFAULT_EVENTS_URL.to_owned(),
            whip_url: ivs_participant_token::token::DEFAULT_WHIP_URL.to_owned(),
            pending_verification: false,
            quotas: Quotas::default(),
            access_keys: None,
            max_body_bytes: ivs_participant_token::constraints::MAX_BODY_BYTES,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_connections: 1024,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// Settings given on a command line, laid over a configuration file's or the defaults
/// by [`ServerConfig::with_overrides`]. An empty list or `None` keeps what is there.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The address to listen on; `None` keeps the file's (or the default's) address.
    pub host: Option<std::net::IpAddr>,
    /// The port; `None` keeps the file's `bind` (or the default).
    pub port: Option<u16>,
    /// Stages that exist.
    pub stages: Vec<String>,
    /// Every well-formed stage ARN exists (added to the file's setting).
    pub any_stage: bool,
    /// The region SigV4 scopes must name.
    pub region: Option<String>,
    /// Keys whose SigV4 signatures are required.
    pub access_keys: Vec<AccessKey>,
    /// Answer every request PendingVerification (added to the file's setting).
    pub pending_verification: bool,
    /// Tokens per stage before ServiceQuotaExceededException.
    pub tokens_per_stage: Option<u64>,
    /// Requests per second before ServiceQuotaExceededException.
    pub requests_per_second: Option<u32>,
    /// Stages CreateStage may hold before ServiceQuotaExceededException.
    pub stages_quota: Option<u64>,
    /// The header and idle keep-alive bound.
    pub header_timeout: Option<Duration>,
    /// The body bound.
    pub body_timeout: Option<Duration>,
    /// The bound on a write that waits for the client to read.
    pub write_timeout: Option<Duration>,
    /// Connections served at once.
    pub max_connections: Option<usize>,
    /// The shutdown grace period.
    pub shutdown_grace: Option<Duration>,
}

impl ServerConfig {
    /// The regions SigV4 scopes may name: the one configured, else those of the stages,
    /// else [`DEFAULT_REGION`].
    pub fn signing_regions(&self) -> Vec<String> {
        if let Some(r) = &self.region {
            return vec![r.clone()];
        }
        let mut regions: Vec<String> = self
            .stages
            .iter()
            .filter_map(|s| ivs_participant_token::StageArn::parse(s).ok())
            .map(|a| a.region().to_owned())
            .collect();
        regions.sort();
        regions.dedup();
        if regions.is_empty() {
            regions.push(DEFAULT_REGION.to_owned());
        }
        regions
    }

    /// This configuration with `o` laid over it.
    pub fn with_overrides(mut self, o: Overrides) -> ServerConfig {
        if let Some(host) = o.host {
            self.bind.set_ip(host);
        }
        if let Some(port) = o.port {
            self.bind.set_port(port);
        }
        self.any_stage |= o.any_stage;
        if !o.stages.is_empty() {
            self.stages = o.stages;
        }
        if let Some(r) = o.region {
            self.region = Some(r);
        }
        if !o.access_keys.is_empty() {
            self.access_keys = Some(o.access_keys);
        }
        self.pending_verification |= o.pending_verification;
        if o.tokens_per_stage.is_some() {
            self.quotas.tokens_per_stage = o.tokens_per_stage;
        }
        if o.requests_per_second.is_some() {
            self.quotas.requests_per_second = o.requests_per_second;
        }
        if o.stages_quota.is_some() {
            self.quotas.stages = o.stages_quota;
        }
        self.header_timeout = o.header_timeout.unwrap_or(self.header_timeout);
        self.body_timeout = o.body_timeout.unwrap_or(self.body_timeout);
        self.write_timeout = o.write_timeout.unwrap_or(self.write_timeout);
        self.max_connections = o.max_connections.unwrap_or(self.max_connections);
        self.shutdown_grace = o.shutdown_grace.unwrap_or(self.shutdown_grace);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_from_the_command_line() {
        let k: AccessKey = "AKID:se:cret".parse().unwrap();
        assert_eq!(
            (k.access_key_id.as_str(), k.secret_access_key.as_str()),
            ("AKID", "se:cret")
        );
        assert!("nocolon".parse::<AccessKey>().is_err());
    }

    #[test]
    fn overrides_lay_over_the_file() {
        let base = ServerConfig {
            stages: vec!["a".into()],
            quotas: Quotas {
                tokens_per_stage: Some(5),
                requests_per_second: Some(7),
                stages: None,
            },
            ..ServerConfig::default()
        };
        let c = base.clone().with_overrides(Overrides {
            port: Some(4566),
            requests_per_second: Some(9),
            ..Overrides::default()
        });
        assert_eq!(c.bind.port(), 4566);
        assert!(
            c.bind.ip().is_loopback(),
            "the port alone keeps the address"
        );
        assert_eq!(c.stages, vec!["a".to_owned()]);
        assert_eq!(c.quotas.tokens_per_stage, Some(5));
        assert_eq!(c.quotas.requests_per_second, Some(9));
        let c = base.with_overrides(Overrides {
            host: Some([0, 0, 0, 0].into()),
            stages: vec!["b".into()],
            any_stage: true,
            pending_verification: true,
            ..Overrides::default()
        });
        assert_eq!(c.stages, vec!["b".to_owned()]);
        assert!(c.bind.ip().is_unspecified());
        assert!(c.pending_verification && c.any_stage);
    }

    #[test]
    fn toml_file() {
        let dir = std::env::temp_dir().join(format!("ivs-server-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("server.toml");
        std::fs::write(
            &file,
            r#"
            bind = "127.0.0.1:4566"
            stages = ["arn:aws:ivs:us-west-2:1:stage/a"]
            pending_verification = true
            [quotas]
            tokens_per_stage = 3
            [[access_keys]]
            access_key_id = "AK"
            secret_access_key = "S"
            "#,
        )
        .unwrap();
        let c = ServerConfig::from_toml_file(&file).unwrap();
        assert_eq!(c.bind.port(), 4566);
        assert_eq!(c.stages.len(), 1);
        assert!(c.pending_verification);
        assert_eq!(c.quotas.tokens_per_stage, Some(3));
        assert_eq!(c.access_keys.unwrap()[0].allowed_stages, None);
        std::fs::write(&file, "unknown = 1").unwrap();
        assert!(ServerConfig::from_toml_file(&file).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
