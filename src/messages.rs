//! The words of every message the crate writes, as templates: violations in the Smithy
//! and the live-AWS forms, advisories, hints and the strict reader's errors.
//!
//! They are data, written once, like the limits of [`crate::constraints`]: the validator
//! and the reader fill them here, and `ivs-conformance js-rules` exports them (with the
//! table) for the TypeScript package, which fills the same templates the same way, so
//! that a message never has two spellings. A template's `{name}` is replaced by the
//! argument of that name; the argument's text is inserted as it is, never read again.

/// One violation: `{subject} at '{path}' failed to satisfy constraint: {rule}`, the
/// subject one of the `SUBJECT_` templates, the rule one of the `RULE_` templates.
pub const VIOLATION: &str = "{subject} at '{path}' failed to satisfy constraint: {rule}";
/// The subject of most violations (Smithy form; the live-AWS form for a secret value).
pub const SUBJECT_PLAIN: &str = "Value";
/// The subject of a missing member in the live-AWS form.
pub const SUBJECT_NULL: &str = "Value null";
/// The subject that echoes a value in the live-AWS form.
pub const SUBJECT_ECHO: &str = "Value '{value}'";
/// The subject of a length violation in the Smithy form.
pub const SUBJECT_LENGTH: &str = "Value with length {length}";
/// The subject of a byte-limit violation in the Smithy form.
pub const SUBJECT_SIZE: &str = "Value with size {length} bytes";

/// A required member is missing.
pub const RULE_REQUIRED: &str = "Member must not be null";
/// A length (scalar values or items), `{bounds}` one of the `BOUNDS_` templates.
pub const RULE_LENGTH: &str = "Member must have length {bounds}";
/// A range in the Smithy form.
pub const RULE_RANGE: &str = "Member must be {bounds}";
/// A range in the live-AWS form.
pub const RULE_VALUE: &str = "Member must have value {bounds}";
/// A pattern, its text verbatim.
pub const RULE_PATTERN: &str = "Member must satisfy regular expression pattern: {pattern}";
/// An enum, its values joined by [`SEPARATOR`].
pub const RULE_ENUM: &str = "Member must satisfy enum value set: [{values}]";
/// The byte limit of a map.
pub const RULE_MAX_BYTES: &str =
    "Member must have keys and values of at most {max} UTF-8 bytes in total";
/// A rule between members, in words.
pub const RULE_RELATION: &str = "Member must be {rule}";
/// The item rules of one list in the live-AWS form, joined by [`SEPARATOR`].
pub const RULE_ITEMS: &str = "Member must satisfy constraint: [{rules}]";

/// Both bounds.
pub const BOUNDS_BOTH: &str = "between {min} and {max}, inclusive";
/// A lower bound only, or the lower side that failed (live-AWS form).
pub const BOUNDS_MIN: &str = "greater than or equal to {min}";
/// An upper bound only, or the upper side that failed (live-AWS form).
pub const BOUNDS_MAX: &str = "less than or equal to {max}";
/// No bound.
pub const BOUNDS_NONE: &str = "anything";

/// Between the items of a list, the values of an enum and the rules of a list.
pub const SEPARATOR: &str = ", ";
/// Between the entries of a report.
pub const ENTRY_SEPARATOR: &str = "; ";
/// A list as a live message echoes it, its items joined by [`SEPARATOR`].
pub const LIST_ECHO: &str = "[{items}]";
/// Ends a value cut at [`MAX_ECHOED_CHARS`](crate::violation::MAX_ECHOED_CHARS).
pub const CUT: &str = "…";

/// The live-AWS ValidationException message of one entry.
pub const REPORT_ONE: &str = "1 validation error detected: {entries}";
/// The live-AWS ValidationException message of several entries.
pub const REPORT_MANY: &str = "{n} validation errors detected: {entries}";
/// The Smithy ValidationException message of one violation.
pub const SMITHY_REPORT_ONE: &str = "1 validation error detected. {entries}";
/// The Smithy ValidationException message of several violations.
pub const SMITHY_REPORT_MANY: &str = "{n} validation errors detected. {entries}";

/// An unknown member.
pub const UNKNOWN_MEMBER: &str = "'{path}' is not a member of the model and was ignored";
/// An unknown member near a known one.
pub const UNKNOWN_MEMBER_MEANT: &str =
    "'{path}' is not a member of the model and was ignored; did you mean `{meant}`?";
