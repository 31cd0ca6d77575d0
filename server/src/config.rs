//! What a server is started with: stages, keys, credentials, quotas. From code, or from a
//! TOML file (`ivs-conformance serve --config server.toml`).

use std::net::SocketAddr;
use std::path::Path;

use ivs_participant_token::token::PrivateKey;
use serde::Deserialize;

/// One access key the server accepts when SigV4 verification is on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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

impl std::str::FromStr for AccessKey {
    type Err = String;

    /// Reads `ID:SECRET` (the secret may itself hold `:`), allowed on every stage.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some((id, secret)) => Ok(AccessKey {
                access_key_id: id.to_owned(),
                secret_access_key: secret.to_owned(),
                allowed_stages: None,
            }),
            None => Err("--access-key takes ID:SECRET".to_owned()),
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
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen; port 0 picks a free one.
    pub bind: SocketAddr,
    /// The region SigV4 scopes must name.
    pub region: String,
    /// The stages that exist. Empty: one default stage is made up at start.
    pub stages: Vec<String>,
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
}

/// The default account id of made-up ARNs.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            region: "us-west-2".to_owned(),
            stages: Vec::new(),
            signing_key: None,
            kid: None,
            events_url: "wss://global.events.live-video.net".to_owned(),
            whip_url: "https://global.whip.live-video.net".to_owned(),
            pending_verification: false,
            quotas: Quotas::default(),
            access_keys: None,
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// The TOML file's form. Every key is optional.
///
/// ```toml
/// bind = "127.0.0.1:4566"
/// region = "us-west-2"
/// stages = ["arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"]
/// signing_key_pem = "keys/p384.pem"      # PKCS#8 or SEC1; a fresh key when absent
/// kid = "arn:aws:ivs:us-west-2:123456789012:public-key/local"
/// pending_verification = false
/// max_body_bytes = 1048576
/// [quotas]
/// tokens_per_stage = 1000
/// requests_per_second = 50
/// [[access_keys]]
/// access_key_id = "AKIDEXAMPLE"
/// secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
/// allowed_stages = ["arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"]
/// ```
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<SocketAddr>,
    region: Option<String>,
    stages: Option<Vec<String>>,
    signing_key_pem: Option<String>,
    kid: Option<String>,
    events_url: Option<String>,
    whip_url: Option<String>,
    pending_verification: Option<bool>,
    quotas: Option<Quotas>,
    access_keys: Option<Vec<AccessKey>>,
    max_body_bytes: Option<usize>,
}

/// Settings given on a command line, laid over a configuration file's or the defaults
/// by [`ServerConfig::with_overrides`]. An empty list or `None` keeps what is there.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The port on 127.0.0.1.
    pub port: u16,
    /// Stages that exist.
    pub stages: Vec<String>,
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
}

impl ServerConfig {
    /// This configuration with `o` laid over it.
    pub fn with_overrides(mut self, o: Overrides) -> ServerConfig {
        self.bind = SocketAddr::from(([127, 0, 0, 1], o.port));
        if !o.stages.is_empty() {
            self.stages = o.stages;
        }
        if let Some(r) = o.region {
            self.region = r;
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
        self
    }

    /// Reads a TOML file (see [`ServerConfig`]'s fields; paths are relative to the file).
    pub fn from_toml_file(path: &Path) -> Result<ServerConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: FileConfig =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut c = ServerConfig::default();
        if let Some(v) = file.bind {
            c.bind = v;
        }
        if let Some(v) = file.region {
            c.region = v;
        }
        if let Some(v) = file.stages {
            c.stages = v;
        }
        if let Some(p) = file.signing_key_pem {
            let p = path.parent().unwrap_or(Path::new(".")).join(p);
            let pem = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            c.signing_key =
                Some(PrivateKey::from_pem(&pem).map_err(|e| format!("{}: {e}", p.display()))?);
        }
        c.kid = file.kid;
        if let Some(v) = file.events_url {
            c.events_url = v;
        }
        if let Some(v) = file.whip_url {
            c.whip_url = v;
        }
        c.pending_verification = file.pending_verification.unwrap_or(false);
        c.quotas = file.quotas.unwrap_or_default();
        c.access_keys = file.access_keys;
        if let Some(v) = file.max_body_bytes {
            c.max_body_bytes = v;
        }
        Ok(c)
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
            },
            ..ServerConfig::default()
        };
        let c = base.clone().with_overrides(Overrides {
            port: 4566,
            requests_per_second: Some(9),
            ..Overrides::default()
        });
        assert_eq!(c.bind.port(), 4566);
        assert_eq!(c.stages, vec!["a".to_owned()]);
        assert_eq!(c.quotas.tokens_per_stage, Some(5));
        assert_eq!(c.quotas.requests_per_second, Some(9));
        let c = base.with_overrides(Overrides {
            stages: vec!["b".into()],
            pending_verification: true,
            ..Overrides::default()
        });
        assert_eq!(c.stages, vec!["b".to_owned()]);
        assert!(c.pending_verification);
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
