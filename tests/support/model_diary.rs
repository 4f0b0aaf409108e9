//! A plain model of the `status.json` spec-kitty-cli 3.2.7 writes from a
//! status log, written from the rules the CLI follows (the reader's module
//! docs, worked out from the CLI's output), straight over the rows' JSON:
//! no code of the crate's reader is used.
//!
//! It knows the lane rows and annotations the generator of
//! `tests/rules/spec_kitty.rs` writes (string actors, boolean `force`), not
//! every odd shape: those have their own cases there.

use serde_json::{Map, Value, json};

/// The nine lanes `summary` counts.
pub const DISPLAY_LANES: [&str; 9] = [
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "in_review",
    "approved",
    "done",
    "blocked",
    "canceled",
];

fn text(row: &Value, key: &str) -> String {
    row[key].as_str().unwrap_or_default().to_owned()
}

/// Today's `status.json` for `rows` (the log's lane rows and annotations,
/// in file order), as a JSON value, for a mission without `meta.json`: its
/// number is the slug's leading digits (`042-m` is `42`), `""` without.
pub fn status_json(rows: &[Value]) -> Value {
    // Lane rows: each event id once (its first row), then by (at, id).
    let mut seen: Vec<String> = Vec::new();
    let mut lanes: Vec<&Value> = Vec::new();
    for row in rows.iter().filter(|row| row.get("kind").is_none()) {
        let id = text(row, "event_id");
        if !seen.contains(&id) {
            seen.push(id);
            lanes.push(row);
        }
    }
    lanes.sort_by_key(|row| (text(row, "at"), text(row, "event_id")));

    let mut wps: Map<String, Value> = Map::new();
    for row in &lanes {
        let wp = wps
            .entry(text(row, "wp_id"))
            .or_insert_with(|| json!({"force_count": 0}))
            .as_object_mut()
            .unwrap();
        if row["force"] == json!(true) {
            let count = wp["force_count"].as_u64().unwrap();
            wp.insert("force_count".into(), json!(count + 1));
        }
        wp.insert("actor".into(), row["actor"].clone());
        wp.insert("lane".into(), row["to_lane"].clone());
        wp.insert("last_event_id".into(), row["event_id"].clone());
        wp.insert("last_transition_at".into(), row["at"].clone());
        let result = &row["review_result"];
        if result.is_object() {
            let mut view = Map::new();
            for key in ["reviewer", "verdict", "reference"] {
                view.insert(key.into(), result[key].clone());
            }
            if !result["feedback_path"].is_null() {
                view.insert("feedback_path".into(), result["feedback_path"].clone());
            }
            wp.insert("review_result".into(), Value::Object(view));
        } else if row["from_lane"] == json!("in_review") {
            wp.insert("review_result".into(), Value::Null);
        }
        wp.remove("cancellation_reason");
        wp.remove("reason_source");
        if row["to_lane"] == json!("canceled") {
            let reason = row["reason"].clone();
            let operator = reason.as_str().is_some_and(|r| !r.trim().is_empty());
            wp.insert("cancellation_reason".into(), reason);
            wp.insert(
                "reason_source".into(),
                json!(if operator { "operator" } else { "synthetic" }),
            );
        }
        let claim = row["from_lane"] == json!("planned") && row["to_lane"] == json!("claimed");
        if let (true, Some(policy)) = (claim, row["policy_metadata"].as_object()) {
            for key in ["agent", "shell_pid", "shell_pid_created_at"] {
                if let Some(value) = policy.get(key).filter(|v| !v.is_null()) {
                    wp.insert(key.into(), value.clone());
                }
            }
        }
    }

    // Annotations: all of them, by (at, id), ties in file order.
    let mut notes: Vec<&Value> = rows
        .iter()
        .filter(|row| row.get("kind") == Some(&json!("annotation")))
        .collect();
    notes.sort_by_key(|row| (text(row, "at"), text(row, "event_id")));
    for row in notes {
        let wp = wps
            .entry(text(row, "wp_id"))
            .or_insert_with(|| {
                json!({"actor": row["actor"], "force_count": 0, "lane": "uninitialized",
                       "last_event_id": null, "last_transition_at": null})
            })
            .as_object_mut()
            .unwrap();
        for (key, value) in row["delta"].as_object().unwrap() {
            match (key.as_str(), value) {
                (_, Value::Null) => {}
                ("note", note) => {
                    let notes = wp.entry("notes").or_insert_with(|| json!([]));
                    notes.as_array_mut().unwrap().push(note.clone());
                }
                ("subtasks", Value::Object(states)) => {
                    let slot = wp.entry("subtasks").or_insert_with(|| json!({}));
                    for (task, state) in states {
                        slot[task] = state.clone();
                    }
                }
                ("agent" | "model" | "role", value) => {
                    wp.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
    }

    let mut summary = Map::new();
    for lane in DISPLAY_LANES {
        let count = wps.values().filter(|wp| wp["lane"] == json!(lane)).count();
        summary.insert(lane.into(), json!(count));
    }
    let first = lanes.first();
    let last = lanes.last();
    let slug = first.map_or(String::new(), |row| text(row, "mission_slug"));
    let number = match slug.split_once('-') {
        Some((digits, _)) if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) => {
            digits.parse::<u64>().unwrap().to_string()
        }
        _ => String::new(),
    };
    json!({
        "event_count": lanes.len(),
        "last_event_id": last.map(|row| row["event_id"].clone()),
        "materialized_at": last.map_or(String::new(), |row| text(row, "at")),
        "mission_number": number,
        "mission_slug": slug,
        "mission_type": "",
        "summary": summary,
        "work_packages": wps,
    })
}
