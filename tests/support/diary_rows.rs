//! Small spec-kitty status logs for the diary reader's rule tests
//! (`tests/rules/spec_kitty_*.rs`): rows of both eras built field by field,
//! and what reading them gives, located.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use spec_kitty_events::log::LineError;
use spec_kitty_events::spec_kitty::{Era, MissionMeta, StatusRow, materialize, read_status_log};

/// The event id of row `n`: 26 Crockford characters, a ULID.
pub fn eid(n: u64) -> String {
    format!("01KZ{n:022}")
}

/// `at` of row `n`, one minute apart, written with `+00:00` as the CLI does.
pub fn at(n: u64) -> String {
    format!("2026-08-01T10:{n:02}:00+00:00")
}

/// A 2026-08 lane row of mission `042-m`, with every field the CLI writes.
pub fn lane(n: u64, wp: &str, from: &str, to: &str) -> Value {
    json!({
        "actor": "alice",
        "at": at(n),
        "event_id": eid(n),
        "evidence": null,
        "execution_mode": "worktree",
        "force": false,
        "from_lane": from,
        "mission_slug": "042-m",
        "policy_metadata": null,
        "reason": null,
        "review_ref": null,
        "to_lane": to,
        "wp_id": wp,
    })
}

/// A February 2026 lane row of feature `003-x` (its fields, `feature_slug`).
pub fn feb(n: u64, wp: &str, from: Option<&str>, to: &str) -> Value {
    json!({
        "actor": "alice",
        "at": at(n),
        "event_id": eid(n),
        "evidence": null,
        "execution_mode": "direct_repo",
        "feature_slug": "003-x",
        "force": false,
        "from_lane": from,
        "reason": null,
        "review_ref": null,
        "to_lane": to,
        "wp_id": wp,
    })
}

/// An annotation row.
pub fn note(n: u64, wp: &str, delta: Value) -> Value {
    json!({
        "kind": "annotation",
        "event_id": eid(n),
        "wp_id": wp,
        "at": at(n),
        "actor": "carol",
        "delta": delta,
    })
}

/// `row` with `fields` set (a null value removes the field).
pub fn with(mut row: Value, fields: Value) -> Value {
    let object = row.as_object_mut().unwrap();
    for (key, value) in fields.as_object().unwrap() {
        if value.is_null() {
            object.remove(key);
        } else {
            object.insert(key.clone(), value.clone());
        }
    }
    row
}

/// `row` with `key` set to `value`, null included.
pub fn set(mut row: Value, key: &str, value: Value) -> Value {
    row.as_object_mut().unwrap().insert(key.into(), value);
    row
}

/// The rows as a JSONL log.
pub fn log(rows: &[Value]) -> String {
    rows.iter().map(|row| format!("{row}\n")).collect()
}

pub fn parse(row: &Value) -> StatusRow {
    StatusRow::parse(1, &row.to_string()).unwrap()
}

/// What reading `row` as line 3 fails with: `(line, event_id, field)`.
pub fn refusal(row: &Value) -> (usize, Option<String>, String) {
    let error = StatusRow::parse(3, &row.to_string()).unwrap_err();
    (
        error.line(),
        error.event_id().map(str::to_owned),
        error.field().to_owned(),
    )
}

/// Today's `status.json` of a log, parsed back (an independent reader).
pub fn current_json(text: &str, meta: &MissionMeta) -> Value {
    let read = read_status_log(text);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    serde_json::from_str(&materialize(&read, meta, Era::Current, None)).unwrap()
}

pub fn meta(text: &str) -> MissionMeta {
    MissionMeta::parse(text).unwrap()
}

/// `(line, event_id, field)` of each error.
pub fn located(errors: &[LineError]) -> Vec<(usize, Option<String>, String)> {
    errors
        .iter()
        .map(|e| {
            (
                e.line(),
                e.event_id().map(str::to_owned),
                e.field().to_owned(),
            )
        })
        .collect()
}

pub fn at_line(line: usize, n: u64, field: &str) -> (usize, Option<String>, String) {
    (line, Some(eid(n)), field.to_owned())
}

/// The mission folders of `tests/data/<folder>`, sorted.
pub fn data(folder: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(folder);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("status.events.jsonl").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// A file's text.
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}
