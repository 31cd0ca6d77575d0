//! A server over HTTP as a [`Target`]: any endpoint, with other endpoints for the cases
//! whose preconditions need another set-up. Sending is [`crate::target::transport`]'s job,
//! judging the answer `target::judge`'s.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::case::{AppliesTo, Operation};
use crate::target::judge::Judge;
use crate::target::transport::{Endpoint, RawAnswer, Transport};
use crate::target::{Observed, SendRequest, Target};

/// A server at an endpoint. Preconditions it can set up are other endpoints (a server
/// configured as pending verification, say) to which those cases go.
#[derive(Debug)]
pub struct HttpTarget {
    name: String,
    main: Endpoint,
    by_precondition: BTreeMap<String, Endpoint>,
    vars: BTreeMap<String, String>,
    transport: Transport,
    judge: Judge,
    missing: BTreeMap<Operation, String>,
}

impl HttpTarget {
    /// Marks `operation` as one the server does not implement, `why` saying how that was
    /// found: its cases are skipped with it.
    pub fn without_operation(&mut self, operation: Operation, why: String) {
        self.missing.insert(operation, why);
    }

    /// Deletes a stage a CreateStage case made, so that a run leaves nothing behind on
    /// the server; best effort, its answer unjudged.
    fn clean_up(&self, endpoint: &Endpoint, created: &RawAnswer) {
        let arn = serde_json::from_slice::<serde_json::Value>(&created.body)
            .ok()
            .and_then(|v| v["stage"]["arn"].as_str().map(str::to_owned));
        let Some(arn) = arn.filter(|a| ivs_participant_token::StageArn::parse(a).is_ok()) else {
            return;
        };
        let delete = SendRequest {
            operation: Operation::CreateStage,
            method: "POST".into(),
            path: "/DeleteStage".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::json!({ "arn": arn }).to_string().into_bytes(),
        };
        let _ = self.transport.exchange(endpoint, &delete);
    }

    /// A target at `endpoint` with the case variables `vars` and `timeout` per request.
    pub fn new(
        endpoint: Endpoint,
        vars: BTreeMap<String, String>,
        timeout: Duration,
    ) -> HttpTarget {
        HttpTarget {
            name: endpoint.url.clone(),
            main: endpoint,
            by_precondition: BTreeMap::new(),
            vars,
            transport: Transport::new(timeout),
            judge: Judge::default(),
            missing: BTreeMap::new(),
        }
    }

    /// The same target under another name in reports.
    pub fn named(mut self, name: &str) -> HttpTarget {
        self.name = name.to_owned();
        self
    }

    /// Sets a case variable.
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_owned(), value.to_owned());
    }

    /// Routes cases that need `precondition` to `endpoint`.
    pub fn with_precondition(mut self, precondition: &str, endpoint: Endpoint) -> HttpTarget {
        self.by_precondition
            .insert(precondition.to_owned(), endpoint);
        self
    }

    /// Sends one request to `endpoint` and returns the raw answer.
    pub fn exchange(
        &self,
        endpoint: &Endpoint,
        request: &SendRequest,
    ) -> Result<RawAnswer, String> {
        self.transport.exchange(endpoint, request)
    }

    /// The endpoint cases go to when they name no precondition.
    pub fn main_endpoint(&self) -> &Endpoint {
        &self.main
    }

    /// A target like this one with a fresh record of participant ids.
    pub fn fresh(&self) -> HttpTarget {
        HttpTarget {
            name: self.name.clone(),
            main: self.main.clone(),
            by_precondition: self.by_precondition.clone(),
            vars: self.vars.clone(),
            transport: self.transport.clone(),
            judge: Judge::default(),
            missing: self.missing.clone(),
        }
    }
}

impl Target for HttpTarget {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> AppliesTo {
        AppliesTo::Server
    }

    fn variables(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    fn supports_precondition(&self, precondition: &str) -> bool {
        self.by_precondition.contains_key(precondition)
            || (precondition == "stage-not-found" && self.vars.contains_key("unknownStageArn"))
    }

    fn send(&self, request: &SendRequest, preconditions: &[String]) -> Result<Observed, String> {
        let endpoint = preconditions
            .iter()
            .find_map(|p| self.by_precondition.get(p))
            .unwrap_or(&self.main);
        let a = self.exchange(endpoint, request)?;
        let mut observed = self.judge.observe(
            request.operation,
            a.status,
            &a.headers,
            &a.body,
            &request.body,
        );
        if request.operation == Operation::CreateStage && (200..300).contains(&a.status) {
            self.clean_up(endpoint, &a);
        }
        observed.answer = Some(a);
        Ok(observed)
    }

    fn missing_operation(&self, operation: Operation) -> Option<String> {
        self.missing.get(&operation).cloned()
    }
}
