//! What a case keeps of its run for the reports that show it: the request as sent, the
//! expectation and the answer, each within a report's means.

use serde_json::{json, Value};

use ivs_reference_server::escape;

use crate::case::{Case, Level};
use crate::cause::Cause;
use crate::target::transport::RawAnswer;
use crate::target::{Observed, SendRequest};

/// What a case sent and got, for reports that show it (HTML): the request as sent, the
/// case's expectation and what the target answered, in the terms the runner compares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseDetail {
    /// The operation the case exercises.
    pub operation: crate::case::Operation,
    /// The case's description.
    pub description: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// The level the case states (the result's `level` may be lower: see there).
    pub declared: Option<Level>,
    /// The request sent (method, path, headers, body as text), for a request case.
    pub sent: Option<Value>,
    /// The case's `expect`.
    pub expected: Value,
    /// What the target answered, when it answered.
    pub observed: Option<Value>,
    /// Violation paths expected but not reported, or reported but not expected.
    pub differing_paths: Vec<String>,
    /// What the case failed of first, when judging it found that ([`crate::cause`]).
    pub cause: Option<Cause>,
    /// For a case that did not pass, the HTTP exchange as it went: the request sent and
    /// the answer as it came, headers that carry credentials redacted, each body within
    /// [`EXCHANGE_BODY_BYTES`]: `{"request": {method, path, headers, body}, "response":
    /// {status, headers, body}}`.
    pub exchange: Option<Value>,
}

/// The most of each body an exchange keeps, in bytes; a longer one is cut there, and
/// the exchange says how many bytes were left out (`bodyBytesCut`).
pub const EXCHANGE_BODY_BYTES: usize = 16 * 1024;

/// Headers whose values are credentials or signatures, shown as `<redacted>`.
const REDACTED_HEADERS: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "x-amz-security-token",
    "cookie",
    "set-cookie",
];

