//! The stages the server holds: the configured ones, and those CreateStage made, until
//! DeleteStage or a reset. In memory and bounded: at most [`MAX_STAGES`] at once (or the
//! configured quota), answered ServiceQuotaExceededException past it.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};

use ivs_participant_token::{AutoParticipantRecordingConfiguration, Tags};

/// The most stages held at once, whatever the configured quota: each costs memory.
pub const MAX_STAGES: usize = 10_000;

/// ListStages' page size when the request names none (the API reference's default).
pub const DEFAULT_PAGE_SIZE: usize = 50;

/// One stage as the server keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageRecord {
    /// Its name, when it was given one.
    pub name: Option<String>,
    /// Its tags, when it was given any.
    pub tags: Option<Tags>,
    /// Its recording configuration, when it was given one.
    pub recording: Option<AutoParticipantRecordingConfiguration>,
}

/// Why a stage could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StagesFull(pub usize);

#[derive(Debug, Default)]
struct Held {
    /// By ARN, so that pages come in a stable order.
    stages: BTreeMap<String, StageRecord>,
    /// Stages deleted under `--any-stage` (where every well-formed ARN exists), which
    /// must answer 404 afterwards; the oldest is forgotten past [`MAX_STAGES`].
    deleted: HashSet<String>,
    deleted_order: VecDeque<String>,
}

/// The stages, behind one lock.
#[derive(Debug)]
pub struct Stages {
    held: Mutex<Held>,
    configured: Vec<String>,
    any_stage: bool,
    limit: usize,
}

impl Stages {
    /// The configured stages, each held with no name; `quota` bounds how many are held.
    pub fn new(configured: &[String], any_stage: bool, quota: Option<u64>) -> Stages {
        let limit = quota.map_or(MAX_STAGES, |q| {
            usize::try_from(q).unwrap_or(MAX_STAGES).min(MAX_STAGES)
        });
        let stages = Stages {
            held: Mutex::default(),
            configured: configured.to_vec(),
            any_stage,
            limit,
        };
        stages.reset();
        stages
    }

    fn held(&self) -> MutexGuard<'_, Held> {
        // A panic elsewhere while holding the lock leaves a consistent map: go on.
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to the configured stages: those CreateStage made are gone, those deleted
    /// are back.
    pub fn reset(&self) {
        let mut held = self.held();
        *held = Held::default();
        for arn in &self.configured {
            held.stages.insert(arn.clone(), StageRecord::default());
        }
    }

    /// Whether `arn` (a well-formed stage ARN) names a stage.
    pub fn exists(&self, arn: &str) -> bool {
        let held = self.held();
        held.stages.contains_key(arn) || (self.any_stage && !held.deleted.contains(arn))
    }

    /// The stage `arn`, if it exists (an implicit one of `--any-stage` has no record).
    pub fn get(&self, arn: &str) -> Option<StageRecord> {
        let held = self.held();
        match held.stages.get(arn) {
            Some(r) => Some(r.clone()),
            None if self.any_stage && !held.deleted.contains(arn) => Some(StageRecord::default()),
            None => None,
        }
    }

    /// Holds a new stage, unless the quota is reached.
    pub fn create(&self, arn: String, record: StageRecord) -> Result<(), StagesFull> {
        let mut held = self.held();
        if held.stages.len() >= self.limit {
            return Err(StagesFull(self.limit));
        }
        held.deleted.remove(&arn);
        held.stages.insert(arn, record);
        Ok(())
    }

    /// Deletes the stage `arn`; `false` when there is none.
    pub fn delete(&self, arn: &str) -> bool {
        let mut held = self.held();
        let removed = held.stages.remove(arn).is_some();
        let implicit = !removed && self.any_stage && !held.deleted.contains(arn);
        if self.any_stage && (removed || implicit) {
            if held.deleted_order.len() >= MAX_STAGES {
                if let Some(oldest) = held.deleted_order.pop_front() {
                    held.deleted.remove(&oldest);
                }
            }
            held.deleted.insert(arn.to_owned());
            held.deleted_order.push_back(arn.to_owned());
        }
        removed || implicit
    }

    /// A page of at most `size` stages whose ARNs sort after `after`, and whether more
    /// follow.
    pub fn page(&self, after: Option<&str>, size: usize) -> (Vec<(String, StageRecord)>, bool) {
        let held = self.held();
        let mut from = match after {
            Some(a) => held
                .stages
                .range::<str, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded)),
            None => held.stages.range::<str, _>(..),
        };
        let page: Vec<_> = from
            .by_ref()
            .take(size)
            .map(|(a, r)| (a.clone(), r.clone()))
            .collect();
        let more = from.next().is_some();
        (page, more)
    }

    /// How many stages are held.
    pub fn len(&self) -> usize {
        self.held().stages.len()
    }

    /// Whether none is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(i: usize) -> String {
        format!("arn:aws:ivs:us-west-2:123456789012:stage/s{i:05}")
    }

    #[test]
    fn create_get_delete_reset() {
        let configured = vec![arn(0)];
        let s = Stages::new(&configured, false, Some(3));
        assert!(s.exists(&arn(0)));
        s.create(arn(1), StageRecord::default()).unwrap();
        s.create(arn(2), StageRecord::default()).unwrap();
        assert_eq!(s.create(arn(3), StageRecord::default()), Err(StagesFull(3)));
        assert!(s.delete(&arn(1)));
        assert!(!s.delete(&arn(1)));
        assert!(!s.exists(&arn(1)));
        assert!(s.delete(&arn(0)));
        s.reset();
        assert!(s.exists(&arn(0)));
        assert!(!s.exists(&arn(2)));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn pages_cover_every_stage_once_in_order() {
        let s = Stages::new(&[], false, None);
        for i in 0..120 {
            s.create(arn(i), StageRecord::default()).unwrap();
        }
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let (page, more) = s.page(after.as_deref(), 50);
            seen.extend(page.iter().map(|(a, _)| a.clone()));
            if !more {
                break;
            }
            after = page.last().map(|(a, _)| a.clone());
        }
        assert_eq!(seen, (0..120).map(arn).collect::<Vec<_>>());
    }

    #[test]
    fn any_stage_deletions_are_remembered_and_bounded() {
        let s = Stages::new(&[], true, None);
        assert!(s.exists(&arn(7)));
        assert!(s.delete(&arn(7)));
        assert!(!s.exists(&arn(7)));
        assert!(!s.delete(&arn(7)));
        for i in 0..MAX_STAGES + 10 {
            s.delete(&arn(100_000 + i));
        }
        assert!(s.held().deleted.len() <= MAX_STAGES);
        // The oldest tombstone was forgotten: that stage exists again, as any does.
        assert!(s.exists(&arn(7)));
        s.create(arn(7), StageRecord::default()).unwrap();
        assert!(s.exists(&arn(7)));
    }
}
