//! The case format: loading, schema check, duplicate ids, variables and filters.
//!
//! The format is described for every language by `conformance/case.schema.json`; the
//! types here mirror it and reject anything it does not allow.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How strongly a case's expectation holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// Stated by the model or the docs.
    #[serde(rename = "MUST")]
    Must,
    /// A protocol convention.
    #[serde(rename = "SHOULD")]
    Should,
    /// Our reading of an ambiguity.
    #[serde(rename = "MAY")]
    May,
}

impl Level {
    /// Every level, strongest first.
    pub const ALL: [Level; 3] = [Level::Must, Level::Should, Level::May];

    /// The level named `name`, in any case (`must`, `SHOULD`).
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(name))
    }

    /// `MUST`, `SHOULD` or `MAY`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
        }
    }
}

/// What a case can be run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    /// A model implementation: a validator or parser such as the core crate.
    Model,
    /// A server that implements the operation over HTTP.
    Server,
    /// A client that reads responses.
    Client,
}

impl AppliesTo {
    /// Every kind of implementation.
    pub const ALL: [AppliesTo; 3] = [AppliesTo::Model, AppliesTo::Server, AppliesTo::Client];

    /// `model`, `server` or `client`.
    pub fn as_str(self) -> &'static str {
        match self {
            AppliesTo::Model => "model",
            AppliesTo::Server => "server",
            AppliesTo::Client => "client",
        }
    }

    /// The kind named `name` (`model`, `server`, `client`).
    pub fn from_name(name: &str) -> Option<AppliesTo> {
        AppliesTo::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// The operation a case exercises.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Operation {
    /// `POST /CreateParticipantToken`: one token for a stage that exists.
    #[default]
    CreateParticipantToken,
    /// `POST /CreateStage`: a stage, and a token for each of its configurations.
    CreateStage,
}

impl Operation {
    /// Every operation, in the order reports list them.
    pub const ALL: [Operation; 2] = [Operation::CreateParticipantToken, Operation::CreateStage];

    /// Its name, as the model and the case format spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::CreateParticipantToken => "CreateParticipantToken",
            Operation::CreateStage => "CreateStage",
        }
    }

    /// The operation named `name`, exactly as the model spells it.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// Its path: `/` and its name (restJson1, `@http(method: "POST", uri: "/<name>")`).
    pub fn path(self) -> String {
        format!("/{}", self.as_str())
    }
}

/// The HTTP request a request case sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestSpec {
    /// The method; `POST` for the operation.
    pub method: String,
    /// The path; `/CreateParticipantToken` for the operation.
    pub path: String,
    /// Headers to send.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body as exact text, with `{{variables}}`.
    #[serde(default)]
    pub body: Option<String>,
    /// The body as hex bytes, for bodies that are not UTF-8.
    #[serde(default)]
    pub body_hex: Option<String>,
}

/// The HTTP response a response case hands a reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResponseSpec {
    /// The status code.
    pub status: u16,
    /// Its headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Its body, exact text.
    #[serde(default)]
    pub body: String,
}

/// What a case expects. Request cases give `status` and either `effective` (accepted) or
/// `errorType` and, for validation errors, `violations`; response cases give `conforms`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expect {
    /// The HTTP status.
    #[serde(default)]
    pub status: Option<u16>,
    /// The error type, for errors.
    #[serde(default)]
    pub error_type: Option<String>,
    /// Every violation, in any order, repeated when one value fails two constraints:
    /// a JSON pointer, or a pointer with the constraint that fails there.
    #[serde(default)]
    pub violations: Option<Vec<ExpectedViolation>>,
    /// For a malformed body, the serialization error a model names (its kind, and the
    /// pointer of the member being read). Servers send only a message, so this is
    /// checked only against targets that report it.
    #[serde(default)]
    pub serialization: Option<ExpectedSerialization>,
    /// JSON pointers of every advisory (checked where the target reports advisories).
    #[serde(default)]
    pub advisories: Option<Vec<String>>,
    /// Values an accepted request's response must echo (`null`: absent).
    #[serde(default)]
    pub effective: Option<BTreeMap<String, Value>>,
    /// For response cases: whether the response conforms.
    #[serde(default)]
    pub conforms: Option<bool>,
    /// For error responses: the message a client reads.
    #[serde(default)]
    pub message: Option<String>,
}

/// One expected violation: where, and optionally which constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ExpectedViolation {
    /// A JSON pointer; any constraint.
    Path(String),
    /// A JSON pointer and the constraint kind that fails there (`length`, `pattern`,
    /// `range`, `enum`, `required`, `maxBytes`).
    Detailed {
        /// The JSON pointer.
        path: String,
        /// The constraint kind.
        constraint: String,
    },
}

impl ExpectedViolation {
    /// Its JSON pointer.
    pub fn path(&self) -> &str {
        match self {
            ExpectedViolation::Path(p) | ExpectedViolation::Detailed { path: p, .. } => p,
        }
    }

    /// Its constraint kind, when the case names one.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            ExpectedViolation::Path(_) => None,
            ExpectedViolation::Detailed { constraint, .. } => Some(constraint),
        }
    }
}

/// The serialization error a model-only expectation names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedSerialization {
    /// The kind's code: `notAnObject`, `duplicateMember`, `wrongType`, …
    pub kind: String,
    /// The pointer of the member being read, when the case names it.
    #[serde(default)]
    pub path: Option<String>,
}

