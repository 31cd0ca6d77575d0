//! What the running server keeps: its stages, key, issued participant ids and quota
//! counters.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use ivs_participant_token::token::{random_participant_id, PrivateKey};

use crate::config::{default_stage_in, ServerConfig, DEFAULT_ACCOUNT, DEFAULT_REGION};
use crate::stages::Stages;

/// Shared by every request.
#[derive(Debug)]
pub struct State {
    /// The configuration, defaults filled in.
    pub config: ServerConfig,
    /// The stages that exist: the configured ones and those CreateStage made.
    pub stages: Stages,
    /// The key tokens are signed with.
    pub key: PrivateKey,
    /// The public key's ARN.
    pub kid: String,
    /// The regions SigV4 scopes may name.
    pub signing_regions: Vec<String>,
    counters: Mutex<Counters>,
    ids: ParticipantIds,
}

#[derive(Debug, Default)]
struct Counters {
    tokens_per_stage: HashMap<String, u64>,
    window_start: Option<Instant>,
    requests_in_window: u32,
}

/// The most stages whose tokens are counted at once, when a tokens-per-stage quota is
/// set: under `--any-stage` every well-formed ARN is a stage, and the count of each
/// costs memory. Past this many, a token for a stage not yet counted is refused
/// (ServiceQuotaExceededException) until a reset (`POST /_reset`) clears the counts.
/// With no such quota nothing is kept per stage.
pub const MAX_COUNTED_STAGES: usize = 10_000;

/// Why a token cannot be issued now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuotaExceeded {
    /// The stage has had its tokens.
    TokensPerStage(u64),
    /// [`MAX_COUNTED_STAGES`] stages are counted already, and this is another.
    CountedStages(usize),
    /// Too many requests this second.
    RequestsPerSecond(u32),
}

impl State {
    /// Fills in the defaults: the README's example stage, a key and a kid when none are
    /// configured.
    pub fn new(mut config: ServerConfig) -> State {
        let region = config
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        if config.stages.is_empty() {
            config.stages.push(default_stage_in(&region));
        }
        let key = config
            .signing_key
            .clone()
            .unwrap_or_else(PrivateKey::generate);
        // A made-up kid names the first stage's region and account, as a key imported
        // into that account would (the configured region wins for the region).
        let first = config
            .stages
            .first()
            .and_then(|s| ivs_participant_token::StageArn::parse(s).ok());
        let key_region = config
            .region
            .clone()
            .or_else(|| first.as_ref().map(|a| a.region().to_owned()))
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        let account = first
            .as_ref()
            .map_or(DEFAULT_ACCOUNT.to_owned(), |a| a.account_id().to_owned());
        let kid = config.kid.clone().unwrap_or_else(|| {
            format!(
                "arn:aws:ivs:{key_region}:{account}:public-key/{}",
                random_participant_id()
            )
        });
        State {
            signing_regions: config.signing_regions(),
            stages: Stages::new(&config.stages, config.any_stage, config.quotas.stages),
            config,
            key,
            kid,
            counters: Mutex::default(),
            ids: ParticipantIds::new(),
        }
    }

    /// Whether `arn` names a stage that exists: a configured one, or any well-formed
    /// stage ARN under `any_stage` (the caller has validated it).
    pub fn stage_exists(&self, arn: &str) -> bool {
        self.stages.exists(arn)
    }

    /// Clears the quota counters, as between tests: every stage may have its tokens again
    /// and the per-second window starts afresh; the stages are the configured ones again
    /// (those CreateStage made are gone, those DeleteStage removed are back). Participant
    /// ids stay unique.
    pub fn reset(&self) {
        *self.counters() = Counters::default();
        self.stages.reset();
    }

    /// The region and account of stages this server makes: the configured region (else
    /// the first stage's, else [`DEFAULT_REGION`]) and the first stage's account.
    pub fn home(&self) -> (String, String) {
        let first = self
            .config
            .stages
            .first()
            .and_then(|s| ivs_participant_token::StageArn::parse(s).ok());
        let region = self
            .config
            .region
            .clone()
            .or_else(|| first.as_ref().map(|a| a.region().to_owned()))
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        let account = first
            .as_ref()
            .map_or(DEFAULT_ACCOUNT.to_owned(), |a| a.account_id().to_owned());
        (region, account)
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
    /// Tokens are counted per stage only when a tokens-per-stage quota is set, and for
    /// at most [`MAX_COUNTED_STAGES`] stages.
    pub fn reserve_token(&self, stage: &str) -> Result<String, QuotaExceeded> {
        if let Some(limit) = self.config.quotas.tokens_per_stage {
            let mut c = self.counters();
            let counted = c.tokens_per_stage.len();
            match c.tokens_per_stage.get_mut(stage) {
                Some(issued) if *issued >= limit => {
                    return Err(QuotaExceeded::TokensPerStage(limit))
                }
                Some(issued) => *issued += 1,
                None if limit == 0 => return Err(QuotaExceeded::TokensPerStage(limit)),
                None if counted >= MAX_COUNTED_STAGES => {
                    return Err(QuotaExceeded::CountedStages(MAX_COUNTED_STAGES))
                }
                None => {
                    c.tokens_per_stage.insert(stage.to_owned(), 1);
                }
            }
        }
        Ok(self.ids.next())
    }

    /// How many stages have their tokens counted (none without a tokens-per-stage quota).
    pub fn counted_stages(&self) -> usize {
        self.counters().tokens_per_stage.len()
    }
}

/// Participant ids that are unique by construction and cost no memory per token: the
/// n-th id is a bijective 64-bit mix of `n` (keyed per server) written as 11 base-62
/// digits (62^11 > 2^64, so distinct numbers give distinct ids), after one random
/// alphanumeric. 12 characters of `[A-Za-z0-9]`, like the API's.
use ivs_participant_token::token::ID_ALPHABET as ALPHANUMERIC;

#[derive(Debug)]
struct ParticipantIds {
    next: AtomicU64,
    key: u64,
    prefix: u8,
}

impl ParticipantIds {
    fn new() -> ParticipantIds {
        let mut seed = [0u8; 9];
        getrandom::getrandom(&mut seed).expect("the operating system's random source");
        let key = u64::from_le_bytes(seed[..8].try_into().expect("8 bytes"));
        ParticipantIds {
            next: AtomicU64::new(0),
            key,
            prefix: ALPHANUMERIC[usize::from(seed[8]) % ALPHANUMERIC.len()],
        }
    }

