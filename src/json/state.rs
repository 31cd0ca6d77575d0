//! What the visitors share while reading: where they are (a JSON pointer's segments),
//! which unknown members they skipped, and the first failure; and serde_json's errors
//! classified into the reader's kinds.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::de;

use super::{ParseError, ParseErrorKind};

/// One step of the path being read.
#[derive(Debug)]
pub(super) enum Seg<'de> {
    Member(&'static str),
    Key(Cow<'de, str>),
    Index(usize),
}

/// The path being read. The shapes nest at most five segments deep
/// (`/stage/autoParticipantRecordingConfiguration/thumbnailConfiguration/storage/0`), so
/// a fixed array holds it and reading a body costs no allocation for it.
#[derive(Debug, Default)]
pub(super) struct Path<'de> {
    pub(super) segs: [Option<Seg<'de>>; 6],
    pub(super) len: usize,
}

impl<'de> Path<'de> {
    pub(super) fn push(&mut self, seg: Seg<'de>) {
        debug_assert!(self.len < self.segs.len(), "the shapes nest at most 5 deep");
        if let Some(slot) = self.segs.get_mut(self.len) {
            *slot = Some(seg);
        }
        self.len += 1;
    }

    pub(super) fn pop(&mut self) -> Option<Seg<'de>> {
        self.len = self.len.checked_sub(1)?;
        self.segs.get_mut(self.len).and_then(Option::take)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &Seg<'de>> {
        self.segs[..self.len.min(self.segs.len())].iter().flatten()
    }
}

/// What the visitors share: where they are, what they skipped, and the first failure.
#[derive(Debug, Default)]
pub(super) struct State<'de> {
    pub(super) path: Path<'de>,
    pub(super) unknown: Vec<String>,
    pub(super) failure: Option<ParseErrorKind>,
}

pub(super) fn escape_into(out: &mut String, segment: &str) {
    // `<[u8]>::contains` is std's memchr: one fast scan, not a loop of ours per byte.
    let bytes = segment.as_bytes();
    if !bytes.contains(&b'~') && !bytes.contains(&b'/') {
        out.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

impl State<'_> {
    pub(super) fn pointer(&self) -> String {
        let mut out = String::with_capacity(32);
        for seg in self.path.iter() {
            out.push('/');
            match seg {
                Seg::Member(m) => out.push_str(m),
                Seg::Key(k) => escape_into(&mut out, k),
                Seg::Index(i) => {
                    let _ = write!(out, "{i}");
                }
            }
        }
        out
    }

    pub(super) fn fail<E: de::Error>(&mut self, kind: ParseErrorKind) -> E {
        let msg = kind.to_string();
        self.failure.get_or_insert(kind);
        E::custom(msg)
    }

    pub(super) fn wrong<E: de::Error>(&mut self, expected: &'static str, found: &'static str) -> E {
        self.fail(ParseErrorKind::WrongType { expected, found })
    }

    pub(super) fn into_error(self, e: &serde_json::Error) -> ParseError {
        let path = self.pointer();
        let kind = self.failure.unwrap_or_else(|| classify(e));
        ParseError {
            kind,
            line: e.line(),
            column: e.column(),
            path,
        }
    }
}

pub(super) fn classify(e: &serde_json::Error) -> ParseErrorKind {
    use serde_json::error::Category;
    if e.classify() == Category::Eof {
        return ParseErrorKind::UnexpectedEnd;
    }
    let full = e.to_string();
    // serde_json appends " at line L column C"; the position is kept separately.
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full[..],
    };
    if msg == "trailing characters" {
        ParseErrorKind::TrailingData
    } else if msg == "recursion limit exceeded" {
        ParseErrorKind::TooDeep
    } else if msg == "number out of range" {
        ParseErrorKind::NumberOutOfRange
    } else if msg.ends_with("hex escape") {
        // serde_json's "lone leading surrogate in hex escape" and "unexpected end of hex
        // escape".
        ParseErrorKind::InvalidEscape
    } else {
        ParseErrorKind::Syntax(msg.to_owned())
    }
}

/// Runs `f` with `seg` pushed on the path; the segment stays on error so that the error
/// can name where it happened.
pub(super) fn within<'de, T, E>(
    st: &mut State<'de>,
    seg: Seg<'de>,
    f: impl FnOnce(&mut State<'de>) -> Result<T, E>,
) -> Result<T, E> {
    st.path.push(seg);
    let out = f(st)?;
    st.path.pop();
    Ok(out)
}
