//! Participant tokens: fixed keys and vectors, interoperation with another JWT library,
//! every failure as its own typed error, and consistency with the request.

use ivs_participant_token::token::{
    audit_response, decode, inconsistencies, mint, sign, verify, Claims, Header, MintParams,
    PrivateKey, PublicKey, TokenError,
};
use ivs_participant_token::{Capability, CreateParticipantTokenRequest, Token, ValidRequest};

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
const KID: &str = "arn:aws:ivs:us-west-2:123456789012:public-key/abcdABCD1234";
const PKCS8: &str = include_str!("../data/p384-pkcs8.pem");
const SEC1: &str = include_str!("../data/p384-sec1.pem");
const PUBLIC: &str = include_str!("../data/p384-public.pem");
const OTHER_PUBLIC: &str = include_str!("../data/other-p384-public.pem");
const NOW: i64 = 1_795_460_671; // 2026-11-23T19:04:31Z

fn params(id: Option<&str>) -> MintParams<'static> {
    MintParams {
        kid: KID,
        events_url: "wss://global.events.live-video.net",
        whip_url: "https://global.whip.live-video.net",
        now: NOW,
        participant_id: id.map(str::to_owned),
    }
}

fn request() -> ValidRequest {
    ValidRequest::new(sent()).unwrap()
}

fn sent() -> CreateParticipantTokenRequest {
    CreateParticipantTokenRequest {
        duration: Some(60),
        user_id: Some("alice".into()),
        attributes: Some([("team".to_owned(), "blue".to_owned())].into()),
        capabilities: Some(vec![Capability::Subscribe]),
        ..CreateParticipantTokenRequest::new(ARN)
    }
}

fn key() -> PrivateKey {
    PrivateKey::from_pem(PKCS8).unwrap()
}

fn minted() -> String {
    let issued = mint(&request(), &key(), &params(Some("AbCdEfGh1234"))).unwrap();
    issued.token.unwrap().expose().to_owned()
}

#[test]
fn keys_read_in_both_private_formats() {
    let a = PrivateKey::from_pem(PKCS8).unwrap().public_key();
    let b = PrivateKey::from_pem(SEC1).unwrap().public_key();
    assert_eq!(a, b);
    assert_eq!(a, PublicKey::from_pem(PUBLIC).unwrap());
    assert_eq!(PublicKey::from_pem(&a.to_pem()).unwrap(), a);
    assert!(matches!(
        PrivateKey::from_pem(PUBLIC),
        Err(TokenError::Key(_))
    ));
    assert!(matches!(
        PublicKey::from_pem("junk"),
        Err(TokenError::Key(_))
    ));
    assert!(!format!("{:?}", key()).contains("BEGIN"));
}

#[test]
fn generated_keys_sign_and_verify() {
    let a = PrivateKey::generate();
    let b = PrivateKey::generate();
    assert_ne!(a.public_key(), b.public_key());
    let t = sign(
        &Header::self_signed(KID),
        &Claims {
            exp: Some(NOW + 1),
            ..Claims::default()
        },
        &a,
    );
    assert!(verify(t.expose(), &a.public_key(), NOW).is_ok());
    assert_eq!(
        verify(t.expose(), &b.public_key(), NOW).unwrap_err(),
        TokenError::BadSignature
    );
}

#[test]
fn minted_token_has_the_documented_shape() {
    let issued = mint(&request(), &key(), &params(Some("AbCdEfGh1234"))).unwrap();
    assert_eq!(issued.participant_id.as_deref(), Some("AbCdEfGh1234"));
    assert_eq!(issued.duration, Some(60));
    assert_eq!(issued.expiration_time.unwrap().unix_seconds(), NOW + 3600);
    assert_eq!(issued.capabilities, Some(vec![Capability::Subscribe]));
    let d = decode(issued.token.as_ref().unwrap().expose()).unwrap();
    assert_eq!(d.header, Header::self_signed(KID));
    let c = &d.claims;
    assert_eq!((c.exp, c.iat), (Some(NOW + 3600), Some(NOW)));
    assert_eq!(c.topic.as_deref(), Some("abcdABCD1234"));
    assert_eq!(c.resource.as_deref(), Some(ARN));
    assert_eq!(c.version.as_deref(), Some("1.0"));
    let caps = c.capabilities.unwrap();
    assert!(!caps.allow_publish && caps.allow_subscribe);
    assert!(c.validate().is_valid());
    assert!(d.header.validate().is_valid());
    // Debug of a decoded token shows no signature bytes.
    assert!(format!("{d:?}").contains("<96 bytes>"));
}

