//! The interceptor on a real aws-sdk-ivsrealtime client: invalid input never leaves the
//! process and comes back with every violation; valid input gets its token from the
//! reference server; a non-conforming response fails only when responses are checked.

use std::io::{Read, Write};
use std::net::TcpListener;

use aws_sdk_ivsrealtime::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ivsrealtime::error::SdkError;
use aws_sdk_ivsrealtime::types::ParticipantTokenCapability as Cap;
use aws_sdk_ivsrealtime::Client;
use ivs_participant_token_aws_sdk::{check_serialized, rejection, Rejected, ValidateBeforeSend};

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn client(endpoint: &str, interceptor: ValidateBeforeSend) -> Client {
    let config = aws_sdk_ivsrealtime::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .interceptor(interceptor)
        .build();
    Client::from_conf(config)
}

/// A listener that nobody should reach: the calls under test must fail before sending.
fn nobody() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

fn assert_unreached(listener: &TcpListener) {
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the request reached the network: {other:?}"),
    }
}

#[tokio::test]
async fn invalid_input_fails_locally_with_every_violation() {
    let (listener, url) = nobody();
    let c = client(&url, ValidateBeforeSend::new());
    let big = "x".repeat(2048);
    let err = c
        .create_participant_token()
        .stage_arn(ARN)
        .duration(20_161)
        .capabilities(Cap::Publish)
        .capabilities(Cap::Subscribe)
        .capabilities(Cap::Publish)
        .attributes("k", big)
        .send()
        .await
        .expect_err("refused before sending");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let rejected = rejection(&err).expect("the report is in the source chain");
    assert!(matches!(rejected, Rejected::Input(_)));
    let paths: Vec<&str> = rejected
        .violations()
        .iter()
        .map(|v| v.path.as_str())
        .collect();
    assert_eq!(paths, ["/duration", "/attributes", "/capabilities"]);
    let text = rejected.to_string();
    assert!(
        text.starts_with("CreateParticipantToken was not sent: 3 validation errors"),
        "{text}"
    );
    assert_unreached(&listener);
}

#[tokio::test]
async fn an_invalid_create_stage_fails_locally_with_every_violation() {
    use aws_sdk_ivsrealtime::types::ParticipantTokenConfiguration as Config;
    let (listener, url) = nobody();
    let c = client(&url, ValidateBeforeSend::new());
    let err = c
        .create_stage()
        .name("my room")
        .participant_token_configurations(Config::builder().build())
        .participant_token_configurations(
            Config::builder()
                .duration(0)
                .capabilities(Cap::from("ADMIN"))
                .build(),
        )
        .send()
        .await
        .expect_err("refused before sending");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let rejected = rejection(&err).expect("the report is in the source chain");
    assert!(matches!(rejected, Rejected::StageInput(_)));
    let paths: Vec<&str> = rejected
        .violations()
        .iter()
        .map(|v| v.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "/name",
            "/participantTokenConfigurations/1/duration",
            "/participantTokenConfigurations/1/capabilities/0"
        ]
    );
    assert!(rejected
        .to_string()
        .starts_with("CreateStage was not sent: 3 validation errors"));
    assert_unreached(&listener);
}

#[tokio::test]
async fn a_valid_create_stage_reaches_the_reference_server() {
    use aws_sdk_ivsrealtime::types::ParticipantTokenConfiguration as Config;
    let server = ivs_reference_server::spawn(ivs_reference_server::ServerConfig::default())
        .expect("the server starts");
    let c = client(server.url(), ValidateBeforeSend::new());
    let out = c
        .create_stage()
        .name("room-1")
        .participant_token_configurations(Config::builder().user_id("alice").build())
        .send()
        .await
        .expect("a stage");
    assert_eq!(out.stage().and_then(|s| s.name()), Some("room-1"));
    assert_eq!(out.participant_tokens()[0].user_id(), Some("alice"));
    server.shutdown();
}

#[tokio::test]
async fn a_missing_stage_arn_the_builder_accepts_is_refused() {
    let (listener, url) = nobody();
    let c = client(&url, ValidateBeforeSend::new());
    let err = c.create_participant_token().send().await.unwrap_err();
    let rejected = rejection(&err).unwrap();
    assert_eq!(rejected.violations()[0].path, "/stageArn");
    assert_eq!(rejected.violations()[0].constraint.kind(), "required");
    assert_unreached(&listener);
}

#[tokio::test]
async fn valid_input_gets_its_token_from_the_reference_server() {
    let server = ivs_reference_server::spawn(ivs_reference_server::ServerConfig::default())
        .expect("the server starts");
    let c = client(
        server.url(),
        ValidateBeforeSend::new().check_responses(true),
    );
    // Empty capabilities are legal (they grant nothing) and must not be read as absent.
    let out = c
        .create_participant_token()
        .stage_arn(ARN)
        .set_capabilities(Some(vec![]))
        .user_id("alice")
        .send()
        .await
        .expect("a token");
    let token = out.participant_token().unwrap();
    assert_eq!(token.capabilities(), &[] as &[Cap]);
    assert_eq!(token.user_id(), Some("alice"));
    server.shutdown();
}

