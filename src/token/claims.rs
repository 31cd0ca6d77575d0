//! The JWT header and claims of a participant token, and their validation.

use serde::{Deserialize, Serialize};

use crate::arn::StageArn;
use crate::constraints::{self, Bounds, MemberConstraints, MemberId, CLAIMS, KID};
use crate::model::Attributes;
use crate::report::Report;
use crate::validation::{check_map, check_required, check_string, path, push, At};
use crate::violation::Constraint;

/// The JOSE header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// `ES384` for self-signed tokens, `KMS` for the API's own.
    pub alg: String,
    /// `JWT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// The public key's ARN, for self-signed tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
}

impl Header {
    /// The header of a self-signed token signed with the key `kid`.
    pub fn self_signed(kid: &str) -> Header {
        Header {
            alg: constraints::SELF_SIGNED_ALG.to_owned(),
            typ: Some("JWT".to_owned()),
            kid: Some(kid.to_owned()),
        }
    }

    /// Checks `kid` against the public-key ARN pattern (self-signed tokens).
    pub fn validate(&self) -> Report {
        let mut r = Report::default();
        check_string(&mut r, &KID, At::TOP, self.kid.as_deref());
        r
    }

    /// Which of the two forms IVS gives a token's header this one has: the API's own
    /// (`alg` `KMS`), or a self-signed token's (`alg` `ES384` and a `kid` that is a
    /// public-key ARN); `typ`, when present, `JWT`. `None` for any other header (an
    /// HMAC `alg`, `none`, an ES384 token without its key's ARN). The docs call tokens
    /// opaque, so a client relies on neither: a checker reports another form at SHOULD.
    pub fn form(&self) -> Option<HeaderForm> {
        if self.typ.as_deref().is_some_and(|t| t != "JWT") {
            return None;
        }
        match self.alg.as_str() {
            constraints::API_TOKEN_ALG => Some(HeaderForm::Api),
            constraints::SELF_SIGNED_ALG if self.validate().is_valid() && self.kid.is_some() => {
                Some(HeaderForm::SelfSigned)
            }
            _ => None,
        }
    }
}

/// The forms of a token's JOSE header that IVS uses ([`Header::form`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderForm {
    /// The API's own tokens: `{"alg":"KMS","typ":"JWT"}`.
    Api,
    /// Self-signed tokens: `{"alg":"ES384","typ":"JWT","kid":"arn:aws:ivs:…:public-key/…"}`.
    SelfSigned,
}

impl HeaderForm {
    /// The form in words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            HeaderForm::Api => "the API's own (alg KMS)",
            HeaderForm::SelfSigned => "self-signed (alg ES384, kid a public-key ARN)",
        }
    }
}

/// The `capabilities` claim.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimCapabilities {
    /// May publish.
    #[serde(default)]
    pub allow_publish: bool,
    /// May subscribe.
    #[serde(default)]
    pub allow_subscribe: bool,
}

/// The claims of a participant token. Every member is optional here so that any token
/// can be decoded and inspected; [`Claims::validate`] says what is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Expiry, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Issued at, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// The participant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// The request's userId; absent when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The stage ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The stage id, the ARN's last segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The stage's events endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_url: Option<String>,
    /// The stage's WHIP endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whip_url: Option<String>,
    /// What the participant may do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<ClaimCapabilities>,
    /// The request's attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
    /// `1.0` for self-signed tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Whether `id` matches the Smithy model's `ParticipantId` pattern as well as
/// `ParticipantTokenId`'s, so that every operation that looks a participant up can take it.
pub fn participant_id_is_portable(id: &str) -> bool {
    (constraints::PARTICIPANT_ID_LOOKUP_PATTERN.matches)(id)
}

fn spec(id: MemberId) -> &'static MemberConstraints {
    constraints::row(&CLAIMS, id)
}

