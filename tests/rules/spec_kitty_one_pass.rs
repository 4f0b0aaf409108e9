//! spec-kitty's diary reader, the parts that make it fast: the row
//! equality that ignores how a line is spelled, the many-missions
//! materializer, the string writer's escapes, and the document as a
//! value. Each result is written out here or is the one-mission
//! `materialize`'s, checked byte for byte against the CLI's own files in
//! `spec_kitty_status.rs`.

use serde_json::{Value, json};
use spec_kitty_events::spec_kitty::{
    Era, MissionLog, MissionMeta, StatusRow, materialize, materialize_current,
    materialize_missions, materialize_on, read_status_log,
};

use crate::diary_rows::*;

// ---------------------------------------------------------------------------
// Equality of rows.

/// The row of line `line` read from `row`.
fn row_at(line: usize, row: &Value) -> StatusRow {
    StatusRow::parse(line, &row.to_string()).unwrap()
}

#[test]
fn rows_are_equal_when_they_read_alike_whatever_their_spelling() {
    let base = with(
        lane(1, "WP01", "planned", "claimed"),
        json!({"review_result": {"reviewer": "bob", "verdict": "approved", "reference": "PR#1"}, "colour": 1}),
    );
    let compact = base.to_string();
    let spaced = serde_json::to_string_pretty(&base)
        .unwrap()
        .replace('\n', " ");
    let escaped = compact.replace("alice", "\\u0061lice");
    assert_ne!(compact, spaced);
    let row = StatusRow::parse(3, &compact).unwrap();
    assert_eq!(row, StatusRow::parse(3, &spaced).unwrap());
    assert_eq!(row, StatusRow::parse(3, &escaped).unwrap());
    assert_eq!(row, row.clone());
}

#[test]
fn rows_differ_when_any_one_field_differs() {
    let base = lane(1, "WP01", "planned", "claimed");
    let row = row_at(1, &base);
    assert_ne!(row, row_at(2, &base), "line");
    let variants: Vec<(&str, Value)> = vec![
        ("event_id", set(base.clone(), "event_id", json!(eid(9)))),
        ("at", set(base.clone(), "at", json!(at(9)))),
        (
            "at, same instant",
            set(base.clone(), "at", json!("2026-08-01T10:01:00Z")),
        ),
        (
            "mission_slug",
            set(base.clone(), "mission_slug", json!("043-m")),
        ),
        ("feature_slug instead", {
            let mut other = base.clone();
            let slug = other
                .as_object_mut()
                .unwrap()
                .remove("mission_slug")
                .unwrap();
            set(other, "feature_slug", slug)
        }),
        ("wp_id", set(base.clone(), "wp_id", json!("WP02"))),
        (
            "from_lane",
            set(base.clone(), "from_lane", json!("in_progress")),
        ),
        ("to_lane", set(base.clone(), "to_lane", json!("for_review"))),
        (
            "to_lane alias",
            set(base.clone(), "to_lane", json!("doing")),
        ),
        ("actor", set(base.clone(), "actor", json!("bob"))),
        ("force", set(base.clone(), "force", json!(true))),
        ("unknown field", set(base.clone(), "colour", json!(1))),
        (
            "review_result",
            set(
                base.clone(),
                "review_result",
                json!({"reviewer": "bob", "verdict": "approved", "reference": "PR#1"}),
            ),
        ),
        ("reason", set(base.clone(), "reason", json!("because"))),
        (
            "execution_mode",
            set(base.clone(), "execution_mode", json!("direct_repo")),
        ),
        ("review_ref", set(base.clone(), "review_ref", json!("PR#2"))),
        (
            "policy_metadata",
            set(base.clone(), "policy_metadata", json!({"agent": "x"})),
        ),
    ];
    for (what, variant) in variants {
        let other = row_at(1, &variant);
        assert_ne!(row, other, "{what}");
        assert_ne!(other, row, "{what}");
    }
    let lane_alias = row_at(1, &set(base.clone(), "to_lane", json!("doing")));
    let in_progress = row_at(1, &set(base, "to_lane", json!("in_progress")));
    assert_eq!(lane_alias.to_lane(), in_progress.to_lane());
    assert_ne!(lane_alias, in_progress, "the alias is part of the row");
}

