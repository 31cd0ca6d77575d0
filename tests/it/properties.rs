//! Property tests: the core agrees with itself and with independent oracles on every
//! input, typed or raw. Needs `--features proptest,arbitrary`.

use arbitrary::{Arbitrary, Unstructured};
use ivs_participant_token::constraints::{
    PARTICIPANT_ID_LOOKUP_PATTERN, PARTICIPANT_ID_PATTERN, PUBLIC_KEY_ARN_PATTERN,
    STAGE_ARN_PATTERN, STAGE_NAME_PATTERN, STAGE_SESSION_ID_PATTERN,
    STORAGE_CONFIGURATION_ARN_PATTERN,
};
use ivs_participant_token::internal as pointer;
use ivs_participant_token::strategies::{
    invalid_request, invalid_response, valid_request, valid_response,
};
use ivs_participant_token::{
    parse_request, parse_response, CreateParticipantTokenRequest, CreateParticipantTokenResponse,
    ErrorKind, ServiceError, StageArn,
};
use proptest::prelude::*;

/// (path, constraint kind) of every violation.
fn kinds(report: &ivs_participant_token::Report) -> Vec<(String, &'static str)> {
    report
        .violations
        .iter()
        .map(|v| (v.path.clone(), v.constraint.kind()))
        .collect()
}

