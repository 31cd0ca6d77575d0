//! What the running server keeps: its stages, key, issued participant ids and quota
//! counters.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Instant;

use ivs_participant_token::token::{random_participant_id, PrivateKey};

use crate::config::{ServerConfig, DEFAULT_ACCOUNT};

/// Shared by every request.
#[derive(Debug)]
pub struct State {
    /// The configuration, defaults filled in.
    pub config: ServerConfig,
    /// The stages that exist.
    pub stages: HashSet<String>,
    /// The key tokens are signed with.
    pub key: PrivateKey,
    /// The public key's ARN.
    pub kid: String,
    counters: Mutex<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    participant_ids: HashSet<String>,
    tokens_per_stage: HashMap<String, u64>,
    window_start: Option<Instant>,
    requests_in_window: u32,
}

/// Why a token cannot be issued now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuotaExceeded {
    /// The stage has had its tokens.
    TokensPerStage(u64),
    /// Too many requests this second.
    RequestsPerSecond(u32),
}

impl State {
    /// Fills in the defaults: a stage, a key and a kid when none are configured.
    pub fn new(mut config: ServerConfig) -> State {
        if config.stages.is_empty() {
            config.stages.push(format!(
                "arn:aws:ivs:{}:{DEFAULT_ACCOUNT}:stage/{}",
                config.region,
                random_participant_id()
            ));
        }
        let key = config
            .signing_key
            .clone()
            .unwrap_or_else(PrivateKey::generate);
        let kid = config.kid.clone().unwrap_or_else(|| {
            format!(
                "arn:aws:ivs:{}:{DEFAULT_ACCOUNT}:public-key/{}",
                config.region,
                random_participant_id()
            )
        });
        State {
            stages: config.stages.iter().cloned().collect(),
            config,
            key,
            kid,
            counters: Mutex::default(),
        }
    }

    fn counters(&self) -> std::sync::MutexGuard<'_, Counters> {
        // A panic elsewhere while holding the lock leaves plain counters behind: go on.
        self.counters.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts a request against the per-second quota.
    pub fn admit_request(&self) -> Result<(), QuotaExceeded> {
        let Some(limit) = self.config.quotas.requests_per_second else {
            return Ok(());
        };
        let mut c = self.counters();
        let now = Instant::now();
        let fresh = c
            .window_start
            .is_none_or(|start| now.duration_since(start).as_secs() >= 1);
        if fresh {
            c.window_start = Some(now);
            c.requests_in_window = 0;
        }
        if c.requests_in_window >= limit {
            return Err(QuotaExceeded::RequestsPerSecond(limit));
        }
        c.requests_in_window += 1;
        Ok(())
    }

    /// Reserves a token of `stage` against its quota and a fresh, unique participant id.
    pub fn reserve_token(&self, stage: &str) -> Result<String, QuotaExceeded> {
        let mut c = self.counters();
        let issued = c.tokens_per_stage.get(stage).copied().unwrap_or(0);
        if let Some(limit) = self.config.quotas.tokens_per_stage {
            if issued >= limit {
                return Err(QuotaExceeded::TokensPerStage(limit));
            }
        }
        c.tokens_per_stage.insert(stage.to_owned(), issued + 1);
        loop {
            let id = random_participant_id();
            if c.participant_ids.insert(id.clone()) {
                return Ok(id);
            }
        }
    }
}
