//! The native half of the Python package `ivs_participant_token`: the core's verdict on a
//! body, as the JSON the `validate` command prints. The Python half (`pysrc/`) turns it
//! into a dict, accepts `str` and `dict` bodies, and holds the botocore hook.

#![forbid(unsafe_code)]

use ivs_participant_token::{CreateStageResponseVerdict, CreateStageVerdict, Verdict};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The verdict on a request body (`response = false`) or a 200 response body of
/// `operation` (`CreateParticipantToken` or `CreateStage`), as the `validate` command's
/// JSON. Never raises for a body: a malformed body is a verdict too.
#[pyfunction]
#[pyo3(signature = (body, response = false, operation = "CreateParticipantToken"))]
fn verdict_json(body: &[u8], response: bool, operation: &str) -> PyResult<String> {
    let json = match (operation, response) {
        ("CreateParticipantToken", true) => serde_json::to_string(&Verdict::response(body)),
        ("CreateParticipantToken", false) => serde_json::to_string(&Verdict::request(body)),
        ("CreateStage", true) => {
            serde_json::to_string(&CreateStageResponseVerdict::create_stage_response(body))
        }
        ("CreateStage", false) => {
            serde_json::to_string(&CreateStageVerdict::create_stage_request(body))
        }
        _ => {
            return Err(PyValueError::new_err(format!(
                "no operation {operation:?}: CreateParticipantToken or CreateStage"
            )))
        }
    };
    // Serialising a verdict cannot fail (plain strings, numbers and lists).
    Ok(
        json.unwrap_or_else(|e| {
            format!("{{\"serializationOfVerdictFailed\":{:?}}}", e.to_string())
        }),
    )
}

/// The module `ivs_participant_token._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verdict_json, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The reader's nesting limit, from the constraint table: how deep the Python half
    // encodes a dict before the depth can no longer change the verdict.
    m.add(
        "MAX_JSON_DEPTH",
        ivs_participant_token::constraints::MAX_JSON_DEPTH,
    )?;
    Ok(())
}