/// A JSON pointer of the shapes violations have: member names (which may hold `/` and
/// `~`, escaped) and list indices.
fn pointer() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        "[a-zA-Z][a-zA-Z0-9_/~-]{0,12}".prop_map(|s| s.replace('~', "~0").replace('/', "~1")),
        (0usize..1000).prop_map(|i| i.to_string()),
    ];
    proptest::collection::vec(segment, 0..5)
        .prop_map(|segs| segs.iter().map(|s| format!("/{s}")).collect::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn aws_paths_read_back_as_the_pointer(p in pointer()) {
        let aws = pointer::to_aws_path(&p);
        prop_assert!(!aws.starts_with('/'), "{}", aws);
        prop_assert_eq!(pointer::from_aws_path(&aws), p);
    }

    #[test]
    fn a_violation_aws_path_reads_back_as_its_path(b in invalid_request()) {
        for v in b.value.validate().violations {
            prop_assert_eq!(pointer::from_aws_path(&v.aws_path()), v.path);
        }
    }

    #[test]
    fn valid_requests_validate(r in valid_request()) {
        let report = r.validate();
        prop_assert!(report.is_valid(), "{:?}", report.violations);
    }

    #[test]
    fn a_broken_request_is_reported_at_that_path_only(b in invalid_request()) {
        prop_assert_eq!(kinds(&b.value.validate()), vec![(b.path.clone(), b.constraint)]);
    }

    #[test]
    fn valid_responses_validate(r in valid_response()) {
        let report = r.validate();
        prop_assert!(report.is_valid(), "{:?}", report.violations);
    }

    #[test]
    fn a_broken_response_is_reported_at_that_path_only(b in invalid_response()) {
        prop_assert_eq!(kinds(&b.value.validate()), vec![(b.path.clone(), b.constraint)]);
    }

    #[test]
    fn write_then_strict_read_is_the_identity(
        r in prop_oneof![valid_request(), invalid_request().prop_map(|b| b.value)],
        t in prop_oneof![valid_response(), invalid_response().prop_map(|b| b.value)],
    ) {
        let bytes = serde_json::to_vec(&r).unwrap();
        prop_assert_eq!(parse_request(&bytes).unwrap().value, r);
        let bytes = serde_json::to_vec(&t).unwrap();
        prop_assert_eq!(parse_response(&bytes).unwrap().value, t);
    }

    #[test]
    fn arbitrary_values_round_trip_and_validate_without_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let mut u = Unstructured::new(&data);
        if let Ok(r) = CreateParticipantTokenRequest::arbitrary(&mut u) {
            let verdict = r.validate();
            let bytes = serde_json::to_vec(&r).unwrap();
            let back = parse_request(&bytes).unwrap().value;
            prop_assert_eq!(back.validate(), verdict);
            prop_assert_eq!(back, r);
        }
        if let Ok(t) = CreateParticipantTokenResponse::arbitrary(&mut u) {
            let verdict = t.validate();
            let bytes = serde_json::to_vec(&t).unwrap();
            let back = parse_response(&bytes).unwrap().value;
            prop_assert_eq!(back.validate(), verdict);
            prop_assert_eq!(back, t);
        }
    }

    #[test]
    fn strict_read_then_write_is_a_fixed_point(body in json_ish()) {
        if let Ok(p) = parse_request(body.as_bytes()) {
            let once = serde_json::to_vec(&p.value).unwrap();
            let again = parse_request(&once).unwrap().value;
            prop_assert_eq!(&again, &p.value);
            prop_assert_eq!(serde_json::to_vec(&again).unwrap(), once);
        }
        if let Ok(p) = parse_response(body.as_bytes()) {
            let once = serde_json::to_vec(&p.value).unwrap();
            let again = parse_response(&once).unwrap().value;
            prop_assert_eq!(&again, &p.value);
        }
    }

    #[test]
    fn effective_is_idempotent(r in prop_oneof![valid_request(), invalid_request().prop_map(|b| b.value)]) {
        let once = r.effective();
        prop_assert_eq!(once.effective(), once.clone());
        prop_assert!(once.duration.is_some() && once.capabilities.is_some());
    }

    #[test]
    fn stage_arn_check_agrees_with_regex_on_any_string(s in any::<String>()) {
        prop_assert_eq!((STAGE_ARN_PATTERN.matches)(&s), arn_regex().is_match(&s), "{:?}", s);
        prop_assert_eq!((PARTICIPANT_ID_PATTERN.matches)(&s), id_regex().is_match(&s), "{:?}", s);
        let lookup = regex::Regex::new(PARTICIPANT_ID_LOOKUP_PATTERN.text).unwrap();
        prop_assert_eq!((PARTICIPANT_ID_LOOKUP_PATTERN.matches)(&s), lookup.is_match(&s), "{:?}", s);
        for (pattern, near) in [
            (STORAGE_CONFIGURATION_ARN_PATTERN, s.replacen(":stage/", ":storage-configuration/", 1)),
            (STAGE_SESSION_ID_PATTERN, format!("st-{s}")),
            (STAGE_SESSION_ID_PATTERN, s.clone()),
            (STAGE_NAME_PATTERN, s.clone()),
        ] {
            let re = regex::Regex::new(pattern.text).unwrap();
            prop_assert_eq!((pattern.matches)(&near), re.is_match(&near), "{} {:?}", pattern.text, near);
        }
        let key_arn = regex::Regex::new(PUBLIC_KEY_ARN_PATTERN.text).unwrap();
        let near = s.replacen(":stage/", ":public-key/", 1);
        prop_assert_eq!((PUBLIC_KEY_ARN_PATTERN.matches)(&near), key_arn.is_match(&near), "{:?}", near);
    }

    #[test]
    fn error_wire_round_trip(kind in error_kind(), message in proptest::option::of(any::<String>())) {
        let e = ServiceError { status: kind.status().unwrap_or(418), kind, message };
        let http = e.to_http();
        prop_assert_eq!(ServiceError::from_http(http.status, http.error_type(), http.body.as_bytes()), e);
    }

    #[test]
    fn reading_any_error_response_never_panics(
        status in any::<u16>(),
        header in proptest::option::of(any::<String>()),
        body in prop_oneof![any::<Vec<u8>>(), json_ish().prop_map(String::into_bytes)],
    ) {
        let _ = ServiceError::from_http(status, header.as_deref(), &body);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]
    #[test]
    fn stage_arn_check_agrees_with_regex_near_the_pattern(s in near_arn()) {
        let ours = (STAGE_ARN_PATTERN.matches)(&s);
        prop_assert_eq!(ours, arn_regex().is_match(&s), "{:?}", s);
        let key_arn = s.replacen("stage/", "public-key/", 1);
        let key_regex = regex::Regex::new(PUBLIC_KEY_ARN_PATTERN.text).unwrap();
        prop_assert_eq!((PUBLIC_KEY_ARN_PATTERN.matches)(&key_arn), key_regex.is_match(&key_arn), "{:?}", key_arn);
        if ours && s.chars().count() <= 128 {
            let arn = StageArn::parse(&s).unwrap();
            prop_assert_eq!(
                format!("arn:aws:ivs:{}:{}:stage/{}", arn.region(), arn.account_id(), arn.stage_id()),
                s
            );
        }
    }

}

