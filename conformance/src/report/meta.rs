//! What every report says about a run besides its results, and how the human report is
//! laid out: what each format's module reads, apart from the results.

use crate::suite::SuiteInfo;

/// What every report says about the run besides its results.
#[derive(Debug, Clone)]
pub struct RunMeta {
    /// The target's name (its URL, or the embedded server's).
    pub target: String,
    /// The suite that ran.
    pub suite: SuiteInfo,
    /// When the run ended, RFC 3339 UTC.
    pub generated_at: String,
    /// The expected-failures file the results were read against, if any.
    pub expected_failures: Option<String>,
    /// The run's name (`run --name`), which the matrix heads its column with.
    pub name: Option<String>,
    /// The version of the implementation that ran (`run --implementation-version`).
    pub implementation_version: Option<String>,
    /// The flags after `ivs-conformance show ID` that replay a case against this target
    /// (empty: `serve`'s default address); `None` where a case is not replayed over HTTP.
    pub replay_flags: Option<String>,
}

impl RunMeta {
    /// A run of `suite` against `target`, ending now.
    pub fn now(target: &str, suite: &SuiteInfo) -> RunMeta {
        let now = ivs_participant_token::token::unix_now();
        let generated_at = ivs_participant_token::Timestamp::from_unix(now, 0)
            .map(|t| t.to_rfc3339())
            .unwrap_or_default();
        RunMeta {
            target: target.to_owned(),
            suite: suite.clone(),
            generated_at,
            expected_failures: None,
            replay_flags: None,
            name: None,
            implementation_version: None,
        }
    }
}

/// How human output is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HumanStyle {
    /// ANSI colors.
    pub color: bool,
    /// A line for every case; otherwise only the failures, the skips counted by reason,
    /// and the closing line.
    pub verbose: bool,
}
