//! [`EventId`]: an event's identity, a ULID or a UUID, kept in the spelling
//! it was read in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::contract::decode::StrVisitor;
use crate::contract::ids::Ulid;
use crate::contract::version::ContractVersion;
use crate::error::ValidationError;

/// An event id (`event_id`, `causation_id`): a ULID (26 Crockford base32
/// characters), as every contract version writes, or a UUID, which schema
/// 3.0.0 readers also accept (since spec-kitty-events 2.2.0): hyphenated
/// (36 characters) or bare (32 hex digits), in either case.
///
/// The text is kept as it was read and written back unchanged (11.0.0
/// rewrites a bare UUID hyphenated; this crate keeps each event's bytes).
/// Two ids are equal when their text is, and order by their text, so ULIDs,
/// which sort by time, keep their order. Ids this crate makes are ULIDs.
///
/// ```
/// use spec_kitty_events::contract::{EventId, Ulid};
/// let uuid: EventId = "550e8400-e29b-41d4-a716-446655440000".parse()?;
/// assert!(uuid.as_ulid().is_none());
/// assert_eq!(uuid.as_str(), "550e8400-e29b-41d4-a716-446655440000");
/// let bare: EventId = "550E8400E29B41D4A716446655440000".parse()?;
/// assert_eq!(bare.as_uuid(), uuid.as_uuid());
/// assert_eq!(bare.to_string(), "550E8400E29B41D4A716446655440000");
/// let ulid = Ulid::generate();
/// assert_eq!(EventId::from(ulid).as_ulid(), Some(ulid));
/// # Ok::<(), spec_kitty_events::ValidationError>(())
/// ```
// `bytes` before `len`: the derived order compares the zero-padded text
// first, which is the order of the text itself (0 sorts before any digit).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId {
    bytes: [u8; EventId::MAX_LEN],
    len: u8,
}

impl EventId {
    /// The longest spelling: a hyphenated UUID.
    pub const MAX_LEN: usize = 36;

    /// Parses an event id: a ULID, a hyphenated UUID or a bare one.
    ///
    /// # Errors
    /// A [`ValidationError`] (with an empty field, for the caller to name)
    /// saying which spellings are accepted.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        match text.len() {
            // The ULID's text is `text`: kept without writing it back out.
            Ulid::LEN => Ulid::parse(text).map(|_| Self::of_text(text)),
            32 | 36 if Uuid::try_parse(text).is_ok() => Ok(Self::of_text(text)),
            32 | 36 => Err(ValidationError::new(
                "",
                format!("{text:?} is not a UUID: not hexadecimal digits in the UUID layout"),
            )),
            _ => Err(ValidationError::new(
                "",
                format!(
                    "an event id is a ULID (26 characters), a UUID (36) or a bare UUID \
                     (32 hex digits); {text:?} has {}",
                    text.chars().count()
                ),
            )),
        }
    }

    /// A fresh ULID.
    pub fn generate() -> Self {
        Self::from(Ulid::generate())
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored: checked by `parse` or made by `Ulid`.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The id as a ULID, when it is one.
    pub fn as_ulid(&self) -> Option<Ulid> {
        (usize::from(self.len) == Ulid::LEN)
            .then(|| Ulid::parse(self.as_str()).ok())
            .flatten()
    }

    /// Whether the id is a ULID: [`as_ulid`](Self::as_ulid) without
    /// reading it again, since an id of a ULID's length was read (or made)
    /// as one.
    pub(crate) fn is_ulid(&self) -> bool {
        usize::from(self.len) == Ulid::LEN
    }

    /// The id as a UUID, when it is one.
    pub fn as_uuid(&self) -> Option<Uuid> {
        (usize::from(self.len) != Ulid::LEN)
            .then(|| Uuid::try_parse(self.as_str()).ok())
            .flatten()
    }

    fn of_text(text: &str) -> Self {
        let mut bytes = [0u8; Self::MAX_LEN];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Self {
            bytes,
            // At most MAX_LEN (36), checked by the callers.
            len: u8::try_from(text.len()).unwrap_or(0),
        }
    }
}

