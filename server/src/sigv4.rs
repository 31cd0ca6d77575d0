//! SigV4 verification: the server recomputes the signature a client made with its secret
//! and compares. The key derivation and HMAC come from `aws-sigv4`; the canonical request
//! is rebuilt here from what the client says it signed.

use std::time::{Duration, SystemTime};

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::config::AccessKey;

/// The signing name of IVS (not the endpoint prefix `ivsrealtime`).
pub const SERVICE: &str = "ivs";

/// How far a request's clock may be from the server's.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// Why a request was not authenticated; each travels as AWS sends it: 403 and a common
/// error type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No Authorization header.
    Missing,
    /// An Authorization header that is not a complete SigV4 one.
    Incomplete(String),
    /// An access key the server does not know.
    UnknownKey,
    /// A scope for another service or region.
    WrongScope(String),
    /// A timestamp too far from the server's clock.
    Expired,
    /// The signature does not match.
    BadSignature,
}

/// The error types of AWS's front door that [`AuthError::error_type`] answers with (403).
pub const AUTH_ERROR_TYPES: [&str; 4] = [
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
];

impl AuthError {
    /// The error type AWS answers with.
    pub fn error_type(&self) -> &'static str {
        // Every answer here is one of AUTH_ERROR_TYPES (tested).
        match self {
            AuthError::Missing => "MissingAuthenticationTokenException",
            AuthError::Incomplete(_) => "IncompleteSignatureException",
            AuthError::UnknownKey => "UnrecognizedClientException",
            AuthError::WrongScope(_) | AuthError::Expired | AuthError::BadSignature => {
                "InvalidSignatureException"
            }
        }
    }

    /// The message, after AWS's.
    pub fn message(&self) -> String {
        match self {
            AuthError::Missing => "Missing Authentication Token".to_owned(),
            AuthError::Incomplete(why) => format!("Incomplete signature: {why}"),
            AuthError::UnknownKey => "The security token included in the request is invalid.".to_owned(),
            AuthError::WrongScope(why) => why.clone(),
            AuthError::Expired => "Signature expired: the request time is more than 15 minutes from the server's.".to_owned(),
            AuthError::BadSignature => "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.".to_owned(),
        }
    }
}