/// A capability listed twice.
pub const DUPLICATE_CAPABILITY: &str =
    "'{path}' repeats the capability at index {first}; capabilities are documented as a set";
/// A participant id with `_`, which one of AWS's two models refuses where it is looked up.
pub const PARTICIPANT_ID_NOT_PORTABLE: &str = "'{path}' holds '_', which the Smithy model's \
    ParticipantId pattern {pattern} does not allow (botocore's copy does): {operations} \
    may not find this participant";

/// Hint: an enum value in the wrong case.
pub const HINT_ENUM_CASE: &str = "enum values are case-sensitive: did you mean {meant}?";
/// Hint: a stage ARN with white space around it.
pub const HINT_ARN_SPACE: &str = "it has white space or a line break at its start or end";
/// Hint: a public-key ARN where a stage ARN belongs.
pub const HINT_ARN_PUBLIC_KEY: &str = "this is a public-key ARN (a token's kid), not a stage ARN";
/// Hint: a channel ARN where a stage ARN belongs.
pub const HINT_ARN_CHANNEL: &str =
    "this is a channel ARN (IVS low-latency streaming), not a stage ARN";
/// Hint: fewer than six parts.
pub const HINT_ARN_PARTS: &str =
    "an ARN has six parts separated by ':': arn:aws:ivs:REGION:ACCOUNT:stage/ID";
/// Hint: not `arn:` first.
pub const HINT_ARN_PREFIX: &str = "it must start with 'arn:'";
/// Hint: another partition.
pub const HINT_ARN_PARTITION: &str =
    "the partition must be 'aws': the model's pattern admits no other";
/// Hint: another service.
pub const HINT_ARN_SERVICE: &str =
    "the service must be 'ivs' (IVS Real-Time stages use 'ivs', not 'ivsrealtime')";
/// Hint: a region outside the pattern's characters.
pub const HINT_ARN_REGION: &str =
    "the region must be lower-case letters, digits and '-', such as us-west-2";
/// Hint: an account that is not digits.
pub const HINT_ARN_ACCOUNT: &str = "the account must be digits, such as 123456789012";
/// Hint: a resource that is not `stage/…`.
pub const HINT_ARN_RESOURCE: &str = "the resource must be 'stage/' followed by the stage id";
/// Hint: a stage id outside the pattern's characters.
pub const HINT_ARN_STAGE_ID: &str = "the stage id must be letters, digits and '-'";

/// Reader: the bytes are not UTF-8.
pub const PARSE_INVALID_UTF8: &str = "the body is not valid UTF-8";
/// Reader: serde_json's own description of broken JSON.
pub const PARSE_SYNTAX: &str = "malformed JSON: {detail}";
/// Reader: the body ends inside a value.
pub const PARSE_UNEXPECTED_END: &str = "the body ends in the middle of a value";
/// Reader: data after the value.
pub const PARSE_TRAILING_DATA: &str = "data follows the top-level JSON value";
/// Reader: a lone surrogate or a broken `\u` escape.
pub const PARSE_INVALID_ESCAPE: &str = "a string holds a lone surrogate or a broken \\u escape";
/// Reader: nesting too deep.
pub const PARSE_TOO_DEEP: &str = "arrays and objects nest deeper than {depth} levels";
/// Reader: the top level is not an object.
pub const PARSE_NOT_AN_OBJECT: &str = "the body must be a JSON object, found {found}";
/// Reader: a member name twice, `{name}` written as a JSON string.
pub const PARSE_DUPLICATE_MEMBER: &str = "member {name} appears more than once";
/// Reader: the wrong JSON type.
pub const PARSE_WRONG_TYPE: &str = "expected {expected}, found {found}";
/// Reader: a fraction or exponent where an integer belongs.
pub const PARSE_NOT_AN_INTEGER: &str =
    "expected an integer, found a number with a fraction or exponent";
/// Reader: an integer beyond 32 bits.
pub const PARSE_INTEGER_OUT_OF_RANGE: &str = "the integer does not fit in 32 bits";
/// Reader: `null` in a list or map.
pub const PARSE_NULL_IN_COLLECTION: &str = "null is not allowed in a list or map";
/// Reader: not an RFC 3339 date-time.
pub const PARSE_INVALID_TIMESTAMP: &str =
    "expected an RFC 3339 date-time such as 2026-11-23T19:04:31Z";
