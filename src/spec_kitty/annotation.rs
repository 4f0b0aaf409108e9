//! Annotation rows: a per-field delta of a work package's runtime state,
//! read in one pass when the line allows it ([`AnnotationRow::read`]), else
//! through the full reading that names what is wrong.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::contract::decode::decode_located;
use crate::error::ValidationError;
use crate::log::LineError;
use crate::spec_kitty::actor::Actor;
use crate::spec_kitty::lane::CliLane;
use crate::spec_kitty::lane_fields::{Skip, Str, fill, repeats_a_name};
use crate::spec_kitty::row::{At, EventId, Text, is_iso_8601};

/// The shapes the CLI needs of a delta (it refuses the log otherwise): a
/// `review` null or an object of four strings (actor, at, reason, wp_id);
/// `subtasks` an object of lane names.
fn check_delta(delta: &Map<String, Value>) -> Result<(), ValidationError> {
    // The CLI reads a review as an object of four strings (actor, at,
    // reason, wp_id) and refuses the log otherwise.
    if let Some(review) = delta.get("review").filter(|r| !r.is_null()) {
        let fits = review.as_object().is_some_and(|r| {
            ["actor", "at", "reason", "wp_id"]
                .iter()
                .all(|key| r.get(*key).is_some_and(Value::is_string))
        });
        if !fits {
            return Err(ValidationError::new(
                "delta.review",
                format!(
                    "must be null or an object of strings actor, at, reason and wp_id, not {review}"
                ),
            ));
        }
    }
    // The CLI reads each subtask's state as a lane and refuses the log
    // when one is not (`skipped`, say).
    if let Some(subtasks) = delta.get("subtasks") {
        let Value::Object(subtasks) = subtasks else {
            return Err(ValidationError::new(
                "delta.subtasks",
                format!("must be an object of subtask states, not {subtasks}"),
            ));
        };
        for (task, state) in subtasks {
            let field = format!("delta.subtasks.{task}");
            let Some(name) = state.as_str() else {
                return Err(ValidationError::new(
                    field,
                    format!("must be a lane name, not {state}"),
                ));
            };
            CliLane::parse(name).map_err(|e| ValidationError::new(field, e.message()))?;
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct AnnotationWire {
    event_id: EventId,
    at: At,
    wp_id: Text,
    actor: Actor,
    #[serde(deserialize_with = "crate::contract::decode::object")]
    delta: Map<String, Value>,
}

/// An annotation row: a per-field delta of a work package's runtime state
/// (subtasks, agent, notes…), folded after every lane row.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationRow {
    pub(super) line: usize,
    pub(super) event_id: EventId,
    pub(super) at_text: String,
    pub(super) wp_id: String,
    pub(super) actor: Actor,
    pub(super) delta: Map<String, Value>,
}

impl AnnotationRow {
    /// An annotation row from its fields, read as a JSON object (a repeated
    /// key counts once, its last value).
    ///
    /// # Errors
    /// A [`LineError`] naming the field that is missing or of the wrong kind.
    pub(super) fn parse(
        line: usize,
        fields: &Map<String, Value>,
        id: Option<String>,
    ) -> Result<Self, LineError> {
        let fail = |e| LineError::new(line, id.clone(), e);
        // Read from the parsed object, written again: a repeated key counts
        // once, its last value, as the CLI's JSON reader does.
        let canonical = Value::Object(fields.clone()).to_string();
        let wire: AnnotationWire = decode_located(&canonical).map_err(fail)?;
        check_delta(&wire.delta).map_err(fail)?;
        Ok(Self {
            line,
            event_id: wire.event_id,
            at_text: wire.at.text,
            wp_id: wire.wp_id.0,
            actor: wire.actor,
            delta: wire.delta,
        })
    }

    /// The line, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The row's event id.
    pub fn event_id(&self) -> &EventId {
        &self.event_id
    }

    /// `at` as written.
    pub fn at_text(&self) -> &str {
        &self.at_text
    }

    /// The work package annotated.
    pub fn wp_id(&self) -> &str {
        &self.wp_id
    }

    /// The delta, as written.
    pub fn delta(&self) -> &Map<String, Value> {
        &self.delta
    }
}

/// An annotation row's fields, read from its text in one pass.
#[derive(Default)]
struct AnnotationFields<'de> {
    kind: Option<Str<'de>>,
    event_id: Option<Str<'de>>,
    at: Option<Str<'de>>,
    wp_id: Option<Str<'de>>,
    actor: Option<Actor>,
    delta: Option<Map<String, Value>>,
}

struct AnnotationSeed;

impl<'de> DeserializeSeed<'de> for AnnotationSeed {
    type Value = AnnotationFields<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AnnotationSeed {
    type Value = AnnotationFields<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an annotation row")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut row = AnnotationFields::default();
        let mut others: Vec<Cow<'de, str>> = Vec::new();
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            match key.as_ref() {
                "kind" => fill(&mut row.kind, map.next_value()?)?,
                "event_id" => fill(&mut row.event_id, map.next_value()?)?,
                "at" => fill(&mut row.at, map.next_value()?)?,
                "wp_id" => fill(&mut row.wp_id, map.next_value()?)?,
                "actor" => fill(&mut row.actor, map.next_value()?)?,
                "delta" => fill(&mut row.delta, map.next_value()?)?,
                _ => {
                    others.push(key);
                    map.next_value::<Skip>()?;
                }
            }
        }
        if repeats_a_name(&others) {
            return Err(de::Error::custom("repeated key"));
        }
        Ok(row)
    }
}