    /// SplitMix64's finaliser: each step is invertible, so the whole is a bijection.
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn encode(prefix: u8, mut n: u64) -> String {
        let mut out = [0u8; 12];
        out[0] = prefix;
        for slot in out[1..].iter_mut().rev() {
            *slot = ALPHANUMERIC[(n % 62) as usize];
            n /= 62;
        }
        String::from_utf8(out.to_vec()).expect("ASCII")
    }

    fn next(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        Self::encode(self.prefix, Self::mix(n ^ self.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any_stage(tokens_per_stage: Option<u64>) -> State {
        State::new(ServerConfig {
            any_stage: true,
            quotas: crate::config::Quotas {
                tokens_per_stage,
                requests_per_second: None,
                ..crate::config::Quotas::default()
            },
            ..ServerConfig::default()
        })
    }

    fn stage(i: usize) -> String {
        format!("arn:aws:ivs:us-west-2:123456789012:stage/s{i}")
    }

    #[test]
    fn a_made_up_kid_names_the_stages_region_and_account() {
        let state = State::new(ServerConfig {
            stages: vec!["arn:aws:ivs:eu-west-1:999999999999:stage/x".into()],
            ..ServerConfig::default()
        });
        assert!(
            state
                .kid
                .starts_with("arn:aws:ivs:eu-west-1:999999999999:public-key/"),
            "{}",
            state.kid
        );
        let state = State::new(ServerConfig::default());
        assert!(
            state
                .kid
                .starts_with("arn:aws:ivs:us-west-2:123456789012:public-key/"),
            "{}",
            state.kid
        );
    }

    #[test]
    fn without_a_quota_nothing_is_kept_per_stage() {
        let state = any_stage(None);
        for i in 0..40_000 {
            state.reserve_token(&stage(i)).unwrap();
        }
        assert_eq!(state.counted_stages(), 0);
    }

    #[test]
    fn with_a_quota_at_most_max_counted_stages_are_counted() {
        let state = any_stage(Some(2));
        for i in 0..MAX_COUNTED_STAGES {
            state.reserve_token(&stage(i)).unwrap();
        }
        assert_eq!(state.counted_stages(), MAX_COUNTED_STAGES);
        // A stage counted already goes on to its own quota; a new one is refused.
        state.reserve_token(&stage(0)).unwrap();
        assert_eq!(
            state.reserve_token(&stage(0)),
            Err(QuotaExceeded::TokensPerStage(2))
        );
        for i in MAX_COUNTED_STAGES..40_000 {
            assert_eq!(
                state.reserve_token(&stage(i)),
                Err(QuotaExceeded::CountedStages(MAX_COUNTED_STAGES))
            );
        }
        assert_eq!(state.counted_stages(), MAX_COUNTED_STAGES);
        state.reset();
        assert_eq!(state.counted_stages(), 0);
        state.reserve_token(&stage(39_999)).unwrap();
    }

    #[test]
    fn ids_are_unique_and_shaped_like_the_apis() {
        let ids = ParticipantIds::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100_000 {
            let id = ids.next();
            assert_eq!(id.len(), 12);
            assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn encoding_is_injective_at_the_extremes() {
        // Reading an id back gives the number it encodes, at the extremes too: the 11
        // digits after the prefix hold every u64, so no two numbers share an id.
        let decode = |id: &str| {
            id.bytes().skip(1).try_fold(0u64, |n, b| {
                let digit = ALPHANUMERIC.iter().position(|a| *a == b)? as u64;
                n.checked_mul(62)?.checked_add(digit)
            })
        };
        for n in [0, 1, 61, 62, u64::MAX - 1, u64::MAX] {
            let id = ParticipantIds::encode(b'A', n);
            assert_eq!(decode(&id), Some(n), "{id}");
        }
        assert_eq!(ParticipantIds::mix(0), 0);
        assert_ne!(ParticipantIds::mix(1), ParticipantIds::mix(2));
    }
}