/// Reader: a number beyond a 64-bit float.
pub const PARSE_NUMBER_OUT_OF_RANGE: &str = "a number is too large in magnitude for a 64-bit float";
/// Reader: a byte-order mark.
pub const PARSE_BYTE_ORDER_MARK: &str =
    "the body starts with a UTF-8 byte-order mark (EF BB BF), which JSON text must not";
/// Reader: where, after the kind's words, when the path is not empty.
pub const PARSE_AT: &str = " at '{path}'";
/// Reader: the position, after the kind's words and the path, when known.
pub const PARSE_POSITION: &str = " (line {line}, column {column})";

/// The JSON types as the reader's errors name what they found.
pub const FOUND_BOOLEAN: &str = "a boolean";
/// A number found.
pub const FOUND_NUMBER: &str = "a number";
/// A string found.
pub const FOUND_STRING: &str = "a string";
/// `null` found.
pub const FOUND_NULL: &str = "null";
/// An array found.
pub const FOUND_ARRAY: &str = "an array";
/// An object found.
pub const FOUND_OBJECT: &str = "an object";
/// What a string member, a list item or a map value needs.
pub const EXPECTED_STRING: &str = "a string";
/// What an integer member needs.
pub const EXPECTED_INTEGER: &str = "an integer";
/// What a list member needs.
pub const EXPECTED_LIST: &str = "an array of strings";
/// What a map member needs.
pub const EXPECTED_MAP: &str = "an object of strings";
/// What a timestamp member needs.
pub const EXPECTED_TIMESTAMP: &str = "an RFC 3339 date-time string";
/// What a structure member needs.
pub const EXPECTED_OBJECT: &str = "an object";
/// The JSON type of a list of structures.
pub const EXPECTED_OBJECTS: &str = "an array of objects";
/// The JSON type of a boolean member.
pub const EXPECTED_BOOLEAN: &str = "true or false";

/// Every template by its name, for exports: what another language fills.
pub static ALL: &[(&str, &str)] = &[
    ("violation", VIOLATION),
    ("subjectPlain", SUBJECT_PLAIN),
    ("subjectNull", SUBJECT_NULL),
    ("subjectEcho", SUBJECT_ECHO),
    ("subjectLength", SUBJECT_LENGTH),
    ("subjectSize", SUBJECT_SIZE),
    ("ruleRequired", RULE_REQUIRED),
    ("ruleLength", RULE_LENGTH),
    ("ruleRange", RULE_RANGE),
    ("ruleValue", RULE_VALUE),
    ("rulePattern", RULE_PATTERN),
    ("ruleEnum", RULE_ENUM),
    ("ruleMaxBytes", RULE_MAX_BYTES),
    ("ruleRelation", RULE_RELATION),
    ("ruleItems", RULE_ITEMS),
    ("boundsBoth", BOUNDS_BOTH),
    ("boundsMin", BOUNDS_MIN),
    ("boundsMax", BOUNDS_MAX),
    ("boundsNone", BOUNDS_NONE),
    ("separator", SEPARATOR),
    ("entrySeparator", ENTRY_SEPARATOR),
    ("listEcho", LIST_ECHO),
    ("cut", CUT),
    ("reportOne", REPORT_ONE),
    ("reportMany", REPORT_MANY),
    ("smithyReportOne", SMITHY_REPORT_ONE),
    ("smithyReportMany", SMITHY_REPORT_MANY),
    ("unknownMember", UNKNOWN_MEMBER),
    ("unknownMemberMeant", UNKNOWN_MEMBER_MEANT),
    ("duplicateCapability", DUPLICATE_CAPABILITY),
    ("participantIdNotPortable", PARTICIPANT_ID_NOT_PORTABLE),
    ("hintEnumCase", HINT_ENUM_CASE),
    ("hintArnSpace", HINT_ARN_SPACE),
    ("hintArnPublicKey", HINT_ARN_PUBLIC_KEY),
    ("hintArnChannel", HINT_ARN_CHANNEL),
    ("hintArnParts", HINT_ARN_PARTS),
    ("hintArnPrefix", HINT_ARN_PREFIX),
    ("hintArnPartition", HINT_ARN_PARTITION),
    ("hintArnService", HINT_ARN_SERVICE),
    ("hintArnRegion", HINT_ARN_REGION),
    ("hintArnAccount", HINT_ARN_ACCOUNT),
    ("hintArnResource", HINT_ARN_RESOURCE),
    ("hintArnStageId", HINT_ARN_STAGE_ID),
    ("parseInvalidUtf8", PARSE_INVALID_UTF8),
    ("parseSyntax", PARSE_SYNTAX),
    ("parseUnexpectedEnd", PARSE_UNEXPECTED_END),
    ("parseTrailingData", PARSE_TRAILING_DATA),
    ("parseInvalidEscape", PARSE_INVALID_ESCAPE),
    ("parseTooDeep", PARSE_TOO_DEEP),
    ("parseNotAnObject", PARSE_NOT_AN_OBJECT),
    ("parseDuplicateMember", PARSE_DUPLICATE_MEMBER),
    ("parseWrongType", PARSE_WRONG_TYPE),
    ("parseNotAnInteger", PARSE_NOT_AN_INTEGER),
    ("parseIntegerOutOfRange", PARSE_INTEGER_OUT_OF_RANGE),
    ("parseNullInCollection", PARSE_NULL_IN_COLLECTION),
    ("parseInvalidTimestamp", PARSE_INVALID_TIMESTAMP),
    ("parseNumberOutOfRange", PARSE_NUMBER_OUT_OF_RANGE),
    ("parseByteOrderMark", PARSE_BYTE_ORDER_MARK),
    ("parseAt", PARSE_AT),
    ("parsePosition", PARSE_POSITION),
    ("foundBoolean", FOUND_BOOLEAN),
    ("foundNumber", FOUND_NUMBER),
    ("foundString", FOUND_STRING),
    ("foundNull", FOUND_NULL),
    ("foundArray", FOUND_ARRAY),
    ("foundObject", FOUND_OBJECT),
    ("expectedString", EXPECTED_STRING),
    ("expectedObjects", EXPECTED_OBJECTS),
    ("expectedBoolean", EXPECTED_BOOLEAN),
    ("expectedInteger", EXPECTED_INTEGER),
    ("expectedList", EXPECTED_LIST),
    ("expectedMap", EXPECTED_MAP),
    ("expectedTimestamp", EXPECTED_TIMESTAMP),
    ("expectedObject", EXPECTED_OBJECT),
];

