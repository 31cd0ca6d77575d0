//! Text from outside (a server's answer, a report or case file, an argument, a setting)
//! written where it lands: one escape per kind of output, used by every writer of the
//! server and of the kit's CLI, and one way to cut a long value.
//!
//! A character that an output cannot carry, or that would act rather than show (a
//! terminal acts on ESC, BEL and the C1 controls; XML 1.0 forbids most C0 controls and
//! U+FFFE/U+FFFF even as references), is written as a visible escape, `\u{1b}`, so that
//! the reader sees that it was there and what it was.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a terminal could act on `c`: a C0 control, DEL or a C1 control (Unicode's
/// `Cc` category).
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
}

/// Whether XML 1.0 forbids `c` (its `Char` production), or a terminal would act on it.
fn unfit_for_markup(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// `c` as a visible escape.
fn visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// `s` with every character `unfit` picks replaced by `write`; borrowed when none is.
fn replace_where(
    s: &str,
    unfit: impl Fn(char) -> bool,
    write: impl Fn(&mut String, char),
) -> Cow<'_, str> {
    let Some(first) = s.find(&unfit) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if unfit(c) {
            write(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One value for a terminal line: every control character, line breaks included, shown
/// as `\u{…}`, so that a value can neither act on the terminal nor start a line of its
/// own that looks like the tool's.
pub fn terminal(s: &str) -> Cow<'_, str> {
    replace_where(s, acts_on_terminal, visible)
}

/// Text of several lines for a terminal: as [`terminal`], but line feeds and tabs kept.
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    replace_where(
        s,
        |c| acts_on_terminal(c) && !matches!(c, '\n' | '\t'),
        visible,
    )
}

/// JSON text for a terminal, its meaning unchanged: serde_json already writes the C0
/// controls of strings as escapes; DEL and the C1 controls, which it writes raw, become
/// `\u00XX` escapes too (they can stand only inside strings).
pub fn json_for_terminal(json: String) -> String {
    match replace_where(
        &json,
        |c| acts_on_terminal(c) && c != '\n',
        |out, c| {
            let _ = write!(out, "\\u{:04x}", c as u32);
        },
    ) {
        Cow::Borrowed(_) => json,
        Cow::Owned(s) => s,
    }
}

/// `s` for HTML or XML text and attribute values alike: `& < > " '` as entities, the
/// characters XML 1.0 forbids (and the controls a terminal acts on) as visible escapes,
/// a carriage return as `&#13;` (kept, where a parser would fold it).
pub fn markup(s: &str) -> Cow<'_, str> {
    replace_where(
        s,
        |c| matches!(c, '&' | '<' | '>' | '"' | '\'' | '\r') || unfit_for_markup(c),
        |out, c| match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => out.push_str("&#13;"),
            c => visible(out, c),
        },
    )
}

/// `text` as one word of a POSIX shell, for commands printed to be pasted: as it is when
/// every character is one a shell leaves alone, else in single quotes (a quote inside
/// closed, escaped and reopened). Controls stay in the word as they are; print the
/// command with [`terminal`].
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `s` cut after `max` characters (Unicode scalar values), the cut said with how many
/// characters it left out: a value echoed into a message or a report stays small whatever
/// its size.
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((at, _)) => Cow::Owned(format!(
            "{}… ({} more characters)",
            &s[..at],
            s[at..].chars().count()
        )),
    }
}

/// The first `max` of `items`, joined by `, `, then how many more there were: a list
/// echoed into a message stays small whatever its length.
pub fn listed(items: impl ExactSizeIterator<Item = String>, max: usize) -> String {
    let n = items.len();
    let mut out: Vec<String> = items.take(max).collect();
    if n > max {
        out.push(format!("and {} more", n - max));
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a hostile server or file sends: terminal titles, screen clears, a BEL, a
    /// C1 CSI, XML's forbidden characters, markup and a line break.
    const PAYLOAD: &str =
        "a\x1b]0;owned\x07b\x1b[2Jc\u{9b}31md\u{fffe}\u{ffff}e<script>'\"&\r\nf\x00g\x7f";

    #[test]
    fn terminal_output_carries_no_control_character() {
        let t = terminal(PAYLOAD);
        assert!(!t.chars().any(char::is_control), "{t}");
        assert!(t.contains("\\u{1b}]0;owned\\u{7}b\\u{1b}[2J"), "{t}");
        assert!(t.contains("\\u{9b}") && t.contains("\\u{a}"), "{t}");
        let lines = terminal_lines(PAYLOAD);
        assert!(lines.contains('\n') && !lines.contains('\x1b'), "{lines}");
        assert!(matches!(terminal("plain text"), Cow::Borrowed(_)));
        // Idempotent: what it writes holds nothing it would escape.
        assert_eq!(terminal(&t), t);
    }

    #[test]
    fn json_for_a_terminal_keeps_its_value() {
        let json = serde_json::to_string(&serde_json::json!({ "k": PAYLOAD })).unwrap();
        let safe = json_for_terminal(json);
        assert!(!safe.chars().any(char::is_control), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["k"], PAYLOAD);
    }

    #[test]
    fn markup_is_well_formed_xml_1_0() {
        let m = markup(PAYLOAD);
        for c in m.chars() {
            let ok = matches!(c, '\t' | '\n' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
                || c >= '\u{10000}';
            assert!(
                ok && (!c.is_control() || c == '\n' || c == '\t'),
                "{c:?} in {m}"
            );
        }
        assert!(
            !m.contains('<') && !m.contains('"') && !m.contains('\''),
            "{m}"
        );
        assert!(
            m.contains("\\u{fffe}\\u{ffff}") && m.contains("&#13;"),
            "{m}"
        );
    }

    #[test]
    fn cuts_and_lists_say_what_they_left_out() {
        assert_eq!(cut("abcdé", 3), "abc… (2 more characters)");
        assert!(matches!(cut("abc", 3), Cow::Borrowed(_)));
        let many = (0..1000).map(|i| i.to_string());
        assert_eq!(listed(many, 3), "0, 1, 2, and 997 more");
    }
}
