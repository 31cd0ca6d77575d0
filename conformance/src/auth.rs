//! SigV4 credentials and signing (service `ivs`), for requests to real endpoints and to
//! the reference server. The server's own tests sign with this too.

use std::collections::BTreeMap;
use std::time::SystemTime;

use ivs_reference_server::files::{self, FileKind};

/// SigV4 credentials to sign requests with (service `ivs`).
#[derive(Clone, PartialEq, Eq)]
pub struct Signer {
    /// The access key id.
    pub access_key_id: String,
    /// The secret; never printed.
    pub secret_access_key: String,
    /// A session token, when the credentials are temporary.
    pub session_token: Option<String>,
    /// The region of the signing scope.
    pub region: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("access_key_id", &self.access_key_id)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Credentials given directly.
    pub fn new(access_key_id: &str, secret_access_key: &str, region: &str) -> Signer {
        Signer {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: secret_access_key.to_owned(),
            session_token: None,
            region: region.to_owned(),
        }
    }

    /// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
    /// `AWS_SESSION_TOKEN`, else from the shared credentials file
    /// (`AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`, profile `AWS_PROFILE` or
    /// `default`). `Ok(None)` when none are there; an error when the credentials file
    /// exists but cannot be read (or passes its bound: see [`files::read`]).
    pub fn from_environment(region: &str) -> Result<Option<Signer>, String> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            return Ok(Some(Signer {
                session_token: env("AWS_SESSION_TOKEN"),
                ..Signer::new(&id, &secret, region)
            }));
        }
        let Some(file) = env("AWS_SHARED_CREDENTIALS_FILE")
            .map(std::path::PathBuf::from)
            .or_else(|| env("HOME").map(|h| std::path::Path::new(&h).join(".aws/credentials")))
        else {
            return Ok(None);
        };
        if !file.exists() {
            return Ok(None);
        }
        let text = files::read_text(&file, FileKind::Credentials).map_err(|e| e.to_string())?;
        let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".to_owned());
        let values = profile_values(&text, &profile);
        let (Some(id), Some(secret)) = (
            values.get("aws_access_key_id"),
            values.get("aws_secret_access_key"),
        ) else {
            return Ok(None);
        };
        Ok(Some(Signer {
            session_token: values.get("aws_session_token").cloned(),
            ..Signer::new(id, secret, region)
        }))
    }

    /// The headers that sign a request: `method` to `url` with `headers` (which must
    /// include `host`) and `body`, signed now.
    pub fn sign(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, String> {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        use aws_sigv4::sign::v4;
        let identity = aws_credential_types::Credentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            self.session_token.clone(),
            None,
            "ivs-conformance",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name("ivs")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| format!("signing: {e}"))?
            .into();
        let signable = SignableRequest::new(
            method,
            url,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(body),
        )
        .map_err(|e| format!("signing: {e}"))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| format!("signing: {e}"))?
            .into_parts();
        Ok(instructions
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }
}

/// The `key = value` lines of one `[profile]` of a shared credentials file.
fn profile_values(text: &str, profile: &str) -> BTreeMap<String, String> {
    let mut in_profile = false;
    let mut values = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_profile = name.trim() == profile;
        } else if let (true, Some((k, v))) = (in_profile, line.split_once('=')) {
            values.insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let s = Signer::new("AK", "SECRET", "r");
        assert!(!format!("{s:?}").contains("SECRET"));
    }

    #[test]
    fn profiles() {
        let text = "[default]\naws_access_key_id = A\n[other]\naws_access_key_id=B\n";
        assert_eq!(profile_values(text, "other")["aws_access_key_id"], "B");
        assert_eq!(profile_values(text, "default")["aws_access_key_id"], "A");
        assert!(profile_values(text, "none").is_empty());
    }

    #[test]
    fn signing_adds_authorization() {
        let headers = vec![("host".to_owned(), "localhost".to_owned())];
        let signed = Signer::new("AK", "S", "us-west-2")
            .sign(
                "POST",
                "http://localhost/CreateParticipantToken",
                &headers,
                b"{}",
            )
            .unwrap();
        assert!(
            signed
                .iter()
                .any(|(k, v)| k == "authorization"
                    && v.starts_with("AWS4-HMAC-SHA256 Credential=AK/"))
        );
    }
}
