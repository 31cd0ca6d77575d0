//! Paths of values in two spellings: the JSON pointer this crate reports
//! (`/capabilities/1`, RFC 6901) and the dotted path live AWS services write in
//! ValidationException messages (`capabilities.2.member`: list items counted from 1).
//!
//! The two functions are inverses for every pointer whose segments hold no `.` and are
//! not all digits unless they index a list, which covers every path this crate reports;
//! a property test holds them to it.

use std::fmt::Write as _;

/// The dotted AWS path of a JSON pointer: `/capabilities/1` → `capabilities.2.member`,
/// `/participantToken/userId` → `participantToken.userId`; `~1` and `~0` are unescaped.
///
/// ```
/// use ivs_participant_token::internal::{from_aws_path, to_aws_path};
/// assert_eq!(to_aws_path("/capabilities/1"), "capabilities.2.member");
/// assert_eq!(from_aws_path("capabilities.2.member"), "/capabilities/1");
/// ```
pub fn to_aws_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        if !out.is_empty() {
            out.push('.');
        }
        match seg.parse::<usize>() {
            Ok(i) => {
                let _ = write!(out, "{}.member", i.saturating_add(1));
            }
            _ => out.push_str(&seg.replace("~1", "/").replace("~0", "~")),
        }
    }
    out
}

/// The JSON pointer of a path as a ValidationException names it: a Smithy server's
/// pointer (starting with `/`) is kept as it is; a dotted AWS path is turned back
/// (`capabilities.2.member` → `/capabilities/1`, its segments escaped as RFC 6901 says).
pub fn from_aws_path(path: &str) -> String {
    if path.starts_with('/') || path.is_empty() {
        return path.to_owned();
    }
    let segs: Vec<&str> = path.split('.').collect();
    let mut out = String::new();
    let mut i = 0;
    while i < segs.len() {
        match (segs[i].parse::<usize>(), segs.get(i + 1)) {
            (Ok(n), Some(&"member")) if n > 0 => {
                let _ = write!(out, "/{}", n - 1);
                i += 2;
            }
            _ => {
                out.push('/');
                out.push_str(&segs[i].replace('~', "~0").replace('/', "~1"));
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways() {
        for (pointer, aws) in [
            ("/stageArn", "stageArn"),
            ("/capabilities/0", "capabilities.1.member"),
            (
                "/participantToken/capabilities/1",
                "participantToken.capabilities.2.member",
            ),
            ("/attributes/a~1b~0c", "attributes.a/b~c"),
            ("", ""),
        ] {
            assert_eq!(to_aws_path(pointer), aws);
            assert_eq!(from_aws_path(aws), pointer);
        }
        assert_eq!(from_aws_path("/duration"), "/duration");
        assert_eq!(
            to_aws_path(&format!("/a/{}", usize::MAX)),
            format!("a.{}.member", usize::MAX)
        );
    }
}
