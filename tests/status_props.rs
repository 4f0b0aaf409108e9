//! Laws of spec-kitty's status logs, over real and arbitrary input:
//!
//! - the snapshot does not depend on the order of the rows nor on exact
//!   duplicates (the CLI sorts by `(at, event_id)` and counts a lane row's
//!   id once); where its rules do make order or repetition matter, that is
//!   tested instead: a lane row's `event_id` repeated with other content
//!   (the first row in the file wins), and a repeated annotation carrying a
//!   `note` (the CLI does not deduplicate annotations: the note is listed
//!   twice);
//! - the row reader never panics on arbitrary JSON rows or arbitrary bytes,
//!   never drops a line, and names every bad row (line, field).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use spec_kitty_events::spec_kitty::{Era, MissionMeta, materialize, read_row, read_status_log};

fn mission(name: &str) -> (Vec<String>, MissionMeta) {
    let dir: PathBuf = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/real-logs-2026"
    ))
    .join(name);
    let log = std::fs::read_to_string(dir.join("status.events.jsonl")).unwrap();
    let meta =
        MissionMeta::parse(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
    (log.lines().map(str::to_owned).collect(), meta)
}

fn bytes_of(lines: &[String], meta: &MissionMeta) -> String {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let read = read_status_log(&text);
    assert!(read.errors.is_empty());
    materialize(&read, meta, Era::of(&read), None)
}

/// Missions holding every row kind: lane rows with `review_result` and
/// `policy_metadata`, annotations (subtasks, notes, tracker refs), envelopes
/// and retrospective rows.
const MISSIONS: [&str; 3] = [
    "rc3-lane-allocation-single-seam-01M0GGX8",
    "002-lightweight-pypi-release",
    "charter-synthesize-reconciliation-01KZJQN6",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn permutations_of_a_log_with_duplicates_give_the_same_bytes(
        which in 0..MISSIONS.len(),
        seed in any::<u64>(),
        duplicates in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let (lines, meta) = mission(MISSIONS[which]);
        let expected = bytes_of(&lines, &meta);
        let mut shuffled = lines.clone();
        // Any row may come twice but an annotation with a note (below).
        let repeatable: Vec<&String> = lines
            .iter()
            .filter(|l| !(l.contains(r#""kind": "annotation""#) && l.contains(r#""note":"#)))
            .collect();
        for index in &duplicates {
            shuffled.push(index.get(&repeatable).to_string());
        }
        // A seeded Fisher-Yates: proptest shrinks the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(bytes_of(&shuffled, &meta), expected);
    }
}

#[test]
fn a_repeated_event_id_with_other_content_is_where_order_matters() {
    // The CLI keeps the first row of an event_id in file order: the same two
    // rows in the other order give another snapshot. Expected lanes are read
    // off the rows themselves.
    let row = |to: &str| {
        format!(
            r#"{{"actor": "a", "at": "2026-08-01T10:00:00+00:00", "event_id": "01JAAAA00000000000000000B1", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "m", "reason": null, "review_ref": null, "to_lane": "{to}", "wp_id": "WP01"}}"#
        )
    };
    let meta = MissionMeta::default();
    let lane_of = |lines: &[String]| -> String {
        let doc: Value = serde_json::from_str(&bytes_of(lines, &meta)).unwrap();
        doc["work_packages"]["WP01"]["lane"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(lane_of(&[row("planned"), row("blocked")]), "planned");
    assert_eq!(lane_of(&[row("blocked"), row("planned")]), "blocked");
}

#[test]
fn a_repeated_annotation_note_is_listed_twice_as_the_cli_does() {
    // spec-kitty-cli 3.2.7 folds every annotation row, repeated or not: a
    // copied note row lists its note twice (the other delta fields fold to
    // the same value again).
    let lane = r#"{"actor": "a", "at": "2026-08-01T10:00:00+00:00", "event_id": "01JAAAA00000000000000000B1", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "m", "reason": null, "review_ref": null, "to_lane": "planned", "wp_id": "WP01"}"#;
    let note = r#"{"actor": "a", "at": "2026-08-01T10:01:00+00:00", "delta": {"note": "n", "role": "r", "subtasks": {"T1": "done"}}, "event_id": "01JAAAA00000000000000000B2", "kind": "annotation", "wp_id": "WP01"}"#;
    let meta = MissionMeta::default();
    let wp = |lines: &[&str]| -> Value {
        let lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        let doc: Value = serde_json::from_str(&bytes_of(&lines, &meta)).unwrap();
        doc["work_packages"]["WP01"].clone()
    };
    assert_eq!(wp(&[lane, note])["notes"], json!(["n"]));
    let twice = wp(&[lane, note, note]);
    assert_eq!(twice["notes"], json!(["n", "n"]));
    assert_eq!(twice["role"], "r");
    assert_eq!(twice["subtasks"], json!({"T1": "done"}));
}

const KEYS: [&str; 20] = [
    "actor",
    "at",
    "event_id",
    "evidence",
    "execution_mode",
    "feature_slug",
    "force",
    "from_lane",
    "mission_slug",
    "policy_metadata",
    "reason",
    "review_ref",
    "review_result",
    "to_lane",
    "wp_id",
    "kind",
    "delta",
    "event_type",
    "type",
    "event_name",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e300f64..1e300).prop_map(|f| json!(f)),
        prop::sample::select(
            &[
                "annotation",
                "planned",
                "genesis",
                "doing",
                "done",
                "01JAAAA00000000000000000B1",
                "2026-08-01T10:00:00+00:00",
                "WP01",
                "",
                "m",
            ][..]
        )
        .prop_map(|s| json!(s)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(&KEYS[..]), inner), 0..8).prop_map(
                |pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            ),
        ]
    })
}

