//! Does a token agree with the request it was issued for?

use std::fmt;

use serde_json::{Map, Value};

use super::claims::Claims;
use super::jwt::{decode, TokenError};
use crate::constraints::{
    self, ClaimForm, MemberConstraints, MemberId, WireType, PARTICIPANT_TOKEN, REQUEST,
};
use crate::model::{CreateParticipantTokenResponse, ParticipantToken};
use crate::report::Report;
use crate::timestamp::Timestamp;
use crate::valid_request::ValidRequest;

/// One disagreement between a request, the `ParticipantToken` issued for it and the
/// token's claims. It never holds the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistency {
    /// What disagrees, such as `jti = participantId`.
    pub rule: &'static str,
    /// What the request or response says it should be.
    pub expected: String,
    /// What was found.
    pub found: String,
}

impl fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, found {}",
            self.rule, self.expected, self.found
        )
    }
}

/// A member or claim as a check shows it: its JSON, or `nothing`.
fn show(v: Option<&Value>) -> String {
    match v {
        Some(v) if !v.is_null() => v.to_string(),
        _ => "nothing".to_owned(),
    }
}

/// `v`'s members, by name, nulls left out.
fn members<T: serde::Serialize>(v: &T) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    }
}

/// An untrusted number of a claim, where arithmetic on it cannot overflow.
fn wide(v: Option<&Value>) -> Option<i128> {
    v.and_then(Value::as_i64).map(i128::from)
}

/// The stage id of a stage ARN: its last segment.
fn stage_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Whether `claim` carries `value` (a member of a row of `row`'s kind) in `form`; the
/// claims given for the forms that read two (`iat` beside `exp`).
fn claim_carries(
    row: &MemberConstraints,
    form: ClaimForm,
    value: Option<&Value>,
    claim: Option<&Value>,
    claims: &Map<String, Value>,
) -> (bool, String, String) {
    let empty_map = Value::Object(Map::new());
    match form {
        ClaimForm::Value if row.wire_type == WireType::StringMap => {
            let (want, got) = (value.unwrap_or(&empty_map), claim.unwrap_or(&empty_map));
            (want == got, want.to_string(), got.to_string())
        }
        ClaimForm::Value => (value == claim, show(value), show(claim)),
        ClaimForm::StageId => {
            let want = value
                .and_then(Value::as_str)
                .map(|a| Value::from(stage_id(a)));
            (want.as_ref() == claim, show(want.as_ref()), show(claim))
        }
        ClaimForm::Minutes => {
            let lifetime = wide(claim)
                .zip(wide(claims.get(constraints::claim_name(MemberId::Iat))))
                .map(|(e, i)| e - i);
            let want = wide(value).map(|m| m * 60);
            (
                lifetime.is_some() && lifetime == want,
                show_n(want),
                show_n(lifetime),
            )
        }
        ClaimForm::Flags => {
            let listed = |v: &str| {
                value
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|x| x == v))
            };
            let want: Map<String, Value> = row
                .enum_values
                .map_or(&[][..], |e| e.value)
                .iter()
                .map(|v| {
                    (
                        format!("allow_{}", v.to_ascii_lowercase()),
                        listed(v).into(),
                    )
                })
                .collect();
            let want = Value::Object(want);
            (claim == Some(&want), want.to_string(), show(claim))
        }
        ClaimForm::UnixSeconds(tolerance) => {
            let at = value
                .and_then(Value::as_str)
                .and_then(|t| Timestamp::parse_rfc3339(t).ok())
                .map(|t| i128::from(t.unix_seconds()));
            let close = matches!((wide(claim), at), (Some(a), Some(b)) if (a - b).abs() <= i128::from(tolerance));
            (close, show_n(at), show(claim))
        }
    }
}

fn show_n(n: Option<i128>) -> String {
    n.map_or("nothing".to_owned(), |n| n.to_string())
}

/// Whether the token's member holds the effective value: a list as the same set (and
/// there), a map absent as an empty one, anything else exactly.
fn token_echoes(row: &MemberConstraints, want: Option<&Value>, got: Option<&Value>) -> bool {
    match row.wire_type {
        WireType::StringList => {
            let sorted = |v: Option<&Value>| {
                v.and_then(Value::as_array).map(|a| {
                    let mut a: Vec<String> = a.iter().map(Value::to_string).collect();
                    a.sort();
                    a
                })
            };
            got.is_some() && sorted(want) == sorted(got)
        }
        WireType::StringMap => {
            let empty = Value::Object(Map::new());
            want.unwrap_or(&empty) == got.unwrap_or(&empty)
        }
        _ => want == got,
    }
}

