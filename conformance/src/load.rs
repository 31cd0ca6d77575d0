//! Loading case files: each checked against `case.schema.json`, its `defaults` applied
//! to its requests, and ids unique across files.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use ivs_reference_server::files::FileKind;

use serde::Deserialize;
use serde_json::Value;

use crate::case::Case;
use crate::suite::SuiteInfo;

/// One case file: `{"$schema": …, "defaults": {…}, "cases": […]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    #[serde(rename = "defaults", default)]
    _defaults: Option<Value>,
    cases: Vec<Case>,
}

/// Fills each request of a case file from the file's `defaults`: a missing `method` or
/// `path` is the default's; headers are the default's, overridden by the case's, and a
/// case's `null` header removes a default one.
fn apply_defaults(doc: &mut Value, file: &Path) -> Result<(), LoadError> {
    let defaults = doc
        .get("defaults")
        .and_then(|d| d.get("request"))
        .cloned()
        .unwrap_or(Value::Null);
    let operation = doc
        .get("defaults")
        .and_then(|d| d.get("operation"))
        .cloned();
    let Some(cases) = doc.get_mut("cases").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for case in cases {
        if let (Some(op), Some(obj)) = (&operation, case.as_object_mut()) {
            obj.entry("operation").or_insert_with(|| op.clone());
        }
        let id = case["id"].as_str().unwrap_or_default().to_owned();
        let Some(request) = case.get_mut("request").and_then(Value::as_object_mut) else {
            continue;
        };
        for key in ["method", "path"] {
            if !request.contains_key(key) {
                let value = defaults.get(key).cloned().ok_or_else(|| {
                    LoadError(format!(
                        "{}: case {id:?} has no request {key} and the file states no default",
                        file.display()
                    ))
                })?;
                request.insert(key.to_owned(), value);
            }
        }
        let mut headers = defaults
            .get("headers")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(own) = request.get("headers").and_then(Value::as_object) {
            for (k, v) in own {
                headers.retain(|name, _| !name.eq_ignore_ascii_case(k));
                if !v.is_null() {
                    headers.insert(k.clone(), v.clone());
                }
            }
        }
        request.insert("headers".to_owned(), Value::Object(headers));
    }
    Ok(())
}

/// Why cases could not be loaded.
#[derive(Debug)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// The directory of the checked-in cases, where this crate was built. An installed
/// binary may not have it: [`load_embedded`] reads the same files from the binary.
pub fn default_cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cases")
}

/// The checked-in case files, embedded at build time: (file name, contents), by name.
pub const EMBEDDED_CASES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/embedded_cases.rs"));

/// Where embedded cases say they came from, in messages and in [`Case::file`].
pub const EMBEDDED_PREFIX: &str = "<embedded>/cases";

/// Loads the golden cases built into this binary, as [`load_dir`] loads a directory.
pub fn load_embedded() -> Result<Vec<Case>, LoadError> {
    load_embedded_suite().map(|(cases, _)| cases)
}

/// The embedded golden cases and the suite they make.
pub fn load_embedded_suite() -> Result<(Vec<Case>, SuiteInfo), LoadError> {
    let cases = load_files(EMBEDDED_CASES.iter().map(|(name, text)| {
        (
            Path::new(EMBEDDED_PREFIX).join(name),
            Ok::<_, String>((*text).to_owned()),
        )
    }))?;
    let files = EMBEDDED_CASES.iter().map(|(n, t)| (*n, t.as_bytes()));
    let suite = SuiteInfo::of(files, cases.len(), "embedded");
    Ok((cases, suite))
}

/// The JSON Schema of the case files, as checked in.
pub const CASE_SCHEMA: &str = include_str!("../case.schema.json");

/// Loads every `*.json` file of `dir` (sorted by name), checks each against the schema,
/// and rejects duplicate ids across files.
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, LoadError> {
    load_dir_suite(dir).map(|(cases, _)| cases)
}

