//! The AWS SDK for Rust (aws-sdk-ivsrealtime) against the reference server, with an
//! endpoint override and SigV4 credentials.

use aws_sdk_ivsrealtime::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ivsrealtime::types::ParticipantTokenCapability;
use aws_sdk_ivsrealtime::Client;
use ivs_participant_token::token::verify;

mod common;

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
