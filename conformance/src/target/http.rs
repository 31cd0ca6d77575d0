//! A server over HTTP as a [`Target`]: any endpoint, with other endpoints for the cases
//! whose preconditions need another set-up. Sending is [`crate::target::transport`]'s job,
//! judging the answer `target::judge`'s.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::case::AppliesTo;
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
}

impl HttpTarget {
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
        observed.answer = Some(a);
        Ok(observed)
    }
}
