//! The `status.json` the CLI 3.2.7 materializes (the 2026-08 shape).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use crate::contract::decode::decode_located;
use crate::spec_kitty::lane::CliLane;
use crate::spec_kitty::log::{AnnotationRow, StatusLogRead};
use crate::spec_kitty::retrospective::fold_retrospective;
use crate::spec_kitty::row::{cli_order, truthy};

/// What `status.json` takes from the mission's `meta.json`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MissionMeta {
    /// `mission_number`, normalized as the CLI reads it; `None` when null,
    /// absent, or without a `meta.json`.
    mission_number: Option<String>,
    mission_type: Option<String>,
}

impl MissionMeta {
    /// Reads `meta.json`'s text as the CLI 3.2.7 does: `mission_number` an
    /// integer, a string holding one (`"007"` is 7), or null;
    /// `mission_type` a string (anything else counts as absent).
    ///
    /// # Errors
    /// A message naming the field when the text is not a JSON object or
    /// `mission_number` is of another kind (the CLI refuses the mission).
    pub fn parse(text: &str) -> Result<Self, String> {
        let fields: Map<String, Value> = decode_located(text)
            .map_err(|e| format!("meta.json is not a JSON object: {}", e.message()))?;
        let mission_number = match fields.get("mission_number") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
            Some(Value::String(s)) => Some(python_int(s).ok_or_else(|| {
                format!("meta.json: field `mission_number`: {s:?} is not an integer")
            })?),
            Some(other) => {
                return Err(format!(
                    "meta.json: field `mission_number`: must be an integer, a string of one, \
                     or null, not {other}"
                ));
            }
        };
        let mission_type = fields
            .get("mission_type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(Self {
            mission_number,
            mission_type,
        })
    }

    /// `mission_number` as the CLI writes it: `meta.json`'s number as text;
    /// without one, the number leading the slug (`"041-x"` is `"41"`), else
    /// `""`.
    fn number(&self, slug: &str) -> String {
        if let Some(number) = &self.mission_number {
            return number.clone();
        }
        match slug.split_once('-') {
            Some((digits, _))
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                without_leading_zeros(digits)
            }
            _ => String::new(),
        }
    }
}

/// An integer written as Python's `int(text)` reads it (surrounding blanks,
/// a sign, digits with single underscores between them), in its canonical
/// form; `None` when it is not one.
fn python_int(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return None;
    }
    let magnitude = without_leading_zeros(&digits.replace('_', ""));
    Some(if negative && magnitude != "0" {
        format!("-{magnitude}")
    } else {
        magnitude
    })
}

fn without_leading_zeros(digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.into()
    }
}

/// The annotation fields the CLI folds, each by its own rule; any other
/// field of a delta is ignored, as the CLI does.
const SET_FIELDS: [&str; 10] = [
    "agent",
    "agent_profile",
    "agent_profile_version",
    "assignee",
    "model",
    "provider",
    "role",
    "shell_pid",
    "shell_pid_created_at",
    "review",
];

/// The `policy_metadata` fields a `planned -> claimed` row (a claim) carries
/// into its work package.
const POLICY_FIELDS: [&str; 3] = ["agent", "shell_pid", "shell_pid_created_at"];

