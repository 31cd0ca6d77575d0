//! Which suite a run used: the kit's version, the API version, how many cases, and a
//! digest of the case files, so that two reports say whether they ran the same suite.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use ivs_participant_token::constraints::API_VERSION;

/// The suite a run used. Every report carries it (human header, JSON, JUnit
/// properties, HTML, badge) and `ivs-conformance --version` prints it for the embedded
/// cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuiteInfo {
    /// This kit's version (`ivs-conformance`'s).
    pub kit_version: String,
    /// The API version the cases are written for.
    pub api_version: String,
    /// The cases in the suite's files (before any filter).
    pub cases: usize,
    /// `sha256:` and the hex SHA-256 of the case files in use: each file's name and
    /// contents, in name order.
    pub digest: String,
    /// Where the cases came from: the embedded golden cases, or a `--cases` directory.
    pub source: String,
}

impl SuiteInfo {
    /// The suite of `files` (name, contents), holding `cases` cases, from `source`.
    pub fn of<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        cases: usize,
        source: &str,
    ) -> SuiteInfo {
        let mut files: Vec<(&str, &[u8])> = files.into_iter().collect();
        files.sort();
        let mut hash = Sha256::new();
        for (name, contents) in files {
            // Each part ends with a NUL, so that no two file sets hash alike by moving
            // bytes between a name and its contents.
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(contents);
            hash.update([0]);
        }
        SuiteInfo {
            kit_version: env!("CARGO_PKG_VERSION").to_owned(),
            api_version: API_VERSION.to_owned(),
            cases,
            digest: format!("sha256:{}", hex(&hash.finalize())),
            source: source.to_owned(),
        }
    }

    /// The digest's first 12 hex digits, enough to tell suites apart at a glance.
    pub fn short_digest(&self) -> &str {
        let hex = self.digest.strip_prefix("sha256:").unwrap_or(&self.digest);
        &hex[..hex.len().min(12)]
    }

    /// `ivs-conformance 0.1.0, API 2020-07-14, 237 cases, suite 1a2b3c4d5e6f`.
    pub fn line(&self) -> String {
        format!(
            "ivs-conformance {}, API {}, {} cases, suite {}",
            self.kit_version,
            self.api_version,
            self.cases,
            self.short_digest()
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_follows_names_and_contents_not_their_order() {
        let a = SuiteInfo::of([("a.json", &b"1"[..]), ("b.json", &b"2"[..])], 2, "x");
        let b = SuiteInfo::of([("b.json", &b"2"[..]), ("a.json", &b"1"[..])], 2, "x");
        assert_eq!(a.digest, b.digest);
        let moved = SuiteInfo::of([("a.json1", &b""[..]), ("b.json", &b"2"[..])], 2, "x");
        assert_ne!(a.digest, moved.digest);
        let changed = SuiteInfo::of([("a.json", &b"1 "[..]), ("b.json", &b"2"[..])], 2, "x");
        assert_ne!(a.digest, changed.digest);
        assert_eq!(a.short_digest().len(), 12);
        assert!(a.line().contains("API 2020-07-14, 2 cases, suite "));
    }
}
