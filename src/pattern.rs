//! The model's `@pattern` traits compiled by hand: one pass over the bytes, no regex
//! engine, no allocation.
//!
//! A leaf module: it depends on nothing else in the crate, so the constraint table can
//! point at these matchers and the ARN type can reuse the splitter without a cycle. The
//! property tests prove each matcher equal to the `regex` crate running the model's text
//! (see [`constraints`](crate::constraints)).

/// `arn:aws:ivs:`, the fixed head of every IVS ARN the model's patterns accept.
pub(crate) const ARN_PREFIX: &str = "arn:aws:ivs:";
/// `:stage/`, between the account and the stage id.
pub(crate) const STAGE_RESOURCE: &str = ":stage/";
/// `:public-key/`, between the account and the key id.
pub const PUBLIC_KEY_RESOURCE: &str = ":public-key/";
/// `:channel/`: a low-latency channel's ARN, which a stage ARN's hint names.
pub const CHANNEL_RESOURCE: &str = ":channel/";

/// Byte classes of the patterns, as lookup tables: `[a-z0-9-]` (region), `[0-9]`
/// (account), `[a-zA-Z0-9-]` (resource id). One load a byte.
const REGION: u8 = 1;
const ACCOUNT: u8 = 2;
const RESOURCE_ID: u8 = 4;

const CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let lower = c.is_ascii_lowercase();
        let digit = c.is_ascii_digit();
        let upper = c.is_ascii_uppercase();
        let hyphen = c == b'-';
        if lower || digit || hyphen {
            t[b] |= REGION;
        }
        if digit {
            t[b] |= ACCOUNT;
        }
        if lower || upper || digit || hyphen {
            t[b] |= RESOURCE_ID;
        }
        b += 1;
    }
    t
};

/// The end of the run of bytes of `class` that starts at `from`.
fn run_end(bytes: &[u8], from: usize, class: u8) -> usize {
    bytes[from..]
        .iter()
        .position(|b| CLASSES[usize::from(*b)] & class == 0)
        .map_or(bytes.len(), |n| from + n)
}

/// Whether `s` is one whole, non-empty run of `class`.
fn all_of(s: &str, class: u8) -> bool {
    !s.is_empty() && run_end(s.as_bytes(), 0, class) == s.len()
}

/// Whether `s` is an ARN's region part, `[a-z0-9-]+`.
pub(crate) fn is_region(s: &str) -> bool {
    all_of(s, REGION)
}

/// Whether `s` is an ARN's account part, `[0-9]+`.
pub(crate) fn is_account(s: &str) -> bool {
    all_of(s, ACCOUNT)
}

/// Whether `s` is an ARN's resource id, `[a-zA-Z0-9-]+`.
pub(crate) fn is_resource_id(s: &str) -> bool {
    all_of(s, RESOURCE_ID)
}

/// Where the parts of an ARN lie: the ends of its region and account, and the start of
/// its resource id (which runs to the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArnParts {
    pub(crate) region_end: usize,
    pub(crate) account_end: usize,
    pub(crate) id_start: usize,
}

/// The fixed head, as an array so that comparing it compiles to a few loads.
const PREFIX: &[u8; 12] = b"arn:aws:ivs:";
const _: () = assert!(PREFIX.len() == ARN_PREFIX.len());

/// Finds the parts of a string matching
/// `^arn:aws:ivs:[a-z0-9-]+:[0-9]+<resource>[a-zA-Z0-9-]+$`, where `resource` is `:type/`;
/// `None` when it does not match. The hot path of validation: one pass, no slicing.
fn arn_parts<const N: usize>(b: &[u8], resource: &[u8; N]) -> Option<ArnParts> {
    if b.first_chunk::<12>() != Some(PREFIX) {
        return None;
    }
    let region_start = PREFIX.len();
    // Each class excludes the byte that ends its segment (':'), so greedy runs are the
    // only way to match, and the pattern is checked in a single pass.
    let region_end = run_end(b, region_start, REGION);
    if region_end == region_start || b.get(region_end) != Some(&b':') {
        return None;
    }
    let account_start = region_end + 1;
    let account_end = run_end(b, account_start, ACCOUNT);
    let rest = b.get(account_end..)?;
    if account_end == account_start || rest.first_chunk::<N>() != Some(resource) {
        return None;
    }
    let id_start = account_end + N;
    let id_end = run_end(b, id_start, RESOURCE_ID);
    if id_end == id_start || id_end != b.len() {
        return None;
    }
    Some(ArnParts {
        region_end,
        account_end,
        id_start,
    })
}

