//! One work package of today's `status.json`: folded from its lane rows,
//! then its annotations, and written as the CLI writes it (keys sorted).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::spec_kitty::lane::CliLane;
use crate::spec_kitty::python_json::{ObjectWriter, write_array, write_string, write_value};
use crate::spec_kitty::row::StatusRow;

static NULL: Value = Value::Null;

/// The fields an annotation sets as given (`review` and `shell_pid` by
/// their own rules), in key order; a claim sets `agent`, `shell_pid` and
/// `shell_pid_created_at` from its `policy_metadata`.
const SLOTS: [&str; 10] = [
    "agent",
    "agent_profile",
    "agent_profile_version",
    "assignee",
    "model",
    "provider",
    "review",
    "role",
    "shell_pid",
    "shell_pid_created_at",
];

/// A work package's state, borrowing the rows it was folded from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WorkPackage<'r> {
    pub(super) actor: Cow<'r, str>,
    force_count: u64,
    pub(super) lane: CliLane,
    /// `None`: null (a work package known only from annotations).
    last_event_id: Option<&'r str>,
    last_transition_at: Option<&'r str>,
    /// `None`: absent.
    review_result: Option<&'r Value>,
    cancellation_reason: Option<&'r Value>,
    reason_source: Option<&'static str>,
    slots: [Option<Cow<'r, Value>>; SLOTS.len()],
    subtasks: Option<BTreeMap<&'r str, &'r Value>>,
    notes: Option<Vec<&'r Value>>,
    tracker_refs: Option<Vec<Cow<'r, Value>>>,
    /// The references `tracker_refs` lists, as JSON text, to add one once
    /// in linear time.
    listed: HashSet<String>,
}

fn slot(key: &str) -> Option<usize> {
    SLOTS.iter().position(|name| *name == key)
}

impl<'r> WorkPackage<'r> {
    fn new(actor: Cow<'r, str>, lane: CliLane) -> Self {
        Self {
            actor,
            force_count: 0,
            lane,
            last_event_id: None,
            last_transition_at: None,
            review_result: None,
            cancellation_reason: None,
            reason_source: None,
            slots: Default::default(),
            subtasks: None,
            notes: None,
            tracker_refs: None,
            listed: HashSet::new(),
        }
    }

    /// A work package first seen in a lane row, with that row applied.
    pub(super) fn opened_by(row: &'r StatusRow) -> Self {
        let mut wp = Self::new(Cow::Borrowed(""), row.to_lane);
        wp.apply(row);
        wp
    }

    /// A work package first seen in an annotation by `actor`: lane
    /// `uninitialized`, no event.
    pub(super) fn annotated(actor: Cow<'r, str>) -> Self {
        Self::new(actor, CliLane::Uninitialized)
    }

    /// Applies a lane row (rows come in the CLI's order).
    pub(super) fn apply(&mut self, row: &'r StatusRow) {
        self.force_count += u64::from(row.force);
        self.actor = row.actor.name();
        self.lane = row.to_lane;
        self.last_event_id = Some(row.event_id.as_str());
        self.last_transition_at = Some(&row.at_text);
        let extra = row.extra.as_deref();
        let review_result = extra.and_then(|extra| extra.review_result.as_ref());
        if review_result.is_some() || row.from_lane == Some(CliLane::InReview) {
            self.review_result = Some(review_result.unwrap_or(&NULL));
        }
        // A cancellation's reason lives as long as the WP stays canceled.
        self.cancellation_reason = extra.and_then(|extra| extra.cancellation_reason.as_ref());
        self.reason_source = self.cancellation_reason.map(|reason| {
            if reason.as_str().is_some_and(|r| !r.trim().is_empty()) {
                "operator"
            } else {
                "synthetic"
            }
        });
        for (key, value) in extra.iter().flat_map(|extra| &extra.claim_policy) {
            if let Some(at) = slot(key) {
                self.slots[at] = Some(Cow::Borrowed(value));
            }
        }
    }

