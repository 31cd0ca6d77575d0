//! Servers over HTTP: any endpoint, or the embedded reference server.
//!
//! An answer is judged beyond its status: a 200 must be a valid response whose token is
//! a JWT consistent with the request and whose participantId is new in the run; an error
//! must have the restJson1 form the model prescribes; every answer carries
//! `x-amzn-RequestId`. What breaks these becomes a problem, which fails the case.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use ivs_participant_token::token::check_issued_token;
use ivs_participant_token::{check_request, check_response, ServiceError};
use ivs_reference_server::{spawn, AccessKey, Quotas, RunningServer, ServerConfig};
use serde_json::json;

use crate::case::AppliesTo;
use crate::model_target::DEFAULT_STAGE_ARN;
use crate::target::{Observed, SendRequest, Target};
use crate::wire;

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
    /// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
    /// `AWS_SESSION_TOKEN`, else from the shared credentials file
    /// (`AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`, profile `AWS_PROFILE` or
    /// `default`).
    pub fn from_environment(region: &str) -> Option<Signer> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            return Some(Signer {
                access_key_id: id,
                secret_access_key: secret,
                session_token: env("AWS_SESSION_TOKEN"),
                region: region.to_owned(),
            });
        }
        let file = env("AWS_SHARED_CREDENTIALS_FILE")
            .map(std::path::PathBuf::from)
            .or_else(|| env("HOME").map(|h| std::path::Path::new(&h).join(".aws/credentials")))?;
        let text = std::fs::read_to_string(file).ok()?;
        let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".to_owned());
        let mut in_profile = false;
        let mut values = BTreeMap::new();
        for line in text.lines().map(str::trim) {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                in_profile = name.trim() == profile;
            } else if let (true, Some((k, v))) = (in_profile, line.split_once('=')) {
                values.insert(k.trim().to_owned(), v.trim().to_owned());
            }
        }
        Some(Signer {
            access_key_id: values.get("aws_access_key_id")?.clone(),
            secret_access_key: values.get("aws_secret_access_key")?.clone(),
            session_token: values.get("aws_session_token").cloned(),
            region: region.to_owned(),
        })
    }

    /// The headers that sign `request` sent to `url`.
    fn sign(&self, url: &str, request: &SendRequest) -> Result<Vec<(String, String)>, String> {
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
            &request.method,
            url,
            request
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(&request.body),
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

/// An answer as it came: status, headers, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAnswer {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// One endpoint: a base URL and, optionally, credentials.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The base URL, such as `https://ivsrealtime.us-west-2.amazonaws.com`.
    pub url: String,
    /// Credentials to sign with, if any.
    pub signer: Option<Signer>,
}

/// A server at an endpoint. Preconditions it can set up are other endpoints (a server
/// configured as pending verification, say) to which those cases go.
#[derive(Debug)]
pub struct HttpTarget {
    name: String,
    main: Endpoint,
    by_precondition: BTreeMap<String, Endpoint>,
    vars: BTreeMap<String, String>,
    agent: ureq::Agent,
    participant_ids: Mutex<HashSet<String>>,
}

impl HttpTarget {
    /// A target at `endpoint` with the case variables `vars` and `timeout` per request.
    pub fn new(
        endpoint: Endpoint,
        vars: BTreeMap<String, String>,
        timeout: Duration,
    ) -> HttpTarget {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .build()
            .into();
        HttpTarget {
            name: endpoint.url.clone(),
            main: endpoint,
            by_precondition: BTreeMap::new(),
            vars,
            agent,
            participant_ids: Mutex::default(),
        }
    }

