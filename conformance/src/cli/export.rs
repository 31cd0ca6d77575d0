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
        Some(DefaultValue::Boolean(b)) => json!(b),
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
    note("keyLength", m.key_length.map(|c| c.source));
    note("valueLength", m.value_length.map(|c| c.source));
    note("uniqueItems", m.unique_items);
    let mut row = json!({
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
        "echo": echo_json(&m.echo),
    });
    // CreateStage's map and list bounds, only on the rows that have them.
    for (key, b) in [("keyLength", m.key_length), ("valueLength", m.value_length)] {
        if b.is_some() {
            row[key] = bounds(b);
        }
    }
    if m.unique_items.is_some() {
        row["uniqueItems"] = json!(true);
    }
    row["source"] = Value::Object(source);
    row
}

/// Where a member's value reappears: the token check's words, and each claim with its
/// name, form and words.
fn echo_json(e: &constraints::Echo) -> Value {
    let claims: Vec<Value> = e
        .claims
        .iter()
        .map(|c| {
            let (form, tolerance, since) = match c.form {
                constraints::ClaimForm::Value => ("value", None, None),
                constraints::ClaimForm::StageId => ("stageId", None, None),
                // Minutes since the token was issued: its difference to `iat`.
                constraints::ClaimForm::Minutes => (
                    "minutes",
                    None,
                    Some(constraints::claim_name(constraints::MemberId::Iat)),
                ),
                constraints::ClaimForm::Flags => ("flags", None, None),
                constraints::ClaimForm::UnixSeconds(t) => ("unixSeconds", Some(t), None),
            };
            json!({"claim": c.name(), "form": form, "tolerance": tolerance, "since": since, "rule": c.rule})
        })
        .collect();
    json!({"token": e.token, "claims": claims})
}

/// The whole table: every member of the request, then of `ParticipantToken`.
pub fn constraints_json() -> Value {
    Value::Array(constraints::all_members().map(member_json).collect())
}

fn bounds_text(b: &Bounds) -> String {
    match (b.min, b.max) {
        (Some(min), Some(max)) => format!("{min}..={max}"),
        (Some(min), None) => format!(">= {min}"),
        (None, Some(max)) => format!("<= {max}"),
        (None, None) => "any".to_owned(),
    }
}

/// One member's constraints as `key value (source)` items, read from the table.
fn member_items(m: &MemberConstraints) -> Vec<String> {
    let mut items = Vec::new();
    let mut add = |key: &str, value: String, source: constraints::Source| {
        items.push(format!("{key} {value} ({})", source.as_str()));
    };
    if let Some(s) = m.required {
        add("required", String::new(), s);
    }
    if let Some(l) = m.length {
        add("length", bounds_text(&l.value), l.source);
    }
    if let Some(r) = m.range {
        add("range", bounds_text(&r.value), r.source);
    }
    if let Some(p) = m.pattern {
        add("pattern", p.value.text.to_owned(), p.source);
    }
    if let Some(e) = m.enum_values {
        add("enum", e.value.join(" | "), e.source);
    }
    if let Some(d) = m.default {
        let value = match d.value {
            DefaultValue::Integer(n) => n.to_string(),
            DefaultValue::StringList(items) => format!("[{}]", items.join(", ")),
            DefaultValue::Boolean(b) => b.to_string(),
        };
        add("default", value, d.source);
    }
    if let Some(b) = m.max_bytes {
        add("maxBytes", b.value.to_string(), b.source);
    }
    if let Some(b) = m.key_length {
        add("keyLength", bounds_text(&b.value), b.source);
    }
    if let Some(b) = m.value_length {
        add("valueLength", bounds_text(&b.value), b.source);
    }
    if let Some(s) = m.unique_items {
        add("uniqueItems", String::new(), s);
    }
    items.iter_mut().for_each(|i| *i = i.replace("  (", " ("));
    items
}

/// The table as text, a line a member: `Shape.member: length 1..=128 (model), …`.
pub fn constraints_text() -> String {
    let rows: Vec<(String, String)> = constraints::all_members()
        .map(|m| {
            (
                format!("{}.{}", m.shape, m.member),
                member_items(m).join(", "),
            )
        })
        .collect();
    let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(name, items)| format!("{name:<width$}  {items}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_table() {
        let text = constraints_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), constraints::all_members().count());
        assert!(lines[0].starts_with("CreateParticipantTokenRequest.stageArn"));
        assert!(
            lines[0].contains("required (model), length 1..=128 (model), pattern ^arn:aws:ivs:"),
            "{}",
            lines[0]
        );
        assert!(
            text.contains("range 1..=20160 (model), default 720 (docs)"),
            "{text}"
        );
        assert!(text.contains("maxBytes 1024 (docs)"));
        assert!(!text.contains('{'), "no JSON fragments: {text}");
    }

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
