//! What validation found: the violations and advisories of one value, and the messages
//! a server answers with (the live-AWS form and Smithy's), every entry at once.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::constraints::MemberConstraints;
use crate::error::{ErrorKind, ServiceError};
use crate::messages as msg;
use crate::violation::{collection_entry, Violation, MAX_LISTED};
/// Something worth knowing that is not a violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvisoryKind {
    /// A member the model does not define; the protocol says to ignore it.
    UnknownMember,
    /// A capability listed twice. The docs call capabilities a set, but the model has no
    /// `@uniqueItems`, so a duplicate is not a violation.
    DuplicateCapability {
        /// Index of the first occurrence.
        first: usize,
    },
    /// A token's `jti` with `_`: `ParticipantTokenId` allows it, the Smithy model's
    /// `ParticipantId` (what GetParticipant and its kin take, and what a self-signed
    /// token's `jti` becomes) does not, while botocore's copy does. The service may not
    /// find such a participant later, depending on which model it follows.
    ParticipantIdNotPortable,
}

/// A note on a value that is not a violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisory {
    /// JSON pointer of the value.
    pub path: String,
    /// What was noticed.
    pub kind: AdvisoryKind,
    /// For an unknown member, the known member it was probably meant to be.
    pub suggestion: Option<&'static str>,
}

impl Advisory {
    /// A readable sentence.
    pub fn message(&self) -> String {
        match &self.kind {
            AdvisoryKind::UnknownMember => match self.suggestion {
                Some(meant) => msg::fill(
                    msg::UNKNOWN_MEMBER_MEANT,
                    &[("path", &self.path), ("meant", meant)],
                ),
                None => msg::fill(msg::UNKNOWN_MEMBER, &[("path", &self.path)]),
            },
            AdvisoryKind::DuplicateCapability { first } => msg::fill(
                msg::DUPLICATE_CAPABILITY,
                &[("path", &self.path), ("first", &first.to_string())],
            ),
            AdvisoryKind::ParticipantIdNotPortable => msg::fill(
                msg::PARTICIPANT_ID_NOT_PORTABLE,
                &[
                    ("path", &self.path),
                    (
                        "pattern",
                        crate::constraints::PARTICIPANT_ID_LOOKUP_PATTERN.text,
                    ),
                    (
                        "operations",
                        &crate::constraints::PARTICIPANT_ID_OPERATIONS.join(", "),
                    ),
                ],
            ),
        }
    }

    /// `unknownMember`, `duplicateCapability` or `participantIdNotPortable`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            AdvisoryKind::UnknownMember => "unknownMember",
            AdvisoryKind::DuplicateCapability { .. } => "duplicateCapability",
            AdvisoryKind::ParticipantIdNotPortable => "participantIdNotPortable",
        }
    }
}

impl Serialize for Advisory {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("path", &self.path)?;
        m.serialize_entry("kind", self.code())?;
        m.serialize_entry("message", &self.message())?;
        if let Some(meant) = self.suggestion {
            m.serialize_entry("suggestion", meant)?;
        }
        m.end()
    }
}

/// Everything validation found: violations (the value is invalid when there is any) and
/// advisories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Failed constraints, in member order: every member's own, and up to
    /// [`MAX_LISTED`] item violations per list.
    pub violations: Vec<Violation>,
    /// Notes that do not make the value invalid, up to [`MAX_LISTED`].
    pub advisories: Vec<Advisory>,
    /// Item violations found beyond the [`MAX_LISTED`] of their list, counted only.
    pub omitted_violations: usize,
    /// Advisories found beyond the [`MAX_LISTED`] listed, counted only.
    pub omitted_advisories: usize,
}

impl Report {
    /// Whether no constraint failed.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// Lists `a`, or counts it once [`MAX_LISTED`] advisories are listed.
    pub(crate) fn advise(&mut self, a: Advisory) {
        if self.advisories.len() < MAX_LISTED {
            self.advisories.push(a);
        } else {
            self.omitted_advisories += 1;
        }
    }

