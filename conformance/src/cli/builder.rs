//! Building the target of `run` and `fuzz-server` from its settings: a given endpoint,
//! or the embedded reference server.

use std::collections::BTreeMap;
use std::time::Duration;

use ivs_conformance::auth::Signer;
use ivs_conformance::case::Operation;
use ivs_conformance::target::embedded::Embedded;
use ivs_conformance::target::http::HttpTarget;
use ivs_conformance::target::transport::Endpoint;
use ivs_conformance::target::{SendRequest, Target};
use ivs_participant_token::ServiceError;
use ivs_participant_token::ERROR_TYPE_HEADER;

/// The settings of an HTTP target.
#[derive(Debug, Clone)]
pub struct TargetOptions {
    /// The server's base URL; the embedded reference server when `None`.
    pub endpoint: Option<String>,
    /// `{{stageArn}}`: a stage that exists on the target.
    pub stage_arn: Option<String>,
    /// `{{unknownStageArn}}`: an ARN of no stage.
    pub unknown_stage_arn: Option<String>,
    /// Any other case variables.
    pub vars: Vec<(String, String)>,
    /// The region of the SigV4 scope.
    pub region: String,
    /// Sign requests with credentials from the environment.
    pub sign: bool,
    /// The longest wait for one answer.
    pub timeout: Duration,
}

impl Default for TargetOptions {
    fn default() -> Self {
        TargetOptions {
            endpoint: None,
            stage_arn: None,
            unknown_stage_arn: None,
            vars: Vec::new(),
            region: "us-west-2".to_owned(),
            sign: false,
            timeout: Duration::from_secs(10),
        }
    }
}

/// The flags that say where a server is and how to reach it, shared by `run` and
/// `fuzz-server`.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    /// The server's base URL, such as `https://ivsrealtime.us-west-2.amazonaws.com`; the
    /// embedded reference server when absent. A remote target needs --stage-arn, and
    /// --sign when it checks SigV4 signatures; `run` checks it once before the cases.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// `{{stageArn}}`: a stage that exists on the target.
    #[arg(long)]
    pub stage_arn: Option<String>,
    /// The region of the SigV4 scope.
    #[arg(long, default_value = "us-west-2")]
    pub region: String,
    /// Sign requests with SigV4, with credentials from AWS_ACCESS_KEY_ID and
    /// AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or else the shared credentials
    /// file's AWS_PROFILE (default) profile.
    #[arg(long)]
    pub sign: bool,
    /// Seconds to wait for one answer (1 to 3600).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

impl ConnectArgs {
    /// The options these flags give, with no case variable beyond `{{stageArn}}`.
    pub fn options(&self) -> TargetOptions {
        TargetOptions {
            endpoint: self.endpoint.clone(),
            stage_arn: self.stage_arn.clone(),
            region: self.region.clone(),
            sign: self.sign,
            timeout: Duration::from_secs(self.timeout),
            ..TargetOptions::default()
        }
    }
}

/// The target flags of `run`: where the server is, and the case variables.
#[derive(Debug, Clone, clap::Args)]
pub struct TargetArgs {
    /// Where the server is and how to reach it.
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// `{{unknownStageArn}}`: an ARN of no stage (enables the stage-not-found case).
    #[arg(long)]
    pub unknown_stage_arn: Option<String>,
    /// Any other case variable, `name=value` (repeatable).
    #[arg(long = "var", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
}

impl TargetArgs {
    /// The options these flags give.
    pub fn options(&self) -> TargetOptions {
        TargetOptions {
            unknown_stage_arn: self.unknown_stage_arn.clone(),
            vars: self.vars.clone(),
            ..self.connect.options()
        }
    }
}

/// A built target; it keeps the embedded servers, if any, running as long as it lives.
#[derive(Debug)]
pub struct BuiltTarget {
    /// The target.
    pub target: HttpTarget,
    /// The embedded servers behind it, when no endpoint was given.
    pub _embedded: Option<Embedded>,
}