const GOOD_LANE: &str = r#"{"actor": "a", "at": "2026-08-01T10:00:00+00:00", "event_id": "01JAAAA00000000000000000B1", "evidence": null, "execution_mode": "worktree", "force": false, "from_lane": "genesis", "mission_slug": "m", "reason": null, "review_ref": null, "to_lane": "planned", "wp_id": "WP01"}"#;
const GOOD_ANNOTATION: &str = r#"{"actor": "a", "at": "2026-08-01T10:00:00+00:00", "delta": {"subtasks": {"T001": "done"}}, "event_id": "01JAAAA00000000000000000B2", "kind": "annotation", "wp_id": "WP01"}"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_json_rows_never_panic_and_bad_ones_are_named(value in arb_json()) {
        let text = value.to_string();
        if let Err(error) = read_row(7, &text) {
            prop_assert_eq!(error.line(), 7);
            prop_assert!(!error.to_string().is_empty());
        }
        // And a whole log of it materializes or names the line.
        let read = read_status_log(&text);
        let _ = materialize(&read, &MissionMeta::default(), Era::of(&read), None);
    }

    #[test]
    fn a_bad_field_of_a_known_row_is_named_by_its_key(
        which in 0..2usize,
        key in prop::sample::select(&["actor", "at", "event_id", "wp_id", "to_lane", "from_lane", "force", "mission_slug", "delta"][..]),
        value in arb_json(),
    ) {
        let good = [GOOD_LANE, GOOD_ANNOTATION][which];
        let mut row: Map<String, Value> = serde_json::from_str(good).unwrap();
        if !row.contains_key(key) {
            return Ok(());
        }
        row.insert(key.to_owned(), value);
        let text = Value::Object(row).to_string();
        // Either the value fits the field, or the error names that field.
        if let Err(error) = read_row(3, &text) {
            prop_assert_eq!(error.line(), 3);
            let field = error.field();
            prop_assert!(field == key || field.starts_with(&format!("{key}.")), "{} named {}", key, error);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_no_line_is_dropped(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let read = read_status_log(&text);
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        prop_assert_eq!(read.rows.len() + read.annotations.len() + read.others.len() + read.errors.len(), lines);
        for error in &read.errors {
            prop_assert!(error.line() >= 1 && error.line() <= text.lines().count());
        }
        let _ = materialize(&read, &MissionMeta::default(), Era::of(&read), None);
    }
}
