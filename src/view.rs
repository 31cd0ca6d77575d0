//! Borrowed views of requests and responses: what the strict reader builds, without
//! copying the body, and what a server's request path can validate without allocating.
//!
//! The one strict reader ([`crate::json`]) fills either a view or an owned value through
//! the same slots, so both forms get the same rules, errors and positions (the
//! `fast_path` fuzz target checks it). Why not build the owned value from a view: copying
//! a view out costs more than filling the owned value directly (measured with
//! `cargo bench --bench validation`), and servers that keep the owned value should not
//! pay for both. [`RequestView::into_owned`] still gives the owned value of a view.
//!
//! In a view, a string without escapes is borrowed from the body (`Cow::Borrowed`); one
//! with escapes is decoded into an owned string, which is the only allocation a valid body
//! can cost, and a body's usual strings have none. Attributes and capabilities are held in
//! [`InlineList`]s, which keep their first few entries inline and spill to the heap only
//! beyond them.
//!
//! ```
//! use ivs_participant_token::check_request_view;
//!
//! let body = br#"{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234","duration":60}"#;
//! let checked = check_request_view(body).unwrap();
//! assert!(checked.report.is_valid());
//! assert_eq!(checked.value.stage_arn.as_deref(), Some("arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"));
//! let owned = checked.value.into_owned();
//! assert_eq!(owned.duration, Some(60));
//! ```

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

#[cfg(test)]
use crate::constraints;
use crate::model::{
    Attributes, Capability, CreateParticipantTokenRequest, CreateParticipantTokenResponse,
    ParticipantToken, Token,
};
use crate::timestamp::Timestamp;
use crate::validate::{Report, RequestFields, TokenFields};

/// A list that keeps its first `N` items inline and the rest in a `Vec`, which allocates
/// only once there are more than `N`.
#[derive(Clone, PartialEq, Eq)]
pub struct InlineList<T, const N: usize> {
    head: [Option<T>; N],
    len: usize,
    rest: Vec<T>,
}

impl<T, const N: usize> Default for InlineList<T, N> {
    fn default() -> Self {
        InlineList {
            head: std::array::from_fn(|_| None),
            len: 0,
            rest: Vec::new(),
        }
    }
}

impl<T, const N: usize> InlineList<T, N> {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `item`.
    pub fn push(&mut self, item: T) {
        match self.head.get_mut(self.len) {
            Some(slot) => *slot = Some(item),
            None => self.rest.push(item),
        }
        self.len += 1;
    }

    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The items, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + Clone {
        self.head.iter().flatten().chain(self.rest.iter())
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for InlineList<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Capabilities as read: each value's text (known or not), in order. Four inline: twice
/// the most a valid list holds, so that the usual invalid lists cost no allocation either.
pub type Items<'a> = InlineList<Cow<'a, str>, 4>;

/// How many attributes are compared for uniqueness one by one; past this many, a set of
/// the names takes over, so that a body of many names costs no quadratic time.
const LINEAR_KEYS: usize = 8;

/// How many attributes are held inline (more spill to the heap). Kept small: a view is
/// moved a few times on its way out, and every inline slot is bytes to move.
const INLINE_PAIRS: usize = 2;

/// Attributes as read: (name, value) pairs in body order, names unique.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Pairs<'a> {
    list: InlineList<(Cow<'a, str>, Cow<'a, str>), INLINE_PAIRS>,
    names: Option<BTreeSet<Cow<'a, str>>>,
}

impl<'a> Pairs<'a> {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a pair; a name already present is refused and handed back.
    pub fn insert(&mut self, name: Cow<'a, str>, value: Cow<'a, str>) -> Result<(), Cow<'a, str>> {
        if self.names.is_none() && self.list.len() == LINEAR_KEYS {
            self.names = Some(self.list.iter().map(|(k, _)| k.clone()).collect());
        }
        let duplicate = match &mut self.names {
            Some(names) => !names.insert(name.clone()),
            None => self.list.iter().any(|(k, _)| *k == name),
        };
        if duplicate {
            return Err(name);
        }
        self.list.push((name, value));
        Ok(())
    }

    /// How many pairs.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The pairs, in body order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.list.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    fn into_owned(self) -> Attributes {
        self.list
            .head
            .into_iter()
            .flatten()
            .chain(self.list.rest)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
}

impl fmt::Debug for Pairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A view's capabilities as validation takes them: the count and the wire values.
fn items_of<'x>(c: &'x Items<'_>) -> (usize, impl Iterator<Item = &'x str> + Clone) {
    (c.len(), c.iter().map(AsRef::as_ref))
}

fn capabilities_owned(items: Items<'_>) -> Vec<Capability> {
    items
        .head
        .into_iter()
        .flatten()
        .chain(items.rest)
        .map(|c| Capability::from_wire(&c))
        .collect()
}

/// The participant token's secret, borrowed; its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenView<'a>(pub(crate) Cow<'a, str>);

impl TokenView<'_> {
    /// The secret value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenView(*** redacted ***)")
    }
}

