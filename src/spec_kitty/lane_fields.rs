//! A lane row's fields read straight from its text: one pass of the JSON
//! parser over the line, strings borrowed from it, and no tree of values
//! for the fields the snapshot does not keep.
//!
//! This is the fast path of [`StatusRow`](super::StatusRow): it accepts
//! exactly the rows the full reading (the line as a JSON object, written
//! again, decoded field by field) accepts without a repeated key, and gives
//! up (`None`) on anything else, so the full reading names what is wrong.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::ValidationError;
use crate::spec_kitty::actor::Actor;
use crate::spec_kitty::lane::CliLane;

/// A string of the text, borrowed when it has no escapes.
#[derive(Debug, PartialEq)]
pub(super) struct Str<'de>(pub(super) Cow<'de, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// Any JSON value, read and dropped: the parser checks it exactly as it
/// checks a [`Value`] (numbers in range, escapes, nesting depth), without
/// building one.
pub(super) struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Skip;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// A row's `policy_metadata` as the materializer reads it: an object
/// keeps only the fields a claim carries ([`POLICY_FIELDS`]), every other
/// field checked and dropped (a claim's policy is only judged by being an
/// object); any other value is kept whole.
struct PolicyView(Value);

/// The `policy_metadata` fields a `planned -> claimed` row (a claim) carries
/// into its work package.
pub(super) const POLICY_FIELDS: [&str; 3] = ["agent", "shell_pid", "shell_pid_created_at"];

impl<'de> Deserialize<'de> for PolicyView {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PolicyVisitor)
    }
}

struct PolicyVisitor;

