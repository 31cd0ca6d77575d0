//! proptest strategies drawn from the constraint table, for this crate's property tests
//! and for other implementations' own (enable the `proptest` feature).
//!
//! - [`valid_request`] / [`valid_response`]: values that satisfy every constraint, with
//!   boundary values (each bound exactly) and multi-byte text weighted in;
//! - [`invalid_request`] / [`invalid_response`]: values that break exactly one named
//!   constraint, returned as [`Broken`] with that constraint's path and kind.
//!
//! Bounds, patterns and enum values are read from [`crate::constraints`]; the pattern
//! strategies generate from the model's pattern text itself.
//!
//! ```
//! use ivs_participant_token::strategies::invalid_request;
//! use proptest::prelude::*;
//! use proptest::strategy::ValueTree;
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let broken = invalid_request().new_tree(&mut runner).unwrap().current();
//! let report = broken.value.validate();
//! assert_eq!(report.violations.len(), 1);
//! assert_eq!(report.violations[0].path, broken.path);
//! ```

use proptest::collection::vec;
use proptest::prelude::*;

use crate::constraints::{
    MemberConstraints, ATTRIBUTES, CAPABILITIES, CAPABILITY_VALUES, DURATION, PARTICIPANT_ID,
    STAGE_ARN, USER_ID,
};
use crate::model::{
    Attributes, Capability, CreateParticipantTokenRequest, CreateParticipantTokenResponse,
    ParticipantToken, Token,
};
use crate::timestamp::Timestamp;

/// A value that breaks exactly one constraint, with that constraint's path and kind.
#[derive(Debug, Clone)]
pub struct Broken<T> {
    /// The value.
    pub value: T,
    /// JSON pointer of the one violation it must produce.
    pub path: String,
    /// Its constraint kind (`required`, `length`, `range`, `pattern`, `enum`, `maxBytes`).
    pub constraint: &'static str,
}

fn length_bounds(m: &MemberConstraints) -> (usize, usize) {
    let b = m.length.expect("member has a length constraint").value;
    (
        b.min.unwrap_or(0) as usize,
        b.max.expect("member has a maximum length") as usize,
    )
}

fn range_bounds(m: &MemberConstraints) -> (i32, i32) {
    let b = m.range.expect("member has a range constraint").value;
    (
        b.min.unwrap_or(i64::from(i32::MIN)) as i32,
        b.max.unwrap_or(i64::from(i32::MAX)) as i32,
    )
}

fn max_bytes(m: &MemberConstraints) -> usize {
    m.max_bytes.expect("member has a byte limit").value
}

/// A pattern's text without its `^…$` anchors, for proptest's regex generator.
fn unanchored(m: &MemberConstraints) -> String {
    let text = m.pattern.expect("member has a pattern").value.text;
    let text = text.strip_prefix('^').unwrap_or(text);
    text.strip_suffix('$').unwrap_or(text).to_owned()
}

/// Characters of every UTF-8 width, the wider ones weighted in.
fn any_text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        1 => Just('é'),
        1 => Just('中'),
        1 => Just('😀'),
        1 => any::<char>(),
    ]
}

/// Text of exactly `n` Unicode scalar values.
fn text_of_len(n: usize) -> impl Strategy<Value = String> {
    vec(any_text_char(), n).prop_map(|cs| cs.into_iter().collect())
}

/// A length in `min..=max`, the bounds themselves weighted in.
fn length_in(min: usize, max: usize) -> impl Strategy<Value = usize> {
    prop_oneof![1 => Just(min), 1 => Just(max), 4 => min..=max]
}

/// A stage ARN matching the model's pattern, of any length within its bounds, the
/// maximum length weighted in.
pub fn stage_arn() -> impl Strategy<Value = String> {
    let (_, max) = length_bounds(STAGE_ARN);
    let generated = proptest::string::string_regex(&unanchored(STAGE_ARN))
        .expect("the model's pattern is a valid regex")
        .prop_filter("within the length bounds", move |s| s.len() <= max)
        .boxed();
    prop_oneof![
        3 => generated.clone(),
        1 => generated.prop_map(move |s| pad_arn(s, max)),
    ]
}

