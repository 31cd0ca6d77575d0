//! The constraint table held to AWS's model, as botocore ships it: every row whose source
//! is the model is compared with the service file (`botocore/data/ivs-realtime/2020-07-14/
//! service-2.json.gz`) for the member's shape name, required, length, range, pattern,
//! enum and `sensitive`, and the operation's modeled errors for their status; the rows
//! from the docs or from this kit's readings are named as such. The model is read where
//! botocore is installed (the venv's, through its own Python), never copied into the
//! repository: it carries AWS's documentation text.
//!
//! `IVS_SERVICE_MODEL=PATH` reads another file in botocore's format (plain or gzipped)
//! without botocore, so that a newer model shows what changed, row by row.

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

use ivs_participant_token::constraints::{
    Bounds, MemberConstraints, Source, Sourced, WireType, API_VERSION, CLAIMS, CREATE_STAGE_ERRORS,
    CREATE_STAGE_REQUEST, CREATE_STAGE_RESPONSE, ENDPOINTS, ERRORS, HLS, KID, PARTICIPANT_TOKEN,
    RECORDING, REQUEST, RESPONSE, SERVICE, STAGE, THUMBNAIL, TOKEN_CONFIGURATION,
};
use libtest_mimic::{Completion, Failed, Trial};
use serde_json::Value;

/// The service file: `IVS_SERVICE_MODEL`, or the venv's botocore's; and where it is from.
fn service_file() -> Result<(PathBuf, String), String> {
    if let Some(path) = std::env::var_os("IVS_SERVICE_MODEL") {
        let path = PathBuf::from(path);
        return Ok((
            path.clone(),
            format!("IVS_SERVICE_MODEL={}", path.display()),
        ));
    }
    let python = super::tools::venv_tool("python")?;
    let out = Command::new(&python)
        .args([
            "-c",
            "import botocore, os; print(botocore.__version__); \
             print(os.path.join(os.path.dirname(botocore.__file__), \
             'data', 'ivs-realtime', '2020-07-14', 'service-2.json.gz'))",
        ])
        .output()
        .map_err(|e| format!("{} does not run: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "the venv has no botocore (pip install boto3 there): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let version = lines.next().unwrap_or_default().to_owned();
    let path = PathBuf::from(lines.next().unwrap_or_default());
    Ok((path, format!("botocore {version}")))
}

/// The model in `path`, plain JSON or gzipped.
fn read_model(path: &PathBuf) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut out)
            .map_err(|e| format!("{}: not gzip: {e}", path.display()))?;
        out
    } else {
        String::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

/// botocore's type name of a wire type.
fn botocore_type(t: WireType) -> &'static str {
    match t {
        WireType::String => "string",
        WireType::Integer => "integer",
        WireType::Long => "long",
        WireType::StringList => "list",
        WireType::StringMap => "map",
        WireType::Timestamp => "timestamp",
        WireType::Object => "structure",
        WireType::ObjectList => "list",
        WireType::Boolean => "boolean",
    }
}

/// A pattern without the `^…$` anchors botocore's copies have lost.
fn unanchored(p: &str) -> &str {
    let p = p.strip_prefix('^').unwrap_or(p);
    p.strip_suffix('$').unwrap_or(p)
}

/// The model's bounds on a shape (`min`, `max`).
fn bounds_of(shape: &Value) -> Option<Bounds> {
    let (min, max) = (shape["min"].as_i64(), shape["max"].as_i64());
    (min.is_some() || max.is_some()).then_some(Bounds { min, max })
}

/// A constraint of the table as the model sees it: the value when the model is its source.
fn from_model<T: Copy>(c: Option<Sourced<T>>) -> Option<T> {
    c.filter(|s| s.source == Source::Model).map(|s| s.value)
}

