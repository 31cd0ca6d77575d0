//! The modules of `src/` form no cycle: each module's `crate::…` references (comments
//! and unit tests aside) point only at modules that do not point back, directly or not.
//! The pattern matchers and the errors' identities are leaves, the constraint table
//! stands on them alone; the verdict sits on top.

use std::path::Path;

use super::module_cycles::{assert_no_cycle, graph_of};

#[test]
fn src_has_no_module_cycle() {
    let graph = graph_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph.len() >= 10, "{graph:?}");
    assert!(
        graph["constraints"]
            .iter()
            .all(|d| d == "pattern" || d == "error_kind"),
        "{graph:?}"
    );
    assert!(graph["pattern"].is_empty(), "{graph:?}");
    assert!(graph["error_kind"].is_empty(), "{graph:?}");
    assert_no_cycle(&graph);
}
