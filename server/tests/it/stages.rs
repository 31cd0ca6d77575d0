//! The stage lifecycle over HTTP: CreateStage with its tokens, a stage usable at once,
//! GetStage, ListStages page by page, DeleteStage then 404, the stage quota, and what a
//! reset restores.

use crate::common::{post, send, Answer};

use ivs_participant_token::token::{audit_response, decode};
use ivs_participant_token::{
    check_create_stage_response, CreateParticipantTokenRequest, CreateParticipantTokenResponse,
    ValidRequest,
};
use ivs_reference_server::{spawn, Quotas, ServerConfig};
use serde_json::json;

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn call(base: &str, operation: &str, body: serde_json::Value) -> Answer {
    let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    send(
        "POST",
        &format!("{base}/{operation}"),
        &headers,
        body.to_string().as_bytes(),
    )
}

fn server(stages_quota: Option<u64>) -> ivs_reference_server::RunningServer {
    spawn(ServerConfig {
        stages: vec![ARN.to_owned()],
        quotas: Quotas {
            stages: stages_quota,
            ..Quotas::default()
        },
        ..ServerConfig::default()
    })
    .unwrap()
}

#[test]
fn create_stage_issues_each_configured_token_in_order() {
    let server = server(None);
    let asked = json!({
        "name": "room-1",
        "tags": {"team": "blue"},
        "participantTokenConfigurations": [
            {"userId": "alice", "capabilities": ["PUBLISH"], "duration": 60},
            {"userId": "bob", "attributes": {"seat": "2"}},
        ],
    });
    let a = call(server.url(), "CreateStage", asked.clone());
    assert_eq!(a.status, 200, "{}", a.body);
    let checked = check_create_stage_response(a.body.as_bytes()).unwrap();
    assert!(checked.report.is_valid(), "{}", checked.report);
    let stage = checked.value.stage.unwrap();
    let arn = stage.arn.clone().unwrap();
    assert!(
        arn.starts_with("arn:aws:ivs:us-west-2:123456789012:stage/"),
        "{arn}"
    );
    assert_eq!(stage.name.as_deref(), Some("room-1"));
    assert_eq!(stage.tags.unwrap()["team"], "blue");
    let tokens = checked.value.participant_tokens.unwrap();
    assert_eq!(tokens.len(), 2);
    // Each token agrees with its configuration, as CreateParticipantToken's would.
    for (token, config) in tokens
        .iter()
        .zip(asked["participantTokenConfigurations"].as_array().unwrap())
    {
        let mut request = config.clone();
        request["stageArn"] = json!(arn);
        let request: CreateParticipantTokenRequest = serde_json::from_value(request).unwrap();
        let request = ValidRequest::new(request).unwrap();
        let response = CreateParticipantTokenResponse {
            participant_token: Some(token.clone()),
        };
        let audit = audit_response(Some(&request), &response);
        assert!(audit.is_clean(), "{audit:?}");
        let claims = decode(token.token.as_ref().unwrap().expose())
            .unwrap()
            .claims;
        assert_eq!(claims.resource.as_deref(), Some(arn.as_str()));
    }
    assert_eq!(tokens[0].user_id.as_deref(), Some("alice"));
    assert_eq!(tokens[1].duration, Some(720));
    // The new stage takes CreateParticipantToken at once, and GetStage finds it.
    let minted = post(server.url(), &json!({"stageArn": arn}).to_string());
    assert_eq!(minted.status, 200, "{}", minted.body);
    let got = call(server.url(), "GetStage", json!({"arn": arn}));
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["stage"]["name"], "room-1");
    // DeleteStage: then 404 for every operation on it.
    let deleted = call(server.url(), "DeleteStage", json!({"arn": arn}));
    assert_eq!((deleted.status, deleted.body.as_str()), (200, "{}"));
    for (status, answer) in [
        (
            404,
            post(server.url(), &json!({"stageArn": arn}).to_string()),
        ),
        (404, call(server.url(), "GetStage", json!({"arn": arn}))),
        (404, call(server.url(), "DeleteStage", json!({"arn": arn}))),
    ] {
        assert_eq!(answer.status, status, "{}", answer.body);
        assert_eq!(
            answer.header("x-amzn-ErrorType"),
            Some("ResourceNotFoundException")
        );
    }
}

#[test]
fn invalid_requests_get_the_cores_verdict() {
    let server = server(None);
    let configs: Vec<_> = (0..13).map(|_| json!({})).collect();
    let a = call(
        server.url(),
        "CreateStage",
        json!({"participantTokenConfigurations": configs}),
    );
    assert_eq!(a.status, 400);
    assert_eq!(a.header("x-amzn-ErrorType"), Some("ValidationException"));
    assert!(
        a.body.contains("participantTokenConfigurations"),
        "{}",
        a.body
    );
    let a = call(
        server.url(),
        "CreateStage",
        json!({"participantTokenConfigurations": [{"duration": 0}]}),
    );
    assert!(
        a.body
            .contains("participantTokenConfigurations.1.member.duration"),
        "{}",
        a.body
    );
    let a = call(server.url(), "GetStage", json!({}));
    assert_eq!(
        (a.status, a.header("x-amzn-ErrorType")),
        (400, Some("ValidationException"))
    );
    let a = call(server.url(), "ListStages", json!({"maxResults": 0}));
    assert_eq!(a.status, 400);
    let a = call(server.url(), "ListStages", json!({"nextToken": "%%"}));
    assert_eq!(a.status, 400);
    let a = send(
        "POST",
        &format!("{}/CreateStage", server.url()),
        &[("Content-Type".into(), "application/json".into())],
        b"{\"name\":1}",
    );
    assert_eq!(a.header("x-amzn-ErrorType"), Some("SerializationException"));
}

#[test]
fn list_stages_pages_through_every_stage_once() {
    let server = server(None);
    for i in 0..7 {
        let a = call(
            server.url(),
            "CreateStage",
            json!({"name": format!("s{i}")}),
        );
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut body = json!({"maxResults": 3});
        if let Some(t) = &token {
            body["nextToken"] = json!(t);
        }
        let page = call(server.url(), "ListStages", body).json();
        pages += 1;
        for s in page["stages"].as_array().unwrap() {
            seen.push(s["arn"].as_str().unwrap().to_owned());
        }
        match page["nextToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen.len(),
        8,
        "the configured stage and seven made: {seen:?}"
    );
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen);
}

#[test]
fn the_stage_quota_and_the_reset() {
    let server = server(Some(2));
    // The configured stage counts: one more fits.
    assert_eq!(call(server.url(), "CreateStage", json!({})).status, 200);
    let full = call(server.url(), "CreateStage", json!({}));
    assert_eq!(full.status, 402);
    assert_eq!(
        full.header("x-amzn-ErrorType"),
        Some("ServiceQuotaExceededException")
    );
    // DeleteStage of the configured stage, then a reset brings it back and clears the rest.
    assert_eq!(
        call(server.url(), "DeleteStage", json!({"arn": ARN})).status,
        200
    );
    assert_eq!(
        post(server.url(), &json!({"stageArn": ARN}).to_string()).status,
        404
    );
    let reset = send("POST", &format!("{}/_reset", server.url()), &[], b"");
    assert_eq!(reset.status, 200);
    assert_eq!(
        post(server.url(), &json!({"stageArn": ARN}).to_string()).status,
        200
    );
    let listed = call(server.url(), "ListStages", json!({})).json();
    assert_eq!(listed["stages"].as_array().unwrap().len(), 1);
    assert_eq!(listed["stages"][0]["arn"], ARN);
}
