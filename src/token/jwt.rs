//! Compact JWS: encoding, decoding and ES384 signatures.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p384::ecdsa::signature::{Signer, Verifier};
use p384::ecdsa::{Signature, SigningKey, VerifyingKey};
use p384::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey, LineEnding};

use super::claims::{Claims, Header};
use crate::constraints::SELF_SIGNED_ALG;
use crate::model::Token;
use crate::report::Report;

/// Why a token could not be decoded, verified or minted. No variant carries the token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not three dot-separated parts.
    Malformed {
        /// How many parts there were.
        parts: usize,
    },
    /// A part is not canonical unpadded base64url.
    Base64 {
        /// `header`, `payload` or `signature`.
        part: &'static str,
    },
    /// The header or payload is not the JSON it should be.
    Json {
        /// `header` or `payload`.
        part: &'static str,
        /// serde_json's description.
        message: String,
    },
    /// The header names an algorithm other than ES384 (`none` included).
    UnsupportedAlgorithm(String),
    /// The signature does not match the header and payload under this key.
    BadSignature,
    /// `exp` has passed.
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The clock.
        now: i64,
    },
    /// `iat` lies in the future.
    NotYetValid {
        /// The token's `iat`.
        iat: i64,
        /// The clock.
        now: i64,
    },
    /// `exp` is missing, so expiry cannot be checked.
    NoExpiry,
    /// A key could not be read.
    Key(String),
    /// Minting: the header would be invalid (a `kid` that is no public-key ARN).
    InvalidHeader(Report),
    /// Minting: the claims would be invalid (a bad participant id, events URL, …).
    InvalidClaims(Report),
    /// Minting: the participant id holds `_`, which the Smithy model's `ParticipantId`
    /// does not allow where the participant is looked up; minting never makes one.
    ParticipantIdNotPortable,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Malformed { parts } => {
                write!(f, "a JWT has 3 dot-separated parts, this one has {parts}")
            }
            TokenError::Base64 { part } => write!(f, "the {part} is not unpadded base64url"),
            TokenError::Json { part, message } => {
                write!(f, "the {part} is not valid JSON: {message}")
            }
            TokenError::UnsupportedAlgorithm(alg) => {
                write!(f, "algorithm {alg:?} is not {SELF_SIGNED_ALG}")
            }
            TokenError::BadSignature => f.write_str("the signature does not verify with this key"),
            TokenError::Expired { exp, now } => write!(f, "expired at {exp}, now is {now}"),
            TokenError::NotYetValid { iat, now } => {
                write!(f, "issued at {iat}, in the future of {now}")
            }
            TokenError::NoExpiry => f.write_str("the token has no exp claim"),
            TokenError::Key(m) => write!(f, "bad key: {m}"),
            TokenError::InvalidHeader(r) => write!(f, "invalid token header: {r}"),
            TokenError::InvalidClaims(r) => write!(f, "invalid token claims: {r}"),
            TokenError::ParticipantIdNotPortable => write!(
                f,
                "the participant id holds '_', which the Smithy model's ParticipantId \
                 pattern {} does not allow: use letters, digits and '-'",
                crate::constraints::PARTICIPANT_ID_LOOKUP_PATTERN.text
            ),
        }
    }
}

impl std::error::Error for TokenError {}

/// A P-384 private key. Its `Debug` shows nothing of it.
#[derive(Clone)]
pub struct PrivateKey(SigningKey);

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(P-384, *** redacted ***)")
    }
}

impl PrivateKey {
    /// Reads a PEM key: PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`).
    pub fn from_pem(pem: &str) -> Result<PrivateKey, TokenError> {
        if let Ok(k) = SigningKey::from_pkcs8_pem(pem) {
            return Ok(PrivateKey(k));
        }
        p384::SecretKey::from_sec1_pem(pem)
            .map(|k| PrivateKey(SigningKey::from(k)))
            .map_err(|_| TokenError::Key("not a P-384 private key in PKCS#8 or SEC1 PEM".into()))
    }

    /// A fresh key from the operating system's random source.
    pub fn generate() -> PrivateKey {
        loop {
            let mut bytes = [0u8; 48];
            getrandom::getrandom(&mut bytes).expect("the operating system's random source");
            // A random 384-bit string is a valid scalar unless it is zero or ≥ the order.
            if let Ok(k) = SigningKey::from_slice(&bytes) {
                return PrivateKey(k);
            }
        }
    }

