//! The one decoding path for untrusted JSON: every reader of the crate (an
//! envelope, a payload, a field type) goes through these helpers, so every
//! error names its field the same way.

use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::ValidationError;

/// A `T` read only from a JSON object.
///
/// serde's derived code also reads a struct from a JSON array of its field
/// values, in declaration order; the wire format has objects only, so every
/// struct inside a payload (done evidence and its parts, force metadata) is
/// read through this; the payloads themselves are read from objects only by
/// the code `define_event_types!` writes. An array is an error: "invalid
/// type: sequence, expected a JSON object".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ObjectOnly<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Object<T> {
            type Value = T;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
    T: Deserialize<'de>,
{
    ObjectOnly::<T>::deserialize(deserializer).map(|object| object.0)
}

/// Reads a field holding an array of JSON objects as `Vec<T>`: for
/// `#[serde(deserialize_with = "objects")]`.
pub(crate) fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let objects = Vec::<ObjectOnly<T>>::deserialize(deserializer)?;
    Ok(objects.into_iter().map(|object| object.0).collect())
}

/// Deserializes a string through a validating constructor, borrowing the
/// input when it can: the one visitor behind every text newtype (ids,
/// timestamps, the envelope's version and event type).
pub(crate) struct StrVisitor<T> {
    /// What the value is, for serde's "invalid type … expected …".
    pub(crate) expecting: &'static str,
    /// The validating constructor.
    pub(crate) parse: fn(&str) -> Result<T, ValidationError>,
}

impl<T> StrVisitor<T> {
    /// Deserializes a `T` from a string through `parse`.
    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        expecting: &'static str,
        parse: fn(&str) -> Result<T, ValidationError>,
    ) -> Result<T, D::Error> {
        deserializer.deserialize_str(Self { expecting, parse })
    }
}

impl<T> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(|e| E::custom(e.message()))
    }
}

/// Deserializes `text`; on failure, deserializes again with path tracking to
/// name the field. The fast path costs nothing extra for good input.
pub(crate) fn decode_located<T: DeserializeOwned>(text: &str) -> Result<T, ValidationError> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(plain) => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Ok(value) => Ok(value),
                Err(error) => {
                    let path = error.path().to_string();
                    let field = if path == "." { String::new() } else { path };
                    let message = if error.inner().is_syntax() || error.inner().is_eof() {
                        format!("not valid JSON: {plain}")
                    } else {
                        strip_position(&error.inner().to_string())
                    };
                    let field = with_missing_field(field, &message);
                    Err(ValidationError::new(field, message))
                }
            }
        }
    }
}

/// Deserializes a payload's JSON again, with path tracking, to name the
/// field that failed (as `payload.…`).
pub(crate) fn locate_payload_error<T: DeserializeOwned>(json: &str) -> ValidationError {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => ValidationError::new("payload", "could not be decoded"),
        Err(error) => {
            let path = error.path().to_string();
            let message = strip_position(&error.inner().to_string());
            let field = if path == "." || path.is_empty() {
                "payload".to_owned()
            } else {
                format!("payload.{path}")
            };
            let field = with_missing_field(field, &message);
            ValidationError::new(field, message)
        }
    }
}

/// serde reports a missing field at the path of the object that lacks it;
/// the field itself is what the reader has to add, so name it.
fn with_missing_field(path: String, message: &str) -> String {
    // serde's "missing field `x`", and the envelope's own rules, which
    // start "field `x`: …".
    let Some(name) = message
        .strip_prefix("missing field `")
        .or_else(|| message.strip_prefix("field `"))
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