/// Extends a pattern-matching ARN's stage id with `a`s to `len` characters.
fn pad_arn(mut arn: String, len: usize) -> String {
    while arn.len() < len {
        arn.push('a');
    }
    arn
}

fn duration() -> impl Strategy<Value = i32> {
    let (min, max) = range_bounds(DURATION);
    prop_oneof![1 => Just(min), 1 => Just(max), 4 => min..=max]
}

fn user_id() -> impl Strategy<Value = String> {
    let (min, max) = length_bounds(USER_ID);
    length_in(min, max).prop_flat_map(text_of_len)
}

/// Attributes within the byte limit; half of them fill it exactly.
fn attributes() -> impl Strategy<Value = Attributes> {
    let limit = max_bytes(ATTRIBUTES);
    let entry = (text_of_len(6), vec(any_text_char(), 0..40));
    (vec(entry, 0..6), any::<bool>()).prop_map(move |(entries, fill)| {
        let mut out = Attributes::new();
        let mut used = 0;
        for (k, v) in entries {
            let v: String = v.into_iter().collect();
            let cost = k.len() + v.len();
            if !out.contains_key(&k) && used + cost <= limit {
                used += cost;
                out.insert(k, v);
            }
        }
        let pad_key = "#pad";
        if fill && !out.contains_key(pad_key) && used + pad_key.len() <= limit {
            out.insert(pad_key.to_owned(), "x".repeat(limit - used - pad_key.len()));
        }
        out
    })
}

fn known_capability() -> impl Strategy<Value = Capability> {
    (0..CAPABILITY_VALUES.len()).prop_map(|i| Capability::from_wire(CAPABILITY_VALUES[i]))
}

fn capabilities() -> impl Strategy<Value = Vec<Capability>> {
    let (min, max) = length_bounds(CAPABILITIES);
    vec(known_capability(), min..=max)
}

/// A string that is not one of the capability enum's values.
fn unknown_capability() -> impl Strategy<Value = Capability> {
    any::<String>().prop_map(|s| match Capability::from_wire(&s) {
        Capability::Unknown(s) => Capability::Unknown(s),
        known => Capability::Unknown(known.as_str().to_lowercase()),
    })
}

/// A request that satisfies every constraint; optional members are sometimes absent.
pub fn valid_request() -> impl Strategy<Value = CreateParticipantTokenRequest> {
    (
        stage_arn(),
        proptest::option::of(duration()),
        proptest::option::of(user_id()),
        proptest::option::of(attributes()),
        proptest::option::of(capabilities()),
    )
        .prop_map(|(arn, duration, user_id, attributes, capabilities)| {
            CreateParticipantTokenRequest {
                stage_arn: Some(arn),
                duration,
                user_id,
                attributes,
                capabilities,
            }
        })
}

/// Ways to break the stage ARN's pattern while keeping its length within bounds.
fn arn_off_pattern() -> impl Strategy<Value = String> {
    let short = stage_arn().prop_filter("room to grow", |s| s.len() <= 100);
    // Characters outside the stage id class [a-zA-Z0-9-].
    let outside = prop::sample::select(vec!['_', ' ', '/', ':', '.', 'é', '\n']);
    (short, 0..8usize, outside, any::<prop::sample::Index>()).prop_map(|(arn, how, c, at)| {
        let (head, id) = arn.rsplit_once("stage/").expect("a generated ARN");
        match how {
            0 => {
                let mut id: Vec<char> = id.chars().collect();
                id.insert(at.index(id.len() + 1), c);
                format!("{head}stage/{}", id.into_iter().collect::<String>())
            }
            1 => format!("{arn}\n"),
            2 => format!(" {arn}"),
            3 => arn.replacen("arn:aws:", "arn:aws-cn:", 1),
            4 => format!("{head}stage/"),
            5 => arn.replacen("arn:aws:ivs:", "arn:aws:ivs:A", 1),
            6 => arn.replacen(":stage/", "x:stage/", 1),
            _ => arn.replacen("stage/", "channel/", 1),
        }
    })
}

