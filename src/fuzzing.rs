//! What each fuzz target asserts (feature `fuzzing`). Every function takes raw bytes and
//! panics only when the crate breaks a property; malformed input is expected and must come
//! back as a typed error.
//!
//! They live in the library, as rustls keeps its fuzz oracles, so that the cargo-fuzz
//! targets are one-line wrappers and `tests/fuzz_regressions.rs` replays every saved crash
//! and seed under a stable `cargo test`, from the crate alone. Not part of the stable API:
//! what a check asserts grows with the fuzzing.

use crate::constraints;
use crate::error::sanitize_error_type;
use crate::token::{decode, inconsistencies};
use crate::{
    parse_request, parse_response, CreateParticipantTokenRequest, CreateParticipantTokenResponse,
    ParticipantToken, ServiceError, Timestamp, Token, Verdict,
};
use arbitrary::{Arbitrary, Unstructured};
use serde_json::Value;

/// The most bytes a verdict's renderings may take for a body of `len` bytes: the
/// message a server sends, and the human form, which lists every violation and advisory.
/// Linear in the body, over a constant for a report of [`MAX_LISTED`] entries, each of
/// whose echoed values is cut at [`MAX_ECHOED_CHARS`]; anything worse is a report that
/// grows faster than its body (a list echoed whole for each of its items, as a report once did).
///
/// [`MAX_LISTED`]: crate::violation::MAX_LISTED
/// [`MAX_ECHOED_CHARS`]: crate::violation::MAX_ECHOED_CHARS
pub fn rendering_bound(len: usize) -> usize {
    let per_entry = 4 * crate::violation::MAX_ECHOED_CHARS + 512;
    8 * len + 2 * crate::violation::MAX_LISTED * per_entry
}

/// The bytes of text a report holds: every violation's path, value and list echo, and
/// every advisory's path. What a report costs in memory beyond its fixed-size parts.
fn report_text_bytes(report: &crate::Report) -> usize {
    let held = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let violations: usize = report
        .violations
        .iter()
        .map(|v| v.path.len() + held(&v.value) + held(&v.list_value))
        .sum();
    let advisories: usize = report.advisories.iter().map(|a| a.path.len()).sum();
    violations + advisories
}

/// Renders a verdict as its consumers do (the server's message and a malformed body's
/// answer, the human form, the JSON) and checks that the report's text and each rendering stay within
/// [`rendering_bound`] of the body.
fn check_rendering<T, V>(len: usize, verdict: &Verdict<T, V>)
where
    T: std::fmt::Debug,
    V: crate::verdict::EffectiveView + AsRef<T>,
{
    let message = verdict.message();
    let human = verdict.to_string();
    let json = serde_json::to_string(verdict).expect("a verdict serialises");
    // A malformed body's answer, as a server sends it: a SerializationException.
    let answer = verdict
        .parse_error()
        .map_or(0, |e| e.to_service_error().to_http().body.len());
    let bound = rendering_bound(len);
    for (what, size) in [
        (
            "report's text",
            verdict.report().map_or(0, report_text_bytes),
        ),
        ("message", message.len()),
        ("SerializationException", answer),
        ("human form", human.len()),
        ("JSON", json.len()),
    ] {
        assert!(
            size <= bound,
            "the {what} of a {len}-byte body takes {size} bytes (bound {bound})"
        );
    }
    if let Some(value) = verdict.value() {
        let _ = format!("{value:?}");
    }
}

/// Bytes → the verdicts on them as a request and as a response, rendered as their
/// consumers render them (the server's message, the human form, the JSON, `Debug`):
/// each rendering within [`rendering_bound`] of the body. The target that measures what
/// an input costs, so that a report growing faster than its body is a crash.
pub fn report_size_check(data: &[u8]) {
    check_rendering(data.len(), &Verdict::request(data));
    check_rendering(data.len(), &Verdict::response(data));
}

/// The faults of the bytes come first: not UTF-8, then a byte-order mark, before
/// anything of JSON.
fn check_reading_order<T, V>(data: &[u8], verdict: &Verdict<T, V>) {
    use crate::json::ParseErrorKind;
    let kind = verdict.parse_error().map(|e| &e.kind);
    let Ok(text) = std::str::from_utf8(data) else {
        assert_eq!(
            kind,
            Some(&ParseErrorKind::InvalidUtf8),
            "not UTF-8 comes first"
        );
        return;
    };
    if text.starts_with('\u{feff}') {
        assert_eq!(kind, Some(&ParseErrorKind::ByteOrderMark), "then the mark");
    }
}