    /// Folds one annotation's delta, field by field, as the CLI 3.2.7
    /// does: `subtasks` merge by key; `note` appends to `notes`;
    /// `tracker_refs` add the references not yet listed (a string adds its
    /// characters, as the CLI iterates it); a `review` of empty strings is
    /// `null`; the runtime fields are set (`shell_pid` written as a string
    /// of digits becomes a number). A null leaves a field as it was; other
    /// fields are ignored.
    pub(super) fn fold(&mut self, delta: &'r Map<String, Value>) {
        for (key, value) in delta {
            if value.is_null() {
                continue;
            }
            match key.as_str() {
                "subtasks" => {
                    if let Value::Object(subtasks) = value {
                        let merged = self.subtasks.get_or_insert_default();
                        for (id, state) in subtasks {
                            merged.insert(id, state);
                        }
                    }
                }
                "note" => self.notes.get_or_insert_default().push(value),
                "tracker_refs" => {
                    let new: Vec<Cow<'r, Value>> = match value {
                        Value::Array(items) => items.iter().map(Cow::Borrowed).collect(),
                        Value::String(text) => text
                            .chars()
                            .map(|c| Cow::Owned(Value::String(c.to_string())))
                            .collect(),
                        _ => continue,
                    };
                    let refs = self.tracker_refs.get_or_insert_default();
                    for item in new {
                        if self.listed.insert(item.to_string()) {
                            refs.push(item);
                        }
                    }
                }
                "review" => {
                    let empty = value
                        .as_object()
                        .is_some_and(|r| r.values().all(|v| v.as_str() == Some("")));
                    self.set("review", Cow::Borrowed(if empty { &NULL } else { value }));
                }
                "shell_pid" => {
                    let number = value
                        .as_str()
                        .and_then(|text| text.trim().parse::<i64>().ok())
                        .map_or(Cow::Borrowed(value), |n| Cow::Owned(Value::from(n)));
                    self.set("shell_pid", number);
                }
                other => self.set(other, Cow::Borrowed(value)),
            }
        }
    }

    /// Sets a runtime field; a key that is not one is ignored.
    fn set(&mut self, key: &str, value: Cow<'r, Value>) {
        if let Some(at) = slot(key) {
            self.slots[at] = Some(value);
        }
    }

    /// Writes the work package as the CLI does, at `level`: keys sorted.
    pub(super) fn write(&self, out: &mut String, level: usize) {
        let mut object = ObjectWriter::open(out, level);
        let inner = object.inner();
        let text_or_null = |out: &mut String, text: Option<&str>| match text {
            Some(text) => write_string(out, text),
            None => out.push_str("null"),
        };
        let slot = |out: &mut String, object: &mut ObjectWriter, at: usize| {
            if let Some(value) = &self.slots[at] {
                object.key(out, SLOTS[at]);
                write_value(out, value, inner);
            }
        };
        let value = |out: &mut String, object: &mut ObjectWriter, key, value: Option<&Value>| {
            if let Some(value) = value {
                object.key(out, key);
                write_value(out, value, inner);
            }
        };
        object.key(out, "actor");
        write_string(out, &self.actor);
        for at in 0..4 {
            // agent, agent_profile, agent_profile_version, assignee
            slot(out, &mut object, at);
        }
        value(
            out,
            &mut object,
            "cancellation_reason",
            self.cancellation_reason,
        );
        object.key(out, "force_count");
        let _ = write!(out, "{}", self.force_count);
        object.key(out, "lane");
        write_string(out, self.lane.as_str());
        object.key(out, "last_event_id");
        text_or_null(out, self.last_event_id);
        object.key(out, "last_transition_at");
        text_or_null(out, self.last_transition_at);
        slot(out, &mut object, 4); // model
        if let Some(notes) = &self.notes {
            object.key(out, "notes");
            write_array(out, notes.iter().copied(), inner);
        }
        slot(out, &mut object, 5); // provider
        if let Some(source) = self.reason_source {
            object.key(out, "reason_source");
            write_string(out, source);
        }
        slot(out, &mut object, 6); // review
        value(out, &mut object, "review_result", self.review_result);
        for at in 7..SLOTS.len() {
            // role, shell_pid, shell_pid_created_at
            slot(out, &mut object, at);
        }
        if let Some(subtasks) = &self.subtasks {
            object.key(out, "subtasks");
            let mut tasks = ObjectWriter::open(out, inner);
            for (id, state) in subtasks {
                tasks.key(out, id);
                // A state is a lane name (the reader refuses any other), and a
                // string is written the same at every depth.
                write_value(out, state, inner);
            }
            tasks.close(out);
        }
        if let Some(refs) = &self.tracker_refs {
            object.key(out, "tracker_refs");
            write_array(out, refs.iter().map(AsRef::as_ref), inner);
        }
        object.close(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_kitty::python_json::to_cli_json;

    #[test]
    fn the_slots_and_the_written_keys_are_in_sorted_order() {
        let mut sorted = SLOTS;
        sorted.sort_unstable();
        assert_eq!(sorted, SLOTS);
    }

    #[test]
    fn writes_every_field_as_the_generic_writer_writes_the_same_object() {
        let row = StatusRow::parse(
            1,
            r#"{"actor":"a","at":"2026-01-01T00:00:00Z","event_id":"E1","mission_slug":"m","wp_id":"WP01","from_lane":"in_review","to_lane":"canceled","reason":" ","review_result":{"reviewer":"r","verdict":"ok","reference":"x","feedback_path":null,"extra":1},"force":true}"#,
        )
        .unwrap();
        let mut wp = WorkPackage::opened_by(&row);
        let delta: Map<String, Value> = serde_json::from_str(
            r#"{"agent":"g","agent_profile":"p","agent_profile_version":"1","assignee":"s","model":"m","note":"n1","provider":"v","review":{"actor":"","at":"","reason":"","wp_id":""},"role":"r","shell_pid":" 42 ","shell_pid_created_at":"t","subtasks":{"T2":"done","T1":"planned"},"tracker_refs":"ab","colour":1}"#,
        )
        .unwrap();
        let again: Map<String, Value> = serde_json::from_str(
            r#"{"note":"n2","tracker_refs":["b","c"],"subtasks":{"T1":"done"},"agent":null}"#,
        )
        .unwrap();
        wp.fold(&delta);
        wp.fold(&again);
        let mut out = String::new();
        wp.write(&mut out, 0);
        out.push('\n');
        let expected = serde_json::json!({
            "actor": "a", "agent": "g", "agent_profile": "p", "agent_profile_version": "1",
            "assignee": "s", "cancellation_reason": " ", "force_count": 1, "lane": "canceled",
            "last_event_id": "E1", "last_transition_at": "2026-01-01T00:00:00Z", "model": "m",
            "notes": ["n1", "n2"], "provider": "v", "reason_source": "synthetic", "review": null,
            "review_result": {"reference": "x", "reviewer": "r", "verdict": "ok"},
            "role": "r", "shell_pid": 42, "shell_pid_created_at": "t",
            "subtasks": {"T1": "done", "T2": "done"}, "tracker_refs": ["a", "b", "c"],
        });
        assert_eq!(out, to_cli_json(&expected));
        let bare = WorkPackage::annotated(Cow::Borrowed("x"));
        let mut out = String::new();
        bare.write(&mut out, 0);
        assert_eq!(
            out,
            "{\n  \"actor\": \"x\",\n  \"force_count\": 0,\n  \"lane\": \"uninitialized\",\n  \"last_event_id\": null,\n  \"last_transition_at\": null\n}"
        );
    }
}