/// A request that breaks exactly one constraint.
pub fn invalid_request() -> impl Strategy<Value = Broken<CreateParticipantTokenRequest>> {
    let (_, arn_max) = length_bounds(STAGE_ARN);
    let (d_min, d_max) = range_bounds(DURATION);
    let (_, u_max) = length_bounds(USER_ID);
    let a_max = max_bytes(ATTRIBUTES);
    let (_, c_max) = length_bounds(CAPABILITIES);
    let base = valid_request().boxed();
    let broken = |path: &str, constraint| (Just(path.to_owned()), Just(constraint));
    prop_oneof![
        (base.clone(), broken("/stageArn", "required")).prop_map(|(mut r, (p, c))| {
            r.stage_arn = None;
            (r, p, c)
        }),
        (
            base.clone(),
            stage_arn(),
            1..=40usize,
            broken("/stageArn", "length")
        )
            .prop_map(move |(mut r, arn, extra, (p, c))| {
                r.stage_arn = Some(pad_arn(arn, arn_max + extra));
                (r, p, c)
            }),
        (
            base.clone(),
            arn_off_pattern(),
            broken("/stageArn", "pattern")
        )
            .prop_map(|(mut r, arn, (p, c))| {
                r.stage_arn = Some(arn);
                (r, p, c)
            }),
        (
            base.clone(),
            prop_oneof![i32::MIN..d_min, (d_max + 1)..=i32::MAX],
            broken("/duration", "range")
        )
            .prop_map(|(mut r, d, (p, c))| {
                r.duration = Some(d);
                (r, p, c)
            }),
        (
            base.clone(),
            ((u_max + 1)..=(u_max + 30)).prop_flat_map(text_of_len),
            broken("/userId", "length")
        )
            .prop_map(|(mut r, u, (p, c))| {
                r.user_id = Some(u);
                (r, p, c)
            }),
        (
            base.clone(),
            text_of_len(4),
            (a_max + 1)..=(a_max + 100),
            broken("/attributes", "maxBytes")
        )
            .prop_map(|(mut r, k, total, (p, c))| {
                let v = "x".repeat(total - k.len());
                r.attributes = Some(Attributes::from([(k, v)]));
                (r, p, c)
            }),
        (
            base.clone(),
            vec(known_capability(), (c_max + 1)..=(c_max + 3)),
            broken("/capabilities", "length")
        )
            .prop_map(|(mut r, caps, (p, c))| {
                r.capabilities = Some(caps);
                (r, p, c)
            }),
        (
            base,
            vec(known_capability(), 1..=c_max),
            any::<prop::sample::Index>(),
            unknown_capability()
        )
            .prop_map(|(mut r, mut caps, at, unknown)| {
                let i = at.index(caps.len());
                caps[i] = unknown;
                r.capabilities = Some(caps);
                (r, format!("/capabilities/{i}"), "enum")
            }),
    ]
    .prop_map(|(value, path, constraint)| Broken {
        value,
        path,
        constraint,
    })
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (
        Timestamp::MIN_UNIX_SECONDS..=Timestamp::MAX_UNIX_SECONDS,
        0..1_000_000_000u32,
    )
        .prop_map(|(s, n)| Timestamp::from_unix(s, n).expect("within RFC 3339's years"))
}

/// One character the participant-id pattern allows.
fn participant_id_char() -> impl Strategy<Value = char> {
    proptest::char::ranges(vec!['a'..='z', 'A'..='Z', '0'..='9', '-'..='-', '_'..='_'].into())
}

fn participant_id() -> impl Strategy<Value = String> {
    let (_, max) = length_bounds(PARTICIPANT_ID);
    proptest::string::string_regex(&unanchored(PARTICIPANT_ID))
        .expect("the model's pattern is a valid regex")
        .prop_filter("within the length bound", move |s| s.len() <= max)
}

