//! An invalid CreateParticipantToken call stopped before it is sent, with every
//! violation. Runs without AWS credentials or network: nothing is sent.
//!
//! `cargo run -p ivs-participant-token-aws-sdk --example validate_before_send`

use aws_sdk_ivsrealtime::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ivsrealtime::types::ParticipantTokenCapability;
use ivs_participant_token_aws_sdk::{rejection, ValidateBeforeSend};

#[tokio::main]
async fn main() {
    let config = aws_sdk_ivsrealtime::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new(
            "example", "example", None, None, "example",
        ))
        .interceptor(ValidateBeforeSend::new()) // the one line
        .build();
    let client = aws_sdk_ivsrealtime::Client::from_conf(config);

    let err = client
        .create_participant_token()
        .stage_arn("arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234")
        .duration(20_161)
        .capabilities(ParticipantTokenCapability::Publish)
        .capabilities(ParticipantTokenCapability::Subscribe)
        .capabilities(ParticipantTokenCapability::Publish)
        .send()
        .await
        .expect_err("an invalid call never succeeds");
    let rejected = rejection(&err).expect("stopped by the interceptor");
    // The message AWS would send, then where each violation is and what it breaks: each
    // violation is worded once, in the live-AWS form.
    let mut text = format!("{rejected}\n");
    for v in rejected.violations() {
        text.push_str(&format!("  {}  {}\n", v.path, v.constraint.kind()));
    }
    print!("{text}");
    assert_eq!(rejected.violations().len(), 2);
    for v in rejected.violations() {
        assert_eq!(text.matches(&v.aws_rule()).count(), 1, "{}", v.path);
        assert!(
            !text.contains(&v.message()),
            "a second wording of {}",
            v.path
        );
    }
}
