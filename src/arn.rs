//! The stage ARN: its pattern matcher and a parsed [`StageArn`].
//!
//! The matchers here are the model's patterns compiled by hand (see
//! [`constraints::STAGE_ARN_PATTERN`](crate::constraints::STAGE_ARN_PATTERN)); the property
//! tests prove them equal to the `regex` crate running the model's text.

use std::fmt;

const PREFIX: &str = "arn:aws:ivs:";
const RESOURCE: &str = ":stage/";
const PUBLIC_KEY: &str = ":public-key/";

/// Byte classes of the patterns, as lookup tables: `[a-z0-9-]` (region), `[0-9]`
/// (account), `[a-zA-Z0-9-]` (resource id). One pass over the bytes, one load a byte.
const REGION: u8 = 1;
const ACCOUNT: u8 = 2;
const RESOURCE_ID: u8 = 4;

const CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let lower = c.is_ascii_lowercase();
        let digit = c.is_ascii_digit();
        let upper = c.is_ascii_uppercase();
        let hyphen = c == b'-';
        if lower || digit || hyphen {
            t[b] |= REGION;
        }
        if digit {
            t[b] |= ACCOUNT;
        }
        if lower || upper || digit || hyphen {
            t[b] |= RESOURCE_ID;
        }
        b += 1;
    }
    t
};

/// The end of the run of bytes of `class` that starts at `from`.
fn run_end(bytes: &[u8], from: usize, class: u8) -> usize {
    bytes[from..]
        .iter()
        .position(|b| CLASSES[usize::from(*b)] & class == 0)
        .map_or(bytes.len(), |n| from + n)
}

/// Splits a string matching `^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$` into
/// (region, account, stage id), or `None` when it does not match.
fn split(s: &str) -> Option<(&str, &str, &str)> {
    split_resource(s, RESOURCE)
}

/// The same for any resource type: `resource` is `:type/`.
fn split_resource<'a>(s: &'a str, resource: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let b = s.as_bytes();
    let region_start = PREFIX.len();
    if !b.starts_with(PREFIX.as_bytes()) {
        return None;
    }
    // Each class excludes the byte that ends its segment (':'), so greedy runs are the
    // only way to match, and the pattern is checked in a single pass.
    let region_end = run_end(b, region_start, REGION);
    if region_end == region_start || b.get(region_end) != Some(&b':') {
        return None;
    }
    let account_start = region_end + 1;
    let account_end = run_end(b, account_start, ACCOUNT);
    if account_end == account_start || !b[account_end..].starts_with(resource.as_bytes()) {
        return None;
    }
    let id_start = account_end + resource.len();
    let id_end = run_end(b, id_start, RESOURCE_ID);
    if id_end == id_start || id_end != b.len() {
        return None;
    }
    // Every byte checked is ASCII, so these are character boundaries.
    Some((
        &s[region_start..region_end],
        &s[account_start..account_end],
        &s[id_start..],
    ))
}

/// Whether `s` matches `StageArn`'s pattern with ECMA-262 semantics.
pub(crate) fn matches_stage_arn_pattern(s: &str) -> bool {
    split(s).is_some()
}

/// Whether `s` matches the public-key ARN pattern of a self-signed token's `kid`.
pub(crate) fn matches_public_key_arn_pattern(s: &str) -> bool {
    split_resource(s, PUBLIC_KEY).is_some()
}

/// Whether `s` matches `ParticipantTokenId`'s pattern `^[a-zA-Z0-9-_]*$`.
pub(crate) fn matches_participant_id_pattern(s: &str) -> bool {
    s.bytes()
        .all(|b| CLASSES[usize::from(b)] & RESOURCE_ID != 0 || b == b'_')
}

/// A stage ARN that matches the model's pattern, split into its parts.
///
/// ```
/// use ivs_participant_token::StageArn;
/// let arn = StageArn::parse("arn:aws:ivs:us-west-2:123456789012:stage/AbCdEf123456").unwrap();
/// assert_eq!(arn.region(), "us-west-2");
/// assert_eq!(arn.account_id(), "123456789012");
/// assert_eq!(arn.stage_id(), "AbCdEf123456");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StageArn {
    text: String,
    region_end: usize,
    account_end: usize,
}

