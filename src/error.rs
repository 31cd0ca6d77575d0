//! The operation's errors, and their restJson1 wire form in both directions.

use std::fmt;

use crate::constraints::{ErrorSpec, ERRORS};
pub use crate::error_kind::ErrorKind;

/// The header that carries the error type in restJson1.
pub const ERROR_TYPE_HEADER: &str = "X-Amzn-Errortype";

impl ErrorKind {
    /// The table entry of a known kind.
    pub(crate) fn spec(&self) -> Option<&'static ErrorSpec> {
        ERRORS.iter().find(|s| s.kind == *self)
    }

    /// The wire name of a known kind, from the table; empty for an unknown one.
    pub(crate) fn name_static(&self) -> &'static str {
        self.spec().map_or("", |s| s.name)
    }

    /// The wire name (`ValidationException`).
    pub fn name(&self) -> &str {
        match self {
            ErrorKind::Unknown(name) => name,
            known => known.spec().map_or("", |s| s.name),
        }
    }

    /// The HTTP status of a known kind.
    pub fn status(&self) -> Option<u16> {
        self.spec().map(|s| s.status)
    }

    /// The kind a (sanitised) wire name stands for.
    pub fn from_name(name: &str) -> ErrorKind {
        match ERRORS.iter().find(|s| s.name == name) {
            Some(spec) => spec.kind.clone(),
            None => ErrorKind::Unknown(name.to_owned()),
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error of the operation as it travels: kind, HTTP status and `exceptionMessage`.
///
/// ```
/// use ivs_participant_token::{ErrorKind, ServiceError};
/// let e = ServiceError::new(ErrorKind::ResourceNotFound, "no such stage");
/// let http = e.to_http();
/// assert_eq!(http.status, 404);
/// assert_eq!(http.error_type(), Some("ResourceNotFoundException"));
/// assert_eq!(http.body, r#"{"exceptionMessage":"no such stage"}"#);
/// let back = ServiceError::from_http(http.status, http.error_type(), http.body.as_bytes());
/// assert_eq!(back, e);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// Which error.
    pub kind: ErrorKind,
    /// The HTTP status it travels with.
    pub status: u16,
    /// `exceptionMessage`, when there is one.
    pub message: Option<String>,
}

/// An HTTP error response: status, headers and a JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpErrorResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: String,
}

impl HttpErrorResponse {
    /// The value of the `X-Amzn-Errortype` header (names compared case-insensitively).
    pub fn error_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(ERROR_TYPE_HEADER))
            .map(|(_, v)| v.as_str())
    }
}

/// Keeps what stands before the first `:`, then what stands after the first `#`
/// (`aws.foo#ValidationException:http://internal/` → `ValidationException`).
pub fn sanitize_error_type(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or_default();
    let after_hash = before_colon
        .split_once('#')
        .map_or(before_colon, |(_, rest)| rest);
    after_hash.trim()
}

impl ServiceError {
    /// An error of a known kind with its modeled status. For an unknown kind the status
    /// is 400; use the struct fields to set another.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ServiceError {
        let status = kind.status().unwrap_or(400);
        ServiceError {
            kind,
            status,
            message: Some(message.into()),
        }
    }

    /// The error as a restJson1 server writes it: its status, the `X-Amzn-Errortype`
    /// header, `Content-Type: application/json` and a body `{"exceptionMessage": …}`
    /// (`{}` when there is no message).
    pub fn to_http(&self) -> HttpErrorResponse {
        let body = match &self.message {
            Some(m) => serde_json::json!({ "exceptionMessage": m }).to_string(),
            None => "{}".to_owned(),
        };
        HttpErrorResponse {
            status: self.status,
            headers: vec![
                (ERROR_TYPE_HEADER.to_owned(), self.kind.name().to_owned()),
                ("Content-Type".to_owned(), "application/json".to_owned()),
            ],
            body,
        }
    }

    /// Reads an error response by the restJson1 client rules: the type from the
    /// `X-Amzn-Errortype` header, else the body's `code`, else its `__type`, sanitised
    /// by [`sanitize_error_type`]; the message from `exceptionMessage`, else `message`,
    /// else `Message`. A body that is not a JSON object is read as having neither. Never
    /// panics.
    pub fn from_http(status: u16, error_type_header: Option<&str>, body: &[u8]) -> ServiceError {
        let doc: Option<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_slice(body).ok();
        let field = |names: &[&str]| -> Option<String> {
            let doc = doc.as_ref()?;
            names
                .iter()
                .find_map(|n| doc.get(*n).and_then(|v| v.as_str()).map(str::to_owned))
        };
        let raw = error_type_header
            .filter(|h| !sanitize_error_type(h).is_empty())
            .map(str::to_owned)
            .or_else(|| field(&["code"]))
            .or_else(|| field(&["__type"]))
            .unwrap_or_default();
        ServiceError {
            kind: ErrorKind::from_name(sanitize_error_type(&raw)),
            status,
            message: field(&["exceptionMessage", "message", "Message"]),
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.kind, self.status)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize() {
        assert_eq!(
            sanitize_error_type("aws.foo#ValidationException:http://internal/x"),
            "ValidationException"
        );
        assert_eq!(sanitize_error_type("FooError"), "FooError");
        assert_eq!(sanitize_error_type("a#b#c:d:e"), "b#c");
        assert_eq!(sanitize_error_type(""), "");
    }

    #[test]
    fn statuses_from_the_table() {
        let got: Vec<(&str, Option<u16>)> = ERRORS
            .iter()
            .map(|s| (s.kind.name(), s.kind.status()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("AccessDeniedException", Some(403)),
                ("PendingVerification", Some(403)),
                ("ResourceNotFoundException", Some(404)),
                ("ServiceQuotaExceededException", Some(402)),
                ("ValidationException", Some(400)),
                ("SerializationException", Some(400)),
            ]
        );
    }

    #[test]
    fn reading_falls_back_in_order() {
        let e =
            ServiceError::from_http(400, None, br#"{"code":"x#A:b","__type":"B","message":"m"}"#);
        assert_eq!(e.kind, ErrorKind::Unknown("A".into()));
        assert_eq!(e.message.as_deref(), Some("m"));
        let e = ServiceError::from_http(
            404,
            None,
            br#"{"__type":"ns#ResourceNotFoundException","Message":"M"}"#,
        );
        assert_eq!(e.kind, ErrorKind::ResourceNotFound);
        assert_eq!(e.message.as_deref(), Some("M"));
        let e = ServiceError::from_http(500, Some(""), b"not json");
        assert_eq!(e.kind, ErrorKind::Unknown(String::new()));
        assert_eq!(e.message, None);
        let e = ServiceError::from_http(
            403,
            Some("PendingVerification"),
            br#"{"__type":"AccessDeniedException"}"#,
        );
        assert_eq!(e.kind, ErrorKind::PendingVerification);
    }

    #[test]
    fn every_kind_round_trips() {
        for k in ERRORS
            .iter()
            .map(|s| s.kind.clone())
            .chain([ErrorKind::Unknown("Weird".into())])
        {
            for m in [None, Some("a \"quoted\" message\n with ü".to_owned())] {
                let e = ServiceError {
                    status: k.status().unwrap_or(418),
                    kind: k.clone(),
                    message: m,
                };
                let h = e.to_http();
                assert_eq!(
                    ServiceError::from_http(h.status, h.error_type(), h.body.as_bytes()),
                    e
                );
            }
        }
    }
}
