//! The module graph of a crate's `src/`: each top-level module's `crate::…` references
//! (comments and unit tests aside), and the check that they form no cycle. The core's
//! test uses it, and the conformance crate's includes this file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module a file of `src/` belongs to (`token` for `src/token/jwt.rs`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = first.trim_end_matches(".rs").to_owned();
    (name != "lib").then_some(name)
}

/// The `crate::name` references of a file, comments and the unit-test module left out.
fn references(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let mut out = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let ident = |s: &str| -> String {
                s.trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect()
            };
            // `crate::{a, b::c}` names each module of its group.
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                out.extend(group[..end].split(',').map(ident).filter(|n| !n.is_empty()));
                continue;
            }
            out.insert(ident(rest));
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            // A module's unit tests in a file of their own (`json/tests.rs`).
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

/// The top-level modules of `src` and, for each, the modules it refers to.
pub fn graph_of(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut all = Vec::new();
    files(src, &mut all);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &all {
        let Some(module) = module_of(src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let deps = graph.entry(module.clone()).or_default();
        deps.extend(references(&text).into_iter().filter(|d| *d != module));
    }
    graph
}

/// Fails when a module of `graph` reaches itself.
pub fn assert_no_cycle(graph: &BTreeMap<String, BTreeSet<String>>) {
    // Depth-first search for a path back to where it started.
    fn reaches(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        graph
            .get(from)
            .into_iter()
            .flatten()
            .any(|d| d == to || (seen.insert(d.clone()) && reaches(graph, d, to, seen)))
    }
    for module in graph.keys() {
        assert!(
            !reaches(graph, module, module, &mut BTreeSet::new()),
            "{module} reaches itself: {graph:?}"
        );
    }
}

#[test]
fn references_skip_comments_and_unit_tests() {
    let refs = references("use crate::a::X;\n// crate::b\nfn f() { crate::c::g() }\n#[cfg(test)]\nmod tests { crate::d }");
    assert_eq!(refs, BTreeSet::from(["a".to_owned(), "c".to_owned()]));
    // A group names every module in it, and never an empty name.
    let refs = references("use crate::{e::Y, f};\n");
    assert_eq!(refs, BTreeSet::from(["e".to_owned(), "f".to_owned()]));
}
