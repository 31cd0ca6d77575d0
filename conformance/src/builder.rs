//! Building the target of `run` and `fuzz-server` from its settings: a given endpoint,
//! or the embedded reference server.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::auth::Signer;
use crate::embedded::Embedded;
use crate::http_target::HttpTarget;
use crate::target::{SendRequest, Target};
use crate::transport::Endpoint;

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
    pub embedded: Option<Embedded>,
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
                let signer = if self.sign {
                    Some(Signer::from_environment(&self.region).ok_or(
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
            target.set_var("stageArn", a);
        }
        if let Some(a) = &self.unknown_stage_arn {
            target.set_var("unknownStageArn", a);
        }
        for (k, v) in &self.vars {
            target.set_var(k, v);
        }
        Ok(BuiltTarget { target, embedded })
    }
}

/// Checks a remote target once before the cases run, so that a misconfiguration is one
/// message that says what to do, not the same failure in every case: the URL has a
/// scheme, `{{stageArn}}` is set, the server answers, answers the operation, and accepts
/// the authentication. The probe is a request the server must refuse (a duration of 0),
/// so that it issues no token and spends no quota.
pub fn preflight(target: &HttpTarget, endpoint: &str) -> Result<(), String> {
    if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
        return Err(format!(
            "--endpoint {endpoint:?} has no scheme: write http://{endpoint} or https://{endpoint}"
        ));
    }
    let Some(stage) = target.variables().get("stageArn") else {
        return Err(
            "--endpoint needs --stage-arn ARN: the cases send requests for a stage that exists there"
                .to_owned(),
        );
    };
    let body = format!(
        r#"{{"stageArn":{},"duration":0}}"#,
        serde_json::json!(stage)
    );
    let probe = SendRequest {
        method: "POST".into(),
        path: "/CreateParticipantToken".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.into_bytes(),
    };
    let answer = target
        .send(&probe, &[])
        .map_err(|e| format!("cannot reach the server: {e}"))?;
    let kind = answer.error_type.as_deref().unwrap_or("");
    match (answer.status, kind) {
        (403, "MissingAuthenticationTokenException") => Err(format!(
            "{endpoint} wants SigV4 signatures: pass --sign, with AWS credentials in the environment or the shared credentials file"
        )),
        (403, "UnrecognizedClientException" | "InvalidSignatureException" | "IncompleteSignatureException") => Err(format!(
            "{endpoint} refused the signature ({kind}): check the credentials and --region"
        )),
        // An error of the operation (the one asked for, or one the stage's state or the
        // account's gives first) shows that the operation is there.
        (_, kind) if ivs_participant_token::ErrorKind::from_name(kind).status().is_some() => Ok(()),
        (status, _) => Err(format!(
            "{endpoint} does not answer CreateParticipantToken as the operation: a request it must refuse got status {status}{}",
            if kind.is_empty() { String::new() } else { format!(" ({kind})") }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Target;

    #[test]
    fn vars() {
        assert_eq!(parse_var("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert!(parse_var("novalue").is_err());
        assert!(parse_var("=x").is_err());
    }

    #[test]
    fn an_endpoint_gets_the_variables_given() {
        let built = TargetOptions {
            endpoint: Some("http://127.0.0.1:9".into()),
            stage_arn: Some("arn:x".into()),
            vars: vec![("k".into(), "v".into())],
            ..TargetOptions::default()
        }
        .build()
        .unwrap();
        assert!(built.embedded.is_none());
        assert_eq!(built.target.variables()["stageArn"], "arn:x");
        assert_eq!(built.target.variables()["k"], "v");
        assert!(!built.target.variables().contains_key("unknownStageArn"));
    }
}