impl From<Ulid> for EventId {
    fn from(ulid: Ulid) -> Self {
        Self::of_text(ulid.as_str())
    }
}

impl From<ulid::Ulid> for EventId {
    fn from(ulid: ulid::Ulid) -> Self {
        Self::from(Ulid::from(ulid))
    }
}

impl PartialEq<Ulid> for EventId {
    fn eq(&self, other: &Ulid) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<EventId> for Ulid {
    fn eq(&self, other: &EventId) -> bool {
        self.as_str() == other.as_str()
    }
}

impl FromStr for EventId {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventId({})", self.as_str())
    }
}

impl Serialize for EventId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a ULID or UUID string", EventId::parse)
    }
}

/// Schema 1.0.0's rule: its event ids (`event_id`, `causation_id`) are
/// ULIDs; a UUID needs schema 3.0.0.
pub(crate) fn ulids_only(
    event_id: Option<EventId>,
    causation_id: Option<EventId>,
) -> Result<(), ValidationError> {
    for (field, id) in [("event_id", event_id), ("causation_id", causation_id)] {
        if let Some(id) = id.filter(|id| !id.is_ulid()) {
            let message = format!(
                "{:?} is not a ULID (a UUID event id needs schema 3.0.0)",
                id.as_str()
            );
            return Err(ValidationError::new(field, message).under(ContractVersion::V1));
        }
    }
    Ok(())
}

/// [`ulids_only`] for an envelope being read under `version`, as the
/// envelope's own rules report: "field `x`: …", from which the one decoding
/// path names the field.
pub(crate) fn ids_of_version(
    version: ContractVersion,
    event_id: EventId,
    causation_id: Option<EventId>,
) -> Result<(), String> {
    if version != ContractVersion::V1 {
        return Ok(());
    }
    ulids_only(Some(event_id), causation_id)
        .map_err(|e| format!("field `{}`: {} [rule of {version}]", e.field(), e.message()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_spellings_parse_and_keep_their_text() {
        for text in [
            "01JKQ4V7C00000000000000001",
            "550e8400-e29b-41d4-a716-446655440000",
            "550E8400-E29B-41D4-A716-446655440000",
            "550e8400e29b41d4a716446655440000",
        ] {
            assert_eq!(EventId::parse(text).unwrap().as_str(), text);
        }
    }

    #[test]
    fn an_id_is_a_ulid_exactly_when_it_reads_as_one() {
        for (text, ulid) in [
            ("01JKQ4V7C00000000000000001", true),
            ("01jkq4v7c00000000000000001", true),
            ("550e8400-e29b-41d4-a716-446655440000", false),
            ("550e8400e29b41d4a716446655440000", false),
        ] {
            let id = EventId::parse(text).unwrap();
            assert_eq!(id.is_ulid(), ulid, "{text}");
            assert_eq!(id.as_ulid().is_some(), ulid, "{text}");
        }
        assert!(EventId::generate().is_ulid());
    }

    #[test]
    fn what_11_0_0_refuses_is_refused() {
        // The spellings the oracle refused when asked: braces, urn, one
        // digit short, a non-hex digit.
        for text in [
            "{550e8400-e29b-41d4-a716-446655440000}",
            "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
            "550e8400-e29b-41d4-a716-44665544000",
            "550e8400e29b41d4a71644665544000g",
            "",
            "01JKQ4V7C0000000000000000U",
        ] {
            assert!(EventId::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn order_is_the_order_of_the_text() {
        let mut ids: Vec<EventId> = [
            "550e8400-e29b-41d4-a716-446655440000",
            "01JKQ4V7C00000000000000002",
            "01JKQ4V7C00000000000000001",
            "550e8400e29b41d4a716446655440000",
        ]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
        ids.sort();
        let texts: Vec<&str> = ids.iter().map(EventId::as_str).collect();
        assert_eq!(
            texts,
            [
                "01JKQ4V7C00000000000000001",
                "01JKQ4V7C00000000000000002",
                "550e8400-e29b-41d4-a716-446655440000",
                "550e8400e29b41d4a716446655440000",
            ]
        );
    }
}
