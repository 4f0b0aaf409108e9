//! Field types of the schema 3.0.0 payloads: [`MoveActor`], who made a move,
//! and [`FollowUpType`].

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Who made a move, in a schema 3.0.0 status payload: a non-empty name
/// (`"claude"`) or an object of audit fields (`{"role": …, "tool": …}`),
/// kept as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveActor {
    /// A plain, non-empty identifier.
    Name(String),
    /// Structured audit fields.
    Fields(serde_json::Map<String, serde_json::Value>),
}

impl MoveActor {
    /// The plain identifier, when the actor is one.
    pub fn name(&self) -> Option<&str> {
        match self {
            MoveActor::Name(name) => Some(name),
            MoveActor::Fields(_) => None,
        }
    }
}

impl Serialize for MoveActor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            MoveActor::Name(name) => serializer.serialize_str(name),
            MoveActor::Fields(fields) => fields.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for MoveActor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ActorVisitor;

        impl<'de> serde::de::Visitor<'de> for ActorVisitor {
            type Value = MoveActor;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-empty string or a JSON object")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<MoveActor, E> {
                if name.is_empty() {
                    return Err(E::custom("must not be empty"));
                }
                Ok(MoveActor::Name(name.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MoveActor, A::Error> {
                let fields =
                    Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(MoveActor::Fields(fields))
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
