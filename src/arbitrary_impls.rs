//! `arbitrary::Arbitrary` for the types whose derive would break an invariant: an
//! unknown capability never spells a known one, a timestamp stays within RFC 3339's
//! years. With these, every arbitrary value survives a write and a strict read unchanged.

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::constraints::CAPABILITY_VALUES;
use crate::model::{Capability, Token};
use crate::timestamp::Timestamp;

impl<'a> Arbitrary<'a> for Capability {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=3u8)? {
            0 => Capability::Publish,
            1 => Capability::Subscribe,
            _ => {
                let s = String::arbitrary(u)?;
                // Spelling a known value would read back as that value, not Unknown.
                if CAPABILITY_VALUES.contains(&s.as_str()) {
                    Capability::Unknown(s + "?")
                } else {
                    Capability::Unknown(s)
                }
            }
        })
    }
}

impl<'a> Arbitrary<'a> for Token {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Token::new(String::arbitrary(u)?))
    }
}

impl<'a> Arbitrary<'a> for Timestamp {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let seconds = u.int_in_range(Timestamp::MIN_UNIX_SECONDS..=Timestamp::MAX_UNIX_SECONDS)?;
        let nanos = u.int_in_range(0..=999_999_999u32)?;
        Ok(Timestamp::from_unix(seconds, nanos).expect("within RFC 3339's years"))
    }
}