#[test]
fn signing_is_deterministic_fixed_vector() {
    // RFC 6979 nonces: the same key, claims and clock give the same token, so this
    // vector pins the whole encoding. The other JWT library checks it below.
    let a = minted();
    assert_eq!(a, minted());
    let decoded = verify(&a, &key().public_key(), NOW).unwrap();
    assert_eq!(decoded.claims.jti.as_deref(), Some("AbCdEfGh1234"));
    let header_b64 = a.split('.').next().unwrap();
    // {"alg":"ES384","typ":"JWT","kid":"arn:aws:ivs:us-west-2:123456789012:public-key/abcdABCD1234"}
    assert_eq!(
        header_b64,
        "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImFybjphd3M6aXZzOnVzLXdlc3QtMjoxMjM0NTY3ODkwMTI6cHVibGljLWtleS9hYmNkQUJDRDEyMzQifQ"
    );
}

#[test]
fn random_participant_ids_are_fresh() {
    let a = mint(&request(), &key(), &params(None))
        .unwrap()
        .participant_id
        .unwrap();
    let b = mint(&request(), &key(), &params(None))
        .unwrap()
        .participant_id
        .unwrap();
    assert_ne!(a, b);
    assert_eq!(a.len(), 12);
    assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
}

#[test]
fn another_library_verifies_ours() {
    let token = minted();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES384);
    v.validate_exp = false;
    v.required_spec_claims.clear();
    let key = jsonwebtoken::DecodingKey::from_ec_pem(PUBLIC.as_bytes()).unwrap();
    let data = jsonwebtoken::decode::<serde_json::Value>(&token, &key, &v).unwrap();
    assert_eq!(data.claims["jti"], "AbCdEfGh1234");
    assert_eq!(data.header.kid.as_deref(), Some(KID));
}

#[test]
fn ours_verifies_another_librarys() {
    let claims = serde_json::json!({"exp": NOW + 60, "iat": NOW, "jti": "x", "resource": ARN});
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES384);
    header.kid = Some(KID.into());
    let key = jsonwebtoken::EncodingKey::from_ec_pem(PKCS8.as_bytes()).unwrap();
    let token = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    let d = verify(&token, &PublicKey::from_pem(PUBLIC).unwrap(), NOW).unwrap();
    assert_eq!(d.claims.jti.as_deref(), Some("x"));
    // Their token under a key that did not sign it.
    let other = PublicKey::from_pem(OTHER_PUBLIC).unwrap();
    assert_eq!(
        verify(&token, &other, NOW).unwrap_err(),
        TokenError::BadSignature
    );
}

fn replace_part(token: &str, i: usize, f: impl FnOnce(&str) -> String) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[i] = f(&parts[i]);
    parts.join(".")
}