/// A server that answers every request with `body` and status 200, counting requests.
fn fixed_server(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 8192];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[tokio::test]
async fn a_non_conforming_response_fails_only_when_responses_are_checked() {
    // No expirationTime, and a token that is not a JWT.
    let url = fixed_server(r#"{"participantToken":{"participantId":"p","token":"not-a-jwt"}}"#);
    let lenient = client(&url, ValidateBeforeSend::new());
    lenient
        .create_participant_token()
        .stage_arn(ARN)
        .send()
        .await
        .expect("requests only: the response passes");
    let strict = client(&url, ValidateBeforeSend::new().check_responses(true));
    let err = strict
        .create_participant_token()
        .stage_arn(ARN)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    let rejected = rejection(&err).expect("the report is in the source chain");
    // Ours never carries the token. (The SDK's own `Debug` of a ResponseError prints the
    // raw HTTP response, body included: that is the SDK's, not this crate's.)
    assert!(!format!("{rejected:?} {rejected}").contains("not-a-jwt"));
    let Rejected::Response { report, token, .. } = rejected else {
        panic!("{rejected:?}");
    };
    assert!(report
        .violations
        .iter()
        .any(|v| v.path == "/participantToken/expirationTime"));
    assert!(token.is_some());
}

#[test]
fn the_serialized_body_check_reads_the_bytes_strictly() {
    assert!(check_serialized(format!(r#"{{"stageArn":"{ARN}"}}"#).as_bytes()).is_ok());
    let dup = check_serialized(format!(r#"{{"stageArn":"{ARN}","stageArn":"{ARN}"}}"#).as_bytes());
    assert!(matches!(dup.map_err(|e| *e), Err(Rejected::Body(_))));
    let Err(e) = check_serialized(b"{\"duration\":0}") else {
        panic!()
    };
    assert_eq!(
        e.violations().len(),
        2,
        "stageArn missing, duration out of range"
    );
}

/// The README's first use is the runnable example, verbatim (CI runs the example).
#[test]
fn the_readmes_first_use_is_the_example() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let Ok(example) = std::fs::read_to_string(dir.join("examples/validate_before_send.rs")) else {
        eprintln!("skipped: the example is not in this package");
        return;
    };
    let start = readme.find("```rust,ignore\n").expect("a rust block") + "```rust,ignore\n".len();
    let block = &readme[start..start + readme[start..].find("```").unwrap()];
    let code = &example[example.find("use aws_sdk_ivsrealtime").unwrap()..];
    assert_eq!(block.trim_end(), code.trim_end());
}

/// The conversions between the SDK's types and the core's, both ways.
mod conversions {
    use ivs_participant_token::*;
    use ivs_participant_token_aws_sdk::convert::*;

    #[test]
    fn absent_and_empty_capabilities_stay_apart_both_ways() {
        for caps in [None, Some(vec![]), Some(vec![Capability::Publish])] {
            let request = CreateParticipantTokenRequest {
                capabilities: caps.clone(),
                ..CreateParticipantTokenRequest::new("arn:aws:ivs:us-west-2:1:stage/a")
            };
            let input = input_from_request(&request).unwrap();
            assert_eq!(request_from_input(&input), request);
            assert_eq!(input.capabilities.is_none(), caps.is_none());
        }
    }

    #[test]
    fn every_member_survives_the_round_trip() {
        let request = CreateParticipantTokenRequest {
            stage_arn: Some("arn:aws:ivs:us-west-2:1:stage/a".into()),
            duration: Some(20_161),
            user_id: Some("alice".into()),
            attributes: Some([("k".to_owned(), "v".to_owned())].into()),
            capabilities: Some(vec![
                Capability::Subscribe,
                Capability::Unknown("ADMIN".into()),
            ]),
        };
        let input = input_from_request(&request).unwrap();
        assert_eq!(request_from_input(&input), request);

        let response = CreateParticipantTokenResponse {
            participant_token: Some(ParticipantToken {
                participant_id: Some("p".into()),
                token: Some(Token::new("a.b.c")),
                user_id: Some("alice".into()),
                attributes: Some([("k".to_owned(), "v".to_owned())].into()),
                duration: Some(60),
                capabilities: Some(vec![]),
                expiration_time: Timestamp::from_unix(1_700_000_000, 5),
            }),
        };
        assert_eq!(
            response_from_output(&output_from_response(&response)),
            response
        );
    }
}
