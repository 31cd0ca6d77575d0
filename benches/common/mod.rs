//! What the benches share: the bodies they read and the baselines' plain shapes.

#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::Deserialize;

pub const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

/// The baseline's shape: the same members, no validation, no strictness.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainRequest {
    stage_arn: Option<String>,
    duration: Option<i32>,
    user_id: Option<String>,
    attributes: Option<BTreeMap<String, String>>,
    capabilities: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainToken {
    participant_id: Option<String>,
    token: Option<String>,
    user_id: Option<String>,
    attributes: Option<BTreeMap<String, String>>,
    duration: Option<i32>,
    capabilities: Option<Vec<String>>,
    expiration_time: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainResponse {
    participant_token: Option<PlainToken>,
}

pub fn typical() -> String {
    format!(
        r#"{{"stageArn":"{ARN}","duration":60,"userId":"alice","attributes":{{"displayName":"Alice"}},"capabilities":["PUBLISH","SUBSCRIBE"]}}"#
    )
}

pub fn maximal() -> String {
    let arn = format!("{ARN}{}", "a".repeat(128 - ARN.len()));
    format!(
        r#"{{"stageArn":"{arn}","duration":20160,"userId":"{}","attributes":{{"k":"{}"}},"capabilities":["PUBLISH","SUBSCRIBE"]}}"#,
        "😀".repeat(128),
        "é".repeat(511) + "a"
    )
}

pub fn invalid() -> String {
    format!(
        r#"{{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/a_b","duration":0,"userId":"{}","capabilities":["PUBLISH","SUBSCRIBE","ADMIN"]}}"#,
        "u".repeat(129)
    )
}

pub fn response() -> String {
    r#"{"participantToken":{"participantId":"AbCdEfGh1234","token":"eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjE3OTU1MDM4NzF9.c2lnbmF0dXJl","userId":"alice","attributes":{"displayName":"Alice"},"duration":720,"capabilities":["PUBLISH","SUBSCRIBE"],"expirationTime":"2026-11-24T07:04:31Z"}}"#.to_owned()
}