fn b64(v: &serde_json::Value) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[test]
fn each_failure_is_its_own_error() {
    let token = minted();
    let public = key().public_key();
    // Tampered payload and header: the signature no longer covers them.
    let mut claims = decode(&token).unwrap().claims;
    claims.user_id = Some("mallory".into());
    let tampered = replace_part(&token, 1, |_| b64(&serde_json::to_value(&claims).unwrap()));
    assert_eq!(
        verify(&tampered, &public, NOW).unwrap_err(),
        TokenError::BadSignature
    );
    let header =
        serde_json::json!({"alg":"ES384","typ":"JWT","kid":"arn:aws:ivs:us-west-2:1:public-key/x"});
    let tampered = replace_part(&token, 0, |_| b64(&header));
    assert_eq!(
        verify(&tampered, &public, NOW).unwrap_err(),
        TokenError::BadSignature
    );
    // Wrong key.
    let other = PublicKey::from_pem(OTHER_PUBLIC).unwrap();
    assert_eq!(
        verify(&token, &other, NOW).unwrap_err(),
        TokenError::BadSignature
    );
    // Another algorithm, `none` included, and the API's own KMS tokens.
    for alg in ["none", "HS256", "ES256", "KMS"] {
        let t = replace_part(&token, 0, |_| {
            b64(&serde_json::json!({"alg": alg, "typ": "JWT"}))
        });
        assert_eq!(
            verify(&t, &public, NOW).unwrap_err(),
            TokenError::UnsupportedAlgorithm(alg.into())
        );
    }
    let unsigned = replace_part(
        &replace_part(&token, 0, |_| b64(&serde_json::json!({"alg": "none"}))),
        2,
        |_| String::new(),
    );
    assert_eq!(
        verify(&unsigned, &public, NOW).unwrap_err(),
        TokenError::UnsupportedAlgorithm("none".into())
    );
    // Time.
    assert_eq!(
        verify(&token, &public, NOW + 3600).unwrap_err(),
        TokenError::Expired {
            exp: NOW + 3600,
            now: NOW + 3600
        }
    );
    assert_eq!(
        verify(&token, &public, NOW - 1).unwrap_err(),
        TokenError::NotYetValid {
            iat: NOW,
            now: NOW - 1
        }
    );
    assert!(verify(&token, &public, NOW + 3599).is_ok());
    // Malformed.
    assert_eq!(
        verify("a.b", &public, NOW).unwrap_err(),
        TokenError::Malformed { parts: 2 }
    );
    assert_eq!(
        verify(&format!("{token}.x"), &public, NOW).unwrap_err(),
        TokenError::Malformed { parts: 4 }
    );
    assert_eq!(
        verify(&replace_part(&token, 1, |p| format!("{p}=")), &public, NOW).unwrap_err(),
        TokenError::Base64 { part: "payload" }
    );
    assert_eq!(
        verify(&replace_part(&token, 2, |p| format!("{p}!")), &public, NOW).unwrap_err(),
        TokenError::Base64 { part: "signature" }
    );
    assert!(matches!(
        verify(
            &replace_part(&token, 1, |_| "bm90IGpzb24".into()),
            &public,
            NOW
        )
        .unwrap_err(),
        TokenError::Json {
            part: "payload",
            ..
        }
    ));
    assert!(matches!(
        verify(&replace_part(&token, 0, |_| "W10".into()), &public, NOW).unwrap_err(),
        TokenError::Json { part: "header", .. }
    ));
    // A signature of the wrong length.
    assert_eq!(
        verify(&replace_part(&token, 2, |_| "AAAA".into()), &public, NOW).unwrap_err(),
        TokenError::BadSignature
    );
    // No error message contains the token's signature.
    let sig = token.rsplit('.').next().unwrap();
    for bad in [
        verify(&tampered, &public, NOW).unwrap_err(),
        verify(&token, &other, NOW).unwrap_err(),
    ] {
        assert!(!bad.to_string().contains(sig));
    }
}

#[test]
fn minting_refuses_bad_input() {
    // An invalid request cannot be minted for: it never becomes a ValidRequest.
    let bad = CreateParticipantTokenRequest {
        duration: Some(0),
        ..sent()
    };
    let report = ValidRequest::new(bad).unwrap_err();
    assert_eq!(report.violations[0].path, "/duration");
    let p = MintParams {
        kid: "arn:aws:ivs:us-west-2:1:stage/x",
        ..params(None)
    };
    // kid is a header field, and is reported as one.
    let err = mint(&request(), &key(), &p).unwrap_err();
    assert!(
        err.to_string().starts_with("invalid token header: "),
        "{err}"
    );
    let TokenError::InvalidHeader(r) = err else {
        panic!("kid accepted")
    };
    assert_eq!(r.violations[0].path, "/kid");
    let p = params(Some("not valid!"));
    let Err(TokenError::InvalidClaims(r)) = mint(&request(), &key(), &p) else {
        panic!("jti accepted")
    };
    assert_eq!(r.violations[0].path, "/jti");
    let p = params(Some(&"a".repeat(65)));
    assert!(matches!(
        mint(&request(), &key(), &p),
        Err(TokenError::InvalidClaims(_))
    ));
}

#[test]
fn claims_validation() {
    let good = decode(&minted()).unwrap().claims;
    assert!(good.validate().is_valid());
    let paths = |c: &Claims| {
        c.validate()
            .violations
            .iter()
            .map(|v| (v.path.clone(), v.constraint.kind()))
            .collect::<Vec<_>>()
    };
    let c = Claims {
        topic: Some("other".into()),
        ..good.clone()
    };
    assert_eq!(paths(&c), vec![("/topic".into(), "relation")]);
    let c = Claims {
        exp: Some(NOW + 14 * 86400 + 1),
        ..good.clone()
    };
    assert_eq!(paths(&c), vec![("/exp".into(), "range")]);
    let c = Claims {
        exp: Some(NOW + 14 * 86400),
        ..good.clone()
    };
    assert!(c.validate().is_valid());
    let c = Claims {
        version: Some("2.0".into()),
        ..good.clone()
    };
    assert_eq!(paths(&c), vec![("/version".into(), "enum")]);
    assert_eq!(Claims::default().validate().violations.len(), 10);
}