fn arn_regex() -> &'static regex::Regex {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    // Rust's regex reads `$` as the very end of the text without the `m` flag: the same
    // as ECMA-262, so the model's text is used as it is.
    R.get_or_init(|| regex::Regex::new(STAGE_ARN_PATTERN.text).unwrap())
}

fn id_regex() -> &'static regex::Regex {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| regex::Regex::new(PARTICIPANT_ID_PATTERN.text).unwrap())
}

fn error_kind() -> impl Strategy<Value = ErrorKind> {
    prop_oneof![
        proptest::sample::select(
            ivs_participant_token::constraints::ERRORS
                .iter()
                .map(|s| s.kind.clone())
                .collect::<Vec<_>>(),
        ),
        "[A-Za-z]{1,30}".prop_map(|s| ErrorKind::from_name(&s)),
    ]
}

/// Strings built near the stage ARN pattern: each segment empty, mutated, in the wrong
/// partition, upper case, with underscores, non-ASCII, newlines or padding.
fn near_arn() -> impl Strategy<Value = String> {
    let seg = |good: &'static str| {
        prop_oneof![
            4 => proptest::string::string_regex(good).unwrap(),
            1 => Just(String::new()),
            1 => "[A-Z_é \\n:/.]{1,3}",
            1 => any::<String>(),
        ]
    };
    let assembled = (
        prop_oneof![6 => Just("arn"), 1 => Just("ARN"), 1 => Just("")],
        prop_oneof![6 => Just("aws"), 1 => Just("aws-cn"), 1 => Just("aws-us-gov"), 1 => Just("")],
        prop_oneof![6 => Just("ivs"), 1 => Just("ivsrealtime"), 1 => Just("IVS")],
        seg("[a-z0-9-]{1,12}"),
        seg("[0-9]{1,14}"),
        prop_oneof![6 => Just("stage/"), 1 => Just("channel/"), 1 => Just("stage"), 1 => Just("stage//")],
        seg("[a-zA-Z0-9-]{1,20}"),
        prop_oneof![6 => Just(""), 1 => Just("\n"), 1 => Just(" "), 1 => Just("\r\n")],
        prop_oneof![6 => Just(""), 1 => Just(" "), 1 => Just("\n")],
    )
        .prop_map(|(a, p, s, r, acct, res, id, tail, head)| {
            format!("{head}{a}:{p}:{s}:{r}:{acct}:{res}{id}{tail}")
        });
    // One character of a matching ARN inserted or replaced, anywhere.
    let point = (
        proptest::string::string_regex(STAGE_ARN_PATTERN.text.trim_matches(['^', '$'])).unwrap(),
        any::<prop::sample::Index>(),
        proptest::sample::select(vec![
            '_', 'A', 'z', '0', '-', ':', '/', '\n', ' ', 'é', '.', '\0',
        ]),
        any::<bool>(),
    )
        .prop_map(|(arn, at, c, replace)| {
            let mut chars: Vec<char> = arn.chars().collect();
            let i = at.index(chars.len() + 1);
            if replace && i < chars.len() {
                chars[i] = c;
            } else {
                chars.insert(i, c);
            }
            chars.into_iter().collect::<String>()
        });
    prop_oneof![assembled, point]
}

/// Bodies near the request and response shapes: valid ones, member values of every JSON
/// type, and raw fragments.
fn json_ish() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        Just("\"PUBLISH\"".to_owned()),
        Just("\"2026-11-23T19:04:31Z\"".to_owned()),
    ];
    let value = leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(","))),
            proptest::collection::vec(("[a-zA-Z]{1,6}", inner), 0..4).prop_map(|v| {
                let members: Vec<String> =
                    v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    let member = prop_oneof![
        Just("stageArn"),
        Just("duration"),
        Just("userId"),
        Just("attributes"),
        Just("capabilities"),
        Just("participantToken"),
        Just("token"),
        Just("expirationTime"),
        Just("participantId"),
        "[a-z]{1,4}".prop_map(|s| Box::leak(s.into_boxed_str()) as &str),
    ];
    prop_oneof![
        valid_request().prop_map(|r| serde_json::to_string(&r).unwrap()),
        valid_response().prop_map(|r| serde_json::to_string(&r).unwrap()),
        proptest::collection::vec((member, value.clone()), 0..6).prop_map(|v| {
            let members: Vec<String> = v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{{}}}", members.join(","))
        }),
        proptest::collection::vec(("[a-z]{1,3}", value), 0..3).prop_map(|v| {
            let inner: Vec<String> = v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{\"participantToken\":{{{}}}}}", inner.join(","))
        }),
        any::<String>(),
    ]
}