/// A value written and read again, through serde's `Deserialize` of the model (the
/// path a serde user takes; it drives the same visitors as the bytes' reader, so the
/// original text read both ways could only agree), is equal; the violations, a function
/// of the value, are then equal too.
fn check_round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let bytes = serde_json::to_vec(value).expect("a value serialises");
    let again: T = serde_json::from_slice(&bytes).expect("our own output reads");
    assert_eq!(&again, value, "write → read changed the value");
}

/// CreateStage's bytes, read as a request and as a response: the faults of the bytes come
/// first; a value read is written and read again unchanged; a valid request's effective
/// view is idempotent and keeps its configurations; every rendering stays within
/// [`rendering_bound`] and every report within its listing bound, however many
/// configurations or tokens a body holds.
pub fn create_stage_check(data: &[u8]) {
    use crate::{CreateStageResponseVerdict, CreateStageVerdict};
    let request = CreateStageVerdict::create_stage_request(data);
    check_reading_order(data, &request);
    check_renderings(data.len(), &request);
    match &request {
        Verdict::Malformed(_) => {}
        Verdict::Invalid(c) => {
            assert!(!c.report.is_valid(), "an invalid verdict with no violation");
            check_round_trip(&c.value);
        }
        Verdict::Valid(c) => {
            check_round_trip(&c.value);
            let effective = c.value.effective();
            assert_eq!(
                effective.effective(),
                effective,
                "effective() is not idempotent"
            );
            let count = |r: &crate::CreateStageRequest| {
                r.participant_token_configurations.as_ref().map(Vec::len)
            };
            assert_eq!(count(&effective), count(&c.value), "configurations lost");
        }
    }
    let response = CreateStageResponseVerdict::create_stage_response(data);
    check_reading_order(data, &response);
    check_renderings(data.len(), &response);
    if let Some(value) = response.value() {
        check_round_trip(value);
    }
}

/// A verdict's three renderings (JSON, human text, the message a server sends) and its
/// report stay within their bounds.
fn check_renderings<T, V>(len: usize, verdict: &Verdict<T, V>)
where
    V: crate::verdict::EffectiveView,
{
    let json = serde_json::to_string(verdict).expect("a verdict serialises");
    let rendered = json.len() + verdict.to_string().len() + verdict.message().len();
    assert!(
        rendered <= rendering_bound(len),
        "{rendered} bytes rendered for a {len}-byte body"
    );
    if let Some(report) = verdict.report() {
        let listed = crate::violation::MAX_LISTED;
        assert!(
            report.advisories.len() <= listed,
            "advisories beyond the listing bound"
        );
    }
}

/// Bytes → strict parse → validate (once, as [`Verdict::request`]); the faults of the
/// bytes come first; a parsed value written and read again through serde's
/// `Deserialize` is equal; the effective view is idempotent. Rendering the answer is
/// [`report_size_check`]'s, which renders every verdict as a server would.
pub fn parse_request_check(data: &[u8]) {
    let verdict = Verdict::request(data);
    check_reading_order(data, &verdict);
    match verdict {
        Verdict::Malformed(_) => {}
        Verdict::Invalid(c) => {
            assert!(!c.report.is_valid(), "an invalid verdict with no violation");
            check_round_trip(&c.value);
        }
        Verdict::Valid(c) => {
            let valid = &c.value;
            check_round_trip(valid.request());
            let effective = valid.effective();
            assert_eq!(
                effective.effective(),
                effective,
                "effective() is not idempotent"
            );
            // The checked values agree with the model's defaults and with the ARN.
            assert_eq!(effective.duration, Some(valid.duration()));
            assert_eq!(
                effective.capabilities.as_deref(),
                Some(&*valid.capabilities())
            );
            assert_eq!(
                effective.stage_arn.as_deref(),
                Some(valid.stage_arn().as_str())
            );
        }
    }
}

/// The same for responses: the faults of the bytes first, and what was read written
/// and read again equal.
pub fn parse_response_check(data: &[u8]) {
    let verdict = Verdict::response(data);
    check_reading_order(data, &verdict);
    match verdict {
        Verdict::Malformed(_) => {}
        Verdict::Invalid(c) | Verdict::Valid(c) => check_round_trip(&c.value),
    }
}

