//! The stage ARN, parsed: [`StageArn`] checks the model's length and pattern (the
//! matcher lives in the leaf module `pattern`) and splits the ARN into its parts.

use std::fmt;

use crate::pattern::{stage_arn_parts, ARN_PREFIX as PREFIX};

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
    id_start: usize,
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
        let parts = stage_arn_parts(s).ok_or(StageArnError::Pattern)?;
        Ok(StageArn {
            text: s.to_owned(),
            region_end: parts.region_end,
            account_end: parts.account_end,
            id_start: parts.id_start,
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
        &self.text[self.id_start..]
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
}
