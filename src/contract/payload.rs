//! An event's payload: [`Payload`], the JSON object as it arrived, and
//! [`EventPayload`], the link between a typed payload and its event type.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::contract::decode::{locate_payload_error, strip_position};
use crate::contract::plain_json;
use crate::contract::white_space::{is_compact, strip_white_space};
use crate::error::ValidationError;

/// A payload type, tied to the one `event_type` it is emitted under.
///
/// Implemented by [`define_event_types!`](crate::define_event_types) for each
/// declared payload; the constant is what makes emitting a payload under
/// another event type impossible, since builders take the type, not a name.
pub trait EventPayload: Serialize + DeserializeOwned + Clone + Sized {
    /// The `event_type` this payload travels under.
    const EVENT_TYPE: &'static str;

    /// The contract versions this payload's declaration holds under; empty
    /// for every version.
    const VERSIONS: &'static [crate::contract::ContractVersion] = &[];

    /// The payload's fields before its cross-field rules are checked.
    type Fields: Serialize + DeserializeOwned;

    /// Checks the cross-field rules and builds the payload.
    ///
    /// # Errors
    /// A [`ValidationError`] naming the field to change.
    fn from_fields(fields: Self::Fields) -> Result<Self, ValidationError>;

    /// Decodes an untrusted payload from the text of a JSON object.
    ///
    /// Unknown fields are ignored and missing optional fields take their
    /// defaults. The error's field is a path below `payload`
    /// (`payload.evidence.repos[0].commit`).
    ///
    /// # Errors
    /// A [`ValidationError`] naming the field and the rule it broke.
    fn decode(payload_json: &str) -> Result<Self, ValidationError> {
        // The fast path skips path tracking; only a failure pays for finding
        // out where it happened.
        // The macro's `Fields` read from a JSON object only, so an array
        // payload is refused there, not by a second check here.
        // Plain JSON (compact, no escape, integers only: nearly every
        // payload) is read without serde_json's reader, which then takes
        // the rest and says what is wrong.
        let fields = match plain_json::from_str::<Self::Fields>(payload_json) {
            Some(fields) => Ok(fields),
            None => serde_json::from_str::<Self::Fields>(payload_json),
        };
        match fields {
            Ok(fields) => Self::from_fields(fields).map_err(|e| e.within("payload")),
            Err(_) => Err(locate_payload_error::<Self::Fields>(payload_json)),
        }
    }
}

/// An event's payload: a JSON object, kept as the text it arrived as.
///
/// Keeping the text (not a parsed tree) makes reading a log cheap and writes
/// the payload back byte for byte; typed access goes through
/// [`Event::typed_payload`](crate::contract::Event::typed_payload) or
/// [`Payload::to_map`]. Text with white space between tokens is stored
/// compacted, as the Python library writes it.
#[derive(Clone)]
pub struct Payload(Text);

/// A payload's compact text, held as whichever costs nothing to make.
#[derive(Clone)]
enum Text {
    /// Captured by serde_json as it read the payload: checked by that read.
    Raw(Box<RawValue>),
    /// Made by this crate from valid JSON: stripped of white space, or
    /// written by serde_json. Turning it into a `RawValue` would parse it
    /// again, a tenth of reading a Python-written line; it is checked only
    /// when written out.
    Made(Box<str>),
}

impl Payload {
    /// The empty payload, `{}`.
    pub fn empty() -> Self {
        Self::from_compact("{}".to_owned())
    }

    fn from_compact(json: String) -> Self {
        Self(Text::Made(json.into_boxed_str()))
    }

    /// A payload from the text of a JSON object the envelope's walk checked
    /// (no escape sequence, integers only), or the compact copy it made of
    /// a payload with white space, as serde's reader would strip it.
    pub(super) fn from_checked(json: &str, compact: Option<String>) -> Self {
        Self::from_compact(compact.unwrap_or_else(|| json.to_owned()))
    }

    /// The JSON object `value` serializes to.
    pub(crate) fn from_serialize<T: Serialize>(value: &T) -> Result<Self, ValidationError> {
        let json = serde_json::to_string(value)
            .map_err(|e| ValidationError::new("", format!("cannot be written as JSON: {e}")))?;
        if !json.starts_with('{') {
            return Err(ValidationError::new("", "must be a JSON object"));
        }
        Ok(Self::from_compact(json))
    }

    /// Builds a payload from a JSON object.
    pub fn from_map(map: &serde_json::Map<String, serde_json::Value>) -> Self {
        Self::from_serialize(map).unwrap_or_else(|_| Self::empty())
    }

    /// The payload's JSON text (a compact object).
    pub fn json(&self) -> &str {
        match &self.0 {
            Text::Raw(raw) => raw.get(),
            Text::Made(text) => text,
        }
    }

    /// The payload parsed into a JSON object.
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_str(self.json()).unwrap_or_default()
    }

    /// Reads one field of the payload into `T`; `Ok(None)` when absent.
    ///
    /// # Errors
    /// A [`ValidationError`] for `payload.<key>` when present but not a `T`.
    pub fn field<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ValidationError> {
        let map: serde_json::Map<String, serde_json::Value> = self.to_map();
        match map.get(key) {
            None => Ok(None),
            Some(value) => serde_json::from_value(value.clone())
                .map(Some)
                .map_err(|e| {
                    ValidationError::new(format!("payload.{key}"), strip_position(&e.to_string()))
                }),
        }
    }
}

impl Default for Payload {
    fn default() -> Self {
        Self::empty()
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
    }
}

impl Eq for Payload {}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Payload").field(&self.json()).finish()
    }
}

impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Text::Raw(raw) => raw.serialize(serializer),
            // Valid JSON by construction; serde_json borrows it as raw.
            Text::Made(text) => serde_json::from_str::<&RawValue>(text)
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if !raw.get().starts_with('{') {
            return Err(serde::de::Error::custom("must be a JSON object"));
        }
        if is_compact(raw.get()) {
            Ok(Self(Text::Raw(raw)))
        } else if let Some(compact) = strip_white_space(raw.get()) {
            Ok(Self::from_compact(compact))
        } else {
            let value: serde_json::Value =
                serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
            Ok(Self::from_compact(value.to_string()))
        }
    }
}
