//! Field types of the schema 3.0.0 payloads: [`Actor`], who made a move,
//! and [`FollowUpType`].

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Who made a move, in a schema 3.0.0 status payload: a non-empty name
/// (`"claude"`) or an object of audit fields (`{"role": …, "tool": …}`),
/// kept as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A plain, non-empty identifier.
    Name(String),
    /// Structured audit fields.
    Fields(serde_json::Map<String, serde_json::Value>),
}

impl Actor {
    /// The plain identifier, when the actor is one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Actor::Name(name) => Some(name),
            Actor::Fields(_) => None,
        }
    }
}

impl Serialize for Actor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Actor::Name(name) => serializer.serialize_str(name),
            Actor::Fields(fields) => fields.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Actor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ActorVisitor;

        impl<'de> serde::de::Visitor<'de> for ActorVisitor {
            type Value = Actor;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-empty string or a JSON object")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Actor, E> {
                if name.is_empty() {
                    return Err(E::custom("must not be empty"));
                }
                Ok(Actor::Name(name.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Actor, A::Error> {
                let fields =
                    Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Actor::Fields(fields))
            }
        }

        deserializer.deserialize_any(ActorVisitor)
    }
}

/// What a `FollowUpRecorded` event records: a commit (with its
/// `commit_sha`) or a pull request (with its `pr_number`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpType {
    /// A follow-up commit.
    Commit,
    /// A follow-up pull request.
    Pr,
}