    /// Sets a case variable.
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_owned(), value.to_owned());
    }

    /// Routes cases that need `precondition` to `endpoint`.
    pub fn with_precondition(mut self, precondition: &str, endpoint: Endpoint) -> HttpTarget {
        self.by_precondition
            .insert(precondition.to_owned(), endpoint);
        self
    }

    /// Sends one request and returns the raw answer.
    pub fn exchange(
        &self,
        endpoint: &Endpoint,
        request: &SendRequest,
    ) -> Result<RawAnswer, String> {
        let url = format!("{}{}", endpoint.url.trim_end_matches('/'), request.path);
        let mut headers = request.headers.clone();
        if let Some(signer) = &endpoint.signer {
            let host = url
                .split("://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_default()
                .to_owned();
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
                headers.push(("host".to_owned(), host));
            }
            let signed = signer.sign(
                &url,
                &SendRequest {
                    headers: headers.clone(),
                    ..request.clone()
                },
            )?;
            headers.extend(signed);
        }
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&url);
        for (k, v) in &headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let http = builder
            .body(request.body.clone())
            .map_err(|e| e.to_string())?;
        let mut response = self.agent.run(http).map_err(|e| format!("{url}: {e}"))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(16 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| format!("{url}: reading the body: {e}"))?;
        Ok(RawAnswer {
            status,
            headers,
            body,
        })
    }

    /// Judges an answer to `request_body`.
    pub fn observe(
        &self,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        request_body: &[u8],
    ) -> Observed {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let mut o = Observed {
            status,
            ..Observed::default()
        };
        if header("x-amzn-requestid").is_none() {
            o.problems.push("no x-amzn-RequestId header".into());
        }
        if (200..300).contains(&status) {
            self.observe_success(&mut o, header("content-type"), body, request_body);
        } else {
            let error_type = header(ivs_participant_token::error::ERROR_TYPE_HEADER);
            let read = ServiceError::from_http(status, error_type, body);
            let name = read.kind.name().to_owned();
            o.problems
                .extend(wire::error_response_problems(status, error_type, body));
            if status >= 500 {
                o.problems
                    .push(format!("a server error, {status}, for a client's request"));
            }
            if name == "ValidationException" {
                o.violations = read.message.as_deref().map(paths_in_message);
            }
            o.error_type = (!name.is_empty()).then_some(name);
            o.message = read.message;
        }
        o
    }

    fn observe_success(
        &self,
        o: &mut Observed,
        content_type: Option<&str>,
        body: &[u8],
        request_body: &[u8],
    ) {
        if !content_type.is_some_and(|c| c.starts_with("application/json")) {
            o.problems.push(format!(
                "Content-Type {content_type:?}, not application/json"
            ));
        }
        let checked = match check_response(body) {
            Ok(c) => c,
            Err(e) => {
                o.problems
                    .push(format!("the 200 body is not a response: {e}"));
                return;
            }
        };
        o.problems
            .extend(checked.report.violations.iter().map(|v| v.message()));
        let Some(issued) = checked.value.participant_token else {
            return;
        };
        o.echo = Some(BTreeMap::from([
            ("duration".to_owned(), json!(issued.duration)),
            ("capabilities".to_owned(), json!(issued.capabilities)),
            ("userId".to_owned(), json!(issued.user_id)),
            ("attributes".to_owned(), json!(issued.attributes)),
        ]));
        if let Some(id) = &issued.participant_id {
            let fresh = self
                .participant_ids
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id.clone());
            if !fresh {
                o.problems
                    .push(format!("participantId {id} was issued before in this run"));
            }
        }
        if let Ok(request) = check_request(request_body) {
            match check_issued_token(&request.value, &issued) {
                Ok(inconsistencies) => o
                    .problems
                    .extend(inconsistencies.iter().map(|i| i.to_string())),
                Err(e) => o
                    .problems
                    .push(format!("the token is not a participant-token JWT: {e}")),
            }
        }
    }
}

/// The JSON pointers named in a ValidationException message, in either style: Smithy's
/// (`at '/capabilities/1'`) or live AWS's (`at 'capabilities.2.member'`, 1-based).
pub fn paths_in_message(message: &str) -> Vec<String> {
    const AFTER: &str = "' failed to satisfy constraint";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(end) = message[from..].find(AFTER).map(|i| from + i) {
        if let Some(start) = message[..end].rfind(" at '").map(|i| i + 5) {
            out.push(to_pointer(&message[start..end]));
        }
        from = end + AFTER.len();
    }
    out
}

fn to_pointer(path: &str) -> String {
    if path.starts_with('/') {
        return path.to_owned();
    }
    let segs: Vec<&str> = path.split('.').collect();
    let mut out = String::new();
    let mut i = 0;
    while i < segs.len() {
        match (segs[i].parse::<usize>(), segs.get(i + 1)) {
            (Ok(n), Some(&"member")) if n > 0 => {
                out.push_str(&format!("/{}", n - 1));
                i += 2;
            }
            _ => {
                out.push('/');
                out.push_str(segs[i]);
                i += 1;
            }
        }
    }
    out
}

impl Target for HttpTarget {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> AppliesTo {
        AppliesTo::Server
    }