/// Arbitrary status, header and body → the restJson1 error reader. It never panics, and
/// what it read, written back, reads the same (for names that sanitising leaves alone).
pub fn error_wire_check(data: &[u8]) {
    let (status, rest) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => (400, data),
    };
    let (header, body) = match rest.split_first() {
        Some((&n, rest)) if n != 0xff => {
            let n = usize::from(n).min(rest.len());
            (
                Some(String::from_utf8_lossy(&rest[..n]).into_owned()),
                &rest[n..],
            )
        }
        Some((_, rest)) => (None, rest),
        None => (None, rest),
    };
    let read = ServiceError::from_http(status, header.as_deref(), body);
    let name = read.kind.name();
    if sanitize_error_type(name) == name {
        let http = read.to_http();
        let again = ServiceError::from_http(http.status, http.error_type(), http.body.as_bytes());
        assert_eq!(again, read, "an error read, written and read again changed");
    }
}

/// An arbitrary typed request and response → write → strict read → equal, with the same
/// verdict.
pub fn structured_check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    if let Ok(r) = CreateParticipantTokenRequest::arbitrary(&mut u) {
        let verdict = r.validate();
        let bytes = serde_json::to_vec(&r).expect("a request serialises");
        let back = parse_request(&bytes).expect("our own output parses").value;
        assert_eq!(back, r);
        assert_eq!(back.validate(), verdict);
    }
    if let Ok(t) = CreateParticipantTokenResponse::arbitrary(&mut u) {
        let verdict = t.validate();
        let bytes = serde_json::to_vec(&t).expect("a response serialises");
        let back = parse_response(&bytes).expect("our own output parses").value;
        assert_eq!(back, t);
        assert_eq!(back.validate(), verdict);
    }
}

/// Our strict parser against `serde_json::Value`: whatever ours accepts, serde_json
/// accepts too, as an object holding the same members with the same values.
pub fn differential_check(data: &[u8]) {
    let Ok(parsed) = parse_request(data) else {
        return;
    };
    if data.is_empty() {
        return; // an empty body is `{}` by the protocol, not by JSON
    }
    let value: Value = serde_json::from_slice(data).expect("serde_json accepts what we accept");
    let map = value.as_object().expect("we accept only objects");
    let ours = serde_json::to_value(&parsed.value).expect("a request serialises");
    let ours = ours.as_object().expect("a request serialises as an object");
    let known: Vec<&str> = constraints::REQUEST.iter().map(|m| m.member).collect();
    for &member in &known {
        let theirs = map.get(member).filter(|v| !v.is_null());
        assert_eq!(ours.get(member), theirs, "member {member} differs");
    }
    let mut unknown: Vec<String> = map
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
        .collect();
    let mut reported = parsed.unknown_members.clone();
    unknown.sort();
    reported.sort();
    assert_eq!(reported, unknown, "unknown members differ");
}

/// Bytes → the RFC 3339 reader: whatever it reads writes, prints and reads back as the
/// same instant, and lies within the years a `Timestamp` promises.
pub fn timestamp_check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(t) = Timestamp::parse_rfc3339(text) else {
        return;
    };
    let written = t.to_rfc3339();
    let printed = format!("{t} {t:?}");
    assert!(
        printed.contains(&written),
        "Display and Debug show the written form"
    );
    assert_eq!(
        Timestamp::parse_rfc3339(&written),
        Ok(t),
        "{text:?} was written as {written:?}, which does not read back"
    );
    assert_eq!(
        Timestamp::from_unix(t.unix_seconds(), t.subsec_nanos()),
        Some(t)
    );
}

/// Bytes → the participant-token reader: decoding never panics, and a decoded token's
/// header and claims validate, print, serialise and are checked for consistency with a
/// request and a response built from them (untrusted numbers included) without a panic.
pub fn token_check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(decoded) = decode(text) else {
        return;
    };
    let _ = decoded.header.validate().aws_message();
    let _ = decoded.claims.validate().aws_message();
    let _ = format!("{decoded:?}");
    let claims = serde_json::to_string(&decoded.claims).expect("claims serialise");
    assert!(serde_json::from_str::<serde_json::Value>(&claims).is_ok());
    let sent =
        CreateParticipantTokenRequest::new(decoded.claims.resource.clone().unwrap_or_default());
    // A resource that is no stage ARN is held to a stage of its own, so that the
    // claims' untrusted numbers are compared whatever the resource says.
    let request = crate::ValidRequest::new(sent)
        .or_else(|_| {
            crate::ValidRequest::new(CreateParticipantTokenRequest::new(
                constraints::EXAMPLE_STAGE_ARN,
            ))
        })
        .expect("the example stage is valid");
    let issued = ParticipantToken {
        participant_id: decoded.claims.jti.clone(),
        token: Some(Token::new(text)),
        duration: Some(720),
        expiration_time: decoded.claims.exp.and_then(|e| Timestamp::from_unix(e, 0)),
        ..ParticipantToken::default()
    };
    let _ = inconsistencies(&request, &issued, &decoded.claims);
}
