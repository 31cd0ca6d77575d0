//! An OpenAPI 3.1 document of CreateParticipantToken, generated from the core's constraint
//! table and error table and the reference server's own error answers: nothing in it is
//! written twice.
//!
//! It differs from the one public OpenAPI of this service (APIs-guru's, converted from
//! aws-sdk-js v2, which files the errors under made-up statuses 480 to 484): every error is
//! under its real status (`@httpError` in the Smithy model), with its `X-Amzn-Errortype`
//! header and `exceptionMessage` body, and the security scheme is SigV4 as smithy-openapi
//! writes it (`AwsV4Converter`: an `apiKey` in the `Authorization` header with
//! `x-amazon-apigateway-authtype: awsSigv4`).
//!
//! The request schema is the `schema` command's, which has no `additionalProperties:
//! false`: restJson1 servers ignore unknown members. What JSON Schema cannot say (the
//! attributes' 1 KB total) is an `x-` extension, checked by the core.

use ivs_participant_token::constraints::{self, ERRORS};
use ivs_participant_token::schema::{request_schema, response_schema};
use ivs_reference_server::app::UNSUPPORTED_MEDIA_TYPE;
use ivs_reference_server::limits::BODY_TOO_LARGE;
use ivs_reference_server::sigv4::AUTH_ERROR_TYPES;
use serde_json::{json, Map, Value};

/// The operation's path and name.
pub const OPERATION: &str = "CreateParticipantToken";

use ivs_participant_token::constraints::API_VERSION;

/// The name smithy-openapi gives the SigV4 scheme (the trait `aws.auth#sigv4`).
pub const SIGV4_SCHEME: &str = "aws.auth.sigv4";

/// The error types answered under one status, and where each comes from.
struct StatusErrors {
    status: u16,
    types: Vec<(&'static str, &'static str)>,
}

/// Every error the operation answers, grouped by status in ascending order: the core's
/// error table, the front door's authentication errors (403), and the server's 413 and
/// 415 answers.
fn errors_by_status() -> Vec<StatusErrors> {
    let mut all: Vec<(u16, &'static str, &'static str)> = ERRORS
        .iter()
        .map(|e| (e.status, e.name, e.meaning))
        .collect();
    all.extend(AUTH_ERROR_TYPES.iter().map(|t| {
        (
            403,
            *t,
            "AWS's front door refused the request's SigV4 authentication",
        )
    }));
    all.push((
        BODY_TOO_LARGE.1,
        BODY_TOO_LARGE.0,
        "the body is larger than the server accepts",
    ));
    all.push((
        UNSUPPORTED_MEDIA_TYPE.1,
        UNSUPPORTED_MEDIA_TYPE.0,
        "the body was not sent as application/json",
    ));
    all.sort_by_key(|(status, _, _)| *status);
    let mut out: Vec<StatusErrors> = Vec::new();
    for (status, name, meaning) in all {
        match out.last_mut() {
            Some(group) if group.status == status => group.types.push((name, meaning)),
            _ => out.push(StatusErrors {
                status,
                types: vec![(name, meaning)],
            }),
        }
    }
    out
}

/// A schema without the keywords that only a top-level JSON Schema document carries.
fn component(mut schema: Value) -> Value {
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    schema
}

/// What OpenAPI tools read and the JSON Schemas leave to comments (ajv's strict mode
/// refuses both): `x-maxUtf8Bytes` on a member with a byte limit, and `format: date-time`
/// on a timestamp, from the table, on each member of `object`'s properties.
fn add_openapi_keywords(object: &mut Value, table: &[constraints::MemberConstraints]) {
    for m in table {
        let Some(member) = object["properties"]
            .get_mut(m.member)
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if let Some(b) = m.max_bytes {
            member.insert("x-maxUtf8Bytes".into(), json!(b.value));
        }
        if m.wire_type == constraints::WireType::Timestamp {
            member.insert("format".into(), json!("date-time"));
        }
    }
}

fn request_component() -> Value {
    let mut schema = component(request_schema());
    add_openapi_keywords(&mut schema, &constraints::REQUEST);
    schema
}

/// The response schema, with the token's `@sensitive` written as smithy-openapi writes it
/// for a string (`format: password`) rather than `writeOnly`, which in a response would
/// say the member is never sent.
fn response_component() -> Value {
    let mut schema = component(response_schema());
    let fix = |token: &mut Value| {
        let Some(props) = token.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for member in props.values_mut() {
            if let Some(m) = member.as_object_mut() {
                if m.remove("writeOnly").is_some() {
                    m.insert("format".into(), json!("password"));
                }
            }
        }
    };
    fix(&mut schema["properties"]["participantToken"]);
    fix(&mut schema["$defs"][constraints::PARTICIPANT_TOKEN_SHAPE]);
    add_openapi_keywords(
        &mut schema["properties"]["participantToken"],
        &constraints::PARTICIPANT_TOKEN,
    );
    add_openapi_keywords(
        &mut schema["$defs"][constraints::PARTICIPANT_TOKEN_SHAPE],
        &constraints::PARTICIPANT_TOKEN,
    );
    schema
}