/// The cases of `dir`, as [`load_dir`] reads them, and the suite they make.
pub fn load_dir_suite(dir: &Path) -> Result<(Vec<Case>, SuiteInfo), LoadError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| LoadError(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut total = 0u64;
    let mut read: Vec<(PathBuf, Result<String, String>)> = Vec::with_capacity(files.len());
    for file in files {
        let text = ivs_reference_server::files::read_text(&file, FileKind::Cases)
            .map_err(|e| LoadError(e.to_string()))?;
        total += text.len() as u64;
        if total > MAX_SUITE_BYTES {
            return Err(LoadError(format!(
                "{}: its case files hold more than {MAX_SUITE_BYTES} bytes, the most this kit reads of a suite",
                dir.display()
            )));
        }
        read.push((file, Ok(text)));
    }
    let named: Vec<(String, Vec<u8>)> = read
        .iter()
        .filter_map(|(file, text)| {
            let name = file.file_name()?.to_string_lossy().into_owned();
            Some((name, text.as_ref().ok()?.as_bytes().to_vec()))
        })
        .collect();
    let cases = load_files(read.into_iter())?;
    let suite = SuiteInfo::of(
        named.iter().map(|(n, t)| (n.as_str(), t.as_slice())),
        cases.len(),
        &dir.display().to_string(),
    );
    Ok((cases, suite))
}

/// The most bytes of case files one suite may hold, all files together.
pub const MAX_SUITE_BYTES: u64 = 16 * FileKind::Cases.limit();

/// Checks and parses case files given as (where from, contents), in order.
fn load_files(
    files: impl Iterator<Item = (PathBuf, Result<String, String>)>,
) -> Result<Vec<Case>, LoadError> {
    let schema: Value = serde_json::from_str(CASE_SCHEMA).expect("the checked-in schema is JSON");
    let validator = jsonschema::validator_for(&schema)
        .map_err(|e| LoadError(format!("case.schema.json: {e}")))?;
    let mut cases = Vec::new();
    let mut ids = BTreeSet::new();
    for (file, text) in files {
        let text = text.map_err(|e| LoadError(format!("{}: {e}", file.display())))?;
        let mut doc: Value = serde_json::from_str(&text)
            .map_err(|e| LoadError(format!("{}: {e}", file.display())))?;
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            return Err(LoadError(format!(
                "{} does not match case.schema.json: {}",
                file.display(),
                errors.join("; ")
            )));
        }
        apply_defaults(&mut doc, &file)?;
        let parsed: CaseFile = serde_json::from_value(doc)
            .map_err(|e| LoadError(format!("{}: {e}", file.display())))?;
        for mut case in parsed.cases {
            if !ids.insert(case.id.clone()) {
                return Err(LoadError(format!(
                    "{}: duplicate case id {:?}",
                    file.display(),
                    case.id
                )));
            }
            case.file = file.clone();
            cases.push(case);
        }
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ivs-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn duplicate_ids_across_files_are_refused() {
        let dir = temp_dir("dup");
        let case = r#"{"cases":[{"id":"same","description":"d","source":"s","level":"MAY",
            "appliesTo":["model"],"request":{"method":"POST","path":"/"},"expect":{"status":200}}]}"#;
        std::fs::write(dir.join("a.json"), case).unwrap();
        assert_eq!(load_dir(&dir).unwrap().len(), 1);
        std::fs::write(dir.join("b.json"), case).unwrap();
        let err = load_dir(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("duplicate case id \"same\""), "{err}");
    }

    #[test]
    fn file_defaults_fill_requests_and_cases_override_them() {
        let dir = temp_dir("defaults");
        let file = r#"{"defaults":{"request":{"method":"POST","path":"/CreateParticipantToken",
            "headers":{"Content-Type":"application/json","X-A":"1"}}},
            "cases":[
              {"id":"plain","description":"d","source":"s","level":"MAY","appliesTo":["model"],
               "request":{"body":"{}"},"expect":{"status":400}},
              {"id":"own","description":"d","source":"s","level":"MAY","appliesTo":["model"],
               "request":{"method":"GET","headers":{"content-type":null,"X-A":"2"}},
               "expect":{"status":400}}]}"#;
        std::fs::write(dir.join("a.json"), file).unwrap();
        let cases = load_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let plain = cases[0].request.as_ref().unwrap();
        assert_eq!(
            (plain.method.as_str(), plain.path.as_str()),
            ("POST", "/CreateParticipantToken")
        );
        assert_eq!(plain.headers.len(), 2);
        let own = cases[1].request.as_ref().unwrap();
        assert_eq!(own.method, "GET");
        assert_eq!(own.headers.len(), 1, "{:?}", own.headers);
        assert_eq!(own.headers["X-A"], "2");
    }

    #[test]
    fn a_request_with_no_method_and_no_default_is_refused() {
        let dir = temp_dir("nodefault");
        let file = r#"{"cases":[{"id":"x","description":"d","source":"s","level":"MAY",
            "appliesTo":["model"],"request":{"path":"/"},"expect":{"status":400}}]}"#;
        std::fs::write(dir.join("a.json"), file).unwrap();
        let err = load_dir(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("no request method"), "{err}");
    }
}
