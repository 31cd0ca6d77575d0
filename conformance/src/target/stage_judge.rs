//! Judging CreateStage: the core's verdict on a request, a server's 200 (the stage, and
//! each token held to its configuration and the stage made), and a response read.
//!
//! What a CreateStage answer echoes is named by flat keys, each a JSON pointer without
//! its leading `/`, so that a case lists only what it is about: `participantTokens` (how
//! many tokens), `participantTokens/0/userId` (an echoed member of the first token, in
//! the configurations' order), `participantTokens/0/expirationTime` (`true` when the
//! token has one: this kit's reading, checked by a MAY case only), `stage/name` and
//! `stage/tags`.

use std::collections::BTreeMap;

use ivs_participant_token::internal;
use ivs_participant_token::token::{audit_create_stage_response, decode};
use ivs_participant_token::{
    CreateStageRequest, CreateStageResponse, CreateStageResponseVerdict, CreateStageVerdict,
    ErrorKind, Verdict, Violation, MAX_LISTED,
};
use serde_json::{json, Value};

use crate::cause::{member_path, Cause};
use crate::target::judge::{advisory_paths, echo_of, observed_violations, serialization_of};
use crate::target::Observed;

/// The echo keys of a valid request, as the service reads it.
fn request_echo(request: &CreateStageRequest) -> BTreeMap<String, Value> {
    let configs = request
        .participant_token_configurations
        .as_deref()
        .unwrap_or_default();
    let mut echo = BTreeMap::from([
        ("participantTokens".to_owned(), json!(configs.len())),
        ("stage/name".to_owned(), json!(request.name)),
        ("stage/tags".to_owned(), json!(request.tags)),
    ]);
    for (i, c) in configs.iter().enumerate().take(MAX_LISTED) {
        for (member, value) in internal::configuration_echo(&c.effective(), MAX_LISTED) {
            echo.insert(format!("participantTokens/{i}/{member}"), value);
        }
    }
    echo
}

/// The echo keys of an answer.
fn response_echo(response: &CreateStageResponse) -> BTreeMap<String, Value> {
    let tokens = response.participant_tokens.as_deref().unwrap_or_default();
    let stage = response.stage.as_ref();
    let mut echo = BTreeMap::from([
        ("participantTokens".to_owned(), json!(tokens.len())),
        (
            "stage/name".to_owned(),
            json!(stage.and_then(|s| s.name.as_ref())),
        ),
        (
            "stage/tags".to_owned(),
            json!(stage.and_then(|s| s.tags.as_ref())),
        ),
    ]);
    for (i, t) in tokens.iter().enumerate().take(MAX_LISTED) {
        for (member, value) in echo_of(t) {
            echo.insert(format!("participantTokens/{i}/{member}"), value);
        }
        let has_time = t.expiration_time.is_some().then_some(true);
        echo.insert(
            format!("participantTokens/{i}/expirationTime"),
            json!(has_time),
        );
    }
    echo
}

/// What a server that answers exactly as the core judges would be seen to do with a
/// CreateStage request.
pub fn observe_request(verdict: &CreateStageVerdict) -> Observed {
    let error = verdict.to_service_error();
    Observed {
        status: verdict.status(),
        error_type: verdict.error_type().map(str::to_owned),
        message: error.and_then(|e| e.message),
        violations: observed_violations(verdict),
        serialization: serialization_of(verdict),
        advisories: verdict.report().map(|_| advisory_paths(verdict)),
        echo: match verdict {
            Verdict::Valid(c) => Some(request_echo(&c.value.effective())),
            _ => None,
        },
        ..Observed::default()
    }
}

/// What a client reading a 2xx CreateStage response sees.
pub fn observe_response(status: u16, verdict: &CreateStageResponseVerdict) -> Observed {
    let problems = match verdict {
        Verdict::Malformed(e) => vec![e.to_string()],
        _ => verdict
            .violations()
            .iter()
            .map(Violation::message)
            .collect(),
    };
    Observed {
        status,
        error_type: verdict
            .parse_error()
            .map(|_| ErrorKind::Serialization.name().to_owned()),
        message: verdict.parse_error().map(ToString::to_string),
        serialization: serialization_of(verdict),
        conforms: Some(verdict.is_valid()),
        problems,
        violations: observed_violations(verdict),
        advisories: verdict.report().map(|_| advisory_paths(verdict)),
        ..Observed::default()
    }
}

/// Judges a server's 200 to a CreateStage request: the body a valid response, as many
/// tokens as configurations, each in order consistent with its configuration and the
/// stage made; `fresh` says whether a participant id is new in the run.
pub fn observe_success(
    o: &mut Observed,
    body: &[u8],
    request_body: &[u8],
    fresh: &dyn Fn(&str) -> bool,
) {
    let checked = match CreateStageResponseVerdict::create_stage_response(body) {
        Verdict::Malformed(e) => {
            let at = if e.path.is_empty() {
                String::new()
            } else {
                format!(" `{}`", member_path(&e.path))
            };
            let key = format!("the 200 body cannot be read:{at} ({})", e.kind.code());
            o.problem(
                format!("the 200 body is not a CreateStage response: {e}"),
                || Cause::new(key, Some(&e.path)),
            );
            o.unreadable = true;
            return;
        }
        Verdict::Invalid(c) | Verdict::Valid(c) => c,
    };
    let request = CreateStageVerdict::create_stage_request(request_body);
    let asked = match &request {
        Verdict::Valid(c) => Some(&c.value),
        _ => None,
    };
    let audit = audit_create_stage_response(asked, &checked.value);
    for v in &audit.report.violations {
        let key = format!(
            "the 200 body: `{}` {}",
            member_path(&v.path),
            v.constraint.kind()
        );
        o.problem(v.message(), || Cause::new(key, Some(&v.path)));
    }
    if let Some((asked, issued)) = audit.count {
        o.problem(
            format!("{issued} tokens issued for {asked} configurations"),
            || {
                Cause::new(
                    "CreateStage issued another number of tokens than asked for",
                    None,
                )
            },
        );
    }
    for (i, c) in &audit.inconsistencies {
        let key = format!(
            "a CreateStage token does not match its configuration: {}",
            c.rule
        );
        o.problem(format!("participantTokens/{i}: {c}"), || {
            Cause::new(key, None)
        });
    }
    for (i, e) in &audit.tokens {
        o.problem(
            format!("participantTokens/{i}: not a participant-token JWT: {e}"),
            || Cause::new("the token is not a participant-token JWT", None),
        );
    }
    let tokens = checked
        .value
        .participant_tokens
        .as_deref()
        .unwrap_or_default();
    for (i, id) in tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.participant_id.as_ref().map(|p| (i, p)))
    {
        if !fresh(id) {
            o.problem(
                format!("participantTokens/{i}: participantId {id} was issued before in this run"),
                || Cause::new("a participantId issued twice in one run", None),
            );
        }
    }
    if let Some(Ok(decoded)) = tokens
        .first()
        .and_then(|t| t.token.as_ref())
        .map(|t| decode(t.expose()))
    {
        let h = &decoded.header;
        o.token_header = Some(match h.form() {
            Some(form) => (form.describe().to_owned(), true),
            None => (
                format!("alg {:?}", ivs_reference_server::escape::cut(&h.alg, 40)),
                false,
            ),
        });
    }
    o.echo = Some(response_echo(&checked.value));
}