    /// Its public half.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(*self.0.verifying_key())
    }
}

/// A P-384 public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Reads a PEM SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`), as IVS's ImportPublicKey takes.
    pub fn from_pem(pem: &str) -> Result<PublicKey, TokenError> {
        VerifyingKey::from_public_key_pem(pem)
            .map(PublicKey)
            .map_err(|_| TokenError::Key("not a P-384 public key in SPKI PEM".into()))
    }

    /// The key as SPKI PEM.
    pub fn to_pem(&self) -> String {
        self.0
            .to_public_key_pem(LineEnding::LF)
            .expect("a valid P-384 key encodes")
    }

    /// The affine coordinates (x, y), 48 bytes each, as a JWK wants them.
    pub fn coordinates(&self) -> ([u8; 48], [u8; 48]) {
        let point = self.0.to_sec1_point(false);
        let mut x = [0u8; 48];
        let mut y = [0u8; 48];
        x.copy_from_slice(point.x().expect("uncompressed point"));
        y.copy_from_slice(point.y().expect("uncompressed point"));
        (x, y)
    }
}

/// A token taken apart: header and claims, and (kept private, never printed) the
/// signature.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodedToken {
    /// The JOSE header.
    pub header: Header,
    /// The claims.
    pub claims: Claims,
    signing_input: String,
    signature: Vec<u8>,
}

impl fmt::Debug for DecodedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodedToken")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .field(
                "signature",
                &format_args!("<{} bytes>", self.signature.len()),
            )
            .finish()
    }
}

fn b64(part: &'static str, text: &str) -> Result<Vec<u8>, TokenError> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| TokenError::Base64 { part })
}

/// Takes a token apart without verifying anything: for inspection and consistency
/// checks of any token, the API's `alg: KMS` ones included.
pub fn decode(token: &str) -> Result<DecodedToken, TokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else {
        return Err(TokenError::Malformed { parts: parts.len() });
    };
    let header_json = b64("header", h)?;
    let payload_json = b64("payload", p)?;
    let signature = b64("signature", s)?;
    let json = |part, e: serde_json::Error| TokenError::Json {
        part,
        message: e.to_string(),
    };
    let header: Header = serde_json::from_slice(&header_json).map_err(|e| json("header", e))?;
    let claims: Claims = serde_json::from_slice(&payload_json).map_err(|e| json("payload", e))?;
    Ok(DecodedToken {
        header,
        claims,
        signing_input: format!("{h}.{p}"),
        signature,
    })
}

/// Verifies an ES384 token against `key`, then its time claims against `now` (Unix
/// seconds, no leeway): `exp` must be present and later than `now`, `iat` (when present)
/// not later than `now`.
pub fn verify(token: &str, key: &PublicKey, now: i64) -> Result<DecodedToken, TokenError> {
    let decoded = decode(token)?;
    if decoded.header.alg != SELF_SIGNED_ALG {
        return Err(TokenError::UnsupportedAlgorithm(decoded.header.alg));
    }
    let signature =
        Signature::from_slice(&decoded.signature).map_err(|_| TokenError::BadSignature)?;
    key.0
        .verify(decoded.signing_input.as_bytes(), &signature)
        .map_err(|_| TokenError::BadSignature)?;
    let exp = decoded.claims.exp.ok_or(TokenError::NoExpiry)?;
    if now >= exp {
        return Err(TokenError::Expired { exp, now });
    }
    if let Some(iat) = decoded.claims.iat.filter(|iat| *iat > now) {
        return Err(TokenError::NotYetValid { iat, now });
    }
    Ok(decoded)
}

/// Signs `header` and `claims` with ES384 (deterministic ECDSA, RFC 6979) into a compact
/// JWS. The header's `alg` is written as it is: set it to `ES384`.
pub fn sign(header: &Header, claims: &Claims, key: &PrivateKey) -> Token {
    let h = URL_SAFE_NO_PAD.encode(serde_json::to_vec(header).expect("a header serialises"));
    let p = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialise"));
    let input = format!("{h}.{p}");
    let signature: Signature = key.0.sign(input.as_bytes());
    let s = URL_SAFE_NO_PAD.encode(signature.to_bytes());
    Token::new(format!("{input}.{s}"))
}