impl<'de> Visitor<'de> for PolicyVisitor {
    type Value = PolicyView;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<PolicyView, E> {
        Ok(PolicyView(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PolicyView, E> {
        Ok(PolicyView(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PolicyView, E> {
        Ok(PolicyView(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<PolicyView, E> {
        Ok(PolicyView(Value::from(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PolicyView, E> {
        Ok(PolicyView(Value::from(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<PolicyView, E> {
        Ok(PolicyView(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<PolicyView, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(PolicyView)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PolicyView, A::Error> {
        let mut kept = Map::new();
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            match POLICY_FIELDS.iter().find(|name| **name == key) {
                // A repeated key counts once, its last value.
                Some(name) => {
                    kept.insert((*name).into(), map.next_value()?);
                }
                None => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(PolicyView(Value::Object(kept)))
    }
}

/// Python's truthiness of a JSON value: the CLI reads `force` (and treats
/// `evidence` and `review_result`) by it.
pub(super) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// The shapes the CLI's materializer needs of a lane row's optional
/// fields, checked as it reads them (it refuses the log otherwise):
/// `evidence`, when set, an object whose `review` holds `reviewer`,
/// `verdict` and `reference` and whose `repos`, if any, is an array;
/// `review_result`, when set, an object holding the same three; a move to
/// `canceled` with a `reason` that is a string or null; a claim's
/// (`planned -> claimed`) `policy_metadata`, when set, an object.
pub(super) fn check_cli_shapes(
    optional: &OptionalFields,
    from_lane: Option<CliLane>,
    to_lane: CliLane,
) -> Result<(), ValidationError> {
    const REVIEW: [&str; 3] = ["reviewer", "verdict", "reference"];
    let has_review_keys = |v: &Value| {
        v.as_object()
            .is_some_and(|o| REVIEW.iter().all(|k| o.contains_key(*k)))
    };
    if let Some(evidence) = optional.evidence.as_ref().filter(|v| truthy(v)) {
        let Value::Object(evidence) = evidence else {
            return Err(ValidationError::new(
                "evidence",
                format!("must be an object, not {evidence}"),
            ));
        };
        if !evidence.get("review").is_some_and(has_review_keys) {
            return Err(ValidationError::new(
                "evidence.review",
                "must be an object with reviewer, verdict and reference",
            ));
        }
        if evidence
            .get("repos")
            .is_some_and(|r| !r.is_array() && !r.is_null())
        {
            return Err(ValidationError::new("evidence.repos", "must be an array"));
        }
    }
    if let Some(result) = optional.review_result.as_ref().filter(|v| truthy(v))
        && !has_review_keys(result)
    {
        return Err(ValidationError::new(
            "review_result",
            format!("must be an object with reviewer, verdict and reference, not {result}"),
        ));
    }
    let claim = from_lane == Some(CliLane::Planned) && to_lane == CliLane::Claimed;
    if claim
        && let Some(policy) = optional.policy_metadata.as_ref().filter(|v| truthy(v))
        && !policy.is_object()
    {
        return Err(ValidationError::new(
            "policy_metadata",
            format!("a claim's policy_metadata must be an object, not {policy}"),
        ));
    }
    if to_lane == CliLane::Canceled
        && let Some(reason) = optional
            .reason
            .as_ref()
            .filter(|r| !(r.is_string() || r.is_null()))
    {
        return Err(ValidationError::new(
            "reason",
            format!("must be a string or null, not {reason}"),
        ));
    }
    Ok(())
}

/// The optional fields of a lane row the CLI's materializer reads, as
/// written (`None` when absent).
#[derive(Debug, Default, PartialEq)]
pub(super) struct OptionalFields {
    pub(super) evidence: Option<Value>,
    pub(super) review_result: Option<Value>,
    pub(super) policy_metadata: Option<Value>,
    pub(super) reason: Option<Value>,
}

impl OptionalFields {
    /// The same fields of a row read as a whole object.
    pub(super) fn of(fields: &Map<String, Value>) -> Self {
        Self {
            evidence: fields.get("evidence").cloned(),
            review_result: fields.get("review_result").cloned(),
            policy_metadata: fields.get("policy_metadata").cloned(),
            reason: fields.get("reason").cloned(),
        }
    }
}

/// Every field of a lane row, read from its text in one pass: the typed
/// ones borrowed, the optional ones the materializer reads as values, the
/// names of the fields outside the row format, the rest checked and
/// dropped.
#[derive(Debug, Default, PartialEq)]
pub(super) struct LaneFields<'de> {
    pub(super) event_id: Option<Str<'de>>,
    pub(super) at: Option<Str<'de>>,
    /// `Some(None)`: written as null.
    pub(super) mission_slug: Option<Option<Str<'de>>>,
    pub(super) feature_slug: Option<Option<Str<'de>>>,
    pub(super) wp_id: Option<Str<'de>>,
    pub(super) from_lane: Option<Option<Str<'de>>>,
    pub(super) to_lane: Option<Str<'de>>,
    pub(super) actor: Option<Actor>,
    pub(super) force: Option<Value>,
    pub(super) optional: OptionalFields,
    /// Fields outside [`ROW_FIELDS`](super::ROW_FIELDS), in text order.
    pub(super) unknown: Vec<String>,
}

/// The fields that make a row another kind than a lane row.
const OTHER_KIND: [&str; 4] = ["kind", "event_type", "type", "event_name"];

impl<'de> LaneFields<'de> {
    /// Reads a line's fields; `None` when the line is not a JSON object,
    /// repeats a key, has a field of the wrong JSON type for its slot, or
    /// (unless `kind_decided`) has a field that may make it another kind of
    /// row.
    pub(super) fn read(text: &'de str, kind_decided: bool) -> Option<Self> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let fields = RowSeed { kind_decided }
            .deserialize(&mut deserializer)
            .ok()?;
        deserializer.end().ok()?;
        Some(fields)
    }
}

struct RowSeed {
    kind_decided: bool,
}

impl<'de> DeserializeSeed<'de> for RowSeed {
    type Value = LaneFields<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// Whether a name occurs twice among a row's unknown keys. A set, not a
/// search of the names before each one: a line of a million unknown keys
/// costs a million lookups, not their square.
pub(super) fn repeats_a_name<S: AsRef<str>>(names: &[S]) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    names.iter().any(|name| !seen.insert(name.as_ref()))
}

/// Stores `value` in an empty slot; a slot already filled is a repeated key.
pub(super) fn fill<T, E: de::Error>(slot: &mut Option<T>, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::custom("repeated key"));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de> Visitor<'de> for RowSeed {
    type Value = LaneFields<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a lane row")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LaneFields<'de>, A::Error> {
        let mut row = LaneFields::default();
        let mut skipped = [false; 3];
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            match key.as_ref() {
                "event_id" => fill(&mut row.event_id, map.next_value()?)?,
                "at" => fill(&mut row.at, map.next_value()?)?,
                "mission_slug" => fill(&mut row.mission_slug, map.next_value()?)?,
                "feature_slug" => fill(&mut row.feature_slug, map.next_value()?)?,
                "wp_id" => fill(&mut row.wp_id, map.next_value()?)?,
                "from_lane" => fill(&mut row.from_lane, map.next_value()?)?,
                "to_lane" => fill(&mut row.to_lane, map.next_value()?)?,
                "actor" => fill(&mut row.actor, map.next_value()?)?,
                "force" => fill(&mut row.force, map.next_value()?)?,
                "evidence" => fill(&mut row.optional.evidence, map.next_value()?)?,
                "review_result" => fill(&mut row.optional.review_result, map.next_value()?)?,
                "policy_metadata" => {
                    let PolicyView(policy) = map.next_value()?;
                    fill(&mut row.optional.policy_metadata, policy)?;
                }
                "reason" => fill(&mut row.optional.reason, map.next_value()?)?,
                name @ ("execution_mode" | "mission_id" | "review_ref") => {
                    let at = ["execution_mode", "mission_id", "review_ref"]
                        .iter()
                        .position(|known| *known == name)
                        .unwrap_or_default();
                    if std::mem::replace(&mut skipped[at], true) {
                        return Err(de::Error::custom("repeated key"));
                    }
                    map.next_value::<Skip>()?;
                }
                name if !self.kind_decided && OTHER_KIND.contains(&name) => {
                    return Err(de::Error::custom("maybe another kind of row"));
                }
                name => {
                    row.unknown.push(name.to_owned());
                    map.next_value::<Skip>()?;
                }
            }
        }
        if repeats_a_name(&row.unknown) {
            return Err(de::Error::custom("repeated key"));
        }
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_typed_fields_borrowed_and_names_the_unknown_ones() {
        let text = r#"{"event_id":"E1","at":"2026-01-01T00:00:00Z","mission_slug":null,"wp_id":"WP\u0031","colour":[1,{"a":2}],"execution_mode":"worktree","force":true,"reason":"why"}"#;
        let row = LaneFields::read(text, false).unwrap();
        assert!(matches!(row.event_id, Some(Str(Cow::Borrowed("E1")))));
        assert_eq!(row.mission_slug, Some(None));
        assert_eq!(row.feature_slug, None);
        // An escaped string cannot be borrowed: it is unescaped.
        assert!(matches!(row.wp_id, Some(Str(Cow::Owned(ref s))) if s == "WP1"));
        assert_eq!(row.unknown, ["colour"]);
        assert_eq!(row.force, Some(Value::Bool(true)));
        assert_eq!(row.optional.reason, Some(Value::String("why".into())));
    }

    #[test]
    fn gives_up_on_what_the_full_reading_must_judge() {
        let good = r#"{"wp_id":"WP01","review_ref":null}"#;
        assert!(LaneFields::read(good, false).is_some());
        for bad in [
            r#"{"wp_id":"WP01","wp_id":"WP02"}"#,
            r#"{"review_ref":null,"review_ref":null}"#,
            r#"{"x":1,"x":2}"#,
            r#"{"wp_id":7}"#,
            r#"{"wp_id":"WP01","kind":"annotation"}"#,
            r#"{"event_type":null}"#,
            r#"{"evidence":1e999}"#,
            r#"{"colour":"\ud800"}"#,
            r#"{"wp_id":"WP01"} x"#,
            "[1]",
        ] {
            assert_eq!(LaneFields::read(bad, false), None, "{bad}");
        }
        // Once the kind is decided, the kind fields are unknown fields.
        let decided = LaneFields::read(r#"{"event_type":null}"#, true).unwrap();
        assert_eq!(decided.unknown, ["event_type"]);
    }

    #[test]
    fn a_policy_keeps_the_claim_fields_or_the_whole_value() {
        let policy = |text: &str| serde_json::from_str::<PolicyView>(text).ok().map(|p| p.0);
        assert_eq!(
            policy(
                r#"{"agent":"a","shell_pid":1,"shell_pid":2,"big":"x","shell_pid_created_at":null}"#
            ),
            Some(serde_json::json!({"agent":"a","shell_pid":2,"shell_pid_created_at":null}))
        );
        for whole in [
            "[1, {\"a\": 2}]",
            "\"text\"",
            "0.5",
            "-3",
            "7",
            "true",
            "null",
        ] {
            assert_eq!(policy(whole), serde_json::from_str(whole).ok(), "{whole}");
        }
        assert_eq!(policy(r#"{"big":1e999}"#), None);
    }

    #[test]
    fn skipping_a_value_accepts_what_a_value_accepts() {
        for text in [
            "[1, -2.5e3, \"a\\n\", {\"k\": [null, true]}]",
            "1e999",
            "[[[[1]]]]",
        ] {
            let skipped = serde_json::from_str::<Skip>(text).is_ok();
            let value = serde_json::from_str::<Value>(text).is_ok();
            assert_eq!(skipped, value, "{text}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(serde_json::from_str::<Skip>(&deep).is_err());
    }
}
