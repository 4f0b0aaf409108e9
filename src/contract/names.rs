//! Named text newtypes for what a caller passes to the emission API:
//! [`MissionId`], [`MissionType`], [`WpId`], [`Phase`], [`Actor`] and
//! [`ReviewRef`].
//!
//! On the wire all of these are plain strings; in Rust each is its own type,
//! so passing a phase where the mission type goes, or an actor where a review
//! reference goes, is a compile error rather than a wrong event.
//!
//! Each validates where it is made (`new`, [`FromStr`], `TryFrom<&str>`,
//! `TryFrom<String>`, deserialization):
//!
//! | type | rule |
//! |---|---|
//! | [`MissionId`], [`MissionType`], [`WpId`], [`Phase`] | not empty, no white space, no control character |
//! | [`Actor`], [`ReviewRef`] | not blank, no control character, no white space at either end |
//!
//! ```
//! use spec_kitty_events::contract::{Phase, WpId};
//! let wp: WpId = "WP01".parse()?;
//! assert_eq!(wp.as_str(), "WP01");
//! assert!(Phase::try_from("in review").is_err());
//! # Ok::<(), spec_kitty_events::ValidationError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contract::decode::StrVisitor;
use crate::contract::ids::NonEmptyString;
use crate::error::ValidationError;

/// Which characters a name may hold.
#[derive(Clone, Copy)]
enum Rule {
    /// An identifier: no white space anywhere.
    Token,
    /// Free text: inner spaces allowed, none at either end.
    Text,
}

fn check(text: &str, rule: Rule, what: &str) -> Result<(), ValidationError> {
    let fail = |why: &str| Err(ValidationError::new("", format!("{what} {text:?} {why}")));
    if text.trim().is_empty() {
        return Err(ValidationError::new(
            "",
            format!("{what} must not be empty or blank"),
        ));
    }
    if text.chars().any(char::is_control) {
        return fail("holds a control character");
    }
    match rule {
        Rule::Token if text.chars().any(char::is_whitespace) => fail("holds white space"),
        Rule::Text if text.trim() != text => fail("starts or ends with white space"),
        Rule::Token | Rule::Text => Ok(()),
    }
}

macro_rules! names {
    ($($(#[doc = $doc:literal])* $Name:ident: $rule:ident, $what:literal;)+) => {$(
        $(#[doc = $doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $Name(NonEmptyString);

        impl $Name {
            /// Checks `text` against the rule of this name.
            ///
            /// # Errors
            /// A [`ValidationError`] (for the field `""`) saying which rule
            /// `text` breaks.
            pub fn new(text: impl Into<String>) -> Result<Self, ValidationError> {
                let text: String = text.into();
                check(&text, Rule::$rule, $what)?;
                NonEmptyString::new(text).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// The text as the contract's payload field type.
            pub fn as_non_empty(&self) -> &NonEmptyString {
                &self.0
            }
        }

        impl FromStr for $Name {
            type Err = ValidationError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::new(text)
            }
        }

        impl TryFrom<&str> for $Name {
            type Error = ValidationError;
            fn try_from(text: &str) -> Result<Self, Self::Error> {
                Self::new(text)
            }
        }

        impl TryFrom<String> for $Name {
            type Error = ValidationError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::new(text)
            }
        }

        impl From<$Name> for NonEmptyString {
            fn from(name: $Name) -> Self {
                name.0
            }
        }

        impl AsRef<str> for $Name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for $Name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $Name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl fmt::Display for $Name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $Name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($Name), "({:?})"), self.as_str())
            }
        }

        impl Serialize for $Name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $Name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                StrVisitor::deserialize(deserializer, $what, |text| $Name::new(text))
            }
        }
    )+};
}

names! {
    /// A mission's id: the `aggregate_id` of its events and the
    /// `feature_slug` of its work packages', e.g. `034-status-model`.
    MissionId: Token, "a mission id";
    /// The kind of a mission, e.g. `software-dev`.
    MissionType: Token, "a mission type";
    /// A work package's id, e.g. `WP01`.
    WpId: Token, "a work package id";
    /// A mission phase, e.g. `implement`.
    Phase: Token, "a phase";
    /// Who made a move: an agent or a person, e.g. `claude` or `Ada Lovelace`.
    Actor: Text, "an actor";
    /// A reference to the review that sent work back, e.g. `review-3` or a URL.
    ReviewRef: Text, "a review reference";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_their_rules() {
        // (text, token-valid, text-valid), reasoned from the rules table.
        let table = [
            ("WP01", true, true),
            ("", false, false),
            ("   ", false, false),
            ("in review", false, true),
            (" rob", false, false),
            ("rob ", false, false),
            ("a\tb", false, false),
            ("a\u{7}b", false, false),
            ("Ada Lovelace", false, true),
            ("034-feature-status", true, true),
        ];
        for (text, token, free) in table {
            assert_eq!(WpId::new(text).is_ok(), token, "{text:?}");
            assert_eq!(Phase::try_from(text).is_ok(), token, "{text:?}");
            assert_eq!(text.parse::<MissionId>().is_ok(), token, "{text:?}");
            assert_eq!(Actor::new(text).is_ok(), free, "{text:?}");
            assert_eq!(
                ReviewRef::try_from(text.to_owned()).is_ok(),
                free,
                "{text:?}"
            );
        }
    }

    #[test]
    fn names_round_trip_through_json_and_reject_bad_text() {
        let wp: WpId = serde_json::from_str(r#""WP07""#).unwrap();
        assert_eq!(wp, "WP07");
        assert_eq!(serde_json::to_string(&wp).unwrap(), r#""WP07""#);
        assert_eq!(wp.to_string(), "WP07");
        assert_eq!(format!("{wp:?}"), r#"WpId("WP07")"#);
        assert!(serde_json::from_str::<WpId>(r#""WP 07""#).is_err());
        assert!(serde_json::from_str::<Actor>(r#""""#).is_err());
    }
}
