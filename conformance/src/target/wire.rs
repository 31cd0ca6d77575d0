//! Checks of the wire form of answers, beyond what a lenient client accepts.

use std::collections::BTreeMap;

use ivs_participant_token::sanitize_error_type;
use ivs_participant_token::ErrorKind;
use serde_json::Value;

/// A header's value from a map, its name compared case-insensitively.
pub fn header<'a>(headers: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A header's value from a list, its name compared case-insensitively.
pub fn header_in<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Ways an error response departs from the restJson1 form the model prescribes: the
/// type in `X-Amzn-Errortype`, the modeled status for a modeled type, and a JSON object
/// body whose message is `exceptionMessage` (not `message`). Empty when it conforms.
pub fn error_response_problems(status: u16, error_type: Option<&str>, body: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    match error_type
        .map(sanitize_error_type)
        .filter(|t| !t.is_empty())
    {
        None => problems.push("no X-Amzn-Errortype header".to_owned()),
        Some(t) => {
            let kind = ErrorKind::from_name(t);
            if let Some(expected) = kind.status() {
                if expected != status {
                    problems.push(format!("{t} travels with status {expected}, not {status}"));
                }
            }
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => {
            if !map.get("exceptionMessage").is_some_and(Value::is_string) {
                let other = ["message", "Message"]
                    .into_iter()
                    .find(|k| map.contains_key(*k));
                problems.push(match other {
                    Some(k) => format!("the body carries {k:?} instead of \"exceptionMessage\""),
                    None => "the body has no \"exceptionMessage\" string".to_owned(),
                });
            }
        }
        _ => problems.push("the body is not a JSON object".to_owned()),
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems() {
        assert!(error_response_problems(
            404,
            Some("ResourceNotFoundException"),
            br#"{"exceptionMessage":"x"}"#
        )
        .is_empty());
        assert_eq!(
            error_response_problems(
                400,
                Some("ResourceNotFoundException"),
                br#"{"exceptionMessage":"x"}"#
            )
            .len(),
            1
        );
        assert_eq!(
            error_response_problems(404, None, br#"{"message":"x"}"#).len(),
            2
        );
        assert_eq!(
            error_response_problems(500, Some("Foo"), b"<html>").len(),
            1
        );
    }
}