/// Every disagreement between `request` (as the service reads it), the `issued` token and
/// its `claims`, as the constraint table's echoes say ([`Echo`](crate::constraints::Echo)): each request member in
/// its claims (`resource` and `topic`, `exp − iat`, `user_id`, `capabilities`,
/// `attributes`) and in the token's member of the same name, and each token member in its
/// claims (`jti`, `exp`). Works for any claims, those of the API's own `alg: KMS` tokens
/// included.
pub fn inconsistencies(
    request: &ValidRequest,
    issued: &ParticipantToken,
    claims: &Claims,
) -> Vec<Inconsistency> {
    let effective = members(&request.effective());
    let mut token = members(issued);
    // The token itself is a secret and no member of a check.
    token.remove(constraints::row(&PARTICIPANT_TOKEN, MemberId::Token).member);
    let claims = members(claims);
    let mut out = Vec::new();
    for (rows, values) in [(&REQUEST[..], &effective), (&PARTICIPANT_TOKEN[..], &token)] {
        for row in rows {
            let value = values.get(row.member);
            for c in row.echo.claims {
                let (ok, expected, found) =
                    claim_carries(row, c.form, value, claims.get(c.name()), &claims);
                if !ok {
                    out.push(Inconsistency {
                        rule: c.rule,
                        expected,
                        found,
                    });
                }
            }
            if let Some(rule) = row.echo.token {
                let echoed = token.get(row.member);
                if !token_echoes(row, value, echoed) {
                    out.push(Inconsistency {
                        rule,
                        expected: show(value),
                        found: show(echoed),
                    });
                }
            }
        }
    }
    out
}

/// What a client finds wrong with a response to its request: the response's own
/// violations, and its token's faults (not a participant-token JWT, or claims that
/// disagree with the request or the response). What the conformance runner judges a
/// server's 200 by, and the aws-sdk interceptor's `check_responses` a service's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseAudit {
    /// The response's violations and advisories.
    pub report: Report,
    /// Where the token's claims disagree with the request or the response.
    pub inconsistencies: Vec<Inconsistency>,
    /// Why the token could not be read as a participant-token JWT, when it could not.
    pub token: Option<TokenError>,
}

impl ResponseAudit {
    /// Whether nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.report.is_valid() && self.inconsistencies.is_empty() && self.token.is_none()
    }
}

/// Audits `response` as the answer to `request`: the response validated, and its token
/// (when it has one; a missing token is a violation already) decoded without
/// verification and, when the request is known, held to the request and the response
/// (`inconsistencies`).
pub fn audit_response(
    request: Option<&ValidRequest>,
    response: &CreateParticipantTokenResponse,
) -> ResponseAudit {
    let report = response.validate();
    let issued = response
        .participant_token
        .as_ref()
        .and_then(|t| t.token.as_ref().map(|token| (t, token)));
    let (inconsistencies, token) = match issued {
        None => (Vec::new(), None),
        Some((issued, token)) => match decode(token.expose()) {
            Ok(decoded) => (
                request.map_or_else(Vec::new, |r| inconsistencies(r, issued, &decoded.claims)),
                None,
            ),
            Err(e) => (Vec::new(), Some(e)),
        },
    };
    ResponseAudit {
        report,
        inconsistencies,
        token,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    #[test]
    fn extreme_claims_are_inconsistent_not_a_panic() {
        let request = ValidRequest::new(crate::CreateParticipantTokenRequest::new(
            "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234",
        ))
        .unwrap();
        let issued = ParticipantToken {
            expiration_time: Timestamp::from_unix(Timestamp::MAX_UNIX_SECONDS, 0),
            duration: Some(720),
            ..ParticipantToken::default()
        };
        for (exp, iat) in [(i64::MIN, i64::MAX), (i64::MAX, i64::MIN), (i64::MIN, 0)] {
            let claims = Claims {
                exp: Some(exp),
                iat: Some(iat),
                ..Claims::default()
            };
            let found = inconsistencies(&request, &issued, &claims);
            assert!(found.iter().any(|i| i.rule.contains("exp")), "{found:?}");
        }
    }
}