impl Claims {
    /// Checks the claims of a self-signed token against the constraint table: every
    /// mandatory claim present, `jti` at most 64 of `[A-Za-z0-9_-]`, `resource` a stage
    /// ARN, `topic` its stage id, `exp` after `iat` by at most 14 days, attributes at
    /// most 1 KB, `version` `1.0`.
    pub fn validate(&self) -> Report {
        let mut r = Report::default();
        let p = At::TOP;
        check_required(&mut r, spec(MemberId::Exp), p, self.exp.is_some());
        check_required(&mut r, spec(MemberId::Iat), p, self.iat.is_some());
        check_string(&mut r, spec(MemberId::Jti), p, self.jti.as_deref());
        if let Some(jti) = self
            .jti
            .as_deref()
            .filter(|j| !participant_id_is_portable(j))
        {
            if (constraints::PARTICIPANT_ID_PATTERN.matches)(jti) {
                r.advise(crate::report::Advisory {
                    path: path(p, spec(MemberId::Jti)),
                    kind: crate::report::AdvisoryKind::ParticipantIdNotPortable,
                    suggestion: None,
                });
            }
        }
        check_string(
            &mut r,
            spec(MemberId::ClaimUserId),
            p,
            self.user_id.as_deref(),
        );
        check_string(
            &mut r,
            spec(MemberId::Resource),
            p,
            self.resource.as_deref(),
        );
        check_string(&mut r, spec(MemberId::Topic), p, self.topic.as_deref());
        if let (Some(topic), Some(Ok(arn))) =
            (&self.topic, self.resource.as_deref().map(StageArn::parse))
        {
            if topic != arn.stage_id() {
                let m = spec(MemberId::Topic);
                let c = Constraint::Relation("equal to the stage id of resource");
                push(
                    &mut r,
                    m,
                    path(p, m),
                    c,
                    constraints::Source::Docs,
                    None,
                    Some(topic),
                );
            }
        }
        check_string(
            &mut r,
            spec(MemberId::EventsUrl),
            p,
            self.events_url.as_deref(),
        );
        check_string(&mut r, spec(MemberId::WhipUrl), p, self.whip_url.as_deref());
        check_required(
            &mut r,
            spec(MemberId::Capabilities),
            p,
            self.capabilities.is_some(),
        );
        check_map(
            &mut r,
            spec(MemberId::Attributes),
            p,
            self.attributes.as_ref(),
        );
        check_string(&mut r, spec(MemberId::Version), p, self.version.as_deref());
        if let (Some(exp), Some(iat)) = (self.exp, self.iat) {
            let max = constraints::MAX_TOKEN_LIFETIME_SECONDS;
            let bounds = Bounds {
                min: Some(iat),
                max: Some(iat.saturating_add(max.value)),
            };
            if !bounds.contains(exp) {
                let m = spec(MemberId::Exp);
                push(
                    &mut r,
                    m,
                    path(p, m),
                    Constraint::Range(bounds),
                    max.source,
                    None,
                    Some(&exp.to_string()),
                );
            }
        }
        r
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    #[test]
    fn the_two_forms_ivs_uses_and_no_other() {
        let h = |alg: &str, kid: Option<&str>| Header {
            alg: alg.to_owned(),
            typ: Some("JWT".to_owned()),
            kid: kid.map(str::to_owned),
        };
        let kid = "arn:aws:ivs:us-west-2:123456789012:public-key/abcABC123";
        assert_eq!(h("KMS", None).form(), Some(HeaderForm::Api));
        assert_eq!(h("ES384", Some(kid)).form(), Some(HeaderForm::SelfSigned));
        assert_eq!(h("ES384", None).form(), None);
        assert_eq!(h("ES384", Some("key-1")).form(), None);
        assert_eq!(h("HS256", None).form(), None);
        assert_eq!(h("none", None).form(), None);
        let mut other_typ = h("KMS", None);
        other_typ.typ = Some("JOSE".to_owned());
        assert_eq!(other_typ.form(), None);
    }
}
