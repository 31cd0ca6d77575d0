//! The layout holds: no source file of a crate's `src/` passes 450 lines (the constraint
//! table, which is data, excepted), no `main.rs` passes 300, and no comment cites an
//! issue number of a tracker the repository does not hold (a comment says why).

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if !matches!(
                &*name,
                "target" | "node_modules" | "dist" | ".git" | ".venv" | "corpus"
            ) {
                files(&path, exts, out);
            }
        } else if path
            .extension()
            .is_some_and(|e| exts.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_passes_its_bound() {
    let root = workspace();
    let mut sources = Vec::new();
    for dir in [
        "src",
        "conformance/src",
        "server/src",
        "aws-sdk/src",
        "python/src",
    ] {
        files(&root.join(dir), &["rs"], &mut sources);
    }
    assert!(sources.len() > 40, "{} files", sources.len());
    let mut over = Vec::new();
    for file in &sources {
        let lines = std::fs::read_to_string(file).unwrap().lines().count();
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .into_owned();
        let bound = if rel.ends_with("main.rs") {
            300
        } else if rel.ends_with("src/constraints.rs") {
            usize::MAX
        } else {
            450
        };
        if lines > bound {
            over.push(format!("{rel}: {lines} lines (at most {bound})"));
        }
    }
    assert!(over.is_empty(), "{}", over.join("\n"));
}

#[test]
fn no_comment_cites_an_issue_number() {
    let root = workspace();
    let mut sources = Vec::new();
    files(
        &root,
        &["rs", "ts", "mjs", "sh", "py", "toml", "yml"],
        &mut sources,
    );
    let mut cited = Vec::new();
    for file in &sources {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let lower = line.to_ascii_lowercase();
            let Some(at) = lower.find("issue ") else {
                continue;
            };
            let rest = &lower[at + "issue ".len()..];
            let comment = ["//", "#", "/*", " * "].iter().any(|c| line.contains(c));
            if comment && rest.starts_with(|c: char| c.is_ascii_digit()) {
                let rel = file
                    .strip_prefix(&root)
                    .unwrap_or(file)
                    .display()
                    .to_string();
                cited.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        cited.is_empty(),
        "comments that cite an issue:\n{}",
        cited.join("\n")
    );
}

/// README's drill for a new member names, for each step, the test that fails when the
/// step is skipped: each named test exists, so the drill cannot name one that was renamed
/// or removed.
#[test]
fn the_readmes_drill_names_tests_that_exist() {
    let root = workspace();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find("<!-- drill -->")
        .expect("the drill's start marker");
    let end = readme
        .find("<!-- /drill -->")
        .expect("the drill's end marker");
    let drill = &readme[start..end];
    let mut tests = Vec::new();
    files(&root, &["rs"], &mut tests);
    let sources: String = tests
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let mut named = 0;
    for (i, _) in drill.match_indices("(`") {
        let name: String = drill[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.contains('_') {
            named += 1;
            assert!(
                sources.contains(&format!("fn {name}(")),
                "README's drill names {name}, which no test is"
            );
        }
    }
    assert!(named >= 8, "the drill names {named} tests");
}

#[path = "../../../tests/it/module_cycles.rs"]
mod module_cycles;

/// The conformance crate's modules form no cycle (the binary's `cli` among them), and
/// the library's modules never refer to the binary's.
#[test]
fn the_conformance_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    if !workspace().join("tests/it/module_cycles.rs").exists() {
        eprintln!("skipped: the module graph's machinery is in the workspace's core tests");
        return;
    }
    let graph = module_cycles::graph_of(&src);
    assert!(graph.len() >= 8, "{graph:?}");
    module_cycles::assert_no_cycle(&graph);
    for (module, deps) in &graph {
        if module != "cli" && module != "main" {
            assert!(
                !deps.contains("cli"),
                "{module} refers to the binary's cli: {deps:?}"
            );
        }
    }
}
