//! Validated identifier and text newtypes: [`Ulid`] and [`NonEmptyString`].

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contract::decode::StrVisitor;
use crate::error::ValidationError;

/// A ULID as it stands on the wire: 26 characters of Crockford base32.
///
/// The text is kept exactly as read (letter case included) so that a log
/// re-serializes byte for byte and ids compare as the Python library compares
/// them, as strings. It is `Copy`: 26 bytes inline, no allocation.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ulid([u8; Ulid::LEN]);

impl Ulid {
    /// The length of every ULID, in characters.
    pub const LEN: usize = 26;

    /// Checks `text` and keeps it as is.
    ///
    /// # Errors
    /// A [`ValidationError`] (for the field `""`) when `text` is not 26
    /// Crockford base32 characters or encodes more than 128 bits.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bytes: [u8; Self::LEN] = text.as_bytes().try_into().map_err(|_| {
            ValidationError::new(
                "",
                format!(
                    "a ULID has {} characters, {text:?} has {}",
                    Self::LEN,
                    text.chars().count()
                ),
            )
        })?;
        if let Some(bad) = bytes.iter().find(|b| !is_crockford(**b)) {
            return Err(ValidationError::new(
                "",
                format!(
                    "{text:?} is not a ULID: {:?} is not a Crockford base32 digit",
                    char::from(*bad)
                ),
            ));
        }
        if bytes[0] > b'7' {
            return Err(ValidationError::new(
                "",
                format!("{text:?} is not a ULID: it overflows 128 bits"),
            ));
        }
        Ok(Self(bytes))
    }

    /// A fresh ULID for now (millisecond time, random tail), upper case.
    pub fn generate() -> Self {
        Self::from(ulid::Ulid::generate())
    }

    /// The ULID's text.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored (checked in `parse`, or produced by
        // the `ulid` crate's encoder).
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl From<ulid::Ulid> for Ulid {
    fn from(value: ulid::Ulid) -> Self {
        let mut bytes = [0u8; Self::LEN];
        bytes.copy_from_slice(value.to_string().as_bytes());
        Self(bytes)
    }
}

/// Crockford base32 digits, either case: a table, since every event id and
/// causation id of a log goes through it.
const CROCKFORD: [bool; 256] = {
    let mut table = [false; 256];
    let digits = b"0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz";
    let mut i = 0;
    while i < digits.len() {
        table[digits[i] as usize] = true;
        i += 1;
    }
    table
};

fn is_crockford(b: u8) -> bool {
    CROCKFORD[usize::from(b)]
}

impl FromStr for Ulid {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Ulid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Ulid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ulid({})", self.as_str())
    }
}

impl Serialize for Ulid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Ulid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a ULID string", Ulid::parse)
    }
}

/// A string with at least one character.
///
/// Every free-text field of the contract (ids, names, actors) is one of these;
/// an empty string is rejected where it is read, so code holding a
/// `NonEmptyString` never checks again.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct NonEmptyString(CompactString);

impl NonEmptyString {
    /// Wraps `text` if it is not empty.
    ///
    /// # Errors
    /// A [`ValidationError`] (for the field `""`) when `text` is empty.
    pub fn new(text: impl Into<String>) -> Result<Self, ValidationError> {
        let text: String = text.into();
        Self::from_str_checked(&text).map(|_| Self(CompactString::from(text)))
    }

    /// Checks and copies `text`; short text (up to 24 bytes: ids, actors,
    /// lanes of prose) is kept inline, without a heap allocation.
    fn from_str_checked(text: &str) -> Result<Self, ValidationError> {
        if text.is_empty() {
            Err(ValidationError::new("", "must not be empty"))
        } else {
            Ok(Self(CompactString::new(text)))
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the text is only white space (a rule for forced moves' reasons).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// The owned text.
    pub fn into_string(self) -> String {
        self.0.into_string()
    }
}

impl FromStr for NonEmptyString {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_str_checked(s)
    }
}

impl TryFrom<&str> for NonEmptyString {
    type Error = ValidationError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::from_str_checked(s)
    }
}

impl TryFrom<String> for NonEmptyString {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl AsRef<str> for NonEmptyString {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for NonEmptyString {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NonEmptyString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NonEmptyString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq<str> for NonEmptyString {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for NonEmptyString {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl<'de> Deserialize<'de> for NonEmptyString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(
            deserializer,
            "a non-empty string",
            NonEmptyString::from_str_checked,
        )
    }
}
