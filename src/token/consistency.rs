//! Does a token agree with the request it was issued for?

use std::fmt;

use super::claims::Claims;
use super::jwt::{decode, TokenError};
use crate::model::{Capability, CreateParticipantTokenResponse, ParticipantToken};
use crate::report::Report;
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

fn show<T: fmt::Debug>(v: &Option<T>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => "nothing".to_owned(),
    }
}

/// Every disagreement between `request` (as the service reads it), the `issued` token and
/// its `claims`: participantId = jti; expirationTime = exp (±1 s); exp − iat = duration ×
/// 60; resource = stageArn; topic = its stage id; user_id = userId (absent when absent);
/// capabilities and attributes as requested; and the echoed members of `issued`. Works
/// for any claims, those of the API's own `alg: KMS` tokens included.
pub fn inconsistencies(
    request: &ValidRequest,
    issued: &ParticipantToken,
    claims: &Claims,
) -> Vec<Inconsistency> {
    let mut out = Vec::new();
    let mut expect = |rule, ok: bool, expected: String, found: String| {
        if !ok {
            out.push(Inconsistency {
                rule,
                expected,
                found,
            });
        }
    };
    let duration = Some(i64::from(request.duration()));
    let caps = request.capabilities();
    let stage_arn = Some(request.stage_arn().as_str().to_owned());
    let user_id = request.user_id().map(str::to_owned);

    expect(
        "jti = participantId",
        claims.jti == issued.participant_id,
        show(&issued.participant_id),
        show(&claims.jti),
    );
    let exp_time = issued.expiration_time.map(|t| t.unix_seconds());
    // Claims are untrusted numbers: differences are taken without overflow (i128).
    let close = matches!((claims.exp, exp_time),
        (Some(a), Some(b)) if (i128::from(a) - i128::from(b)).abs() <= 1);
    expect(
        "exp = expirationTime (±1 s)",
        close,
        show(&exp_time),
        show(&claims.exp),
    );
    let lifetime = claims
        .exp
        .zip(claims.iat)
        .map(|(e, i)| i128::from(e) - i128::from(i));
    let expected_lifetime = duration.map(|d| i128::from(d) * 60);
    expect(
        "exp − iat = duration × 60",
        lifetime == expected_lifetime,
        show(&expected_lifetime),
        show(&lifetime),
    );
    expect(
        "resource = stageArn",
        claims.resource == stage_arn,
        show(&stage_arn),
        show(&claims.resource),
    );
    let stage_id = Some(request.stage_arn().stage_id().to_owned());
    expect(
        "topic = the stage id",
        claims.topic == stage_id,
        show(&stage_id),
        show(&claims.topic),
    );
    expect(
        "user_id = userId",
        claims.user_id == user_id,
        show(&user_id),
        show(&claims.user_id),
    );
    let want = (
        caps.contains(&Capability::Publish),
        caps.contains(&Capability::Subscribe),
    );
    let got = claims
        .capabilities
        .map(|c| (c.allow_publish, c.allow_subscribe));
    expect(
        "capabilities claim = capabilities",
        got == Some(want),
        format!("{want:?}"),
        show(&got),
    );
    let attrs = request.attributes().cloned().unwrap_or_default();
    let claim_attrs = claims.attributes.clone().unwrap_or_default();
    expect(
        "attributes claim = attributes",
        claim_attrs == attrs,
        format!("{attrs:?}"),
        format!("{claim_attrs:?}"),
    );

    expect(
        "duration echoed",
        issued.duration.map(i64::from) == duration,
        show(&duration),
        show(&issued.duration),
    );
    let mut echoed = issued.capabilities.clone().unwrap_or_default();
    let mut wanted = caps.into_owned();
    echoed.sort();
    wanted.sort();
    expect(
        "capabilities echoed",
        issued.capabilities.is_some() && echoed == wanted,
        format!("{wanted:?}"),
        show(&issued.capabilities),
    );
    expect(
        "userId echoed",
        issued.user_id == user_id,
        show(&user_id),
        show(&issued.user_id),
    );
    let echoed_attrs = issued.attributes.clone().unwrap_or_default();
    expect(
        "attributes echoed",
        echoed_attrs == attrs,
        format!("{attrs:?}"),
        format!("{echoed_attrs:?}"),
    );
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
