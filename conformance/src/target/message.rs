//! Reading the violations out of a ValidationException message, in any form a faithful
//! server writes: the live-AWS form (`Value 'x' at 'capabilities' failed to satisfy
//! constraint: …`, items either at their list or as `capabilities.2.member`) and the
//! Smithy-server form (`Value at '/capabilities/1' failed to satisfy constraint: …`).
//!
//! Echoed values can hold anything, `' at '`, `; ` and newlines included, so the message
//! is read by its grammar, not by searching: an entry is `Value`, then `null`, a quoted
//! value or Smithy's `with length N`, then ` at '<path>' failed to satisfy constraint:
//! <rule>`; entries are separated by `; `, and a rule never holds the marker of an
//! entry. Where a value makes the split ambiguous, the reading whose entry count matches
//! the message's `N validation errors` wins. A value that holds a whole forged entry
//! (`…' failed to satisfy constraint: …`) can still make two readings of the same count;
//! the first is taken. Only a message that follows no reading is searched instead.

use ivs_participant_token::internal::from_aws_path;

use crate::target::ObservedViolation;

const MARK: &str = "' failed to satisfy constraint: ";
const AT: &str = " at '";
/// How many split points one message may try before giving up on the grammar.
const MAX_STEPS: usize = 10_000;
/// How many entries the grammar reads (one stack frame each); a longer message is
/// searched instead, so that a hostile server cannot overflow the runner's stack.
const MAX_ENTRIES: usize = 64;

/// The constraint kind a rule names, in the Smithy or the live-AWS wording: the core's
/// reading, by the words its messages are written with.
pub fn constraint_in(rule: &str) -> Option<&'static str> {
    ivs_participant_token::internal::constraint_of_rule(rule)
}

/// The violations a ValidationException message names, each with the constraint its
/// rule names (when the wording tells).
pub fn violations_in_message(message: &str) -> Vec<ObservedViolation> {
    let (count, body) = header(message);
    let mut steps = 0;
    if let Some(found) = entries(body, count, 0, &mut steps) {
        return found;
    }
    if count.is_some() {
        if let Some(found) = entries(body, None, 0, &mut steps) {
            return found;
        }
    }
    search(message)
}

/// `N validation error(s) detected: ` (or `.`), and what follows it.
fn header(message: &str) -> (Option<usize>, &str) {
    let Some((head, rest)) = message
        .split_once(" detected: ")
        .or_else(|| message.split_once(" detected. "))
    else {
        return (None, message);
    };
    let count = head.split(' ').next().and_then(|n| n.parse().ok());
    (count, rest)
}

/// A path as servers write them: no quote, no white space.
fn is_path(p: &str) -> bool {
    !p.is_empty() && !p.contains('\'') && !p.chars().any(char::is_whitespace)
}

/// Whether `prefix` (what stands between `Value` and ` at '`) is a form some server
/// writes: nothing, ` null`, a quoted value, Smithy's ` with length N` /
/// ` with size N bytes`, or an unquoted value as some Smithy server versions echo it
/// (`Value xyz at '/string'`; such a value holds no quote).
fn is_value_prefix(prefix: &str) -> bool {
    prefix.is_empty()
        || prefix == " null"
        || (prefix.len() >= 3 && prefix.starts_with(" '") && prefix.ends_with('\''))
        || prefix.starts_with(" with ")
        || (prefix.starts_with(' ') && !prefix.contains('\''))
}

/// Reads `text` as entries, the `depth`-th onwards; `count` entries exactly when given.
fn entries(
    text: &str,
    count: Option<usize>,
    depth: usize,
    steps: &mut usize,
) -> Option<Vec<ObservedViolation>> {
    if text.is_empty() {
        return count.is_none_or(|n| n == 0).then(Vec::new);
    }
    if count == Some(0) || depth >= MAX_ENTRIES {
        return None;
    }
    let rest = text.strip_prefix("Value")?;
    for (at, _) in rest.match_indices(AT) {
        *steps += 1;
        if *steps > MAX_STEPS {
            return None;
        }
        if !is_value_prefix(&rest[..at]) {
            continue;
        }
        let path_start = at + AT.len();
        let Some(path_len) = rest[path_start..].find('\'') else {
            continue;
        };
        let path = &rest[path_start..path_start + path_len];
        let after_path = &rest[path_start + path_len..];
        if !is_path(path) || !after_path.starts_with(MARK) {
            continue;
        }
        let rule_text = &after_path[MARK.len()..];
        // The rule ends where the next entry starts, or at the end.
        let ends = rule_text
            .match_indices("; Value")
            .map(|(i, _)| i)
            .chain([rule_text.len()]);
        for end in ends {
            // A rule states a constraint; one that holds the next entry's marker has
            // swallowed that entry.
            if rule_text[..end].contains(MARK) {
                break;
            }
            let next = rule_text.get(end..).unwrap_or_default();
            let next = next.strip_prefix("; ").unwrap_or(next);
            if let Some(mut more) = entries(next, count.map(|n| n - 1), depth + 1, steps) {
                let mut found = vec![ObservedViolation {
                    path: from_aws_path(path),
                    constraint: constraint_in(&rule_text[..end]).map(str::to_owned),
                }];
                found.append(&mut more);
                return Some(found);
            }
        }
    }
    None
}