#[test]
fn consistency_finds_each_disagreement() {
    let req = sent();
    let valid = request();
    let issued = mint(&valid, &key(), &params(Some("AbCdEfGh1234"))).unwrap();
    let audit = audit_response(
        Some(&valid),
        &ivs_participant_token::CreateParticipantTokenResponse {
            participant_token: Some(issued.clone()),
        },
    );
    assert!(audit.is_clean(), "{audit:?}");
    let claims = decode(issued.token.as_ref().unwrap().expose())
        .unwrap()
        .claims;
    let rules = |req: &CreateParticipantTokenRequest,
                 issued: &ivs_participant_token::ParticipantToken,
                 claims: &Claims| {
        inconsistencies(&ValidRequest::new(req.clone()).unwrap(), issued, claims)
            .iter()
            .map(|i| i.rule)
            .collect::<Vec<_>>()
    };
    // The request asked for something else.
    let other = CreateParticipantTokenRequest {
        duration: Some(61),
        ..req.clone()
    };
    assert_eq!(
        rules(&other, &issued, &claims),
        vec!["exp − iat = duration × 60", "duration echoed"]
    );
    let other = CreateParticipantTokenRequest {
        user_id: None,
        ..req.clone()
    };
    assert_eq!(
        rules(&other, &issued, &claims),
        vec!["user_id = userId", "userId echoed"]
    );
    // floci's fault: an empty capabilities list turned into both.
    let empty = CreateParticipantTokenRequest {
        capabilities: Some(vec![]),
        ..req.clone()
    };
    let both = ivs_participant_token::ParticipantToken {
        capabilities: Some(vec![Capability::Publish, Capability::Subscribe]),
        ..issued.clone()
    };
    assert!(rules(&empty, &both, &claims).contains(&"capabilities echoed"));
    // A response whose participantId is not the jti, or whose expiry is off.
    let wrong_id = ivs_participant_token::ParticipantToken {
        participant_id: Some("zzz".into()),
        ..issued.clone()
    };
    assert_eq!(rules(&req, &wrong_id, &claims), vec!["jti = participantId"]);
    let late = ivs_participant_token::ParticipantToken {
        expiration_time: ivs_participant_token::Timestamp::from_unix(NOW + 3602, 0),
        ..issued.clone()
    };
    assert_eq!(
        rules(&req, &late, &claims),
        vec!["exp = expirationTime (±1 s)"]
    );
    // The API's own tokens (alg KMS) are checked on their claims alone.
    let kms = format!(
        "{}.{}.{}",
        b64(&serde_json::json!({"alg": "KMS", "typ": "JWT"})),
        b64(&serde_json::to_value(&claims).unwrap()),
        "MEUCIQDx"
    );
    let api = ivs_participant_token::ParticipantToken {
        token: Some(Token::new(kms)),
        ..issued.clone()
    };
    let audit = audit_response(
        Some(&valid),
        &ivs_participant_token::CreateParticipantTokenResponse {
            participant_token: Some(api),
        },
    );
    assert!(audit.is_clean(), "{audit:?}");
    // A token that is no JWT is the audit's token fault; no token at all is a violation.
    let audit = audit_response(
        Some(&valid),
        &ivs_participant_token::CreateParticipantTokenResponse {
            participant_token: Some(ivs_participant_token::ParticipantToken {
                token: Some(Token::new("not-a-jwt")),
                ..issued.clone()
            }),
        },
    );
    assert!(audit.token.is_some() && audit.inconsistencies.is_empty());
    let audit = audit_response(
        None,
        &ivs_participant_token::CreateParticipantTokenResponse {
            participant_token: Some(ivs_participant_token::ParticipantToken {
                token: None,
                ..issued
            }),
        },
    );
    assert!(audit.token.is_none() && !audit.report.is_valid());
}

#[test]
fn sign_then_verify_custom_claims() {
    let claims = Claims {
        exp: Some(NOW + 10),
        ..Claims::default()
    };
    let token = sign(&Header::self_signed(KID), &claims, &key());
    assert_eq!(
        verify(token.expose(), &key().public_key(), NOW)
            .unwrap()
            .claims,
        claims
    );
}

