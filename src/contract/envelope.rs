//! The envelope's own field types: the schema version, the event type and
//! the data tier.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contract::decode::StrVisitor;
use crate::contract::event_types::KnownPayload;
use crate::contract::version::ContractVersion;
use crate::error::ValidationError;

/// The envelope schema version this crate writes.
pub const SCHEMA_VERSION: &str = "1.0.0";

/// An envelope schema version, `MAJOR.MINOR.PATCH` in decimal digits.
///
/// [`SCHEMA_VERSION`], which nearly every event carries, is held as `None`:
/// no allocation, and one word less in every event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SchemaVersion(Option<Box<str>>);

impl SchemaVersion {
    /// Checks `text` against `^\d+\.\d+\.\d+$`.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `""`) when it does not match.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        // Nearly every event carries this crate's version: no split.
        if text == SCHEMA_VERSION {
            return Ok(Self::default());
        }
        let parts: Vec<&str> = text.split('.').collect();
        let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if parts.len() == 3 && parts.iter().all(numeric) {
            Ok(Self(Some(text.into())))
        } else {
            Err(ValidationError::new(
                "",
                format!("{text:?} is not a MAJOR.MINOR.PATCH version"),
            ))
        }
    }

    /// The version text.
    pub fn as_str(&self) -> &str {
        self.0.as_deref().unwrap_or(SCHEMA_VERSION)
    }

    /// The contract an envelope of this schema version was written under
    /// (by its major number; a major too large for `u64` is a future one).
    pub fn contract(&self) -> ContractVersion {
        let major = self.as_str().split('.').next().unwrap_or_default();
        ContractVersion::of_schema_major(major.parse().unwrap_or(u64::MAX))
    }
}

impl Serialize for SchemaVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(
            deserializer,
            "a MAJOR.MINOR.PATCH version string",
            SchemaVersion::parse,
        )
    }
}

/// An `event_type`: non-empty; the types this crate declares are kept as an
/// index into [`KnownPayload::DECLARATIONS`], so the common case allocates
/// nothing and takes two words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum EventType {
    Known(u8),
    Other(Box<str>),
}

impl EventType {
    pub(crate) fn new(text: &str) -> Result<Self, ValidationError> {
        if text.is_empty() {
            return Err(ValidationError::new("", "must not be empty"));
        }
        let known = KnownPayload::DECLARATIONS
            .iter()
            .position(|(known, _)| *known == text)
            .and_then(|index| u8::try_from(index).ok());
        Ok(match known {
            Some(index) => Self::Known(index),
            None => Self::Other(text.into()),
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Known(index) => KnownPayload::DECLARATIONS
                .get(usize::from(*index))
                .map(|(name, _)| *name)
                .unwrap_or_default(),
            Self::Other(text) => text,
        }
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrVisitor::deserialize(deserializer, "a non-empty string", EventType::new)
    }
}

/// How far an event may travel: 0 (never leaves the machine) to 4 (telemetry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct DataTier(u8);

impl DataTier {
    /// The most local tier: the event never leaves the machine.
    pub const LOCAL: DataTier = DataTier(0);
    /// The widest tier: telemetry.
    pub const TELEMETRY: DataTier = DataTier(4);

    /// `tier` if it is within 0..=4.
    ///
    /// # Errors
    /// A [`ValidationError`] (field `""`) otherwise.
    pub fn new(tier: u8) -> Result<Self, ValidationError> {
        if tier <= 4 {
            Ok(Self(tier))
        } else {
            Err(ValidationError::new(
                "",
                format!("{tier} is not a data tier (0..=4)"),
            ))
        }
    }

    /// The tier's number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for DataTier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let tier = u64::deserialize(deserializer)?;
        u8::try_from(tier)
            .map_err(|_| ValidationError::new("", format!("{tier} is not a data tier (0..=4)")))
            .and_then(DataTier::new)
            .map_err(|e| serde::de::Error::custom(e.message()))
    }
}

/// The largest Lamport clock the crate accepts: 2^63 - 1, the largest
/// integer a signed 64-bit column or a JSON reader with 64-bit integers
/// holds, and one that leaves room for `parent + 1`. The contract says
/// `>= 0`; a clock past this is refused where it is read or built, so no
/// clock arithmetic ever saturates.
pub const MAX_LAMPORT_CLOCK: u64 = i64::MAX as u64;

/// Refuses a Lamport clock past [`MAX_LAMPORT_CLOCK`].
pub(crate) fn check_lamport_clock(clock: u64) -> Result<u64, ValidationError> {
    if clock > MAX_LAMPORT_CLOCK {
        return Err(ValidationError::new(
            "lamport_clock",
            format!("integer `{clock}` is out of range: at most {MAX_LAMPORT_CLOCK} (2^63 - 1)"),
        ));
    }
    Ok(clock)
}

/// A Lamport clock or its absence (an unclocked event), in one word: a
/// clock is at most [`MAX_LAMPORT_CLOCK`], so a larger value stands for
/// none. An `Option<u64>` took two words of every event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Clock(u64);

impl Clock {
    /// `clock`, refused past [`MAX_LAMPORT_CLOCK`].
    pub(crate) fn new(clock: Option<u64>) -> Result<Self, ValidationError> {
        match clock {
            None => Ok(Self(u64::MAX)),
            Some(clock) => check_lamport_clock(clock).map(Self),
        }
    }

    /// The clock, `None` for an unclocked event.
    pub(crate) fn get(self) -> Option<u64> {
        (self.0 <= MAX_LAMPORT_CLOCK).then_some(self.0)
    }
}