/// A CreateParticipantToken request as read, borrowing from the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestView<'a> {
    /// `stageArn`.
    pub stage_arn: Option<Cow<'a, str>>,
    /// `duration`.
    pub duration: Option<i32>,
    /// `userId`.
    pub user_id: Option<Cow<'a, str>>,
    /// `attributes`.
    pub attributes: Option<Pairs<'a>>,
    /// `capabilities`; `Some` of an empty list is not absence.
    pub capabilities: Option<Items<'a>>,
}

impl RequestView<'_> {
    /// Checks every constraint of the table, as [`CreateParticipantTokenRequest::validate`]
    /// does the owned request. A valid view costs no allocation.
    pub fn validate(&self) -> Report {
        RequestFields {
            stage_arn: self.stage_arn.as_deref(),
            duration: self.duration,
            user_id: self.user_id.as_deref(),
            attributes: self.attributes.as_ref().map(Pairs::iter),
            capabilities: self.capabilities.as_ref().map(items_of),
        }
        .validate()
    }

    /// The owned request.
    pub fn into_owned(self) -> CreateParticipantTokenRequest {
        CreateParticipantTokenRequest {
            stage_arn: self.stage_arn.map(Cow::into_owned),
            duration: self.duration,
            user_id: self.user_id.map(Cow::into_owned),
            attributes: self.attributes.map(Pairs::into_owned),
            capabilities: self.capabilities.map(capabilities_owned),
        }
    }
}

/// A participant token as read, borrowing from the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParticipantTokenView<'a> {
    /// `participantId`.
    pub participant_id: Option<Cow<'a, str>>,
    /// `token` (secret).
    pub token: Option<TokenView<'a>>,
    /// `userId`.
    pub user_id: Option<Cow<'a, str>>,
    /// `attributes`.
    pub attributes: Option<Pairs<'a>>,
    /// `duration`.
    pub duration: Option<i32>,
    /// `capabilities`.
    pub capabilities: Option<Items<'a>>,
    /// `expirationTime`.
    pub expiration_time: Option<Timestamp>,
}

impl ParticipantTokenView<'_> {
    fn validate_into(&self, r: &mut Report, p: &str) {
        TokenFields {
            participant_id: self.participant_id.as_deref(),
            token: self.token.as_ref().map(TokenView::expose),
            user_id: self.user_id.as_deref(),
            attributes: self.attributes.as_ref().map(Pairs::iter),
            duration: self.duration,
            capabilities: self.capabilities.as_ref().map(items_of),
            has_expiration_time: self.expiration_time.is_some(),
        }
        .validate_into(r, p);
    }

    /// The owned token.
    pub fn into_owned(self) -> ParticipantToken {
        ParticipantToken {
            participant_id: self.participant_id.map(Cow::into_owned),
            token: self.token.map(|t| Token::new(t.0.into_owned())),
            user_id: self.user_id.map(Cow::into_owned),
            attributes: self.attributes.map(Pairs::into_owned),
            duration: self.duration,
            capabilities: self.capabilities.map(capabilities_owned),
            expiration_time: self.expiration_time,
        }
    }
}

/// A CreateParticipantToken response as read, borrowing from the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseView<'a> {
    /// `participantToken`.
    pub participant_token: Option<ParticipantTokenView<'a>>,
}

impl ResponseView<'_> {
    /// Checks the response as [`CreateParticipantTokenResponse::validate`] does.
    pub fn validate(&self) -> Report {
        let mut r = Report::default();
        let prefix = crate::validate::token_prefix();
        match &self.participant_token {
            Some(t) => t.validate_into(&mut r, prefix),
            None => ParticipantTokenView::default().validate_into(&mut r, prefix),
        }
        r
    }

    /// The owned response.
    pub fn into_owned(self) -> CreateParticipantTokenResponse {
        CreateParticipantTokenResponse {
            participant_token: self.participant_token.map(ParticipantTokenView::into_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_lists_spill_in_order() {
        let mut l: InlineList<usize, 2> = InlineList::new();
        for i in 0..5 {
            l.push(i);
        }
        assert_eq!(l.len(), 5);
        assert_eq!(l.iter().copied().collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn pairs_refuse_duplicates_before_and_after_the_set_takes_over() {
        let mut p = Pairs::new();
        for i in 0..20 {
            assert!(p
                .insert(Cow::Owned(i.to_string()), Cow::Borrowed("v"))
                .is_ok());
        }
        assert_eq!(
            p.insert(Cow::Borrowed("3"), Cow::Borrowed("x")),
            Err(Cow::Borrowed("3"))
        );
        assert_eq!(
            p.insert(Cow::Borrowed("15"), Cow::Borrowed("x")),
            Err(Cow::Borrowed("15"))
        );
        assert_eq!(p.len(), 20);
        assert_eq!(p.clone().into_owned().len(), 20);
    }

    #[test]
    fn token_prefix_is_the_tables() {
        let member = constraints::PARTICIPANT_TOKEN_MEMBER.member;
        assert_eq!(crate::validate::token_prefix(), format!("/{member}"));
    }

    #[test]
    fn the_token_view_is_redacted() {
        let t = TokenView(Cow::Borrowed("SECRET"));
        assert!(!format!("{t:?}").contains("SECRET"));
    }
}
