//! The embedded reference server: the default target of `run`, with one more server
//! for each precondition the cases name.

use std::collections::BTreeMap;
use std::time::Duration;

use ivs_reference_server::{spawn, AccessKey, Quotas, RunningServer, ServerConfig};

use crate::auth::Signer;
use crate::target::http::HttpTarget;
use crate::target::transport::Endpoint;

/// The ARN of no stage on the embedded servers (`{{unknownStageArn}}`).
pub const UNKNOWN_STAGE_ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/noSuchStage";

/// The reference server with one more server for each precondition: pending
/// verification, an exhausted quota, and a caller whose key may not act on the stage.
#[derive(Debug)]
pub struct Embedded {
    /// The target the cases run against.
    pub target: HttpTarget,
    servers: Vec<RunningServer>,
}

impl Embedded {
    /// Starts the servers on loopback ports.
    pub fn start(timeout: Duration) -> std::io::Result<Embedded> {
        let stage = ivs_reference_server::DEFAULT_STAGE.to_owned();
        let base = || ServerConfig {
            stages: vec![stage.clone()],
            ..ServerConfig::default()
        };
        let main = spawn(base())?;
        let pending = spawn(ServerConfig {
            pending_verification: true,
            ..base()
        })?;
        let quota = spawn(ServerConfig {
            quotas: Quotas {
                tokens_per_stage: Some(0),
                requests_per_second: None,
                ..Quotas::default()
            },
            ..base()
        })?;
        let denied_key = AccessKey {
            access_key_id: "AKIDCONFORMANCE".into(),
            secret_access_key: "conformance-secret".into(),
            allowed_stages: Some(vec![]),
        };
        let denied = spawn(ServerConfig {
            access_keys: Some(vec![denied_key.clone()]),
            ..base()
        })?;
        let vars = BTreeMap::from([
            ("stageArn".to_owned(), stage.clone()),
            ("unknownStageArn".to_owned(), UNKNOWN_STAGE_ARN.to_owned()),
        ]);
        let plain = |s: &RunningServer| Endpoint::plain(s.url());
        let region = ivs_participant_token::StageArn::parse(&stage)
            .map(|a| a.region().to_owned())
            .unwrap_or_default();
        let target = HttpTarget::new(plain(&main), vars, timeout)
            .with_precondition("pending-verification", plain(&pending))
            .with_precondition("quota-exceeded", plain(&quota))
            .with_precondition(
                "access-denied",
                Endpoint {
                    url: denied.url().to_owned(),
                    signer: Some(Signer::new(
                        &denied_key.access_key_id,
                        &denied_key.secret_access_key,
                        &region,
                    )),
                },
            )
            .named(&format!("embedded reference server at {}", main.url()));
        Ok(Embedded {
            target,
            servers: vec![main, pending, quota, denied],
        })
    }

    /// The main server's URL.
    pub fn url(&self) -> &str {
        self.servers[0].url()
    }

    /// A target like [`Embedded::target`], with a fresh participant-id record; the
    /// servers live as long as `self`.
    pub fn target_clone(&self) -> HttpTarget {
        self.target.fresh()
    }
}