/// Reads a `name=value` case variable.
pub fn parse_var(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .filter(|(name, _)| !name.is_empty())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("--var takes name=value, not {text:?}"))
}

impl TargetOptions {
    /// Builds the target: starts the embedded servers, or points at the endpoint (with
    /// credentials from the environment when signing), then sets the variables.
    pub fn build(&self) -> Result<BuiltTarget, String> {
        let (mut target, embedded) = match &self.endpoint {
            None => {
                let e = Embedded::start(self.timeout)
                    .map_err(|e| format!("cannot start the embedded server: {e}"))?;
                (e.target_clone(), Some(e))
            }
            Some(url) => {
                check_endpoint(url)?;
                let signer = if self.sign {
                    Some(Signer::from_environment(&self.region)?.ok_or(
                        "--sign needs AWS credentials in the environment or the shared credentials file",
                    )?)
                } else {
                    None
                };
                let endpoint = Endpoint {
                    url: url.clone(),
                    signer,
                };
                (
                    HttpTarget::new(endpoint, BTreeMap::new(), self.timeout),
                    None,
                )
            }
        };
        if let Some(a) = &self.stage_arn {
            check_stage_arn("--stage-arn", a)?;
            target.set_var("stageArn", a);
        }
        if let Some(a) = &self.unknown_stage_arn {
            check_stage_arn("--unknown-stage-arn", a)?;
            target.set_var("unknownStageArn", a);
        }
        for (k, v) in &self.vars {
            target.set_var(k, v);
        }
        Ok(BuiltTarget {
            target,
            _embedded: embedded,
        })
    }
}

/// Refuses a stage ARN flag whose value fails the model's length and pattern: the
/// cases would then test the flag, not the server.
pub fn check_stage_arn(flag: &str, value: &str) -> Result<(), String> {
    ivs_participant_token::StageArn::parse(value)
        .map(|_| ())
        .map_err(|e| {
            format!(
                "{flag} {}: {e}",
                ivs_reference_server::escape::cut(&format!("{value:?}"), 200)
            )
        })
}

/// Refuses an `--endpoint` that names no `http` or `https` server, or carries
/// credentials (`user:password@host`): the endpoint is written into every report and
/// message as the run's target, and AWS's endpoints authenticate with SigV4 (`--sign`),
/// never with credentials in the URL. The refusal does not repeat the URL.
pub fn check_endpoint(url: &str) -> Result<(), String> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(
            "--endpoint holds credentials (user:password@host), which the kit would write into \
             every report: give the URL without them (AWS endpoints take SigV4: --sign)"
                .to_owned(),
        );
    }
    let shown = ivs_reference_server::escape::cut(url, 120);
    if scheme.is_empty() {
        return Err(format!(
            "--endpoint {shown:?} has no scheme: write http://{shown} or https://{shown}"
        ));
    }
    let parsed: Result<ureq::http::Uri, _> = url.parse();
    match parsed {
        _ if !matches!(scheme, "http" | "https") => Err(format!(
            "--endpoint {shown:?} is not an http:// or https:// URL"
        )),
        Err(e) => Err(format!("--endpoint {shown:?} is not a URL: {e}")),
        Ok(uri) if uri.host().is_none_or(str::is_empty) => Err(format!(
            "--endpoint {shown:?} names no host: write http://HOST:PORT"
        )),
        Ok(_) => Ok(()),
    }
}

/// The most characters of a server's error type or message a preflight message quotes.
const QUOTED_CHARS: usize = 200;

/// The SigV4 error types AWS's front door answers when it refuses the authentication.
const AUTH_REFUSED: [&str; 4] = [
    "MissingAuthenticationTokenException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "IncompleteSignatureException",
];