    fn variables(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    fn supports_precondition(&self, precondition: &str) -> bool {
        self.by_precondition.contains_key(precondition)
            || (precondition == "stage-not-found" && self.vars.contains_key("unknownStageArn"))
    }

    fn send(&self, request: &SendRequest, preconditions: &[String]) -> Result<Observed, String> {
        let endpoint = preconditions
            .iter()
            .find_map(|p| self.by_precondition.get(p))
            .unwrap_or(&self.main);
        let a = self.exchange(endpoint, request)?;
        Ok(self.observe(a.status, &a.headers, &a.body, &request.body))
    }
}

/// The embedded reference server, with one more server for each precondition: pending
/// verification, an exhausted quota, and a caller whose key may not act on the stage.
#[derive(Debug)]
pub struct Embedded {
    /// The target the cases run against.
    pub target: HttpTarget,
    servers: Vec<RunningServer>,
}

impl Embedded {
    /// Starts the servers on loopback ports.
    pub fn start(timeout: Duration) -> std::io::Result<Embedded> {
        let stage = DEFAULT_STAGE_ARN.to_owned();
        let base = || ServerConfig {
            stages: vec![stage.clone()],
            ..ServerConfig::default()
        };
        let main = spawn(base())?;
        let pending = spawn(ServerConfig {
            pending_verification: true,
            ..base()
        })?;
        let quota = spawn(ServerConfig {
            quotas: Quotas {
                tokens_per_stage: Some(0),
                requests_per_second: None,
            },
            ..base()
        })?;
        let denied_key = AccessKey {
            access_key_id: "AKIDCONFORMANCE".into(),
            secret_access_key: "conformance-secret".into(),
            allowed_stages: Some(vec![]),
        };
        let denied = spawn(ServerConfig {
            access_keys: Some(vec![denied_key.clone()]),
            ..base()
        })?;
        let vars = BTreeMap::from([
            ("stageArn".to_owned(), stage.clone()),
            (
                "unknownStageArn".to_owned(),
                "arn:aws:ivs:us-west-2:123456789012:stage/noSuchStage".to_owned(),
            ),
        ]);
        let plain = |s: &RunningServer| Endpoint {
            url: s.url().to_owned(),
            signer: None,
        };
        let mut target = HttpTarget::new(plain(&main), vars, timeout)
            .with_precondition("pending-verification", plain(&pending))
            .with_precondition("quota-exceeded", plain(&quota))
            .with_precondition(
                "access-denied",
                Endpoint {
                    url: denied.url().to_owned(),
                    signer: Some(Signer {
                        access_key_id: denied_key.access_key_id,
                        secret_access_key: denied_key.secret_access_key,
                        session_token: None,
                        region: "us-west-2".into(),
                    }),
                },
            );
        target.name = format!("embedded reference server at {}", main.url());
        Ok(Embedded {
            target,
            servers: vec![main, pending, quota, denied],
        })
    }

    /// The main server's URL.
    pub fn url(&self) -> &str {
        self.servers[0].url()
    }

    /// A target like [`Embedded::target`], with a fresh participant-id record; the
    /// servers live as long as `self`.
    pub fn target_clone(&self) -> HttpTarget {
        HttpTarget {
            name: self.target.name.clone(),
            main: self.target.main.clone(),
            by_precondition: self.target.by_precondition.clone(),
            vars: self.target.vars.clone(),
            agent: self.target.agent.clone(),
            participant_ids: Mutex::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_both_message_styles() {
        let aws = "3 validation errors detected: Value null at 'stageArn' failed to satisfy constraint: Member must not be null; \
                   Value 'x' at 'capabilities.2.member' failed to satisfy constraint: Member must satisfy enum value set: [PUBLISH, SUBSCRIBE]; \
                   Value 'a at 'b'' at 'userId' failed to satisfy constraint: Member must have length less than or equal to 128";
        assert_eq!(
            paths_in_message(aws),
            vec!["/stageArn", "/capabilities/1", "/userId"]
        );
        let smithy = "1 validation error detected. Value at '/duration' failed to satisfy constraint: Member must be between 1 and 20160, inclusive";
        assert_eq!(paths_in_message(smithy), vec!["/duration"]);
        assert!(paths_in_message("no paths here").is_empty());
    }

    #[test]
    fn signer_debug_hides_the_secret() {
        let s = Signer {
            access_key_id: "AK".into(),
            secret_access_key: "SECRET".into(),
            session_token: None,
            region: "r".into(),
        };
        assert!(!format!("{s:?}").contains("SECRET"));
    }
}