// ---------------------------------------------------------------------------
// Many missions at once.

#[test]
fn many_missions_materialize_each_as_alone_in_the_order_given() {
    let mut texts = Vec::new();
    for set in ["real-logs-2026", "real-logs"] {
        for dir in data(set).into_iter().take(12) {
            let log = read_text(&dir.join("status.events.jsonl"));
            let meta = std::fs::read_to_string(dir.join("meta.json"))
                .ok()
                .and_then(|text| MissionMeta::parse(&text).ok())
                .unwrap_or_default();
            texts.push((log, meta));
        }
    }
    assert_eq!(texts.len(), 24);
    // February's snapshot is stamped with the wall clock: only today's
    // documents can be compared whole; February's are compared unstamped.
    let alone: Vec<String> = texts
        .iter()
        .map(|(log, meta)| {
            let read = read_status_log(log);
            let era = Era::of(&read);
            materialize(&read, meta, era, None)
        })
        .collect();
    let missions: Vec<MissionLog<'_>> = texts
        .iter()
        .map(|(log, meta)| MissionLog { log, meta })
        .collect();
    let unstamped = |documents: &[String]| -> Vec<String> {
        documents
            .iter()
            .map(|text| {
                text.lines()
                    .filter(|line| !line.trim_start().starts_with("\"materialized_at\""))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect()
    };
    let expected = unstamped(&alone);
    assert!(expected[0].contains("\"mission_slug\""), "{}", expected[0]);
    assert!(
        expected[23].contains("\"feature_slug\""),
        "{}",
        expected[23]
    );
    for threads in [0, 1, 2, 3, 64] {
        let documents = materialize_on(&missions, threads);
        assert_eq!(unstamped(&documents), expected, "{threads} threads");
        // Today's documents carry the last row's `at`: equal whole.
        assert_eq!(documents[..12], alone[..12], "{threads} threads");
    }
    assert_eq!(unstamped(&materialize_missions(&missions)), expected);
    let one = missions[0].materialize();
    assert_eq!(one, alone[0]);
    assert!(materialize_on(&[], 2).is_empty());
}

// ---------------------------------------------------------------------------
// Strings and nesting in today's status.json.

#[test]
fn strings_of_nothing_but_escaped_characters_are_escaped() {
    for (note, written) in [
        ("\"", r#""\"""#),
        ("\\", r#""\\""#),
        ("\n", r#""\n""#),
        ("\u{1}", r#""\u0001""#),
        (" ", r#"" ""#),
        ("\u{7f}é", "\"\u{7f}é\""),
    ] {
        let rows = [lane(1, "WP01", "genesis", "planned"), note_row(2, note)];
        let text = materialize(
            &read_status_log(&log(&rows)),
            &MissionMeta::default(),
            Era::Current,
            None,
        );
        let expected = format!("      \"notes\": [\n        {written}\n      ]\n");
        assert!(text.contains(&expected), "{note:?}: {text}");
    }
}

fn note_row(n: u64, text: &str) -> Value {
    note(n, "WP01", json!({ "note": text }))
}

#[test]
fn the_current_document_as_a_value_is_the_text_read_back() {
    let rows = [
        lane(1, "WP01", "genesis", "planned"),
        lane(2, "WP01", "planned", "claimed"),
        lane(3, "WP02", "genesis", "planned"),
    ];
    let read = read_status_log(&log(&rows));
    let meta = MissionMeta::default();
    let document = materialize_current(&read, &meta);
    assert_eq!(document["work_packages"]["WP01"]["lane"], "claimed");
    assert_eq!(document["work_packages"]["WP02"]["lane"], "planned");
    assert_eq!(document["event_count"], 3);
    let text = materialize(&read, &meta, Era::Current, None);
    assert_eq!(document, serde_json::from_str::<Value>(&text).unwrap());
}

// ---------------------------------------------------------------------------
// A row with every lane field is still another kind when a kind field says so.

#[test]
fn a_lane_shaped_row_with_a_kind_field_is_read_as_that_kind() {
    for (key, value, kind) in [
        ("event_type", "WPStatusChanged", "envelope WPStatusChanged"),
        ("type", "Note", "type Note"),
        (
            "event_name",
            "retrospective.requested",
            "event_name retrospective.requested",
        ),
        ("kind", "mystery", "unknown kind mystery"),
    ] {
        let row = set(lane(1, "WP01", "planned", "claimed"), key, json!(value));
        let read = read_status_log(&log(&[lane(2, "WP02", "genesis", "planned"), row]));
        assert_eq!(read.rows.len(), 1, "{key}");
        assert_eq!(read.rows[0].wp_id(), "WP02", "{key}");
        assert_eq!(read.others.len(), 1, "{key}: {:?}", read.others);
        assert_eq!(read.others[0].line, 2, "{key}");
        assert_eq!(read.others[0].kind.describe(), kind, "{key}");
        // Read as a lane row on purpose, the same line names the field.
        let parsed = StatusRow::parse(
            2,
            &set(lane(1, "WP01", "planned", "claimed"), key, json!(value)).to_string(),
        )
        .unwrap();
        assert_eq!(parsed.unknown_fields().collect::<Vec<_>>(), [key]);
    }
}

#[test]
fn an_annotation_shaped_row_is_an_annotation_only_by_its_kind_and_needs_a_work_package() {
    let row = set(
        note(6, "WP01", json!({"note": "n"})),
        "kind",
        json!("mystery"),
    );
    let read = read_status_log(&row.to_string());
    assert!(read.annotations.is_empty(), "{:?}", read.annotations);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    assert_eq!(read.others.len(), 1);
    assert_eq!(read.others[0].kind.describe(), "unknown kind mystery");

    let row = set(note(6, "WP01", json!({"note": "n"})), "wp_id", json!(""));
    let read = read_status_log(&row.to_string());
    assert!(read.annotations.is_empty(), "{:?}", read.annotations);
    assert_eq!(located(&read.errors), [at_line(1, 6, "wp_id")]);

    let read = read_status_log(&note(6, "WP01", json!({"note": "n"})).to_string());
    assert_eq!(read.annotations.len(), 1);
    assert_eq!(read.annotations[0].wp_id(), "WP01");
}

#[test]
fn a_row_with_many_unknown_fields_names_each_once_in_order() {
    let mut row = lane(1, "WP01", "genesis", "planned");
    let names: Vec<String> = (0..40).map(|n| format!("x{n:02}")).collect();
    for name in &names {
        row = set(row, name, json!(1));
    }
    // An unknown key again, first: one field, the last value.
    let text = row.to_string().replacen('{', r#"{"x03":0,"#, 1);
    let parsed = StatusRow::parse(1, &text).unwrap();
    // As Python's `json.loads` keeps a repeated key: at its first place.
    let mut in_place = vec![names[3].clone()];
    in_place.extend(names.iter().filter(|name| *name != "x03").cloned());
    assert_eq!(parsed.unknown_fields().collect::<Vec<_>>(), in_place);
    assert_eq!(parsed.fields()["x03"], json!(1));
    let read = read_status_log(&format!("{text}\n"));
    assert_eq!(read.rows.len(), 1);
    assert_eq!(read.rows[0], parsed);
    let mut note = note(2, "WP01", json!({"note": "n"}));
    for name in &names {
        note = set(note, name, json!(1));
    }
    let read = read_status_log(&format!("{note}\n"));
    assert_eq!(read.annotations.len(), 1, "{:?}", read.errors);
}