/// The `X-Amzn-Errortype` values of one status: the names, optionally after a Smithy
/// namespace and `#`, optionally followed by `:` and more, as AWS's front ends send them
/// and as restJson1 clients sanitise them.
fn error_type_pattern(types: &[(&str, &str)]) -> String {
    let names: Vec<&str> = types.iter().map(|(n, _)| *n).collect();
    format!("^([^#:]*#)?({})(:.*)?$", names.join("|"))
}

fn error_response(group: &StatusErrors) -> Value {
    let described: Vec<String> = group
        .types
        .iter()
        .map(|(name, meaning)| format!("`{name}`: {meaning}"))
        .collect();
    json!({
        "description": described.join("; "),
        "headers": {
            "X-Amzn-Errortype": {
                "description": "The error type (restJson1).",
                "required": true,
                "schema": { "type": "string", "pattern": error_type_pattern(&group.types) },
            },
            "x-amzn-RequestId": { "$ref": "#/components/headers/RequestId" },
        },
        "content": {
            "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } },
        },
    })
}

/// The document, with `server_url` (the reference server's, by default) in `servers`.
pub fn openapi_document(server_url: &str) -> Value {
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({
            "description": "The participant token.",
            "headers": { "x-amzn-RequestId": { "$ref": "#/components/headers/RequestId" } },
            "content": {
                "application/json": {
                    "schema": { "$ref": "#/components/schemas/CreateParticipantTokenResponse" }
                }
            },
        }),
    );
    for group in errors_by_status() {
        responses.insert(group.status.to_string(), error_response(&group));
    }
    let max_bytes = constraints::REQUEST
        .iter()
        .filter_map(|m| m.max_bytes.map(|b| (m.member, b.value)))
        .map(|(member, bytes)| json!({ "member": member, "maxUtf8Bytes": bytes }))
        .collect::<Vec<_>>();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Amazon IVS Real-Time: CreateParticipantToken",
            "version": API_VERSION,
            "description": "Generated by ivs-conformance from its constraint table. Errors \
                are under their real HTTP statuses; unknown request members are ignored.",
            "license": { "name": "Apache-2.0", "identifier": "Apache-2.0" },
        },
        "servers": [
            { "url": server_url, "description": "the ivs-conformance reference server" }
        ],
        "security": [ { SIGV4_SCHEME: [] } ],
        "paths": {
            format!("/{OPERATION}"): {
                "post": {
                    "operationId": OPERATION,
                    "summary": "Creates an additional token for a specified stage.",
                    "requestBody": {
                        "required": true,
                        "content": {
                            "application/json": {
                                "schema": { "$ref": "#/components/schemas/CreateParticipantTokenRequest" }
                            }
                        }
                    },
                    "x-constraints-checked-by-the-core": max_bytes,
                    "responses": responses,
                }
            }
        },
        "components": {
            "schemas": {
                "CreateParticipantTokenRequest": request_component(),
                "CreateParticipantTokenResponse": response_component(),
                "ErrorBody": {
                    "type": "object",
                    "properties": { "exceptionMessage": { "type": "string" } },
                },
            },
            "headers": {
                "RequestId": {
                    "description": "The request's id.",
                    "schema": { "type": "string" },
                }
            },
            "securitySchemes": {
                SIGV4_SCHEME: {
                    "type": "apiKey",
                    "description": "AWS Signature Version 4 authentication",
                    "name": "Authorization",
                    "in": "header",
                    "x-amazon-apigateway-authtype": "awsSigv4",
                }
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_real_and_every_modeled_error_is_under_its_own() {
        let doc = openapi_document("http://localhost:4566");
        let responses = &doc["paths"]["/CreateParticipantToken"]["post"]["responses"];
        let statuses: Vec<&String> = responses.as_object().unwrap().keys().collect();
        assert_eq!(
            statuses,
            ["200", "400", "402", "403", "404", "413", "415"],
            "no made-up 48x"
        );
        for e in &ERRORS {
            let pattern = responses[e.status.to_string()]["headers"]["X-Amzn-Errortype"]["schema"]
                ["pattern"]
                .as_str()
                .unwrap();
            assert!(
                pattern.contains(e.name),
                "{} not under {}",
                e.name,
                e.status
            );
        }
        let request = &doc["components"]["schemas"]["CreateParticipantTokenRequest"];
        assert!(request.get("additionalProperties").is_none());
        assert_eq!(request["properties"]["attributes"]["x-maxUtf8Bytes"], 1024);
    }

    #[test]
    fn the_error_type_pattern_reads_what_aws_sends() {
        let p = error_type_pattern(&[("ValidationException", ""), ("SerializationException", "")]);
        let re = regex_lite(&p);
        for ok in [
            "ValidationException",
            "aws.protocoltests#ValidationException",
            "ValidationException:http://internal.amazon.com/coral/com.amazon.x/",
            "SerializationException",
        ] {
            assert!(re(ok), "{ok}");
        }
        for bad in ["ValidationExceptionX", "AccessDeniedException", ""] {
            assert!(!re(bad), "{bad}");
        }
    }

    /// Checks `text` against `pattern` with the jsonschema crate's regex engine.
    fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool {
        let validator =
            jsonschema::validator_for(&json!({ "type": "string", "pattern": pattern })).unwrap();
        move |text| validator.is_valid(&json!(text))
    }
}