/// `template` with each `{name}` replaced by the value `args` gives it; a name without
/// an argument is left as written. Values are inserted verbatim.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The literal words of a template before its first argument (`Member must have
/// length` of [`RULE_LENGTH`]), by which a rule is read back; an opening bracket before
/// the argument is not part of them (`…enum value set:` of [`RULE_ENUM`]), so that a
/// rule written without one is still read.
pub(crate) fn head(template: &str) -> &str {
    template
        .split('{')
        .next()
        .unwrap_or(template)
        .trim_end_matches([' ', '['])
}

/// The literal words of a template after its last argument.
pub(crate) fn tail(template: &str) -> &str {
    template.rsplit('}').next().unwrap_or(template).trim_start()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_by_name_and_inserts_verbatim() {
        assert_eq!(
            fill("{a} and {b} {c}", &[("a", "{b}"), ("b", "x")]),
            "{b} and x {c}"
        );
        assert_eq!(fill("open { end", &[]), "open { end");
        assert_eq!(head(RULE_LENGTH), "Member must have length");
        assert_eq!(head(RULE_ENUM), "Member must satisfy enum value set:");
        assert_eq!(tail(RULE_MAX_BYTES), "UTF-8 bytes in total");
    }

    /// Every template this file declares is in [`ALL`] once, under its name in camelCase
    /// (`RULE_MAX_BYTES` as `ruleMaxBytes`), holding the constant's own text: a template
    /// left out of `ALL` would be spelled again by whoever fills it elsewhere.
    #[test]
    fn every_template_is_exported_once() {
        let source = include_str!("messages.rs");
        let declared: Vec<String> = source
            .lines()
            .filter_map(|l| l.strip_prefix("pub const "))
            .filter_map(|l| l.split_once(": &str"))
            .map(|(name, _)| {
                let mut out = String::new();
                for (i, word) in name.split('_').enumerate() {
                    let lower = word.to_ascii_lowercase();
                    if i == 0 {
                        out.push_str(&lower);
                    } else {
                        out.push_str(&lower[..1].to_ascii_uppercase());
                        out.push_str(&lower[1..]);
                    }
                }
                out
            })
            .collect();
        assert!(declared.len() > 40, "{declared:?}");
        let mut names: Vec<&str> = ALL.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "a name listed twice");
        for name in &declared {
            assert!(
                ALL.iter().any(|(n, _)| n == name),
                "{name} is declared and not in ALL"
            );
        }
        assert_eq!(declared.len(), ALL.len(), "ALL lists what is not declared");
    }
}
