//! JSON Schemas (draft 2020-12) of the request and response bodies, generated from the
//! constraint table, for tools that speak JSON Schema.
//!
//! They are as close to the core's rules as JSON Schema allows. What it cannot say is
//! left to the core and named in each schema's `$comment`: the attributes' byte limit
//! (stated in their own `$comment`, which JSON Schema tools keep as an annotation and
//! ajv's strict mode accepts; the OpenAPI document adds `x-maxUtf8Bytes`), duplicate member names, 32-bit integer
//! literals (`720.0` is an integer to JSON Schema), and RFC 3339 checking of
//! `expirationTime` (said in its `$comment`; the OpenAPI document adds `format:
//! date-time`). `null` is allowed where the core reads it as an absent member. Both
//! schemas compile with ajv 8 (2020-12) in its default strict mode, which refuses unknown
//! keywords and formats.
//!
//! ```
//! let schema = ivs_participant_token::schema::request_schema();
//! assert_eq!(schema["properties"]["duration"]["maximum"], 20160);
//! ```

use serde_json::{json, Map, Value};

use crate::constraints::{
    self, DefaultValue, MemberConstraints, WireType, PARTICIPANT_TOKEN_SHAPE, REQUEST_SHAPE,
};

const LIMITS: &str = "Generated from the ivs-participant-token constraint table. Not expressible here, and checked by the core only: the attributes' total UTF-8 byte limit (in their $comment), duplicate member names, integers written with a fraction or exponent, and RFC 3339 parsing of timestamps.";

fn member_schema(m: &MemberConstraints) -> Value {
    let mut s = Map::new();
    let ty = match m.wire_type {
        WireType::String | WireType::Timestamp => "string",
        WireType::Integer | WireType::Long => "integer",
        WireType::Object => "object",
        WireType::StringList | WireType::ObjectList => "array",
        WireType::StringMap => "object",
        WireType::Boolean => "boolean",
    };
    // The core reads null as absence, except for a required member.
    if m.required.is_some() {
        s.insert("type".into(), json!(ty));
    } else {
        s.insert("type".into(), json!([ty, "null"]));
    }
    if let Some(len) = m.length {
        let (min_key, max_key) = match m.wire_type {
            WireType::StringList | WireType::ObjectList => ("minItems", "maxItems"),
            WireType::StringMap => ("minProperties", "maxProperties"),
            _ => ("minLength", "maxLength"),
        };
        if let Some(min) = len.value.min {
            s.insert(min_key.into(), json!(min));
        }
        if let Some(max) = len.value.max {
            s.insert(max_key.into(), json!(max));
        }
    }
    if let Some(range) = m.range {
        if let Some(min) = range.value.min {
            s.insert("minimum".into(), json!(min));
        }
        if let Some(max) = range.value.max {
            s.insert("maximum".into(), json!(max));
        }
    }
    if let Some(p) = m.pattern {
        s.insert("pattern".into(), json!(p.value.text));
    }
    match m.wire_type {
        WireType::StringList => {
            let items = match m.enum_values {
                Some(e) => json!({ "type": "string", "enum": e.value }),
                None => json!({ "type": "string" }),
            };
            s.insert("items".into(), items);
        }
        WireType::StringMap => {
            let mut value = json!({ "type": "string" });
            if let Some(b) = m.value_length {
                bounds_into(&mut value, b.value, "minLength", "maxLength");
            }
            s.insert("additionalProperties".into(), value);
            if let Some(b) = m.key_length {
                let mut names = json!({});
                bounds_into(&mut names, b.value, "minLength", "maxLength");
                s.insert("propertyNames".into(), names);
            }
        }
        WireType::Timestamp => {
            // Not `format: date-time`: ajv compiles an unknown format as an error unless
            // ajv-formats is added, and `format` is only an annotation in 2020-12 anyway.
            // The OpenAPI document has it.
            s.insert("$comment".into(), json!("An RFC 3339 date-time."));
        }
        _ => {}
    }
    if let Some(b) = m.max_bytes {
        // Not a JSON Schema keyword, and ajv's strict mode refuses unknown ones: said in a
        // comment here, as `x-maxUtf8Bytes` in the OpenAPI document.
        s.insert(
            "$comment".into(),
            json!(format!(
                "At most {} UTF-8 bytes: every key and value, added up.",
                b.value
            )),
        );
    }
    if let Some(d) = m.default {
        let v = match d.value {
            DefaultValue::Integer(n) => json!(n),
            DefaultValue::StringList(items) => json!(items),
            DefaultValue::Boolean(b) => json!(b),
        };
        s.insert("default".into(), v);
    }
    if m.sensitive {
        s.insert("writeOnly".into(), json!(true));
    }
    Value::Object(s)
}

fn bounds_into(v: &mut Value, b: constraints::Bounds, min_key: &str, max_key: &str) {
    if let Some(min) = b.min {
        v[min_key] = json!(min);
    }
    if let Some(max) = b.max {
        v[max_key] = json!(max);
    }
}

fn object_schema(members: &[MemberConstraints]) -> Value {
    let properties: Map<String, Value> = members
        .iter()
        .map(|m| (m.member.to_owned(), member_schema(m)))
        .collect();
    let required: Vec<&str> = members
        .iter()
        .filter(|m| m.required.is_some())
        .map(|m| m.member)
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
    })
}

/// The schema of a CreateParticipantToken request body.
pub fn request_schema() -> Value {
    let mut s = object_schema(&constraints::REQUEST);
    s["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    s["title"] = json!(REQUEST_SHAPE);
    s["$comment"] = json!(LIMITS);
    s
}

/// The schema of a CreateParticipantToken response body.
pub fn response_schema() -> Value {
    let token = object_schema(&constraints::PARTICIPANT_TOKEN);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CreateParticipantTokenResponse",
        "$comment": LIMITS,
        "type": "object",
        "properties": { "participantToken": token },
        "required": ["participantToken"],
        "$defs": { PARTICIPANT_TOKEN_SHAPE: token },
    })
}