mod tokens {
    use super::*;
    use ivs_participant_token::token::{inconsistencies, mint, verify, MintParams, PrivateKey};

    const NOW: i64 = 1_795_460_671;

    fn key() -> PrivateKey {
        PrivateKey::from_pem(include_str!("../data/p384-pkcs8.pem")).unwrap()
    }

    fn params() -> MintParams<'static> {
        MintParams {
            kid: "arn:aws:ivs:us-west-2:123456789012:public-key/abcdABCD1234",
            events_url: "wss://global.events.live-video.net",
            whip_url: "https://global.whip.live-video.net",
            now: NOW,
            participant_id: None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn mint_verify_decode_consistency(r in valid_request()) {
            let key = key();
            let r = ivs_participant_token::ValidRequest::new(r).unwrap();
            let issued = mint(&r, &key, &params()).unwrap();
            let response = CreateParticipantTokenResponse { participant_token: Some(issued.clone()) };
            prop_assert!(response.validate().is_valid());
            let decoded = verify(issued.token.as_ref().unwrap().expose(), &key.public_key(), NOW).unwrap();
            prop_assert!(decoded.claims.validate().is_valid());
            prop_assert_eq!(inconsistencies(&r, &issued, &decoded.claims), vec![]);
        }

        #[test]
        fn any_single_byte_change_fails_verification(
            at in any::<prop::sample::Index>(),
            replacement in 0x21u8..0x7f,
        ) {
            let key = key();
            let issued = mint(&ivs_participant_token::ValidRequest::new(CreateParticipantTokenRequest::new("arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234")).unwrap(), &key, &params()).unwrap();
            let token = issued.token.unwrap().expose().as_bytes().to_vec();
            let i = at.index(token.len());
            prop_assume!(token[i] != replacement);
            let mut changed = token.clone();
            changed[i] = replacement;
            let changed = String::from_utf8(changed).unwrap();
            prop_assert!(verify(&changed, &key.public_key(), NOW).is_err(), "byte {} changed to {:?} still verifies", i, replacement as char);
        }
    }
}

/// The strategies break every constraint of every member of the table, each at its
/// member's path: a member added to the table without its invalid strategies fails here
/// (the generators of property tests and `fuzz-server` come from them).
#[test]
fn the_strategies_break_every_constraint_of_the_table() {
    use ivs_participant_token::constraints::{MemberConstraints, PARTICIPANT_TOKEN, REQUEST};
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeSet;

    fn expected(table: &[MemberConstraints], prefix: &str) -> BTreeSet<(String, &'static str)> {
        let mut out = BTreeSet::new();
        for m in table {
            let path = format!("{prefix}/{}", m.member);
            let mut add = |c: &'static str| {
                out.insert((path.clone(), c));
            };
            if m.required.is_some() {
                add("required");
            }
            if m.length.is_some_and(|l| l.value.max.is_some()) {
                add("length");
            }
            if m.range.is_some() {
                add("range");
            }
            if m.pattern.is_some() {
                add("pattern");
            }
            if m.max_bytes.is_some() {
                add("maxBytes");
            }
            if m.enum_values.is_some() {
                add("enum");
            }
        }
        out
    }
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    let request = invalid_request();
    let response = invalid_response();
    for _ in 0..4_000 {
        let b = request.new_tree(&mut runner).unwrap().current();
        let path = b.path.split('/').take(2).collect::<Vec<_>>().join("/");
        seen.insert((path, b.constraint));
        let b = response.new_tree(&mut runner).unwrap().current();
        let path = b.path.split('/').take(3).collect::<Vec<_>>().join("/");
        seen.insert((path, b.constraint));
    }
    let mut want = expected(&REQUEST, "");
    want.extend(expected(&PARTICIPANT_TOKEN, "/participantToken"));
    let missing: Vec<_> = want.difference(&seen).collect();
    assert!(missing.is_empty(), "no strategy breaks {missing:?}");
}