#[test]
fn a_jti_with_underscore_is_an_advisory_and_never_minted() {
    use ivs_participant_token::AdvisoryKind;
    // ParticipantTokenId allows '_', the Smithy model's ParticipantId does not.
    let claims = Claims {
        jti: Some("abc_DEF-123".into()),
        ..decode(&minted()).unwrap().claims
    };
    let report = claims.validate();
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.advisories.len(), 1);
    let advisory = &report.advisories[0];
    assert_eq!(advisory.path, "/jti");
    assert_eq!(advisory.kind, AdvisoryKind::ParticipantIdNotPortable);
    let text = advisory.message();
    for needed in [
        "^[a-zA-Z0-9-]*$",
        "GetParticipant",
        "ListParticipantEvents",
        "botocore",
    ] {
        assert!(text.contains(needed), "{text}");
    }
    // An id without '_' draws nothing.
    let plain = Claims {
        jti: Some("abcDEF-123".into()),
        ..claims.clone()
    };
    assert!(plain.validate().advisories.is_empty());
    // Minting refuses to make one, and its random ids never hold '_'.
    assert_eq!(
        mint(&request(), &key(), &params(Some("abc_DEF"))).unwrap_err(),
        TokenError::ParticipantIdNotPortable
    );
    for _ in 0..200 {
        let id = mint(&request(), &key(), &params(None))
            .unwrap()
            .participant_id
            .unwrap();
        assert!(
            ivs_participant_token::token::participant_id_is_portable(&id),
            "{id}"
        );
    }
}

#[test]
fn create_stage_tokens_are_held_to_their_configurations_in_order() {
    use ivs_participant_token::token::audit_create_stage_response;
    use ivs_participant_token::{CreateStageRequest, CreateStageResponse, Stage};
    let request: CreateStageRequest = serde_json::from_value(serde_json::json!({
        "participantTokenConfigurations": [
            {"userId": "alice", "duration": 60, "capabilities": ["SUBSCRIBE"]},
            {"userId": "bob"},
        ]
    }))
    .unwrap();
    let mint_for = |config: &serde_json::Value| {
        let mut r = config.clone();
        r["stageArn"] = ARN.into();
        let r: CreateParticipantTokenRequest = serde_json::from_value(r).unwrap();
        mint(&ValidRequest::new(r).unwrap(), &key(), &params(None)).unwrap()
    };
    let configs = serde_json::to_value(&request).unwrap()["participantTokenConfigurations"].clone();
    let alice = mint_for(&configs[0]);
    let bob = mint_for(&configs[1]);
    let response = |tokens: Vec<ivs_participant_token::ParticipantToken>| CreateStageResponse {
        stage: Some(Stage {
            arn: Some(ARN.into()),
            ..Stage::default()
        }),
        participant_tokens: Some(tokens),
    };
    let good =
        audit_create_stage_response(Some(&request), &response(vec![alice.clone(), bob.clone()]));
    assert!(good.is_clean(), "{good:?}");
    // Swapped: each token disagrees with the configuration at its place.
    let swapped =
        audit_create_stage_response(Some(&request), &response(vec![bob.clone(), alice.clone()]));
    assert!(swapped
        .inconsistencies
        .iter()
        .any(|(i, c)| *i == 0 && c.rule == "userId echoed"));
    assert!(swapped.inconsistencies.iter().any(|(i, _)| *i == 1));
    // One short.
    let short = audit_create_stage_response(Some(&request), &response(vec![alice.clone()]));
    assert_eq!(short.count, Some((2, 1)));
    // Without expirationTime: no fault in CreateStage's answer.
    let timeless = ivs_participant_token::ParticipantToken {
        expiration_time: None,
        ..alice.clone()
    };
    let audit = audit_create_stage_response(Some(&request), &response(vec![timeless, bob.clone()]));
    assert!(audit.is_clean(), "{audit:?}");
    // A stage other than the token's: its resource claim disagrees.
    let mut elsewhere = response(vec![alice, bob]);
    elsewhere.stage.as_mut().unwrap().arn =
        Some("arn:aws:ivs:us-west-2:123456789012:stage/other".into());
    let audit = audit_create_stage_response(Some(&request), &elsewhere);
    assert!(
        audit
            .inconsistencies
            .iter()
            .any(|(_, c)| c.rule.starts_with("resource")),
        "{audit:?}"
    );
}