/// Materializes the 2026-08 `status.json` document from a log and its
/// mission's metadata. See the [module docs](crate::spec_kitty) for the rules.
pub fn materialize_current(read: &StatusLogRead, meta: &MissionMeta) -> Value {
    let ordered = cli_order(&read.rows);
    let mut work_packages = Map::new();
    for row in &ordered {
        let wp = work_packages
            .entry(row.wp_id.clone())
            .or_insert_with(|| json!({"force_count": 0}));
        let Value::Object(wp) = wp else { continue };
        let forced = u64::from(row.force);
        let count = wp.get("force_count").and_then(Value::as_u64).unwrap_or(0);
        wp.insert("force_count".into(), json!(count + forced));
        wp.insert("actor".into(), json!(row.actor.name()));
        wp.insert("lane".into(), json!(row.to_lane.as_str()));
        wp.insert("last_event_id".into(), json!(row.event_id.as_str()));
        wp.insert("last_transition_at".into(), json!(row.at_text));
        let review = row
            .fields
            .get("review_result")
            .filter(|v| truthy(v))
            .map(review_result);
        if review.is_some() || row.from_lane == Some(CliLane::InReview) {
            wp.insert("review_result".into(), review.unwrap_or(Value::Null));
        }
        // A cancellation's reason lives as long as the WP stays canceled.
        wp.remove("cancellation_reason");
        wp.remove("reason_source");
        if row.to_lane == CliLane::Canceled {
            let reason = row.fields.get("reason").cloned().unwrap_or(Value::Null);
            let source = if reason.as_str().is_some_and(|r| !r.trim().is_empty()) {
                "operator"
            } else {
                "synthetic"
            };
            wp.insert("cancellation_reason".into(), reason);
            wp.insert("reason_source".into(), json!(source));
        }
        let claim = row.from_lane == Some(CliLane::Planned) && row.to_lane == CliLane::Claimed;
        if let (true, Some(Value::Object(policy))) = (claim, row.fields.get("policy_metadata")) {
            for key in POLICY_FIELDS {
                if let Some(value) = policy.get(key).filter(|v| !v.is_null()) {
                    wp.insert(key.into(), value.clone());
                }
            }
        }
    }
    // The references each WP lists, to add a reference once in linear time.
    let mut listed: HashMap<String, HashSet<String>> = HashMap::new();
    for annotation in annotation_order(&read.annotations) {
        let wp = work_packages
            .entry(annotation.wp_id.clone())
            .or_insert_with(|| {
                json!({
                    "actor": annotation.actor.name(),
                    "force_count": 0,
                    "lane": CliLane::Uninitialized.as_str(),
                    "last_event_id": null,
                    "last_transition_at": null,
                })
            });
        if let Value::Object(wp) = wp {
            let listed = listed.entry(annotation.wp_id.clone()).or_default();
            fold_delta(wp, &annotation.delta, listed);
        }
    }
    let mut summary = Map::new();
    for lane in CliLane::DISPLAY {
        let count = work_packages
            .values()
            .filter(|wp| wp.get("lane").and_then(Value::as_str) == Some(lane.as_str()))
            .count();
        summary.insert(lane.as_str().into(), json!(count));
    }
    let slug = ordered
        .first()
        .map(|row| row.slug.clone())
        .unwrap_or_default();
    let mut document = json!({
        "event_count": ordered.len(),
        "last_event_id": ordered.last().map(|row| row.event_id.as_str()),
        "materialized_at": ordered.last().map_or("", |row| row.at_text.as_str()),
        "mission_number": meta.number(&slug),
        "mission_slug": slug,
        "mission_type": meta.mission_type.clone().unwrap_or_default(),
        "summary": summary,
        "work_packages": work_packages,
    });
    if let (Some(retrospective), Value::Object(document)) =
        (fold_retrospective(&read.others), &mut document)
    {
        document.insert("retrospective".into(), retrospective);
    }
    document
}

/// A row's `review_result` as `status.json` holds it: its `reviewer`,
/// `verdict` and `reference`, and its `feedback_path` unless null; other
/// fields are dropped, as the CLI does.
fn review_result(value: &Value) -> Value {
    let mut view = Map::new();
    if let Value::Object(result) = value {
        for key in ["reviewer", "verdict", "reference", "feedback_path"] {
            if let Some(field) = result
                .get(key)
                .filter(|v| key != "feedback_path" || !v.is_null())
            {
                view.insert(key.into(), field.clone());
            }
        }
    }
    Value::Object(view)
}

