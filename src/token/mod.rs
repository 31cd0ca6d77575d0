//! Participant tokens: the JWT inside a `ParticipantToken` (feature `token`, on by default).
//!
//! IVS participant tokens are JWTs. Those the API issues carry `alg: KMS`; an application
//! may also mint its own, **self-signed** with an imported P-384 key (`alg: ES384`,
//! `kid` = the public key's ARN). This module gives both directions, offline:
//!
//! - [`Claims`] and [`Header`], validated like every other shape against the
//!   constraint table ([`crate::constraints::CLAIMS`], [`crate::constraints::KID`]);
//! - [`mint`]: a self-signed token for a [`ValidRequest`](crate::ValidRequest), returned as the same
//!   [`ParticipantToken`](crate::ParticipantToken) CreateParticipantToken returns;
//! - [`decode`]: header and claims without verification (for inspection; trusts nothing);
//! - [`verify`]: an ES384 signature against a public key, and expiry against a clock;
//! - [`inconsistencies`]: a request, the token issued for it and its claims agree.
//!
//! The model says to treat tokens as opaque: their format may change. This module
//! follows the IVS User Guide's description as of this writing.
//!
//! ```
//! use ivs_participant_token::token::{mint, verify, inconsistencies, MintParams, PrivateKey};
//! use ivs_participant_token::{CreateParticipantTokenRequest, ValidRequest};
//!
//! let key = PrivateKey::from_pem(include_str!("../../tests/data/p384-pkcs8.pem")).unwrap();
//! let sent = CreateParticipantTokenRequest::new("arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234");
//! let request = ValidRequest::new(sent).expect("a valid request");
//! let params = MintParams {
//!     kid: "arn:aws:ivs:us-west-2:123456789012:public-key/abcdABCD1234",
//!     events_url: ivs_participant_token::token::DEFAULT_EVENTS_URL,
//!     whip_url: ivs_participant_token::token::DEFAULT_WHIP_URL,
//!     now: 1_795_460_671,
//!     participant_id: None,
//! };
//! let issued = mint(&request, &key, &params).unwrap();
//! let token = issued.token.as_ref().unwrap().expose();
//! let decoded = verify(token, &key.public_key(), 1_795_460_700).unwrap();
//! assert!(inconsistencies(&request, &issued, &decoded.claims).is_empty());
//! assert_eq!(issued.duration, Some(720));
//! ```

mod claims;
mod consistency;
mod jwt;
mod mint;
mod stage_audit;

pub use claims::{participant_id_is_portable, ClaimCapabilities, Claims, Header, HeaderForm};
pub use consistency::{audit_response, inconsistencies, Inconsistency, ResponseAudit};
pub use jwt::{decode, verify, DecodedToken, PrivateKey, PublicKey, TokenError};
pub use mint::{mint, MintParams};
pub use stage_audit::{audit_create_stage_response, CreateStageAudit};

/// The events endpoint the service's tokens name (`events_url`): a `wss` URL.
pub const DEFAULT_EVENTS_URL: &str = "wss://global.events.live-video.net";

/// The WHIP endpoint the service's tokens name (`whip_url`): an `https` URL.
pub const DEFAULT_WHIP_URL: &str = "https://global.whip.live-video.net";

// Reached by the reference server, the runner and the tests; not part of the API.
#[doc(hidden)]
pub use jwt::sign;
#[doc(hidden)]
pub use mint::{random_participant_id, unix_now, ID_ALPHABET};
