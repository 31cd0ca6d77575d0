//! Minting self-signed tokens.

use serde_json::{Map, Value};

use super::claims::{Claims, Header};
use super::jwt::{sign, PrivateKey, TokenError};
use crate::constraints::{self, ClaimForm, MemberId, WireType};
use crate::model::ParticipantToken;
use crate::timestamp::Timestamp;
use crate::valid_request::ValidRequest;

/// What a self-signed token needs besides the request and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MintParams<'a> {
    /// The imported public key's ARN (`arn:aws:ivs:…:public-key/…`), the `kid` header.
    pub kid: &'a str,
    /// The stage's events endpoint (GetStage's `endpoints.events`).
    pub events_url: &'a str,
    /// The stage's WHIP endpoint (GetStage's `endpoints.whip`).
    pub whip_url: &'a str,
    /// The clock: Unix seconds, the token's `iat`.
    pub now: i64,
    /// The participant id (`jti`); a fresh random one when `None`.
    pub participant_id: Option<String>,
}

/// The 62 characters of the participant ids the API issues (`[A-Za-z0-9]`, a subset of
/// the model's `ParticipantTokenId` pattern).
pub const ID_ALPHABET: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Now, in Unix seconds, from the system clock (0 before 1970): the `now` of
/// [`MintParams`] and of [`verify`](super::verify) for callers that use the real clock.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A fresh participant id like the API's: 12 random alphanumerics from the OS's source.
pub fn random_participant_id() -> String {
    let mut out = String::with_capacity(12);
    let mut buf = [0u8; 32];
    while out.len() < 12 {
        getrandom::getrandom(&mut buf).expect("the operating system's random source");
        // 248 is the largest multiple of 62 below 256: no modulo bias.
        for b in buf.iter().filter(|b| **b < 248) {
            if out.len() == 12 {
                break;
            }
            out.push(char::from(ID_ALPHABET[usize::from(*b) % ID_ALPHABET.len()]));
        }
    }
    out
}

/// Mints a self-signed ES384 token for a valid request, as the service reads it, and
/// returns it as CreateParticipantToken would: `participantId` = `jti`, `expirationTime` =
/// `exp` = `now` + duration, userId, attributes, capabilities and duration echoed. The
/// request was checked when the [`ValidRequest`] was made; only the claims and the header
/// built here are checked again (the `kid` and URLs come from `params`).
pub fn mint(
    request: &ValidRequest,
    key: &PrivateKey,
    params: &MintParams<'_>,
) -> Result<ParticipantToken, TokenError> {
    let duration = request.duration();
    let capabilities = request.capabilities().into_owned();
    let jti = params
        .participant_id
        .clone()
        .unwrap_or_else(random_participant_id);
    // The id must serve every operation that looks a participant up, under either of
    // AWS's models; a bad one otherwise fails the claims' own check below.
    if (constraints::PARTICIPANT_ID_PATTERN.matches)(&jti)
        && !super::participant_id_is_portable(&jti)
    {
        return Err(TokenError::ParticipantIdNotPortable);
    }
    let exp = params.now.saturating_add(i64::from(duration) * 60);
    // The claims the request's members reach, as the constraint table's echoes say; then
    // the token's own (`jti`) and the stage's endpoints.
    let effective = match serde_json::to_value(request.effective()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut payload = Map::new();
    for row in &constraints::REQUEST {
        let value = effective.get(row.member).filter(|v| !v.is_null());
        for c in row.echo.claims {
            let carried = match (c.form, value) {
                (ClaimForm::Value, None) if row.wire_type == WireType::StringMap => {
                    Some(Value::Object(Map::new()))
                }
                (ClaimForm::Value, v) => v.cloned(),
                (ClaimForm::StageId, v) => v
                    .and_then(Value::as_str)
                    .map(|a| a.rsplit('/').next().unwrap_or(a).into()),
                (ClaimForm::Minutes, _) => Some(exp.into()),
                (ClaimForm::Flags, v) => Some(Value::Object(
                    row.enum_values
                        .map_or(&[][..], |e| e.value)
                        .iter()
                        .map(|e| {
                            let on = v
                                .and_then(Value::as_array)
                                .is_some_and(|a| a.iter().any(|x| x == e));
                            (format!("allow_{}", e.to_ascii_lowercase()), on.into())
                        })
                        .collect(),
                )),
                (ClaimForm::UnixSeconds(_), _) => None,
            };
            if let Some(v) = carried {
                payload.insert(c.name().to_owned(), v);
            }
        }
    }
    let participant_id = constraints::row(&constraints::PARTICIPANT_TOKEN, MemberId::ParticipantId);
    for c in participant_id.echo.claims {
        payload.insert(c.name().to_owned(), jti.clone().into());
    }
    for (id, value) in [
        (MemberId::Iat, Value::from(params.now)),
        (MemberId::EventsUrl, params.events_url.into()),
        (MemberId::WhipUrl, params.whip_url.into()),
        (MemberId::Version, constraints::CLAIMS_VERSION_1_0.into()),
    ] {
        payload.insert(constraints::claim_name(id).to_owned(), value);
    }
    let claims: Claims = serde_json::from_value(Value::Object(payload))
        .map_err(|_| TokenError::InvalidClaims(Claims::default().validate()))?;
    let header = Header::self_signed(params.kid);
    let problems = header.validate();
    if !problems.is_valid() {
        return Err(TokenError::InvalidHeader(problems));
    }
    let problems = claims.validate();
    if !problems.is_valid() {
        return Err(TokenError::InvalidClaims(problems));
    }
    let expiration_time =
        Timestamp::from_unix(exp, 0).ok_or_else(|| TokenError::InvalidClaims(claims.validate()))?;
    Ok(ParticipantToken {
        participant_id: Some(jti),
        token: Some(sign(&header, &claims, key)),
        user_id: request.user_id().map(str::to_owned),
        attributes: request.attributes().cloned(),
        duration: Some(duration),
        capabilities: Some(capabilities),
        expiration_time: Some(expiration_time),
    })
}
