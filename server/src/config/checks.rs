//! Settings that could never work, refused before the server binds, naming the setting:
//! every stage ARN, the region, the access keys, the limits and waits, the URLs tokens
//! carry, and a token minted with the configured key and `kid`.

use std::time::Duration;

use ivs_participant_token::token::{self, PrivateKey};

use super::{
    default_stage_in, ConfigError, ServerConfig, DEFAULT_ACCOUNT, DEFAULT_REGION, MAX_BODY_LIMIT,
    MAX_CONNECTIONS, MAX_WAIT,
};

/// Whether `r` looks like an AWS region name: lower-case words and digits joined by
/// hyphens, ending in a number (`us-west-2`, `us-gov-west-1`, `eu-central-2`).
fn is_region_name(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

/// `v` as a message shows it: in full up to a billion, beyond in scientific notation
/// (`1e300`, not three hundred digits).
fn short_number(v: f64) -> String {
    if v.abs() < 1e9 {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

/// A number of seconds from a flag or a file: finite, not negative and at most
/// [`MAX_WAIT`] (whether zero is allowed is [`ServerConfig::validate`]'s to say).
pub fn seconds_setting(v: f64) -> Result<Duration, String> {
    if !v.is_finite() || v < 0.0 {
        return Err(format!("{} is not a number of seconds", short_number(v)));
    }
    if v > MAX_WAIT.as_secs_f64() {
        return Err(format!(
            "{} s is longer than the longest allowed, {} s",
            short_number(v),
            MAX_WAIT.as_secs()
        ));
    }
    Ok(Duration::from_secs_f64(v))
}

/// A wait read from a setting: at most [`MAX_WAIT`], and positive unless `zero_ok`.
pub fn check_wait(d: Duration, zero_ok: bool) -> Result<(), String> {
    if d > MAX_WAIT {
        Err(format!(
            "{} s is longer than the longest allowed, {} s",
            short_number(d.as_secs_f64()),
            MAX_WAIT.as_secs()
        ))
    } else if d.is_zero() && !zero_ok {
        Err("must be positive".into())
    } else {
        Ok(())
    }
}

/// A URL setting that tokens carry: the scheme of the service's own (`wss` for events,
/// `https` for WHIP, read from `default`), a host, no credentials, nothing a client would
/// refuse to parse.
fn check_endpoint_url(url: &str, default: &str) -> Result<(), String> {
    let scheme = default.split_once("://").map_or(default, |(s, _)| s);
    let shown = || crate::escape::cut(url, 120).into_owned();
    let parsed: Option<hyper::Uri> = url.parse().ok();
    let Some(uri) = parsed.filter(|u| u.scheme_str() == Some(scheme)) else {
        return Err(format!(
            "{:?} is not a {scheme}:// URL (the service's tokens name {default})",
            shown()
        ));
    };
    match uri.authority() {
        None => Err(format!("{:?} names no host", shown())),
        Some(a) if a.host().is_empty() => Err(format!("{:?} names no host", shown())),
        Some(a) if a.as_str().contains('@') => Err(format!(
            "a URL with credentials (user:password@) is not a stage endpoint: write {scheme}://HOST"
        )),
        Some(_) => Ok(()),
    }
}

impl ServerConfig {
    /// Checks every setting that could never work, so that the server refuses to start
    /// with a message naming the setting rather than start and fail every request: each
    /// stage ARN, the region, the access keys, the numeric limits and waits (within
    /// [`MAX_BODY_LIMIT`], [`MAX_CONNECTIONS`] and [`MAX_WAIT`]), the `kid`, and then a
    /// token minted for the first stage with the configured key, kid and URLs, as a
    /// request would be answered. No message repeats a secret.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |setting, message: String| Err(ConfigError { setting, message });
        for stage in &self.stages {
            if let Err(e) = ivs_participant_token::StageArn::parse(stage) {
                return bad("--stage", format!("{stage:?} is not a stage ARN: {e}"));
            }
        }
        if let Some(r) = &self.region {
            if !is_region_name(r) {
                return bad(
                    "--region",
                    format!("{r:?} is not a region name such as us-west-2"),
                );
            }
        }
        for k in self.access_keys.iter().flatten() {
            if k.access_key_id.is_empty() || k.secret_access_key.is_empty() {
                return bad(
                    "--access-key",
                    "an access key id and secret must both be non-empty".into(),
                );
            }
        }
        if !(1..=MAX_BODY_LIMIT).contains(&self.max_body_bytes) {
            return bad(
                "max_body_bytes",
                format!(
                    "{} is not between 1 and {MAX_BODY_LIMIT} bytes",
                    self.max_body_bytes
                ),
            );
        }
        if self.quotas.requests_per_second == Some(0) {
            return bad("--requests-per-second", "must be positive".into());
        }
        if let Some(n) = self.quotas.stages {
            if n > crate::stages::MAX_STAGES as u64 {
                return bad(
                    "--stages-quota",
                    format!("{n} is more than {}", crate::stages::MAX_STAGES),
                );
            }
        }
        if !(1..=MAX_CONNECTIONS).contains(&self.max_connections) {
            return bad(
                "--max-connections",
                format!(
                    "{} is not between 1 and {MAX_CONNECTIONS}",
                    self.max_connections
                ),
            );
        }
        for (setting, d, zero_ok) in [
            ("--header-timeout", self.header_timeout, false),
            ("--body-timeout", self.body_timeout, false),
            ("--write-timeout", self.write_timeout, false),
            ("--shutdown-grace", self.shutdown_grace, true),
        ] {
            if let Err(message) = check_wait(d, zero_ok) {
                return bad(setting, message);
            }
        }
        for (setting, url, default) in [
            ("events_url", &self.events_url, token::DEFAULT_EVENTS_URL),
            ("whip_url", &self.whip_url, token::DEFAULT_WHIP_URL),
        ] {
            if let Err(message) = check_endpoint_url(url, default) {
                return bad(setting, message);
            }
        }
        self.check_minting()
    }

    /// Mints a token for the first stage (or the default one) with the configured key,
    /// kid and URLs, as the first request would: a configuration under which every valid
    /// request would fail fails here instead, naming the setting.
    fn check_minting(&self) -> Result<(), ConfigError> {
        use ivs_participant_token::token::{mint, MintParams, TokenError};
        let kid_setting = "kid";
        if let Some(kid) = &self.kid {
            let header = ivs_participant_token::token::Header::self_signed(kid);
            if let Some(v) = header.validate().violations.first() {
                return Err(ConfigError {
                    setting: kid_setting,
                    message: format!("{kid:?} is not a public-key ARN: {}", v.aws_rule()),
                });
            }
        }
        let stage =
            self.stages.first().cloned().unwrap_or_else(|| {
                default_stage_in(self.region.as_deref().unwrap_or(DEFAULT_REGION))
            });
        let generated;
        let key = match &self.signing_key {
            Some(k) => k,
            None => {
                generated = PrivateKey::generate();
                &generated
            }
        };
        let kid = self.kid.clone().unwrap_or_else(|| {
            format!("arn:aws:ivs:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:public-key/check")
        });
        let params = MintParams {
            kid: &kid,
            events_url: &self.events_url,
            whip_url: &self.whip_url,
            now: ivs_participant_token::token::unix_now(),
            participant_id: None,
        };
        let sent = ivs_participant_token::CreateParticipantTokenRequest::new(stage.clone());
        let request = match ivs_participant_token::ValidRequest::new(sent) {
            Ok(request) => request,
            Err(report) => {
                return Err(ConfigError {
                    setting: "stages",
                    message: format!("{stage} is not a valid stage ARN: {report}"),
                })
            }
        };
        match mint(&request, key, &params) {
            Ok(_) => Ok(()),
            Err(TokenError::InvalidHeader(report) | TokenError::InvalidClaims(report)) => {
                let v = report.violations.first();
                let setting = match v.map(|v| v.member.member) {
                    Some("events_url") => "events_url",
                    Some("whip_url") => "whip_url",
                    _ => kid_setting,
                };
                Err(ConfigError {
                    setting,
                    message: format!(
                        "no token could be minted with it: {}",
                        v.map(|v| v.aws_rule()).unwrap_or_default()
                    ),
                })
            }
            Err(e) => Err(ConfigError {
                setting: "stages",
                message: format!("no token could be minted for {stage}: {e}"),
            }),
        }
    }
}
