//! The link between a payload type and its event type, and the one path by
//! which untrusted payload JSON is decoded.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use crate::error::ValidationError as FieldError;
/// A payload that did not decode: the field (as `payload.…`) and the reason.
pub type PayloadError = crate::error::ValidationError;

/// A payload type, tied to the one `event_type` it is emitted under.
///
/// Implemented by [`define_event_types!`](crate::define_event_types) for each
/// declared payload; the constant is what makes emitting a payload under
/// another event type impossible, since builders take the type, not a name.
pub trait EventPayload: Serialize + DeserializeOwned + Clone + Sized {
    /// The `event_type` this payload travels under.
    const EVENT_TYPE: &'static str;

    /// The payload's fields before its cross-field rules are checked.
    type Fields: Serialize + DeserializeOwned;

    /// Checks the cross-field rules and builds the payload.
    ///
    /// # Errors
    /// A [`FieldError`] naming the field to change.
    fn from_fields(fields: Self::Fields) -> Result<Self, FieldError>;

    /// Decodes an untrusted payload from the text of a JSON object.
    ///
    /// Unknown fields are ignored and missing optional fields take their
    /// defaults. The error's field is a path below `payload`
    /// (`payload.evidence.repos[0].commit`).
    ///
    /// # Errors
    /// A [`PayloadError`] naming the field and the rule it broke.
    fn decode(payload_json: &str) -> Result<Self, PayloadError> {
        // The fast path skips path tracking; only a failure pays for finding
        // out where it happened.
        match serde_json::from_str::<ObjectOnly<Self::Fields>>(payload_json) {
            Ok(fields) => Self::from_fields(fields.0).map_err(|e| e.within("payload")),
            Err(_) => Err(locate_error::<ObjectOnly<Self::Fields>>(payload_json)),
        }
    }
}

/// A `T` read only from a JSON object.
///
/// serde's derived code also reads a struct from a JSON array of its field
/// values, in declaration order; the wire format has objects only, so every
/// struct in a payload (the payload itself, done evidence and its parts,
/// force metadata) is read through this. An array is an error: "invalid
/// type: sequence, expected a JSON object".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectOnly<T>(pub T);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object<T>(std::marker::PhantomData<T>);

        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Object<T> {
            type Value = T;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }

        deserializer
            .deserialize_map(Object(std::marker::PhantomData))
            .map(ObjectOnly)
    }
}

/// Reads a field holding one JSON object as a `T`: for
/// `#[serde(deserialize_with = "object")]`.
pub(crate) fn object<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    ObjectOnly::<T>::deserialize(deserializer).map(|object| object.0)
}

/// Reads a field holding an array of JSON objects as `Vec<T>`: for
/// `#[serde(deserialize_with = "objects")]`.
pub(crate) fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let objects = Vec::<ObjectOnly<T>>::deserialize(deserializer)?;
    Ok(objects.into_iter().map(|object| object.0).collect())
}

/// Deserializes again with path tracking to name the field that failed.
fn locate_error<T: DeserializeOwned>(json: &str) -> PayloadError {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => PayloadError::new("payload", "could not be decoded"),
        Err(error) => {
            let path = error.path().to_string();
            let message = strip_position(&error.inner().to_string());
            let field = if path == "." || path.is_empty() {
                "payload".to_owned()
            } else {
                format!("payload.{path}")
            };
            let field = with_missing_field(field, &message);
            PayloadError::new(field, message)
        }
    }
}

/// serde reports a missing field at the path of the object that lacks it;
/// the field itself is what the reader has to add, so name it.
pub(crate) fn with_missing_field(path: String, message: &str) -> String {
    let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name)
    else {
        return path;
    };
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// serde_json appends "at line 1 column 42" to its messages; the field path
/// says more, and the column of a payload inside a line would mislead.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}