struct Parsed<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Parsed<'_>, AuthError> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or_else(|| AuthError::Incomplete("the algorithm must be AWS4-HMAC-SHA256".into()))?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',').map(str::trim) {
        let (slot, v) = if let Some(v) = part.strip_prefix("Credential=") {
            (&mut credential, v)
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            (&mut signed, v)
        } else if let Some(v) = part.strip_prefix("Signature=") {
            (&mut signature, v)
        } else {
            continue;
        };
        if slot.replace(v).is_some() {
            let name = part.split('=').next().unwrap_or_default();
            return Err(AuthError::Incomplete(format!(
                "the Authorization header gives {name} more than once"
            )));
        }
    }
    let missing =
        |what: &str| AuthError::Incomplete(format!("the Authorization header has no {what}"));
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, "aws4_request"] = scope[..] else {
        return Err(AuthError::Incomplete(
            "the Credential is not key/date/region/service/aws4_request".into(),
        ));
    };
    Ok(Parsed {
        access_key,
        date,
        region,
        service,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

/// `X-Amz-Date` as Unix seconds (negative before 1970: a well-formed date long past is
/// an expired signature, not a malformed one).
fn parse_amz_date(s: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let t = time::PrimitiveDateTime::parse(s, &format)
        .ok()?
        .assume_utc();
    Some(t.unix_timestamp())
}

/// `now` as Unix seconds, negative before 1970.
fn unix_seconds(now: SystemTime) -> i64 {
    match now.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// Header values as SigV4 canonicalises them: trimmed, inner runs of spaces folded,
/// several values joined by `,`.
fn canonical_value(headers: &HeaderMap, name: &str) -> String {
    headers
        .get_all(name)
        .iter()
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The canonical query string: pairs sorted by name, then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Constant-time equality of two ASCII signatures.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The parts of a request that SigV4 signs.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// The method, upper case.
    pub method: &'a str,
    /// The path as sent.
    pub path: &'a str,
    /// The query string as sent, without `?`.
    pub query: &'a str,
    /// Every header.
    pub headers: &'a HeaderMap,
    /// The body.
    pub body: &'a [u8],
}

/// Verifies a request's SigV4 signature against `keys`, scoped to one of `regions` and
/// the service `ivs`, at `now` (within [`MAX_SKEW`], the replay window: a signed request
/// can be sent again within it, as AWS allows); answers the key that signed it.
///
/// Refused as AWS refuses them: a second `Authorization` header or a component given
/// twice (`IncompleteSignatureException`), and an `X-Amz-Security-Token`, since this
/// server issues no temporary credentials (`UnrecognizedClientException`, "The security
/// token included in the request is invalid").
pub fn verify<'k>(
    request: &SignedRequest<'_>,
    keys: &'k [AccessKey],
    regions: &[String],
    now: SystemTime,
) -> Result<&'k AccessKey, AuthError> {
    let SignedRequest {
        method,
        path,
        query,
        headers,
        body,
    } = *request;
    let mut values = headers.get_all("authorization").iter();
    let value = values.next().ok_or(AuthError::Missing)?;
    if values.next().is_some() {
        return Err(AuthError::Incomplete(
            "the request has more than one Authorization header".into(),
        ));
    }
    if headers.contains_key("x-amz-security-token") {
        return Err(AuthError::UnknownKey);
    }
    let value = value
        .to_str()
        .map_err(|_| AuthError::Incomplete("the Authorization header is not text".into()))?;
    let auth = parse_authorization(value)?;
    if auth.service != SERVICE {
        return Err(AuthError::WrongScope(format!(
            "Credential should be scoped to correct service: '{SERVICE}'."
        )));
    }
    if !regions.iter().any(|r| r == auth.region) {
        return Err(AuthError::WrongScope(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            auth.region
        )));
    }
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AuthError::Incomplete("no X-Amz-Date header".into()))?;
    let when = parse_amz_date(amz_date)
        .ok_or_else(|| AuthError::Incomplete("X-Amz-Date is not yyyymmddThhmmssZ".into()))?;
    if !amz_date.starts_with(auth.date) || auth.date.len() != 8 {
        return Err(AuthError::Incomplete(
            "the Credential's date is not X-Amz-Date's".into(),
        ));
    }
    let skew = Duration::from_secs(unix_seconds(now).abs_diff(when));
    if skew > MAX_SKEW {
        return Err(AuthError::Expired);
    }
    // Within the window of `now`, so after 1970 whenever the clock is.
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(when).unwrap_or(0));
    let key = keys
        .iter()
        .find(|k| k.access_key_id == auth.access_key)
        .ok_or(AuthError::UnknownKey)?;
    if !auth.signed_headers.contains(&"host") {
        return Err(AuthError::Incomplete(
            "SignedHeaders must include host".into(),
        ));
    }
    let body_hash = hex::encode(Sha256::digest(body));
    if let Some(claimed) = headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
    {
        if claimed != "UNSIGNED-PAYLOAD" && claimed != body_hash {
            return Err(AuthError::BadSignature);
        }
    }
    let canonical_headers: String = auth
        .signed_headers
        .iter()
        .map(|h| format!("{h}:{}\n", canonical_value(headers, h)))
        .collect();
    let canonical_request = format!(
        "{method}\n{path}\n{}\n{canonical_headers}\n{}\n{body_hash}",
        canonical_query(query),
        auth.signed_headers.join(";")
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{}/{}/{}/aws4_request\n{}",
        auth.date,
        auth.region,
        auth.service,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let signing_key = aws_sigv4::sign::v4::generate_signing_key(
        &key.secret_access_key,
        when,
        auth.region,
        auth.service,
    );
    let expected = aws_sigv4::sign::v4::calculate_signature(signing_key, string_to_sign.as_bytes());
    if same(&expected, auth.signature) {
        Ok(key)
    } else {
        Err(AuthError::BadSignature)
    }
}

#[cfg(test)]
mod auth_error_types {
    use super::*;

    #[test]
    fn every_auth_error_type_is_listed() {
        for e in [
            AuthError::Missing,
            AuthError::Incomplete(String::new()),
            AuthError::UnknownKey,
            AuthError::WrongScope(String::new()),
            AuthError::Expired,
            AuthError::BadSignature,
        ] {
            assert!(AUTH_ERROR_TYPES.contains(&e.error_type()), "{e:?}");
        }
    }
}
