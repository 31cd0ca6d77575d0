//! Exports of the core's constraint table, for other tools and languages.

use ivs_participant_token::constraints::{self, Bounds, DefaultValue, MemberConstraints, Sourced};
use serde_json::{json, Map, Value};

fn bounds(b: Option<Sourced<Bounds>>) -> Value {
    b.map_or(
        Value::Null,
        |b| json!({ "min": b.value.min, "max": b.value.max }),
    )
}

fn default_value(d: Option<Sourced<DefaultValue>>) -> Value {
    match d.map(|d| d.value) {
        None => Value::Null,
        Some(DefaultValue::Integer(n)) => json!(n),
        Some(DefaultValue::StringList(items)) => json!(items),
    }
}

/// One member's row: `shape`, `member`, `required`, `length`, `range`, `pattern`,
/// `enum`, `default`, `maxBytes`, and `source`, which maps each constraint present to
/// `model`, `docs` or `interpretation`. `target`, `type` and `sensitive` add the
/// member's Smithy target, JSON type and `@sensitive`.
pub fn member_json(m: &MemberConstraints) -> Value {
    let mut source = Map::new();
    let mut note = |key: &str, s: Option<constraints::Source>| {
        if let Some(s) = s {
            source.insert(key.to_owned(), json!(s.as_str()));
        }
    };
    note("required", m.required);
    note("length", m.length.map(|c| c.source));
    note("range", m.range.map(|c| c.source));
    note("pattern", m.pattern.map(|c| c.source));
    note("enum", m.enum_values.map(|c| c.source));
    note("default", m.default.map(|c| c.source));
    note("maxBytes", m.max_bytes.map(|c| c.source));
    json!({
        "shape": m.shape,
        "member": m.member,
        "target": m.target,
        "type": m.wire_type.as_str(),
        "required": m.required.is_some(),
        "length": bounds(m.length),
        "range": bounds(m.range),
        "pattern": m.pattern.map(|p| p.value.text),
        "enum": m.enum_values.map(|e| e.value),
        "default": default_value(m.default),
        "maxBytes": m.max_bytes.map(|b| b.value),
        "sensitive": m.sensitive,
        "source": source,
    })
}

/// The whole table: every member of the request, then of `ParticipantToken`.
pub fn constraints_json() -> Value {
    Value::Array(constraints::all_members().map(member_json).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows() {
        let rows = constraints_json();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 12);
        let arn = &rows[0];
        assert_eq!(arn["member"], "stageArn");
        assert_eq!(arn["required"], true);
        assert_eq!(arn["length"], json!({"min": 1, "max": 128}));
        assert_eq!(arn["source"]["pattern"], "model");
        let duration = &rows[1];
        assert_eq!(duration["default"], 720);
        assert_eq!(
            duration["source"],
            json!({"range": "model", "default": "docs"})
        );
        assert_eq!(rows[3]["maxBytes"], 1024);
        assert_eq!(rows[4]["default"], json!(["PUBLISH", "SUBSCRIBE"]));
        assert_eq!(rows[6]["member"], "token");
        assert_eq!(rows[6]["sensitive"], true);
        assert_eq!(rows[6]["source"]["required"], "interpretation");
    }
}
