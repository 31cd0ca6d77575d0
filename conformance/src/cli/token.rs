//! `token mint`, `token decode` and `token verify`: self-signed participant tokens, and
//! any token's header and claims.

use std::path::PathBuf;

use ivs_participant_token::token::{self, unix_now};
use ivs_participant_token::CreateParticipantTokenResponse;
use serde_json::json;

use crate::cli::commands::{read_input, read_text};
use crate::cli::output::{CommandOutput, Printed};
use ivs_reference_server::files::FileKind;

/// Where a token comes from: an argument (kept for scripts, but visible to `ps`), a
/// file, or standard input.
#[derive(clap::Args)]
pub struct TokenSource {
    /// The token; `-` or nothing reads standard input.
    pub token: Option<String>,
    /// Read the token from this file instead.
    #[arg(long, conflicts_with = "token")]
    pub token_file: Option<PathBuf>,
}

impl TokenSource {
    /// The token, trimmed.
    pub fn read(self) -> Result<String, CommandOutput> {
        let text = match (self.token_file, self.token) {
            (Some(file), _) => read_text(&file, FileKind::Body)?,
            (None, Some(t)) if t != "-" => t,
            _ => String::from_utf8_lossy(&read_input(None)?).into_owned(),
        };
        Ok(text.trim().to_owned())
    }
}

/// The settings of `token mint`.
#[derive(Debug, Clone)]
pub struct MintSettings<'a> {
    /// The private key, PEM.
    pub key_pem: &'a str,
    /// The public key's ARN.
    pub kid: &'a str,
    /// The events endpoint.
    pub events_url: &'a str,
    /// The WHIP endpoint.
    pub whip_url: &'a str,
    /// The participant id; random when `None`.
    pub participant_id: Option<String>,
}

/// `token mint`: a self-signed token for the request `body`, as a response document.
pub fn token_mint(settings: &MintSettings<'_>, body: &[u8]) -> CommandOutput {
    let key = match token::PrivateKey::from_pem(settings.key_pem) {
        Ok(k) => k,
        Err(e) => return CommandOutput::fail(2, e.to_string()),
    };
    let request = match ivs_participant_token::parse_request(body) {
        Ok(p) => p.value,
        Err(e) => return CommandOutput::fail(1, e.to_string()),
    };
    let request = match ivs_participant_token::ValidRequest::new(request) {
        Ok(r) => r,
        Err(report) => return CommandOutput::fail(1, format!("invalid request: {report}")),
    };
    let params = token::MintParams {
        kid: settings.kid,
        events_url: settings.events_url,
        whip_url: settings.whip_url,
        now: unix_now(),
        participant_id: settings.participant_id.clone(),
    };
    match token::mint(&request, &key, &params) {
        Ok(issued) => {
            let response = CreateParticipantTokenResponse {
                participant_token: Some(issued),
            };
            CommandOutput::ok(serde_json::to_string_pretty(&response).unwrap_or_default() + "\n")
                .printed(Printed::Json)
        }
        Err(e) => CommandOutput::fail(1, e.to_string()),
    }
}

/// `token decode`: header and claims, never the signature, unverified.
pub fn token_decode(token: &str) -> CommandOutput {
    let token = match token_of(token) {
        Ok(t) => t,
        Err(o) => return o,
    };
    match token::decode(&token) {
        Ok(d) => CommandOutput::ok(
            serde_json::to_string_pretty(&json!({"header": d.header, "claims": d.claims}))
                .unwrap_or_default()
                + "\n",
        )
        .printed(Printed::Json),
        Err(e) => CommandOutput::fail(1, format!("{e}{PASS_A_TOKEN}")),
    }
}

/// What a token command tells a reader who passed something else.
const PASS_A_TOKEN: &str =
    " (pass the token itself, three base64url parts joined by '.', or a saved CreateParticipantToken response)";

/// The token in `input`: the text itself, or, for a saved CreateParticipantToken
/// response (JSON), its `participantToken.token`.
fn token_of(input: &str) -> Result<String, CommandOutput> {
    let input = input.trim();
    if !input.starts_with('{') {
        return Ok(input.to_owned());
    }
    let response = ivs_participant_token::parse_response(input.as_bytes())
        .map_err(|e| CommandOutput::fail(1, format!("not a CreateParticipantToken response: {e}")))?
        .value;
    response
        .participant_token
        .and_then(|t| t.token)
        .map(|t| t.expose().to_owned())
        .ok_or_else(|| {
            CommandOutput::fail(
                1,
                format!("the response holds no participantToken.token{PASS_A_TOKEN}"),
            )
        })
}

/// `token verify`: the signature against `public_key_pem`, expiry against the clock,
/// and the claims against the table.
pub fn token_verify(public_key_pem: &str, token: &str) -> CommandOutput {
    let key = match token::PublicKey::from_pem(public_key_pem) {
        Ok(k) => k,
        Err(e) => return CommandOutput::fail(2, e.to_string()),
    };
    let token = match token_of(token) {
        Ok(t) => t,
        Err(o) => return o,
    };
    match token::verify(&token, &key, unix_now()) {
        Ok(d) => {
            let mut report = d.header.validate();
            let claims = d.claims.validate();
            report.violations.extend(claims.violations);
            report.advisories.extend(claims.advisories);
            if report.is_valid() {
                // The claims' advisories (a `jti` not every model accepts) under the verdict.
                let notes: String = report
                    .advisories
                    .iter()
                    .map(|a| format!("advisory: {}\n", a.message()))
                    .collect();
                CommandOutput::ok(format!("valid\n{notes}"))
            } else {
                CommandOutput::negative(format!("invalid claims: {}\n", report.aws_message()))
            }
        }
        Err(e) => CommandOutput::negative(format!("invalid: {e}\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_keys_are_settings_errors() {
        assert_eq!(token_verify("not a pem", "a.b.c").code, 2);
        assert_eq!(token_decode("not-a-token").code, 1);
    }
}