/// One conformance case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Case {
    /// Stable, unique id.
    pub id: String,
    /// The operation the case exercises (CreateParticipantToken when the case and its
    /// file name none).
    #[serde(default)]
    pub operation: Operation,
    /// Why the expectation holds, in one line.
    pub description: String,
    /// Where the rule comes from: a model trait, a doc sentence or a protocol rule.
    pub source: String,
    /// MUST, SHOULD or MAY.
    pub level: Level,
    /// Free-form tags for filtering.
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the case can run against.
    pub applies_to: Vec<AppliesTo>,
    /// Set-up a target must provide (`stage-not-found`, `pending-verification`, …).
    #[serde(default)]
    pub preconditions: Vec<String>,
    /// The request to send, for request cases.
    #[serde(default)]
    pub request: Option<RequestSpec>,
    /// The response to read, for response cases.
    #[serde(default)]
    pub response: Option<ResponseSpec>,
    /// The expectation.
    pub expect: Expect,
    /// The file the case came from (not part of the format).
    #[serde(skip)]
    pub file: PathBuf,
}

/// Which cases to run.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Substrings of the id; a case matches when its id contains any (all, when empty).
    pub ids: Vec<String>,
    /// Tags; a case matches when it has any (all, when empty).
    pub tags: Vec<String>,
    /// The weakest level to include: `Must` runs only MUST cases, `May` runs all.
    pub level: Option<Level>,
    /// Only cases that apply to this kind of target.
    pub applies_to: Option<AppliesTo>,
}

impl Filter {
    /// Whether `case` passes the filter.
    pub fn matches(&self, case: &Case) -> bool {
        (self.ids.is_empty() || self.ids.iter().any(|s| case.id.contains(s.as_str())))
            && (self.tags.is_empty() || self.tags.iter().any(|t| case.tags.contains(t)))
            && self.level.is_none_or(|l| case.level <= l)
            && self.applies_to.is_none_or(|a| case.applies_to.contains(&a))
    }
}

/// Replaces every `{{name}}` of `text` with its value; an unknown name is an error.
pub fn substitute(text: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "unclosed {{ in case text".to_owned())?;
        let name = &after[..end];
        let value = vars
            .get(name)
            .ok_or_else(|| format!("the target gives no value for {{{{{name}}}}}"))?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Decodes a hex string (white space allowed between bytes).
pub fn decode_hex(hex: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err("odd number of hex digits".into());
    }
    digits
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).map_err(|e| e.to_string())?;
            u8::from_str_radix(s, 16).map_err(|e| format!("bad hex {s:?}: {e}"))
        })
        .collect()
}

impl RequestSpec {
    /// The body's bytes, variables substituted.
    pub fn body_bytes(&self, vars: &BTreeMap<String, String>) -> Result<Vec<u8>, String> {
        match (&self.body, &self.body_hex) {
            (Some(text), None) => Ok(substitute(text, vars)?.into_bytes()),
            (None, Some(hex)) => decode_hex(hex),
            (None, None) => Ok(Vec::new()),
            (Some(_), Some(_)) => Err("a request has body or bodyHex, not both".into()),
        }
    }

    /// The headers, variables substituted.
    pub fn headers(
        &self,
        vars: &BTreeMap<String, String>,
    ) -> Result<Vec<(String, String)>, String> {
        self.headers
            .iter()
            .map(|(k, v)| Ok((k.clone(), substitute(v, vars)?)))
            .collect()
    }
}

/// The id among `ids` that `id` most likely meant (a typo's worth away: a Jaro-Winkler
/// similarity of 0.9 or more), for did-you-mean in messages.
pub fn nearest_id<'a>(id: &str, ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if id.len() > 200 {
        return None;
    }
    ids.into_iter()
        .map(|c| (strsim::jaro_winkler(id, c), c))
        .filter(|(score, _)| *score >= 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution() {
        let vars = BTreeMap::from([("a".to_owned(), "X".to_owned())]);
        assert_eq!(substitute("1{{a}}2{{a}}", &vars).unwrap(), "1X2X");
        assert!(substitute("{{b}}", &vars).is_err());
        assert!(substitute("{{a", &vars).is_err());
        assert_eq!(substitute("{}", &vars).unwrap(), "{}");
    }

    #[test]
    fn filters() {
        let cases = crate::load::load_dir(&crate::load::default_cases_dir()).unwrap();
        let count = |f: Filter| cases.iter().filter(|c| f.matches(c)).count();
        let all = count(Filter::default());
        let must = count(Filter {
            level: Some(Level::Must),
            ..Filter::default()
        });
        let should = count(Filter {
            level: Some(Level::Should),
            ..Filter::default()
        });
        assert!(0 < must && must < should && should < all);
        let server = count(Filter {
            applies_to: Some(AppliesTo::Server),
            ..Filter::default()
        });
        let client = count(Filter {
            applies_to: Some(AppliesTo::Client),
            ..Filter::default()
        });
        // The filter selects exactly the cases that name the kind, counted here by hand.
        let named = |k| cases.iter().filter(|c| c.applies_to.contains(&k)).count();
        assert_eq!(server, named(AppliesTo::Server));
        assert_eq!(client, named(AppliesTo::Client));
        assert!(0 < server && server < all && 0 < client && client < all);
        assert_eq!(
            count(Filter {
                ids: vec!["no-such".into()],
                ..Filter::default()
            }),
            0
        );
        assert!(
            count(Filter {
                tags: vec!["surrogate".into()],
                ..Filter::default()
            }) >= 3
        );
        assert!(all >= 150);
    }

    #[test]
    fn hex() {
        assert_eq!(decode_hex("7b 7d ff").unwrap(), vec![0x7b, 0x7d, 0xff]);
        assert!(decode_hex("7").is_err());
        assert!(decode_hex("zz").is_err());
    }
}