/// Checks a remote target once before the cases run, and stops only what cannot be a
/// server of this operation or cannot be reached, with one message that says what to do:
/// a URL without a scheme, no `{{stageArn}}`, a server that cannot be reached (or whose
/// TLS fails), an answer that is not the service's protocol (no JSON body, or one with
/// neither an error type nor a `participantToken`: an HTML page, a bare 404), a 404 that
/// is not ResourceNotFoundException (no operation at that path), the authentication
/// refused (the SigV4 error types), and a `--stage-arn` the server does not have
/// (ResourceNotFoundException).
///
/// Anything else is the cases' to judge: a server that accepts what it must refuse, or
/// refuses what it must accept, gets its full report. So the probe is the one request
/// every conforming server accepts, `{"stageArn": ARN}` (it may issue one token), and
/// whatever the answer, if it is in the service's form, the run goes on.
pub fn preflight(target: &mut HttpTarget, endpoint: &str) -> Result<(), String> {
    preflight_token(target, endpoint)?;
    if let Some(why) = create_stage_missing(target, endpoint) {
        target.without_operation(Operation::CreateStage, why);
    }
    Ok(())
}

/// Whether the server does not implement CreateStage, and how that shows: the probe is
/// a CreateStage whose name breaks its pattern, which a server that implements it refuses
/// (ValidationException) without making a stage. No answer in the service's form (a 200
/// without a `stage` included), a 404,
/// 405 or 501, or UnknownOperationException says it does not; anything else is for the
/// cases to judge.
fn create_stage_missing(target: &HttpTarget, endpoint: &str) -> Option<String> {
    let probe = SendRequest {
        operation: Operation::CreateStage,
        method: "POST".into(),
        path: Operation::CreateStage.path(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: br#"{"name":"not a stage name"}"#.to_vec(),
    };
    let posted = format!("POST {}/CreateStage", endpoint.trim_end_matches('/'));
    let answer = match target.exchange(target.main_endpoint(), &probe) {
        Ok(a) => a,
        Err(e) => {
            return Some(format!(
                "the server does not implement CreateStage: {posted} got no answer ({e})"
            ))
        }
    };
    let header = ivs_conformance::target::wire::header_in(&answer.headers, ERROR_TYPE_HEADER);
    let read = ServiceError::from_http(answer.status, header, &answer.body);
    let kind = ivs_reference_server::escape::cut(read.kind.name(), QUOTED_CHARS).into_owned();
    // A 200 in CreateStage's form holds its stage; any other 200 (another operation's
    // answer, a catch-all page) is not that operation's.
    let success = (200..300).contains(&answer.status);
    let is_stage = success
        && serde_json::from_slice::<serde_json::Value>(&answer.body)
            .is_ok_and(|v| v.get("stage").is_some());
    let missing = (kind.is_empty() && !success)
        || (success && !is_stage)
        || matches!(answer.status, 404 | 405 | 501)
        || kind == "UnknownOperationException";
    missing.then(|| {
        let what = if kind.is_empty() {
            describe_body(&answer.body)
        } else {
            kind
        };
        format!(
            "the server does not implement CreateStage (the preflight's {posted} got {} {what})",
            answer.status
        )
    })
}

/// The CreateParticipantToken half of [`preflight`].
fn preflight_token(target: &HttpTarget, endpoint: &str) -> Result<(), String> {
    check_endpoint(endpoint)?;
    let Some(stage) = target.variables().get("stageArn") else {
        return Err(
            "--endpoint needs --stage-arn ARN: the cases send requests for a stage that exists there"
                .to_owned(),
        );
    };
    let body = format!(r#"{{"stageArn":{}}}"#, serde_json::json!(stage));
    // Where the probe goes, as posted: the endpoint's own path prefix included.
    let posted = format!("{}/CreateParticipantToken", endpoint.trim_end_matches('/'));
    let probe = SendRequest {
        operation: Operation::CreateParticipantToken,
        method: "POST".into(),
        path: "/CreateParticipantToken".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.into_bytes(),
    };
    let answer = target
        .exchange(target.main_endpoint(), &probe)
        .map_err(|e| format!("cannot reach the server: {e}"))?;
    let header = ivs_conformance::target::wire::header_in(&answer.headers, ERROR_TYPE_HEADER);
    let read = ServiceError::from_http(answer.status, header, &answer.body);
    // The server's words, cut: they are quoted into one line of message.
    let cut = |s: &str| ivs_reference_server::escape::cut(s, QUOTED_CHARS).into_owned();
    let kind = cut(read.kind.name());
    let kind = kind.as_str();
    let said = read
        .message
        .as_deref()
        .map(|m| format!(": {}", cut(m)))
        .unwrap_or_default();
    let is_token = (200..300).contains(&answer.status)
        && serde_json::from_slice::<serde_json::Value>(&answer.body)
            .is_ok_and(|v| v.get("participantToken").is_some());
    if is_token {
        return Ok(());
    }
    if kind.is_empty() {
        let what = describe_body(&answer.body);
        return Err(format!(
            "{endpoint} does not answer in the service's protocol: POST {posted} got status {} with {what}, neither a participantToken nor an error type (X-Amzn-Errortype, or code or __type in a JSON body); check the URL",
            answer.status
        ));
    }
    match kind {
        "MissingAuthenticationTokenException" => Err(format!(
            "{endpoint} wants SigV4 signatures: pass --sign, with AWS credentials in the environment or the shared credentials file"
        )),
        k if AUTH_REFUSED.contains(&k) => Err(format!(
            "{endpoint} refused the signature ({k}{}): check the credentials and --region",
            said
        )),
        "ResourceNotFoundException" => Err(format!(
            "--stage-arn {stage} is not a stage of {endpoint} (ResourceNotFoundException{}): pass the ARN of a stage that exists there",
            said
        )),
        // A 404 of another kind (UnknownOperationException, say): no operation at
        // this path, whatever form the answer has.
        k if answer.status == 404 => Err(format!(
            "{endpoint} does not serve CreateParticipantToken: POST {posted} got 404 {k}{}; check the URL",
            said
        )),
        // Any other error in the service's form: the server speaks the protocol, and
        // the cases judge the rest.
        _ => Ok(()),
    }
}

/// A few words on what a body is, for a message: empty, HTML, JSON, or other text.
fn describe_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        "an empty body".to_owned()
    } else if trimmed.starts_with('<') {
        "an HTML or XML body".to_owned()
    } else if serde_json::from_str::<serde_json::Value>(trimmed).is_ok() {
        "a JSON body".to_owned()
    } else {
        "a body that is not JSON".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ivs_conformance::target::Target;

    #[test]
    fn vars() {
        assert_eq!(parse_var("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert!(parse_var("novalue").is_err());
        assert!(parse_var("=x").is_err());
    }

    const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

    #[test]
    fn a_stage_arn_flag_that_fails_the_pattern_is_refused_naming_the_flag() {
        let refused = |stage: Option<&str>, unknown: Option<&str>| {
            TargetOptions {
                endpoint: Some("http://127.0.0.1:9".into()),
                stage_arn: stage.map(Into::into),
                unknown_stage_arn: unknown.map(Into::into),
                ..TargetOptions::default()
            }
            .build()
            .unwrap_err()
        };
        let e = refused(Some("arn:x"), None);
        assert!(
            e.starts_with("--stage-arn \"arn:x\": stage ARN does not match ^arn:aws:ivs:"),
            "{e}"
        );
        let e = refused(Some(ARN), Some(""));
        assert!(
            e.starts_with("--unknown-stage-arn \"\": stage ARN is empty"),
            "{e}"
        );
    }

    #[test]
    fn an_endpoint_gets_the_variables_given() {
        let built = TargetOptions {
            endpoint: Some("http://127.0.0.1:9".into()),
            stage_arn: Some(ARN.into()),
            vars: vec![("k".into(), "v".into())],
            ..TargetOptions::default()
        }
        .build()
        .unwrap();
        assert!(built._embedded.is_none());
        assert_eq!(built.target.variables()["stageArn"], ARN);
        assert_eq!(built.target.variables()["k"], "v");
        assert!(!built.target.variables().contains_key("unknownStageArn"));
    }
}