/// A body as an exchange shows it: text when it is UTF-8, else hex; cut at
/// [`EXCHANGE_BODY_BYTES`], the cut counted.
fn body_json(m: &mut serde_json::Map<String, Value>, body: &[u8]) {
    let kept = &body[..body.len().min(EXCHANGE_BODY_BYTES)];
    // A cut inside a character keeps the whole characters before it.
    let text = match std::str::from_utf8(kept) {
        Ok(t) => Some(t),
        Err(e) if e.error_len().is_none() && std::str::from_utf8(body).is_ok() => {
            std::str::from_utf8(&kept[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    };
    match text {
        Some(t) => {
            m.insert("body".into(), json!(t));
            if t.len() < body.len() {
                m.insert("bodyBytesCut".into(), json!(body.len() - t.len()));
            }
        }
        None => {
            let hex: String = kept.iter().map(|b| format!("{b:02x}")).collect();
            m.insert("bodyHex".into(), json!(hex));
            if kept.len() < body.len() {
                m.insert("bodyBytesCut".into(), json!(body.len() - kept.len()));
            }
        }
    }
}

fn headers_json(headers: &[(String, String)]) -> Value {
    Value::Array(
        headers
            .iter()
            .take(100)
            .map(|(k, v)| {
                let v = if REDACTED_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                json!(format!("{}: {}", escape::cut(k, 200), escape::cut(v, 2000)))
            })
            .collect(),
    )
}

/// What stands in a report for a token's characters.
fn redacted(len: usize) -> String {
    format!("<token redacted: {len} bytes>")
}

/// The part of `body` a report keeps (its first [`EXCHANGE_BODY_BYTES`]), with every
/// participant token's characters replaced by [`redacted`]: the token is a secret, and
/// an answer is kept in reports and files. Only the kept part is read, so the cost is
/// bounded whatever the body's size.
///
/// First, every string value of a member named `token` is found in the text (a body
/// that is not JSON is redacted too, and the rest stays as it came), and each such value
/// is then replaced wherever else it stands. Then, for a body that is whole JSON within
/// the bound, `participantToken.token` is read as JSON: should it still stand anywhere,
/// in whatever spelling, every string holding it is replaced and the body written again
/// (its form lost). A body past the bound or not JSON, whose kept part holds a `\u`
/// escape (which could spell a token's name or characters), is withheld whole.
fn redact_tokens(body: &[u8]) -> Vec<u8> {
    const KEY: &[u8] = b"\"token\"";
    let kept = &body[..body.len().min(EXCHANGE_BODY_BYTES)];
    let mut out = Vec::with_capacity(kept.len());
    let mut found: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    while i < kept.len() {
        let Some(at) = memchr::memmem::find(&kept[i..], KEY) else {
            out.extend_from_slice(&kept[i..]);
            break;
        };
        out.extend_from_slice(&kept[i..i + at + KEY.len()]);
        i += at + KEY.len();
        let mut j = i;
        while j < kept.len() && kept[j].is_ascii_whitespace() {
            j += 1;
        }
        if kept.get(j) != Some(&b':') {
            continue;
        }
        j += 1;
        while j < kept.len() && kept[j].is_ascii_whitespace() {
            j += 1;
        }
        if kept.get(j) != Some(&b'"') {
            continue;
        }
        // The string's end: the next quote that no backslash escapes.
        let start = j + 1;
        let mut end = start;
        while end < kept.len() && kept[end] != b'"' {
            end += if kept[end] == b'\\' { 2 } else { 1 };
        }
        let end = end.min(kept.len());
        out.extend_from_slice(&kept[i..start]);
        out.extend_from_slice(redacted(end - start).as_bytes());
        if end > start {
            found.push(&kept[start..end]);
        }
        i = end;
    }
    // The same characters elsewhere (echoed in another member, say).
    for token in found {
        let mut rest = Vec::with_capacity(out.len());
        let mut from = 0;
        for at in memchr::memmem::find_iter(&out, token) {
            if at >= from {
                rest.extend_from_slice(&out[from..at]);
                rest.extend_from_slice(redacted(token.len()).as_bytes());
                from = at + token.len();
            }
        }
        rest.extend_from_slice(&out[from..]);
        out = rest;
    }
    let escaped = memchr::memmem::find(kept, b"\\u").is_some();
    let whole = (kept.len() == body.len())
        .then(|| serde_json::from_slice::<Value>(body).ok())
        .flatten();
    let Some(mut value) = whole else {
        if escaped {
            return format!(
                "<body withheld: {} bytes, with \\u escapes that could spell a token, and not JSON within {EXCHANGE_BODY_BYTES} bytes>",
                body.len()
            )
            .into_bytes();
        }
        return out;
    };
    let Some(token) = value
        .pointer("/participantToken/token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
    else {
        return out;
    };
    // Is the token still there, in whatever spelling? Read what the first pass left.
    fn holds(v: &Value, token: &str) -> bool {
        match v {
            Value::String(s) => s.contains(token),
            Value::Array(a) => a.iter().any(|x| holds(x, token)),
            Value::Object(m) => m.iter().any(|(k, x)| k.contains(token) || holds(x, token)),
            _ => false,
        }
    }
    let still = serde_json::from_slice::<Value>(&out).map_or(true, |v| holds(&v, &token));
    if !still {
        return out;
    }
    fn replace(v: &mut Value, token: &str) {
        match v {
            Value::String(s) if s.contains(token) => *s = s.replace(token, &redacted(token.len())),
            Value::Array(a) => a.iter_mut().for_each(|x| replace(x, token)),
            Value::Object(m) => {
                let keys: Vec<String> = m.keys().filter(|k| k.contains(token)).cloned().collect();
                for k in keys {
                    if let Some(x) = m.remove(&k) {
                        m.insert(k.replace(token, &redacted(token.len())), x);
                    }
                }
                m.values_mut().for_each(|x| replace(x, token));
            }
            _ => {}
        }
    }
    replace(&mut value, &token);
    serde_json::to_vec(&value).unwrap_or_default()
}

/// The exchange of a case as reports show it: `{"request": {method, path, headers,
/// body}, "response": {status, headers, body}}`.
pub fn exchange_json(request: &SendRequest, answer: Option<&RawAnswer>) -> Value {
    let mut req = serde_json::Map::new();
    req.insert("method".into(), json!(request.method));
    req.insert("path".into(), json!(request.path));
    req.insert("headers".into(), headers_json(&request.headers));
    body_json(&mut req, &request.body);
    let mut out = serde_json::Map::new();
    out.insert("request".into(), Value::Object(req));
    if let Some(a) = answer {
        let mut res = serde_json::Map::new();
        res.insert("status".into(), json!(a.status));
        res.insert("headers".into(), headers_json(&a.headers));
        body_json(&mut res, &redact_tokens(&a.body));
        // Counted against the body as it came (what was redacted is not a cut).
        if a.body.len() > EXCHANGE_BODY_BYTES {
            res.insert(
                "bodyBytesCut".into(),
                json!(a.body.len() - EXCHANGE_BODY_BYTES),
            );
        }
        out.insert("response".into(), Value::Object(res));
    }
    Value::Object(out)
}

/// The longest body a detail keeps, in characters; a longer one is cut (a report stays
/// small whatever the cases send).
const DETAIL_BODY_CHARS: usize = 600;

fn clipped(text: &str) -> String {
    escape::cut(text, DETAIL_BODY_CHARS).into_owned()
}

/// A request as a report shows it.
pub(super) fn sent_json(r: &SendRequest) -> Value {
    json!({
        "method": r.method,
        "path": r.path,
        "headers": r.headers.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>(),
        "body": clipped(&String::from_utf8_lossy(&r.body)),
    })
}

/// `v` within a report's means: strings cut at [`DETAIL_BODY_CHARS`], lists and maps at
/// their first hundred entries. A case keeps its detail until the run is reported, so
/// what it keeps must not grow with what a server sends.
fn bounded(v: Value) -> Value {
    const ENTRIES: usize = 100;
    match v {
        Value::String(s) if s.len() > DETAIL_BODY_CHARS => Value::String(clipped(&s)),
        Value::Array(a) => {
            let n = a.len();
            let mut kept: Vec<Value> = a.into_iter().take(ENTRIES).map(bounded).collect();
            if n > ENTRIES {
                kept.push(json!(format!("… and {} more", n - ENTRIES)));
            }
            Value::Array(kept)
        }
        Value::Object(m) => {
            let n = m.len();
            let mut kept: serde_json::Map<String, Value> = m
                .into_iter()
                .take(ENTRIES)
                .map(|(k, v)| (clipped(&k), bounded(v)))
                .collect();
            if n > ENTRIES {
                kept.insert("…".into(), json!(format!("{} more", n - ENTRIES)));
            }
            Value::Object(kept)
        }
        other => other,
    }
}

/// The reasons a case keeps: each cut at a thousand characters, at most a hundred.
pub(super) fn bounded_reasons(reasons: Vec<String>) -> Vec<String> {
    let n = reasons.len();
    let mut kept: Vec<String> = reasons
        .into_iter()
        .take(100)
        .map(|r| escape::cut(&r, 1000).into_owned())
        .collect();
    if n > 100 {
        kept.push(format!("… and {} more", n - 100));
    }
    kept
}

/// What a target answered, as a report shows it: only the members it reported.
pub fn observed_json(o: &Observed) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("status".into(), json!(o.status));
    if let Some(t) = &o.error_type {
        m.insert("errorType".into(), json!(t));
    }
    if let Some(msg) = &o.message {
        m.insert("message".into(), json!(clipped(msg)));
    }
    if let Some(v) = &o.violations {
        let v: Vec<Value> = v
            .iter()
            .map(|v| match &v.constraint {
                Some(c) => json!({"path": v.path, "constraint": c}),
                None => json!(v.path),
            })
            .collect();
        m.insert("violations".into(), Value::Array(v));
    }
    if let Some(s) = &o.serialization {
        m.insert(
            "serialization".into(),
            json!({"kind": s.kind, "path": s.path}),
        );
    }
    if let Some(e) = &o.echo {
        m.insert("effective".into(), json!(e));
    }
    if let Some((seen, _)) = &o.token_header {
        m.insert("tokenHeader".into(), json!(seen));
    }
    if let Some(c) = o.conforms {
        m.insert("conforms".into(), json!(c));
    }
    if !o.problems.is_empty() {
        m.insert("problems".into(), json!(o.problems));
    }
    bounded(Value::Object(m))
}

/// Violation paths in one list and not the other, each marked with the side it is on.
pub(super) fn differing_paths(case: &Case, observed: &Observed) -> Vec<String> {
    let (Some(want), Some(have)) = (&case.expect.violations, &observed.violations) else {
        return Vec::new();
    };
    let want: std::collections::BTreeSet<&str> = want.iter().map(|w| w.path()).collect();
    let have: std::collections::BTreeSet<&str> = have.iter().map(|h| h.path.as_str()).collect();
    let mut out: Vec<String> = want
        .difference(&have)
        .map(|p| format!("expected, not reported: {p}"))
        .collect();
    out.extend(
        have.difference(&want)
            .map(|p| format!("reported, not expected: {p}")),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(body: &str) -> String {
        String::from_utf8(redact_tokens(body.as_bytes())).unwrap()
    }

    #[test]
    fn tokens_never_reach_a_report_however_the_body_spells_them() {
        let t = "eyJhbGciOiJIUzI1NiJ9.e30.sig";
        // As it came, but the token.
        let plain = format!(r#"{{"participantToken": {{"token" : "{t}", "userId":"u"}}}}"#);
        assert_eq!(
            redact(&plain),
            r#"{"participantToken": {"token" : "<token redacted: 28 bytes>", "userId":"u"}}"#
        );
        // Not JSON at all (a lax server's NaN): still redacted, by the member's name.
        let lax = format!(r#"{{"participantToken":{{"token":"{t}","duration":NaN}}}}"#);
        assert!(!redact(&lax).contains(t), "{}", redact(&lax));
        // An escaped name, an escaped value, the token echoed in another member.
        for body in [
            format!(r#"{{"participantToken":{{"\u0074oken":"{t}"}}}}"#),
            format!(
                r#"{{"participantToken":{{"\u0074oken":"{}"}}}}"#,
                t.replace('.', "\\u002e")
            ),
            format!(r#"{{"participantToken":{{"token":"{t}","userId":"{t}"}},"{t}":1}}"#),
        ] {
            let out = redact(&body);
            assert!(!out.contains(t) && !out.contains("u002e"), "{body} → {out}");
            assert!(out.contains("<token redacted: "), "{out}");
        }
        // Not JSON, and a name spelled with escapes: withheld whole.
        let hidden = format!(r#"{{"participantToken":{{"tok\u0065n":"{t}","d":NaN}}}}"#);
        assert!(
            redact(&hidden).starts_with("<body withheld: "),
            "{}",
            redact(&hidden)
        );
        // A body past the bound: only its kept part is read and kept, the token found
        // and redacted in it, echoed or not.
        let big = format!(
            r#"{{"participantToken":{{"token":"{t}","userId":"{t}","attributes":{{"a":"{}"}}}}}}"#,
            "x".repeat(100_000)
        );
        let out = redact(&big);
        assert!(
            out.len() < EXCHANGE_BODY_BYTES + 200 && !out.contains(t),
            "{}",
            out.len()
        );
        // An unterminated string and a name with nothing after it end without a panic.
        assert_eq!(
            redact(r#"{"token":"abc"#),
            r#"{"token":"<token redacted: 3 bytes>"#
        );
        assert_eq!(redact(r#"{"token""#), r#"{"token""#);
        assert_eq!(redact(r#"x"token":1"#), r#"x"token":1"#);
    }
}