impl AnnotationRow {
    /// The annotation row of `text` read in one pass; `None` when the full
    /// reading must judge the line (not an annotation, a repeated key, a
    /// bad field).
    pub(super) fn read(line: usize, text: &str) -> Option<Self> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let fields = AnnotationSeed.deserialize(&mut deserializer).ok()?;
        deserializer.end().ok()?;
        if fields.kind?.0 != "annotation" {
            return None;
        }
        let at_text = fields.at?.0;
        let wp_id = fields.wp_id.filter(|Str(id)| !id.is_empty())?.0;
        let delta = fields.delta?;
        if !is_iso_8601(&at_text) || check_delta(&delta).is_err() {
            return None;
        }
        Some(Self {
            line,
            event_id: EventId::new(fields.event_id?.0),
            at_text: at_text.into_owned(),
            wp_id: wp_id.into_owned(),
            actor: fields.actor?,
            delta,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = r#"{"actor":"a","at":"2026-01-01T00:00:00Z","delta":{"note":"n","subtasks":{"T1":"done"}},"event_id":"E1","kind":"annotation","wp_id":"WP01","extra":[1]}"#;

    fn full(text: &str) -> Result<AnnotationRow, LineError> {
        let fields: Map<String, Value> = serde_json::from_str(text).unwrap();
        AnnotationRow::parse(3, &fields, None)
    }

    #[test]
    fn one_pass_reads_what_the_full_reading_reads() {
        let row = AnnotationRow::read(3, NOTE).unwrap();
        assert_eq!(row, full(NOTE).unwrap());
        assert_eq!(row.wp_id(), "WP01");
        assert_eq!(row.delta()["note"], "n");
    }

    #[test]
    fn one_pass_gives_up_on_what_the_full_reading_must_judge() {
        // A repeated key is read by the full reading: its last value.
        let repeated = NOTE.replace(r#""wp_id":"WP01""#, r#""wp_id":"WP01","wp_id":"WP02""#);
        assert_eq!(AnnotationRow::read(3, &repeated), None);
        assert_eq!(full(&repeated).unwrap().wp_id(), "WP02");
        let extra_twice = NOTE.replace(r#""extra":[1]"#, r#""extra":[1],"extra":2"#);
        assert_eq!(AnnotationRow::read(3, &extra_twice), None);
        for (bad, field) in [
            (
                NOTE.replace(r#""done""#, r#""skipped""#),
                "delta.subtasks.T1",
            ),
            (
                NOTE.replace(r#""note":"n","#, r#""review":{"actor":"a"},"#),
                "delta.review",
            ),
            (NOTE.replace(r#""wp_id":"WP01""#, r#""wp_id":"""#), "wp_id"),
            (NOTE.replace("2026-01-01T00:00:00Z", "yesterday"), "at"),
            (NOTE.replace(r#""event_id":"E1","#, ""), "event_id"),
        ] {
            assert_eq!(AnnotationRow::read(3, &bad), None, "{bad}");
            assert_eq!(full(&bad).unwrap_err().field(), field, "{bad}");
        }
        let other_kind = NOTE.replace(r#""kind":"annotation""#, r#""kind":"note""#);
        assert_eq!(AnnotationRow::read(3, &other_kind), None);
    }
}