/// The fallback for a message that follows no form: every `' failed to satisfy
/// constraint`, with the path before it.
fn search(message: &str) -> Vec<ObservedViolation> {
    const AFTER: &str = "' failed to satisfy constraint";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(end) = message[from..].find(AFTER).map(|i| from + i) {
        let rule_start = end + AFTER.len();
        let rest = &message[rule_start..];
        let rule_end = [rest.find(AFTER), rest.find("; Value")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(rest.len());
        if let Some(start) = message[..end].rfind(AT).map(|i| i + AT.len()) {
            out.push(ObservedViolation {
                path: from_aws_path(&message[start..end]),
                constraint: constraint_in(&rest[..rule_end]).map(str::to_owned),
            });
        }
        from = rule_start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(message: &str) -> Vec<(String, Option<String>)> {
        violations_in_message(message)
            .into_iter()
            .map(|v| (v.path, v.constraint))
            .collect()
    }

    fn at(p: &str, c: &str) -> (String, Option<String>) {
        (p.to_owned(), Some(c.to_owned()))
    }

    #[test]
    fn every_form() {
        let per_item = "3 validation errors detected: Value null at 'stageArn' failed to satisfy constraint: Member must not be null; \
                   Value 'x' at 'capabilities.2.member' failed to satisfy constraint: Member must satisfy enum value set: [PUBLISH, SUBSCRIBE]; \
                   Value 'a at 'b'' at 'userId' failed to satisfy constraint: Member must have length less than or equal to 128";
        assert_eq!(
            read(per_item),
            vec![
                at("/stageArn", "required"),
                at("/capabilities/1", "enum"),
                at("/userId", "length")
            ]
        );
        let collection = "1 validation error detected: Value '[PUBLISH, ADMIN]' at 'capabilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PUBLISH, SUBSCRIBE]]";
        assert_eq!(read(collection), vec![at("/capabilities", "enum")]);
        let smithy = "2 validation errors detected. Value at '/duration' failed to satisfy constraint: Member must be between 1 and 20160, inclusive; \
                      Value with length 129 at '/userId' failed to satisfy constraint: Member must have length between 0 and 128, inclusive";
        assert_eq!(
            read(smithy),
            vec![at("/duration", "range"), at("/userId", "length")]
        );
        let unquoted = "1 validation error detected. Value xyz at '/string' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-m]+$";
        assert_eq!(read(unquoted), vec![at("/string", "pattern")]);
        assert!(read("no paths here").is_empty());
        let odd = "Value at '/x' failed to satisfy constraint: Member must rhyme";
        assert_eq!(read(odd), vec![("/x".to_owned(), None)]);
    }

    #[test]
    fn echoed_values_with_quotes_separators_and_newlines() {
        // A userId that holds quotes, ` at '`, `; `, `; Value '` and a newline.
        let value = "it's 'a' at 'stageArn'; Value 'x'\nsecond line";
        let message = format!(
            "2 validation errors detected: Value '{value}' at 'userId' failed to satisfy constraint: Member must have length less than or equal to 128; \
             Value '0' at 'duration' failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
        assert_eq!(
            read(&message),
            vec![at("/userId", "length"), at("/duration", "range")]
        );
    }

    #[test]
    fn a_message_of_many_entries_is_read_without_deep_recursion() {
        let entry = "Value at '/x' failed to satisfy constraint: Member must not be null";
        let message = format!(
            "100000 validation errors detected. {}",
            vec![entry; 100_000].join("; ")
        );
        // On a small stack, as the runner's threads have.
        let found = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || violations_in_message(&message).len())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(found, 100_000);
    }

    #[test]
    fn a_pathological_message_ends_in_bounded_time() {
        let message = format!(
            "9 validation errors detected: Value '{}",
            " at 'x'; Value".repeat(5_000)
        );
        let start = std::time::Instant::now();
        let _ = read(&message);
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
}