/// Annotations in the order the CLI folds them: by `(at, event_id)` as
/// text, after every lane row. Unlike lane rows they are not deduplicated:
/// the CLI folds a repeated annotation again (a repeated `note` is listed
/// twice; every other field folds to the same value).
fn annotation_order(annotations: &[AnnotationRow]) -> Vec<&AnnotationRow> {
    let mut ordered: Vec<&AnnotationRow> = annotations.iter().collect();
    // Stable: rows with the same `(at, event_id)` keep their file order.
    ordered.sort_by(|a, b| (&a.at_text, &a.event_id).cmp(&(&b.at_text, &b.event_id)));
    ordered
}

/// Folds one annotation's delta into a work package, field by field, as
/// the CLI 3.2.7 does: `subtasks` merge by key; `note` appends to `notes`;
/// `tracker_refs` add the references not yet `listed` (a string adds its
/// characters, as the CLI iterates it); a `review` of empty strings is
/// `null`; the runtime fields are set (`shell_pid` written as a string of
/// digits becomes a number). A null leaves a field as it was.
fn fold_delta(
    wp: &mut Map<String, Value>,
    delta: &Map<String, Value>,
    listed: &mut HashSet<String>,
) {
    for (key, value) in delta {
        if value.is_null() {
            continue;
        }
        match key.as_str() {
            "subtasks" => {
                if let Value::Object(subtasks) = value {
                    let slot = wp.entry("subtasks").or_insert_with(|| json!({}));
                    if let Value::Object(slot) = slot {
                        for (id, state) in subtasks {
                            slot.insert(id.clone(), state.clone());
                        }
                    }
                }
            }
            "note" => {
                if let Value::Array(notes) = wp.entry("notes").or_insert_with(|| json!([])) {
                    notes.push(value.clone());
                }
            }
            "tracker_refs" => {
                let new: Vec<Value> = match value {
                    Value::Array(items) => items.clone(),
                    Value::String(text) => text.chars().map(|c| json!(c.to_string())).collect(),
                    _ => continue,
                };
                if let Value::Array(refs) = wp.entry("tracker_refs").or_insert_with(|| json!([])) {
                    for item in new {
                        if listed.insert(item.to_string()) {
                            refs.push(item);
                        }
                    }
                }
            }
            "review" => {
                let empty = value
                    .as_object()
                    .is_some_and(|r| r.values().all(|v| v.as_str() == Some("")));
                wp.insert(key.clone(), if empty { Value::Null } else { value.clone() });
            }
            "shell_pid" => {
                let number = value
                    .as_str()
                    .and_then(|text| text.trim().parse::<i64>().ok())
                    .map_or_else(|| value.clone(), |n| json!(n));
                wp.insert(key.clone(), number);
            }
            _ if SET_FIELDS.contains(&key.as_str()) => {
                wp.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mission_numbers_are_read_as_the_cli_reads_them() {
        // Each expected value is what spec-kitty-cli 3.2.7 wrote for a
        // mission `042-x` with that meta.json.
        let number = |meta: &str| MissionMeta::parse(meta).map(|m| m.number("042-x"));
        assert_eq!(number("{}").unwrap(), "42");
        assert_eq!(number(r#"{"mission_number": null}"#).unwrap(), "42");
        assert_eq!(number(r#"{"mission_number": "007"}"#).unwrap(), "7");
        assert_eq!(number(r#"{"mission_number": " 12 "}"#).unwrap(), "12");
        assert_eq!(number(r#"{"mission_number": -3}"#).unwrap(), "-3");
        assert!(number(r#"{"mission_number": "abc"}"#).is_err());
        assert!(number(r#"{"mission_number": true}"#).is_err());
        assert!(number(r#"{"mission_number": 1.0}"#).is_err());
        assert!(number("[1]").is_err());
        let bare = MissionMeta::default();
        assert_eq!(bare.number("0-a"), "0");
        assert_eq!(bare.number("042x"), "");
        assert_eq!(bare.number("42"), "");
        assert_eq!(
            bare.number("99999999999999999999999-b"),
            "99999999999999999999999"
        );
    }
}
