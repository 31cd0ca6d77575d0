//! Judging an answer, whatever carried it: the core's [`Verdict`] turned into what the
//! runner compares ([`Observed`]), and a server's HTTP answer read into the same terms.
//!
//! An HTTP answer is judged beyond its status: a 200 must be a valid response whose
//! token is a JWT consistent with the request and whose participantId is new in the run;
//! an error must have the restJson1 form the model prescribes ([`crate::target::wire`]); every
//! answer carries `x-amzn-RequestId`. What breaks these becomes a problem, which fails
//! the case.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

use ivs_participant_token::internal;
use ivs_participant_token::token::{audit_response, decode};
use ivs_participant_token::ERROR_TYPE_HEADER;
use ivs_participant_token::MAX_LISTED;
use ivs_participant_token::{
    ErrorKind, ParticipantToken, RequestVerdict, ResponseVerdict, ServiceError, Verdict, Violation,
};
use ivs_reference_server::escape;
use serde_json::Value;

use crate::case::{Expect, ExpectedSerialization, ExpectedViolation, Operation};
use crate::cause::{member_path, Cause};
use crate::target::message::violations_in_message;
use crate::target::stage_judge;
use crate::target::wire;
use crate::target::{Observed, ObservedViolation, SerializationObserved};

/// The members of a token that echo the request, as the constraint table says
/// ([`Echo::token`]), by name: what both targets report and `expect.effective` names.
///
/// A list or map longer than [`MAX_LISTED`] is echoed by its first entries and a note of
/// how many more there are: no expectation holds that many (the model allows 2
/// capabilities and 1 KB of attributes), so the comparison fails just the same, and a
/// server's answer of 200,000 capabilities costs the runner no more than 100.
///
/// [`Echo::token`]: ivs_participant_token::constraints::Echo::token
pub fn echo_of(token: &ParticipantToken) -> BTreeMap<String, Value> {
    internal::token_echo(token, MAX_LISTED)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

fn observed_violation(v: &Violation) -> ObservedViolation {
    ObservedViolation {
        path: v.path.clone(),
        constraint: Some(v.constraint.kind().to_owned()),
    }
}

/// The violations of a body that could be read (none reported for a malformed one).
pub(crate) fn observed_violations<T, V>(v: &Verdict<T, V>) -> Option<Vec<ObservedViolation>> {
    v.report()
        .map(|_| v.violations().iter().map(observed_violation).collect())
}

/// The serialization error of a malformed body, in the runner's terms.
pub(crate) fn serialization_of<T, V>(v: &Verdict<T, V>) -> Option<SerializationObserved> {
    v.parse_error().map(|e| SerializationObserved {
        kind: e.kind.code().to_owned(),
        path: e.path.clone(),
    })
}

pub(crate) fn advisory_paths<T, V>(v: &Verdict<T, V>) -> Vec<String> {
    v.advisories().iter().map(|a| a.path.clone()).collect()
}

/// What a server that answers exactly as the core judges would be seen to do with a
/// request: the verdict's status, error, violations and advisories, and for a valid
/// request the echo of its effective values.
pub fn observe_request(verdict: &RequestVerdict) -> Observed {
    let error = verdict.to_service_error();
    Observed {
        status: verdict.status(),
        error_type: verdict.error_type().map(str::to_owned),
        message: error.and_then(|e| e.message),
        violations: observed_violations(verdict),
        serialization: serialization_of(verdict),
        advisories: verdict.report().map(|_| advisory_paths(verdict)),
        echo: verdict.effective().map(|e| {
            internal::request_echo(&e, MAX_LISTED)
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect()
        }),
        ..Observed::default()
    }
}

/// What a client reading a 2xx response sees: whether it conforms, and why not.
pub fn observe_response(status: u16, verdict: &ResponseVerdict) -> Observed {
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

/// What a client reading an error response sees: its type and message, and whether it
/// has the restJson1 form.
pub fn observe_error(status: u16, error_type_header: Option<&str>, body: &[u8]) -> Observed {
    let read = ServiceError::from_http(status, error_type_header, body);
    let problems = wire::error_response_problems(status, error_type_header, body);
    Observed {
        status,
        error_type: Some(read.kind.name().to_owned()),
        message: read.message,
        conforms: Some(problems.is_empty()),
        problems,
        ..Observed::default()
    }
}

/// The expectation the core's verdict on a request sets for a server: its status and
/// error type, every violation with its constraint, and for a valid request the echo
/// of its effective values.
pub fn expect_of(verdict: &RequestVerdict) -> Expect {
    let observed = observe_request(verdict);
    Expect {
        status: Some(observed.status),
        error_type: observed.error_type,
        violations: observed.violations.filter(|v| !v.is_empty()).map(|v| {
            v.into_iter()
                .map(|v| ExpectedViolation::Detailed {
                    path: v.path,
                    constraint: v.constraint.unwrap_or_default(),
                })
                .collect()
        }),
        effective: observed.echo,
        // Servers do not name the kind, so it is never compared; it names the cause of
        // a lax reader's disagreement (`duplicateMember not refused`).
        serialization: observed.serialization.map(|s| ExpectedSerialization {
            kind: s.kind,
            path: Some(s.path),
        }),
        ..Expect::default()
    }
}

/// Judges HTTP answers; remembers the participant ids issued in a run.
#[derive(Debug, Default)]
pub struct Judge {
    participant_ids: Mutex<HashSet<String>>,
}

impl Judge {
    /// Judges an answer (`status`, `headers`, `body`) to a request of `operation` whose
    /// body was `request_body`.
    pub fn observe(
        &self,
        operation: Operation,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        request_body: &[u8],
    ) -> Observed {
        let header = |name: &str| wire::header_in(headers, name);
        let mut o = Observed {
            status,
            ..Observed::default()
        };
        if header("x-amzn-requestid").is_none() {
            let text = "no x-amzn-RequestId header";
            o.problem(text.into(), || Cause::new(text, None));
        }
        if (200..300).contains(&status) {
            let content_type = header("content-type");
            if !content_type.is_some_and(|c| c.starts_with("application/json")) {
                o.problem(
                    format!("Content-Type {content_type:?}, not application/json"),
                    || Cause::new("a 200 whose Content-Type is not application/json", None),
                );
            }
            match operation {
                Operation::CreateParticipantToken => {
                    self.observe_success(&mut o, body, request_body)
                }
                Operation::CreateStage => {
                    let fresh = |id: &str| self.fresh(id);
                    stage_judge::observe_success(&mut o, body, request_body, &fresh)
                }
            }
        } else {
            let error_type = header(ERROR_TYPE_HEADER);
            let read = ServiceError::from_http(status, error_type, body);
            let name = read.kind.name().to_owned();
            for p in wire::error_response_problems(status, error_type, body) {
                // The wire form's words, cut at a colon should one ever carry a detail
                // of the answer after it.
                let key = format!("error answer: {}", p.split(':').next().unwrap_or(&p));
                o.problem(p, || Cause::new(key, None));
            }
            if status >= 500 {
                o.problem(
                    format!("a server error, {status}, for a client's request"),
                    || Cause::new("a server error (5xx) for a client's request", None),
                );
            }
            if read.kind == ErrorKind::Validation {
                o.violations = read.message.as_deref().map(violations_in_message);
            }
            o.error_type = (!name.is_empty()).then_some(name);
            o.message = read.message;
        }
        o
    }

    /// Whether `id` is issued for the first time in this run (and remembers it).
    fn fresh(&self, id: &str) -> bool {
        self.participant_ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_owned())
    }

    fn observe_success(&self, o: &mut Observed, body: &[u8], request_body: &[u8]) {
        let checked = match Verdict::response(body) {
            Verdict::Malformed(e) => {
                let at = if e.path.is_empty() {
                    String::new()
                } else {
                    format!(" `{}`", member_path(&e.path))
                };
                let key = format!("the 200 body cannot be read:{at} ({})", e.kind.code());
                o.problem(format!("the 200 body is not a response: {e}"), || {
                    Cause::new(key, Some(&e.path))
                });
                o.unreadable = true;
                return;
            }
            Verdict::Invalid(c) | Verdict::Valid(c) => c,
        };
        let request = Verdict::request(request_body);
        let audit = audit_response(request.valid_request(), &checked.value);
        for v in &audit.report.violations {
            let key = format!(
                "the 200 body: `{}` {}",
                member_path(&v.path),
                v.constraint.kind()
            );
            o.problem(v.message(), || Cause::new(key, Some(&v.path)));
        }
        for i in &audit.inconsistencies {
            let key = format!("the token does not match the request: {}", i.rule);
            o.problem(i.to_string(), || Cause::new(key, None));
        }
        if let Some(e) = audit.token {
            o.problem(
                format!("the token is not a participant-token JWT: {e}"),
                || Cause::new("the token is not a participant-token JWT", None),
            );
        }
        let Some(issued) = checked.value.participant_token else {
            return;
        };
        if let Some(Ok(decoded)) = issued.token.as_ref().map(|t| decode(t.expose())) {
            let h = &decoded.header;
            o.token_header = Some(match h.form() {
                Some(form) => (form.describe().to_owned(), true),
                None => (
                    format!(
                        "alg {:?}, typ {:?}, kid {:?}",
                        escape::cut(&h.alg, 40),
                        h.typ.as_deref().map(|t| escape::cut(t, 40)),
                        h.kid.as_deref().map(|k| escape::cut(k, 120))
                    ),
                    false,
                ),
            });
        }
        o.echo = Some(echo_of(&issued));
        if let Some(id) = &issued.participant_id {
            if !self.fresh(id) {
                o.problem(
                    format!("participantId {id} was issued before in this run"),
                    || Cause::new("a participantId issued twice in one run", None),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_observation_follows_the_verdict() {
        let v = Verdict::request(br#"{"duration":0}"#);
        let o = observe_request(&v);
        assert_eq!(o.status, 400);
        assert_eq!(o.violations.unwrap().len(), 2);
        let v = Verdict::request(b"[]");
        let o = observe_request(&v);
        assert_eq!(o.serialization.unwrap().kind, "notAnObject");
        assert!(o.violations.is_none());
    }
}