/// Every difference between `model` and the table's model-derived rows, each naming its
/// row; and the rows (or constraints) that come from elsewhere, named.
pub fn compare(model: &Value) -> (Vec<String>, Vec<String>) {
    let shapes = &model["shapes"];
    let mut differ = Vec::new();
    let mut elsewhere = Vec::new();
    let metadata = &model["metadata"];
    if metadata["apiVersion"] != API_VERSION || metadata["endpointPrefix"] != "ivsrealtime" {
        differ.push(format!(
            "the model is {} {}, the table's {SERVICE} {API_VERSION}",
            metadata["endpointPrefix"], metadata["apiVersion"]
        ));
    }
    let tables: [&[MemberConstraints]; 11] = [
        &REQUEST,
        &PARTICIPANT_TOKEN,
        &RESPONSE,
        &CREATE_STAGE_REQUEST,
        &TOKEN_CONFIGURATION,
        &RECORDING,
        &THUMBNAIL,
        &HLS,
        &STAGE,
        &ENDPOINTS,
        &CREATE_STAGE_RESPONSE,
    ];
    for row in tables.into_iter().flatten() {
        let name = format!("{}.{} ({})", row.shape, row.member, row.target);
        let mut say = |what: String| differ.push(format!("{name}: {what}"));
        let structure = &shapes[row.shape];
        let Some(member) = structure["members"].get(row.member) else {
            say(format!(
                "the model's {} has no member {}",
                row.shape, row.member
            ));
            continue;
        };
        if member["shape"] != row.target {
            say(format!("the model's member targets {}", member["shape"]));
            continue;
        }
        let target = &shapes[row.target];
        if target["type"] != botocore_type(row.wire_type) {
            say(format!(
                "type: table {}, model {}",
                botocore_type(row.wire_type),
                target["type"]
            ));
        }
        let required = structure["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|m| m == row.member));
        if required != (row.required == Some(Source::Model)) {
            say(format!(
                "required: table {:?}, model {required}",
                row.required
            ));
        }
        let modeled = bounds_of(target);
        let (length, range) = (from_model(row.length), from_model(row.range));
        let table_bounds = if row.wire_type == WireType::Integer {
            range
        } else {
            length
        };
        if modeled != table_bounds {
            say(format!(
                "{}: table {table_bounds:?}, model {modeled:?}",
                if row.wire_type == WireType::Integer {
                    "range"
                } else {
                    "length"
                }
            ));
        }
        let pattern = from_model(row.pattern).map(|p| unanchored(p.text));
        if pattern != target["pattern"].as_str() {
            say(format!(
                "pattern: table {pattern:?}, model {:?}",
                target["pattern"].as_str()
            ));
        }
        let enum_shape = if row.wire_type == WireType::StringList {
            &shapes[target["member"]["shape"].as_str().unwrap_or_default()]
        } else {
            target
        };
        let modeled_enum: Option<Vec<&str>> = enum_shape["enum"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect());
        let table_enum = from_model(row.enum_values).map(|e| e.to_vec());
        if modeled_enum != table_enum {
            say(format!(
                "enum: table {table_enum:?}, model {modeled_enum:?}"
            ));
        }
        // A map's keys and values: their own shapes' bounds.
        for (part, table) in [("key", row.key_length), ("value", row.value_length)] {
            if row.wire_type != WireType::StringMap {
                continue;
            }
            let shape = &shapes[target[part]["shape"].as_str().unwrap_or_default()];
            let modeled = bounds_of(shape);
            let table = from_model(table);
            if modeled != table {
                say(format!("{part} length: table {table:?}, model {modeled:?}"));
            }
        }
        if target["sensitive"].as_bool().unwrap_or(false) != row.sensitive {
            say(format!(
                "sensitive: table {}, model {}",
                row.sensitive, target["sensitive"]
            ));
        }
        for (what, source) in [
            ("required", row.required),
            ("length", row.length.map(|s| s.source)),
            ("default", row.default.map(|s| s.source)),
            ("maxBytes", row.max_bytes.map(|s| s.source)),
        ] {
            if let Some(s) = source.filter(|s| *s != Source::Model) {
                elsewhere.push(format!("{name}: {what} from {}", s.as_str()));
            }
        }
    }
    let operation = &model["operations"]["CreateParticipantToken"];
    let modeled_errors: Vec<&str> = operation["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["shape"].as_str())
        .collect();
    for e in &ERRORS {
        if e.source != Source::Model {
            elsewhere.push(format!("error {}: from {}", e.name, e.source.as_str()));
            continue;
        }
        let status = shapes[e.name]["error"]["httpStatusCode"].as_u64();
        if !modeled_errors.contains(&e.name) || status != Some(u64::from(e.status)) {
            differ.push(format!(
                "error {}: table status {}, model {status:?} (listed: {})",
                e.name,
                e.status,
                modeled_errors.contains(&e.name)
            ));
        }
    }
    let operation = &model["operations"]["CreateStage"];
    let mut modeled_errors: Vec<&str> = operation["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["shape"].as_str())
        .collect();
    let mut table_errors: Vec<&str> = CREATE_STAGE_ERRORS
        .iter()
        .filter_map(|k| ERRORS.iter().find(|e| e.kind == *k))
        .map(|e| e.name)
        .collect();
    modeled_errors.sort_unstable();
    table_errors.sort_unstable();
    if modeled_errors != table_errors {
        differ.push(format!(
            "CreateStage's errors: table {table_errors:?}, model {modeled_errors:?}"
        ));
    }
    for row in CLAIMS.iter().chain([&KID]) {
        elsewhere.push(format!(
            "{}.{}: the token format, from the docs (no model shape)",
            row.shape, row.member
        ));
    }
    (differ, elsewhere)
}

fn the_table_is_held_to_the_model() -> Result<Completion, Failed> {
    let (path, from) = match service_file() {
        Ok(found) => found,
        Err(why) => return super::tools::missing(&why),
    };
    let model = read_model(&path)?;
    eprintln!("the model: {from} ({})", path.display());
    let (differ, elsewhere) = compare(&model);
    for row in &elsewhere {
        eprintln!("  not from the model: {row}");
    }
    if !differ.is_empty() {
        return Err(format!(
            "the constraint table differs from {from}:\n{}",
            differ.join("\n")
        )
        .into());
    }
    // The comparison has teeth: a model whose userId maximum is changed by hand differs,
    // naming the rows that target it.
    let mut changed = model.clone();
    changed["shapes"]["ParticipantTokenUserId"]["max"] = 129.into();
    let (differ, _) = compare(&changed);
    let named = differ
        .iter()
        .filter(|d| d.contains("userId (ParticipantTokenUserId): length"))
        .count();
    // Three rows target it: CreateParticipantToken's request, the token, and CreateStage's
    // token configuration.
    if named != 3 {
        return Err(format!("a changed userId maximum was not named thrice: {differ:?}").into());
    }
    Ok(Completion::Completed)
}

/// This module's tests.
pub fn trials() -> Vec<Trial> {
    vec![Trial::ignorable_test(
        "model::the_table_is_held_to_the_model",
        the_table_is_held_to_the_model,
    )]
}
