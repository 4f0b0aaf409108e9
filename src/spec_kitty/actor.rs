//! Who made a move, as a row writes it ([`Actor`]) and as `status.json`
//! names them.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Who acted: a name, or the CLI's structured actor (an object of exactly
/// `model`, `profile`, `role` and `tool`, each a string or null).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Actor(pub(super) Value);

/// The fields of the CLI's structured actor.
const ACTOR_FIELDS: [&str; 4] = ["model", "profile", "role", "tool"];

impl<'de> Deserialize<'de> for Actor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = Value::deserialize(deserializer)?;
        match &value {
            Value::Object(object) => {
                let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
                keys.sort_unstable();
                if keys != ACTOR_FIELDS {
                    return Err(D::Error::custom(format!(
                        "a structured actor has exactly the fields model, profile, role and \
                         tool, not {keys:?}"
                    )));
                }
                if let Some((key, _)) = object.iter().find(|(_, v)| !(v.is_string() || v.is_null()))
                {
                    return Err(D::Error::custom(format!(
                        "a structured actor's {key} is a string or null"
                    )));
                }
                Ok(Actor(value))
            }
            Value::Array(_) => Err(D::Error::custom(
                "must be a name or a structured actor, not an array",
            )),
            _ => Ok(Actor(value)),
        }
    }
}

impl Actor {
    /// The name `status.json` gives the actor, as the CLI 3.2.7 writes it:
    /// a string as is; a structured actor's `tool`, else its `role`, else
    /// `""`; another scalar as Python's `str()` writes it (`None`, `True`,
    /// `5`, `1.5`).
    pub(super) fn name(&self) -> Cow<'_, str> {
        match &self.0 {
            Value::String(s) => Cow::Borrowed(s),
            Value::Object(object) => Cow::Borrowed(
                ["tool", "role"]
                    .iter()
                    .filter_map(|key| object.get(*key).and_then(Value::as_str))
                    .find(|name| !name.is_empty())
                    .unwrap_or_default(),
            ),
            // An array is refused when read.
            Value::Array(_) => Cow::Borrowed(""),
            scalar => Cow::Owned(crate::spec_kitty::python_json::python_str(scalar)),
        }
    }
}
