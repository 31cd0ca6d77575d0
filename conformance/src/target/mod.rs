//! What the runner runs cases against: one trait, whatever stands behind it: a server
//! over HTTP ([`http::HttpTarget`], the embedded reference servers among them:
//! [`embedded`]) or the core itself ([`model::ModelTarget`]).

pub mod embedded;
pub mod http;
pub(crate) mod judge;
mod message;
pub mod model;
pub(crate) mod stage_judge;
pub mod transport;
pub mod wire;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::case::{AppliesTo, Operation, ResponseSpec};
use crate::cause::Cause;

/// What a target did with a case, in the terms the expectations use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// The HTTP status answered (or, for a model, the status a server would answer).
    pub status: u16,
    /// The error type, when the answer is an error.
    pub error_type: Option<String>,
    /// The error message, when there is one.
    pub message: Option<String>,
    /// The violations reported, when the target reports them.
    pub violations: Option<Vec<ObservedViolation>>,
    /// The kind of a serialization error (`notAnObject`, …), when the target names it
    /// (the model does; servers send only a message).
    pub serialization: Option<SerializationObserved>,
    /// JSON pointers of advisories, when the target reports them (models do, servers not).
    pub advisories: Option<Vec<String>>,
    /// The members of the issued `participantToken`, for an accepted request.
    pub echo: Option<BTreeMap<String, Value>>,
    /// For a response read: whether it conforms.
    pub conforms: Option<bool>,
    /// Ways the answer itself breaks the API (an invalid 200 body, a malformed error):
    /// a request case fails when there is any; a response case lists them as reasons.
    pub problems: Vec<String>,
    /// The first problem's cause, in words shared by every answer with that problem.
    pub problem_cause: Option<Cause>,
    /// Whether the 200 body could not be read as a response at all: then no member of it
    /// is compared, the unreadable body being the one cause.
    pub unreadable: bool,
    /// The issued token's JOSE header, in words, and whether it has one of the two forms
    /// IVS uses (a SHOULD: the docs call tokens opaque).
    pub token_header: Option<(String, bool)>,
    /// The answer as it came, for a target that answers over HTTP: what a report shows
    /// of a case that did not pass, so that it can be replayed and read without the kit.
    pub answer: Option<transport::RawAnswer>,
}

impl Observed {
    /// Adds a problem; the first one's cause is kept.
    pub fn problem(&mut self, text: String, cause: impl FnOnce() -> Cause) {
        if self.problems.is_empty() {
            self.problem_cause = Some(cause());
        }
        self.problems.push(text);
    }
}

/// One violation as a target reported it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ObservedViolation {
    /// Its JSON pointer.
    pub path: String,
    /// The constraint kind (`length`, `pattern`, …), when it could be told.
    pub constraint: Option<String>,
}

impl From<&str> for ObservedViolation {
    /// A violation at a pointer, its constraint untold.
    fn from(path: &str) -> Self {
        ObservedViolation {
            path: path.to_owned(),
            constraint: None,
        }
    }
}

/// A serialization error as a model reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerializationObserved {
    /// The kind's code (`duplicateMember`, …).
    pub kind: String,
    /// The JSON pointer of the member being read.
    pub path: String,
}

/// A request with variables substituted, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRequest {
    /// The operation whose answer it asks for, which says how a 200 is judged.
    pub operation: Operation,
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The exact body bytes.
    pub body: Vec<u8>,
}

/// Something cases run against: a model, or a server over HTTP. Cases may run on
/// several threads at once, hence `Sync` and `&self`.
pub trait Target: Sync {
    /// A short name for reports.
    fn name(&self) -> &str;

    /// Which cases apply: those whose `appliesTo` holds this kind.
    fn kind(&self) -> AppliesTo;

    /// Values for the case variables (`stageArn`, …).
    fn variables(&self) -> &BTreeMap<String, String>;

    /// Whether the target can set up a precondition (`stage-not-found`, …).
    fn supports_precondition(&self, precondition: &str) -> bool;

    /// Sends a request case's request, with the set-up its `preconditions` name (all of
    /// which [`Target::supports_precondition`] accepted), and observes the answer.
    fn send(&self, request: &SendRequest, preconditions: &[String]) -> Result<Observed, String>;

    /// Reads a response case's response as a client would; `None` when this target does
    /// not read responses.
    fn read_response(&self, operation: Operation, response: &ResponseSpec) -> Option<Observed> {
        let _ = (operation, response);
        None
    }

    /// Why the target cannot answer `operation`, when it cannot (a server that does not
    /// implement CreateStage, as its preflight found): its cases are skipped with this.
    fn missing_operation(&self, operation: Operation) -> Option<String> {
        let _ = operation;
        None
    }
}
