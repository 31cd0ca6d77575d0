//! `expirationTime`: a Smithy `date-time` timestamp (RFC 3339), normalised to UTC.

use std::fmt;

use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// An instant with nanosecond precision, in UTC.
///
/// Read from any RFC 3339 `date-time` (an offset and fractional seconds are accepted);
/// written as `YYYY-MM-DDTHH:MM:SSZ`, with a fraction (trailing zeros trimmed) only when
/// it is non-zero.
///
/// ```
/// use ivs_participant_token::Timestamp;
/// let t = Timestamp::parse_rfc3339("2026-11-23T20:04:31.500+01:00").unwrap();
/// assert_eq!(t.to_rfc3339(), "2026-11-23T19:04:31.5Z");
/// assert_eq!(t.unix_seconds(), 1_795_460_671);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    seconds: i64,
    nanos: u32,
}

/// Why a string is not an RFC 3339 date-time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// `0000-01-01T00:00:00Z` in Unix seconds: the first instant RFC 3339 can write.
    pub const MIN_UNIX_SECONDS: i64 = -62_167_219_200;
    /// `9999-12-31T23:59:59Z` in Unix seconds: the last whole second RFC 3339 can write.
    pub const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

    /// Parses an RFC 3339 date-time (`2026-11-23T19:04:31Z`, `…+02:00`, `….123Z`).
    ///
    /// RFC 3339 section 5.6 is the grammar: the date and the time are separated by `T`
    /// or `t` (its note allows a space by agreement; this crate does not agree, since
    /// Smithy's `date-time` is `T`), and the offset is `Z`, `z` or `±hh:mm`. What is
    /// read must also be writable: a date-time whose instant in UTC falls outside the
    /// years 0000 to 9999 (`0000-01-01T00:00:00+00:01`, `9999-12-31T23:59:59-00:01`) is
    /// refused, since no RFC 3339 UTC string can hold it.
    pub fn parse_rfc3339(s: &str) -> Result<Timestamp, TimestampError> {
        match s.as_bytes().get(10) {
            Some(b'T' | b't') => {}
            _ => {
                return Err(TimestampError(
                    "not an RFC 3339 date-time: the date and time must be separated by 'T'"
                        .to_owned(),
                ))
            }
        }
        let t = OffsetDateTime::parse(s, &Rfc3339)
            .map_err(|e| TimestampError(format!("not an RFC 3339 date-time: {e}")))?;
        Timestamp::from_unix(t.unix_timestamp(), t.nanosecond()).ok_or_else(|| {
            TimestampError(
                "the date-time lies outside the years 0000 to 9999 once converted to UTC"
                    .to_owned(),
            )
        })
    }

    /// The instant `seconds` + `nanos` after the Unix epoch, or `None` when `nanos` is a
    /// second or more, or the year falls outside 0000..=9999 (RFC 3339's range).
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<Timestamp> {
        if nanos >= 1_000_000_000 {
            return None;
        }
        (Self::MIN_UNIX_SECONDS..=Self::MAX_UNIX_SECONDS)
            .contains(&seconds)
            .then_some(Timestamp { seconds, nanos })
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds within the second.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, written by the `time` crate's RFC 3339
    /// formatter (the fraction only when non-zero, trailing zeros trimmed).
    pub fn to_rfc3339(&self) -> String {
        // Every constructor keeps the instant within the years 0000 to 9999, the range
        // in which both calls succeed.
        OffsetDateTime::from_unix_timestamp(self.seconds)
            .and_then(|t| t.replace_nanosecond(self.nanos))
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .expect("a Timestamp lies within the years 0000 to 9999")
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_reads_writes_and_reads_back() {
        for bad in [
            "9999-12-31T23:59:59-00:01",
            "0000-01-01T00:00:00+00:01",
            "2026-11-24x07:04:31Z",
            "2026-11-24 07:04:31Z",
            "2026-11-24T07:04:31",
        ] {
            assert!(Timestamp::parse_rfc3339(bad).is_err(), "{bad}");
        }
        for good in [
            "9999-12-31T23:59:59+00:00",
            "9999-12-31T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z",
            "0000-01-01T00:01:00+00:01",
            "2026-11-24t07:04:31z",
            "2026-11-23T19:04:31.120000Z",
        ] {
            let t = Timestamp::parse_rfc3339(good).unwrap();
            let written = t.to_rfc3339();
            assert!(written.ends_with('Z'), "{written}");
            assert_eq!(
                Timestamp::parse_rfc3339(&written),
                Ok(t),
                "{good} -> {written}"
            );
        }
    }

    #[test]
    fn year_range_constants_are_the_first_and_last_writable_seconds() {
        let first = Timestamp::from_unix(Timestamp::MIN_UNIX_SECONDS, 0).unwrap();
        assert_eq!(first.to_rfc3339(), "0000-01-01T00:00:00Z");
        let last = Timestamp::from_unix(Timestamp::MAX_UNIX_SECONDS, 999_999_999).unwrap();
        assert_eq!(last.to_rfc3339(), "9999-12-31T23:59:59.999999999Z");
        assert_eq!(
            Timestamp::from_unix(Timestamp::MIN_UNIX_SECONDS - 1, 0),
            None
        );
        assert_eq!(
            Timestamp::from_unix(Timestamp::MAX_UNIX_SECONDS + 1, 0),
            None
        );
    }

    #[test]
    fn forms() {
        let z = Timestamp::parse_rfc3339("2026-11-23T19:04:31Z").unwrap();
        assert_eq!(z.to_rfc3339(), "2026-11-23T19:04:31Z");
        let off = Timestamp::parse_rfc3339("2026-11-23T21:04:31+02:00").unwrap();
        assert_eq!(off, z);
        let frac = Timestamp::parse_rfc3339("2026-11-23T19:04:31.120000Z").unwrap();
        assert_eq!(frac.to_rfc3339(), "2026-11-23T19:04:31.12Z");
        assert_eq!(Timestamp::parse_rfc3339(&frac.to_rfc3339()).unwrap(), frac);
        assert!(Timestamp::parse_rfc3339("2026-11-23T19:04:31").is_err());
        assert!(Timestamp::parse_rfc3339("1795460671").is_err());
        assert!(Timestamp::parse_rfc3339("").is_err());
    }

    #[test]
    fn from_unix_range() {
        assert!(Timestamp::from_unix(0, 0).is_some());
        assert!(Timestamp::from_unix(0, 1_000_000_000).is_none());
        assert!(Timestamp::from_unix(i64::MAX, 0).is_none());
        assert!(Timestamp::from_unix(-62_167_219_200, 0).is_some()); // 0000-01-01
        assert!(Timestamp::from_unix(-62_167_219_201, 0).is_none());
    }
}
