//! What `list` and `run` select, as command-line flags.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ivs_conformance::case::{AppliesTo, Case, Filter, Level};
use ivs_conformance::load::{load_dir_suite, load_embedded_suite, LoadError, EMBEDDED_PREFIX};
use ivs_conformance::suite::SuiteInfo;

use crate::cli::args::{parse_applies_to, parse_level};

/// What `list` and `run` select, as command-line flags.
#[derive(Debug, Clone, clap::Args)]
pub struct Selection {
    /// Only cases whose id contains this text (repeatable).
    #[arg(long)]
    pub filter: Vec<String>,
    /// Only cases with this tag (repeatable).
    #[arg(long)]
    pub tag: Vec<String>,
    /// The weakest level to run: must, should or may (all).
    #[arg(long, value_parser = parse_level)]
    pub level: Option<Level>,
    /// Only cases that apply to: model, server or client.
    #[arg(long, value_parser = parse_applies_to)]
    pub applies_to: Option<AppliesTo>,
    /// A directory of case files to run instead of the golden cases built into this
    /// binary.
    #[arg(long, value_name = "DIR")]
    pub cases: Option<PathBuf>,
}

/// The cases a selection chose, from the suite they belong to.
#[derive(Debug, Clone)]
pub struct Selected {
    /// The cases the flags select, in the suite's order.
    pub cases: Vec<Case>,
    /// The ids of every case of the suite, selected or not.
    pub all_ids: BTreeSet<String>,
    /// The suite the cases come from.
    pub suite: SuiteInfo,
}

impl Selection {
    /// Loads the directory's cases and keeps those the flags select.
    pub fn load(&self) -> Result<Vec<Case>, LoadError> {
        self.load_selected().map(|s| s.cases)
    }

    /// Loads the cases, keeps those the flags select, and says which suite they are of.
    pub fn load_selected(&self) -> Result<Selected, LoadError> {
        let filter = Filter {
            ids: self.filter.clone(),
            tags: self.tag.clone(),
            level: self.level,
            applies_to: self.applies_to,
        };
        let ((all, suite), from) = match &self.cases {
            Some(dir) => (load_dir_suite(dir)?, dir.display().to_string()),
            None => (load_embedded_suite()?, EMBEDDED_PREFIX.to_owned()),
        };
        let all_ids = all.iter().map(|c| c.id.clone()).collect();
        let selected: Vec<Case> = all.into_iter().filter(|c| filter.matches(c)).collect();
        if selected.is_empty() {
            return Err(LoadError(format!(
                "no case in {from} matches {}; `ivs-conformance list` shows the cases",
                self.describe()
            )));
        }
        Ok(Selected {
            cases: selected,
            all_ids,
            suite,
        })
    }

    /// The flags given, as typed (`--filter typo --level must`), or `the selection`.
    fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.filter.iter().map(|f| format!("--filter {f}")));
        parts.extend(self.tag.iter().map(|t| format!("--tag {t}")));
        if let Some(l) = self.level {
            parts.push(format!("--level {}", l.as_str().to_ascii_lowercase()));
        }
        if let Some(a) = self.applies_to {
            parts.push(format!("--applies-to {}", a.as_str()));
        }
        if parts.is_empty() {
            "the selection (the directory holds no case)".to_owned()
        } else {
            parts.join(" ")
        }
    }
}
