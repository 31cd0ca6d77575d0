//! The AWS SDK for Rust (aws-sdk-ivsrealtime) against the reference server, with an
//! endpoint override and SigV4 credentials.

use aws_sdk_ivsrealtime::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ivsrealtime::types::ParticipantTokenCapability;
use aws_sdk_ivsrealtime::Client;
use ivs_participant_token::token::verify;

use crate::common;

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

fn client(url: &str, secret: &str) -> Client {
    let config = aws_sdk_ivsrealtime::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new("AKIDEXAMPLE", secret, None, None, "test"))
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn the_rust_sdk_gets_tokens_and_typed_errors() {
    let server = common::signing_server(ARN, "AKIDEXAMPLE", "secret");
    let c = client(server.url(), "secret");

    let out = c
        .create_participant_token()
        .stage_arn(ARN)
        .user_id("alice")
        .duration(60)
        .capabilities(ParticipantTokenCapability::Subscribe)
        .send()
        .await
        .expect("a token");
    let t = out.participant_token.expect("participantToken");
    assert_eq!(t.user_id.as_deref(), Some("alice"));
    assert_eq!(t.duration, Some(60));
    assert_eq!(
        t.capabilities,
        Some(vec![ParticipantTokenCapability::Subscribe])
    );
    assert!(t.expiration_time.is_some());
    // The SDK redacts the token in Debug, as the model's @sensitive asks.
    assert!(!format!("{t:?}").contains(t.token.as_deref().unwrap()));
    let now = ivs_participant_token::token::unix_now();
    // The key the server publishes, fetched as a client would.
    let pem = ureq::get(format!("{}/public-key.pem", server.url()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let published = ivs_participant_token::token::PublicKey::from_pem(&pem).unwrap();
    assert_eq!(published, server.public_key());
    let decoded = verify(t.token.as_deref().unwrap(), &published, now).unwrap();
    assert_eq!(decoded.claims.jti, t.participant_id);

    let err = c
        .create_participant_token()
        .stage_arn(ARN)
        .duration(0)
        .send()
        .await
        .unwrap_err();
    // The model's error member is exceptionMessage: the SDK reads it into the typed
    // error, while the generic `meta().message()` (which looks for `message`) stays empty.
    let aws_sdk_ivsrealtime::operation::create_participant_token::CreateParticipantTokenError::ValidationException(v) =
        err.into_service_error()
    else {
        panic!("not a ValidationException")
    };
    assert!(
        v.exception_message().unwrap_or("").contains("'duration'"),
        "{v:?}"
    );

    let err = c
        .create_participant_token()
        .stage_arn("arn:aws:ivs:us-west-2:123456789012:stage/nope")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_resource_not_found_exception());

    let wrong = client(server.url(), "not-the-secret");
    let err = wrong
        .create_participant_token()
        .stage_arn(ARN)
        .send()
        .await
        .unwrap_err();
    let e = err.into_service_error();
    assert_eq!(e.meta().code(), Some("InvalidSignatureException"), "{e:?}");
}

/// README's aws-sdk-rust snippet ("Use it as a local emulator"), as written there but for
/// the endpoint, which is the test server's. `the_readme_rust_snippet_is_this_one` keeps
/// the two equal.
async fn readme_snippet(endpoint: &str) -> Result<String, Box<dyn std::error::Error>> {
    // snippet-start
    use aws_sdk_ivsrealtime::config::{Credentials, Region};

    let config = aws_sdk_ivsrealtime::Config::builder()
        .behavior_version_latest()
        .endpoint_url(endpoint)
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("test", "test", None, None, "local"))
        .build();
    let client = aws_sdk_ivsrealtime::Client::from_conf(config);
    let out = client
        .create_participant_token()
        .stage_arn("arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234")
        .user_id("alice")
        .send()
        .await?;
    let token = out.participant_token().expect("a token");
    println!("{}", token.participant_id().unwrap_or_default());
    // snippet-end
    Ok(token.participant_id().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn the_readme_rust_snippet_gets_a_token_from_the_default_server() {
    // The default configuration: no stage given, so the README's stage exists.
    let server = ivs_reference_server::spawn(ivs_reference_server::ServerConfig::default())
        .expect("the server starts");
    let id = readme_snippet(server.url()).await.expect("a token");
    assert_eq!(id.len(), 12, "{id}");
    server.shutdown();
}

#[test]
fn the_readme_rust_snippet_is_this_one() {
    let source = include_str!("rust_sdk.rs");
    let start = source.find("// snippet-start\n").unwrap() + "// snippet-start\n".len();
    let end = source.find("    // snippet-end").unwrap();
    let here: String = source[start..end]
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            ".endpoint_url(endpoint)",
            ".endpoint_url(\"http://localhost:4566\")",
        );
    let readme = include_str!("../../../README.md");
    let marker = "<!-- snippet: rust -->\n```rust\n";
    let at = readme.find(marker).expect("README has the rust snippet") + marker.len();
    let block = &readme[at..at + readme[at..].find("```").unwrap()];
    assert_eq!(block.trim_end(), here.trim_end());
}