/// The stage ARN's parts, or `None` when `s` does not match `StageArn`'s pattern.
pub(crate) fn stage_arn_parts(s: &str) -> Option<ArnParts> {
    arn_parts(s.as_bytes(), b":stage/")
}

/// Whether `s` matches `StageArn`'s pattern with ECMA-262 semantics.
pub(crate) fn matches_stage_arn(s: &str) -> bool {
    stage_arn_parts(s).is_some()
}

/// Whether `s` matches the public-key ARN pattern of a self-signed token's `kid`.
pub(crate) fn matches_public_key_arn(s: &str) -> bool {
    arn_parts(s.as_bytes(), b":public-key/").is_some()
}

/// Whether `s` matches `ParticipantTokenId`'s pattern `^[a-zA-Z0-9-_]*$`.
pub(crate) fn matches_participant_id(s: &str) -> bool {
    s.bytes()
        .all(|b| CLASSES[usize::from(b)] & RESOURCE_ID != 0 || b == b'_')
}

/// `^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$$`: empty, or a
/// storage-configuration ARN.
pub(crate) fn matches_storage_configuration_arn(s: &str) -> bool {
    s.is_empty() || arn_parts(s.as_bytes(), b":storage-configuration/").is_some()
}

/// `^[a-zA-Z0-9+/=_-]*$`: a pagination token.
pub(crate) fn matches_pagination_token(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-'))
}

/// `^st-[a-zA-Z0-9]+$`: a stage session id.
pub(crate) fn matches_stage_session_id(s: &str) -> bool {
    s.strip_prefix("st-")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `^[a-zA-Z0-9-]*$`: the Smithy model's `ParticipantId`, which has no `_`.
pub(crate) fn matches_participant_lookup_id(s: &str) -> bool {
    // `*`: the empty id matches too.
    s.bytes()
        .all(|b| CLASSES[usize::from(b)] & RESOURCE_ID != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        let s = "arn:aws:ivs:eu-1:1:stage/a-B";
        let p = stage_arn_parts(s).unwrap();
        assert_eq!(
            (
                &s[12..p.region_end],
                &s[p.region_end + 1..p.account_end],
                &s[p.id_start..]
            ),
            ("eu-1", "1", "a-B")
        );
        assert_eq!(format!(":stage/"), STAGE_RESOURCE);
        assert_eq!(format!(":public-key/"), PUBLIC_KEY_RESOURCE);
        assert!(matches_public_key_arn("arn:aws:ivs:r:1:public-key/k"));
        assert!(!matches_stage_arn("arn:aws:ivs:r:1:public-key/k"));
        assert!(!matches_stage_arn("arn:aws:ivs:r:1:stage/a\n"));
    }

    #[test]
    fn parts() {
        assert!(is_region("us-west-2") && !is_region("US") && !is_region(""));
        assert!(is_account("0123") && !is_account("1a"));
        assert!(is_resource_id("a-Z9") && !is_resource_id("a_b"));
    }

    #[test]
    fn participant_id() {
        assert!(matches_participant_id(""));
        assert!(matches_participant_id("aZ09-_"));
        assert!(!matches_participant_id("a b"));
        assert!(!matches_participant_id("é"));
        assert!(matches_participant_lookup_id("aZ09-"));
        assert!(!matches_participant_lookup_id("a_b"));
        assert!(matches_participant_lookup_id(""));
        assert!(matches_storage_configuration_arn(""));
        assert!(matches_storage_configuration_arn(
            "arn:aws:ivs:us-west-2:1:storage-configuration/aB-1"
        ));
        assert!(!matches_storage_configuration_arn(
            "arn:aws:ivs:us-west-2:1:stage/aB-1"
        ));
        assert!(matches_stage_session_id("st-abcDEF1234567"));
        assert!(!matches_stage_session_id("st-"));
        assert!(!matches_stage_session_id("st-a_b"));
    }
}