fn valid_token() -> impl Strategy<Value = ParticipantToken> {
    (
        proptest::option::of(participant_id()),
        "[A-Za-z0-9._-]{1,200}",
        proptest::option::of(user_id()),
        proptest::option::of(attributes()),
        proptest::option::of(duration()),
        proptest::option::of(capabilities()),
        timestamp(),
    )
        .prop_map(
            |(id, token, user_id, attributes, duration, capabilities, exp)| ParticipantToken {
                participant_id: id,
                token: Some(Token::new(token)),
                user_id,
                attributes,
                duration,
                capabilities,
                expiration_time: Some(exp),
            },
        )
}

/// A response that satisfies every constraint.
pub fn valid_response() -> impl Strategy<Value = CreateParticipantTokenResponse> {
    valid_token().prop_map(|t| CreateParticipantTokenResponse {
        participant_token: Some(t),
    })
}

/// A response that breaks exactly one constraint.
pub fn invalid_response() -> impl Strategy<Value = Broken<CreateParticipantTokenResponse>> {
    let (_, id_max) = length_bounds(PARTICIPANT_ID);
    let (d_min, d_max) = range_bounds(DURATION);
    let (_, u_max) = length_bounds(USER_ID);
    let a_max = max_bytes(ATTRIBUTES);
    let (_, c_max) = length_bounds(CAPABILITIES);
    let base = valid_token().boxed();
    let at = |member: &str, constraint| {
        (
            Just(format!("/participantToken/{member}")),
            Just(constraint),
        )
    };
    prop_oneof![
        (
            base.clone(),
            vec(participant_id_char(), (id_max + 1)..=(id_max + 36)),
            at("participantId", "length")
        )
            .prop_map(move |(mut t, id, (p, c))| {
                t.participant_id = Some(id.into_iter().collect());
                (t, p, c)
            }),
        (
            base.clone(),
            "[a-zA-Z0-9_-]{0,40}",
            prop::sample::select(vec![' ', '.', '/', 'é', '\n', '+']),
            at("participantId", "pattern")
        )
            .prop_map(|(mut t, id, bad, (p, c))| {
                t.participant_id = Some(format!("{id}{bad}"));
                (t, p, c)
            }),
        (base.clone(), at("token", "required")).prop_map(|(mut t, (p, c))| {
            t.token = None;
            (t, p, c)
        }),
        (base.clone(), at("token", "length")).prop_map(|(mut t, (p, c))| {
            t.token = Some(Token::new(""));
            (t, p, c)
        }),
        (base.clone(), at("expirationTime", "required")).prop_map(|(mut t, (p, c))| {
            t.expiration_time = None;
            (t, p, c)
        }),
        (
            base.clone(),
            prop_oneof![i32::MIN..d_min, (d_max + 1)..=i32::MAX],
            at("duration", "range")
        )
            .prop_map(|(mut t, d, (p, c))| {
                t.duration = Some(d);
                (t, p, c)
            }),
        (
            base.clone(),
            ((u_max + 1)..=(u_max + 30)).prop_flat_map(text_of_len),
            at("userId", "length")
        )
            .prop_map(|(mut t, u, (p, c))| {
                t.user_id = Some(u);
                (t, p, c)
            }),
        (
            base.clone(),
            text_of_len(4),
            (a_max + 1)..=(a_max + 100),
            at("attributes", "maxBytes")
        )
            .prop_map(|(mut t, k, total, (p, c))| {
                let v = "x".repeat(total - k.len());
                t.attributes = Some(Attributes::from([(k, v)]));
                (t, p, c)
            }),
        (
            base.clone(),
            vec(known_capability(), (c_max + 1)..=(c_max + 3)),
            at("capabilities", "length")
        )
            .prop_map(|(mut t, caps, (p, c))| {
                t.capabilities = Some(caps);
                (t, p, c)
            }),
        (base, unknown_capability()).prop_map(|(mut t, unknown)| {
            t.capabilities = Some(vec![unknown]);
            (t, "/participantToken/capabilities/0".to_owned(), "enum")
        }),
    ]
    .prop_map(|(t, path, constraint)| Broken {
        value: CreateParticipantTokenResponse {
            participant_token: Some(t),
        },
        path,
        constraint,
    })
}