    /// The entries of the live-AWS message, in member order: one for each violation of
    /// a member itself, and one for all the item violations of a list, at the list's
    /// place of first mention, its distinct item rules in brackets.
    pub fn aws_entries(&self) -> Vec<String> {
        let mut entries = Vec::new();
        let mut done: Vec<&str> = Vec::new();
        for (i, v) in self.violations.iter().enumerate() {
            let Some(list) = v.list_pointer() else {
                entries.push(v.aws_message());
                continue;
            };
            if done.contains(&list) {
                continue;
            }
            done.push(list);
            let mut rules: Vec<String> = Vec::new();
            for item in &self.violations[i..] {
                if item.list_pointer() == Some(list) {
                    let rule = item.aws_rule();
                    if !rules.contains(&rule) {
                        rules.push(rule);
                    }
                }
            }
            let value = v.list_value.as_deref().unwrap_or_default();
            entries.push(collection_entry(list, value, &rules));
        }
        entries
    }

    /// The whole report as one live-AWS ValidationException message:
    /// `2 validation errors detected: …; …`, counting the entries of
    /// [`Report::aws_entries`]. Empty when valid.
    ///
    /// The form follows ValidationException messages of AWS services quoted in public
    /// reports: CloudFormation's `1 validation error detected: Value '[CAPABILITY_IAM,
    /// …]' at 'capabilities' failed to satisfy constraint: Member must satisfy
    /// constraint: [Member must satisfy enum value set: […]]` (a list's item constraint
    /// reported once, at the list; CodeGenieApp/serverless-express#59), CodePipeline's
    /// `Map value must satisfy constraint: [Member must have length less than or equal
    /// to 1000, Member must have length greater than or equal to 1]` (item rules in
    /// brackets; awslabs/aws-service-catalog-factory#279), OpenSearch's dotted member
    /// paths (`'elasticsearchClusterConfig.instanceType'`;
    /// ministryofjustice/cloud-platform-infrastructure#3651), and `Value null at '…'
    /// failed to satisfy constraint: Member must not be null` for missing members.
    ///
    /// Map keys and values would be reported the same way as list items (`Map value must
    /// satisfy constraint: […]`), but this model puts no constraint on one key or value:
    /// the 1 KB limit of `attributes` is on the whole map, reported at the map.
    pub fn aws_message(&self) -> String {
        let entries = self.aws_entries();
        let n = entries.len();
        if n == 0 {
            return String::new();
        }
        report_message(msg::REPORT_ONE, msg::REPORT_MANY, n, &entries)
    }

    /// The whole report as a Smithy server framework writes its ValidationException
    /// message: `2 validation errors detected. …; …`, one entry per violation (list items
    /// at their own pointers, `/capabilities/1`). Empty when valid.
    pub fn smithy_message(&self) -> String {
        let n = self.violations.len();
        if n == 0 {
            return String::new();
        }
        let items: Vec<String> = self.violations.iter().map(Violation::message).collect();
        report_message(msg::SMITHY_REPORT_ONE, msg::SMITHY_REPORT_MANY, n, &items)
    }

    /// The ValidationException a server answers with, or `None` when valid.
    pub fn to_service_error(&self) -> Option<ServiceError> {
        (!self.is_valid()).then(|| ServiceError::new(ErrorKind::Validation, self.aws_message()))
    }

    /// Records unknown members; `table_at` gives the table of the object a pointer's
    /// parent names, for the did-you-mean suggestion.
    pub(crate) fn add_unknown(
        &mut self,
        unknown: Vec<String>,
        table_at: impl Fn(&str) -> Option<&'static [MemberConstraints]>,
    ) {
        for path in unknown {
            if self.advisories.len() >= MAX_LISTED {
                self.omitted_advisories += 1;
                continue;
            }
            let (parent, name) = path.rsplit_once('/').unwrap_or(("", &path));
            let name: std::borrow::Cow<'_, str> = if name.contains('~') {
                name.replace("~1", "/").replace("~0", "~").into()
            } else {
                name.into()
            };
            let suggestion = table_at(parent).and_then(|t| crate::hint::suggest_member(&name, t));
            self.advisories.push(Advisory {
                path,
                kind: AdvisoryKind::UnknownMember,
                suggestion,
            });
        }
    }
}

/// A report's message: `one` for one entry, else `many`, the entries joined.
fn report_message(one: &str, many: &str, n: usize, entries: &[String]) -> String {
    let entries = entries.join(msg::ENTRY_SEPARATOR);
    let template = if n == 1 { one } else { many };
    msg::fill(template, &[("n", &n.to_string()), ("entries", &entries)])
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_valid() {
            f.write_str("valid")
        } else {
            f.write_str(&self.aws_message())
        }
    }
}

/// A body read and validated: the value as sent and what validation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<T> {
    /// The value as read (no defaults applied).
    pub value: T,
    /// Violations and advisories, unknown members included.
    pub report: Report,
}
