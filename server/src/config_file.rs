//! Reading a [`ServerConfig`] from a TOML file (`ivs-conformance serve --config`).

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use ivs_participant_token::token::PrivateKey;
use serde::Deserialize;

use crate::config::{seconds_setting, AccessKey, Quotas, ServerConfig};

/// The TOML file's form. Every key is optional; `server/serve.example.toml` lists each one
/// with its meaning and default, and `the_example_file_sets_every_key` keeps it complete.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<SocketAddr>,
    region: Option<String>,
    stages: Option<Vec<String>>,
    any_stage: Option<bool>,
    signing_key_pem: Option<String>,
    kid: Option<String>,
    events_url: Option<String>,
    whip_url: Option<String>,
    pending_verification: Option<bool>,
    quotas: Option<Quotas>,
    access_keys: Option<Vec<AccessKey>>,
    max_body_bytes: Option<usize>,
    header_timeout_seconds: Option<f64>,
    body_timeout_seconds: Option<f64>,
    write_timeout_seconds: Option<f64>,
    max_connections: Option<usize>,
    shutdown_grace_seconds: Option<f64>,
}

/// Seconds from a configuration file, named by their key when refused.
fn seconds(setting: &str, v: f64) -> Result<Duration, String> {
    seconds_setting(v).map_err(|e| format!("{setting}: {e}"))
}

/// A TOML error without the excerpt of the file that `toml` prints, and without its
/// message when the line it points at holds a secret (a message may quote a value):
/// `server.toml: line 7, column 21: …`.
/// The most characters of a TOML error message shown.
const MAX_QUOTED_CHARS: usize = 200;

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> String {
    let Some(span) = e.span() else {
        return format!("{}: {}", path.display(), e.message());
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    let line_text = text.lines().nth(line - 1).unwrap_or_default();
    // TOML's message may quote the value, which can be as long as the file.
    let message = if line_text.contains("secret_access_key") {
        "this line holds a secret_access_key and is not valid here (the line is not shown)".into()
    } else {
        crate::escape::cut(e.message().trim_end(), MAX_QUOTED_CHARS)
    };
    format!(
        "{}: line {line}, column {column}: {message}",
        path.display()
    )
}

impl ServerConfig {
    /// Reads a TOML file (see [`ServerConfig`]'s fields; paths are relative to the file),
    /// its settings laid over the defaults.
    pub fn from_toml_file(path: &Path) -> Result<ServerConfig, String> {
        ServerConfig::from_toml_file_over(path, ServerConfig::default())
    }

    /// Reads a TOML file, its settings laid over `base` (what the file does not set,
    /// `base` keeps: `ivs-conformance serve` passes its default port this way).
    pub fn from_toml_file_over(path: &Path, base: ServerConfig) -> Result<ServerConfig, String> {
        let text = crate::files::read_text(path, crate::files::FileKind::Config)
            .map_err(|e| e.to_string())?;
        let file: FileConfig = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
        let mut c = base;
        if let Some(v) = file.bind {
            c.bind = v;
        }
        if let Some(v) = file.region {
            c.region = Some(v);
        }
        if let Some(v) = file.stages {
            c.stages = v;
        }
        if let Some(v) = file.any_stage {
            c.any_stage = v;
        }
        if let Some(p) = file.signing_key_pem {
            let p = path.parent().unwrap_or(Path::new(".")).join(p);
            let pem = crate::files::read_text(&p, crate::files::FileKind::Key)
                .map_err(|e| format!("signing_key_pem: {e}"))?;
            c.signing_key =
                Some(PrivateKey::from_pem(&pem).map_err(|e| format!("{}: {e}", p.display()))?);
        }
        if file.kid.is_some() {
            c.kid = file.kid;
        }
        if let Some(v) = file.events_url {
            c.events_url = v;
        }
        if let Some(v) = file.whip_url {
            c.whip_url = v;
        }
        if let Some(v) = file.pending_verification {
            c.pending_verification = v;
        }
        if let Some(v) = file.quotas {
            c.quotas = v;
        }
        if file.access_keys.is_some() {
            c.access_keys = file.access_keys;
        }
        if let Some(v) = file.max_body_bytes {
            c.max_body_bytes = v;
        }
        if let Some(v) = file.header_timeout_seconds {
            c.header_timeout = seconds("header_timeout_seconds", v)?;
        }
        if let Some(v) = file.body_timeout_seconds {
            c.body_timeout = seconds("body_timeout_seconds", v)?;
        }
        if let Some(v) = file.write_timeout_seconds {
            c.write_timeout = seconds("write_timeout_seconds", v)?;
        }
        if let Some(v) = file.max_connections {
            c.max_connections = v;
        }
        if let Some(v) = file.shutdown_grace_seconds {
            c.shutdown_grace = seconds("shutdown_grace_seconds", v)?;
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("serve.example.toml")
    }

    /// The example file loads, and sets every key the server reads (the
    /// destructuring below stops compiling when a key is added and not named here).
    #[test]
    fn the_example_file_sets_every_key() {
        let config = ServerConfig::from_toml_file(&example()).expect("the example loads");
        assert!(config.signing_key.is_some());
        let text = std::fs::read_to_string(example()).unwrap();
        let file: FileConfig = toml::from_str(&text).unwrap();
        let FileConfig {
            bind,
            region,
            stages,
            any_stage,
            signing_key_pem,
            kid,
            events_url,
            whip_url,
            pending_verification,
            quotas,
            access_keys,
            max_body_bytes,
            header_timeout_seconds,
            body_timeout_seconds,
            write_timeout_seconds,
            max_connections,
            shutdown_grace_seconds,
        } = file;
        let set = [
            bind.is_some(),
            region.is_some(),
            stages.is_some(),
            any_stage.is_some(),
            signing_key_pem.is_some(),
            kid.is_some(),
            events_url.is_some(),
            whip_url.is_some(),
            pending_verification.is_some(),
            quotas.is_some_and(|q| {
                q.tokens_per_stage.is_some()
                    && q.requests_per_second.is_some()
                    && q.stages.is_some()
            }),
            access_keys.is_some_and(|k| k.iter().all(|k| k.allowed_stages.is_some())),
            max_body_bytes.is_some(),
            header_timeout_seconds.is_some(),
            body_timeout_seconds.is_some(),
            write_timeout_seconds.is_some(),
            max_connections.is_some(),
            shutdown_grace_seconds.is_some(),
        ];
        assert!(
            set.iter().all(|s| *s),
            "a key is missing from serve.example.toml: {set:?}"
        );
    }
}