/// Why a string is not a [`StageArn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageArnError {
    /// Longer than the model's 128 scalar values.
    TooLong {
        /// Its length in Unicode scalar values.
        length: usize,
    },
    /// Empty.
    Empty,
    /// Does not match the model's pattern.
    Pattern,
}

impl fmt::Display for StageArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = crate::constraints::STAGE_ARN;
        match self {
            StageArnError::TooLong { length } => write!(
                f,
                "stage ARN has {length} characters, more than {}",
                spec.length.and_then(|l| l.value.max).unwrap_or_default()
            ),
            StageArnError::Empty => f.write_str("stage ARN is empty"),
            StageArnError::Pattern => write!(
                f,
                "stage ARN does not match {}",
                crate::constraints::STAGE_ARN_PATTERN.text
            ),
        }
    }
}

impl std::error::Error for StageArnError {}

impl StageArn {
    /// Parses a stage ARN, checking the model's length and pattern.
    pub fn parse(s: &str) -> Result<StageArn, StageArnError> {
        if s.is_empty() {
            return Err(StageArnError::Empty);
        }
        let bounds = crate::constraints::STAGE_ARN
            .length
            .map(|l| l.value)
            .unwrap_or(crate::constraints::Bounds {
                min: None,
                max: None,
            });
        let length = s.chars().count();
        if !bounds.contains(length as i64) {
            return Err(StageArnError::TooLong { length });
        }
        let (region, account, _) = split(s).ok_or(StageArnError::Pattern)?;
        let region_end = PREFIX.len() + region.len();
        Ok(StageArn {
            text: s.to_owned(),
            region_end,
            account_end: region_end + 1 + account.len(),
        })
    }

    /// The whole ARN.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The region, such as `us-west-2`.
    pub fn region(&self) -> &str {
        &self.text[PREFIX.len()..self.region_end]
    }

    /// The account id: one or more digits (the pattern does not insist on twelve).
    pub fn account_id(&self) -> &str {
        &self.text[self.region_end + 1..self.account_end]
    }

    /// The stage id, the ARN's last segment (a participant token's `topic`).
    pub fn stage_id(&self) -> &str {
        &self.text[self.account_end + RESOURCE.len()..]
    }
}

impl fmt::Display for StageArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for StageArn {
    type Err = StageArnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StageArn::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        let a = StageArn::parse("arn:aws:ivs:eu-1:1:stage/a-B").unwrap();
        assert_eq!(
            (a.region(), a.account_id(), a.stage_id()),
            ("eu-1", "1", "a-B")
        );
        assert_eq!(a.to_string(), "arn:aws:ivs:eu-1:1:stage/a-B");
    }

    #[test]
    fn rejects() {
        for s in [
            "arn:aws:ivs::1:stage/a",
            "arn:aws:ivs:r::stage/a",
            "arn:aws:ivs:r:1:stage/",
            "arn:aws:ivs:r:1:stage/a\n",
            "arn:aws:ivs:R:1:stage/a",
            "arn:aws:ivs:r:1a:stage/a",
            "arn:aws:ivs:r:1:stage/a_b",
            "arn:aws:ivs:r:1:channel/a",
            "arn:aws-cn:ivs:r:1:stage/a",
            "arn:aws:ivs:r:1:stage/a:b",
            " arn:aws:ivs:r:1:stage/a",
        ] {
            assert_eq!(StageArn::parse(s), Err(StageArnError::Pattern), "{s:?}");
        }
        assert_eq!(StageArn::parse(""), Err(StageArnError::Empty));
        let long = format!("arn:aws:ivs:r:1:stage/{}", "a".repeat(107));
        assert_eq!(long.len(), 129);
        assert_eq!(
            StageArn::parse(&long),
            Err(StageArnError::TooLong { length: 129 })
        );
        assert!(StageArn::parse(&long[..128]).is_ok());
    }

    #[test]
    fn participant_id() {
        assert!(matches_participant_id_pattern(""));
        assert!(matches_participant_id_pattern("aZ09-_"));
        assert!(!matches_participant_id_pattern("a b"));
        assert!(!matches_participant_id_pattern("é"));
    }
}
