//! spec-kitty's diary reader, reading (`src/spec_kitty/{lane,row,log}.rs`
//! and `Era`): the CLI's lanes and row fields written out as tables, each
//! refusal located by line, event and field, every row kind, the CLI's
//! order of rows.
//!
//! Written against the reader's lasting API (the read log, its rows'
//! accessors, the rendered `status.json` text), not against the JSON trees
//! it may hold inside.

use serde_json::{Value, json};
use spec_kitty_events::contract::Lane;
use spec_kitty_events::spec_kitty::{
    CliLane, Era, EventId, ROW_FIELDS, RowKind, StatusRow, cli_order, read_row, read_status_log,
};

use crate::diary_rows::*;

// ---------------------------------------------------------------------------
// The CLI's lanes, written out.

/// Every lane the CLI writes, its name, and the 0.4.0 contract's lane.
const LANES: [(CliLane, &str, Option<Lane>); 11] = [
    (CliLane::Genesis, "genesis", None),
    (CliLane::Uninitialized, "uninitialized", None),
    (CliLane::Planned, "planned", Some(Lane::Planned)),
    (CliLane::Claimed, "claimed", Some(Lane::Claimed)),
    (CliLane::InProgress, "in_progress", Some(Lane::InProgress)),
    (CliLane::ForReview, "for_review", Some(Lane::ForReview)),
    (CliLane::InReview, "in_review", None),
    (CliLane::Approved, "approved", None),
    (CliLane::Done, "done", Some(Lane::Done)),
    (CliLane::Blocked, "blocked", Some(Lane::Blocked)),
    (CliLane::Canceled, "canceled", Some(Lane::Canceled)),
];

#[test]
fn every_cli_lane_has_its_name_and_its_contract_lane() {
    for (lane, name, contract) in LANES {
        assert_eq!(lane.as_str(), name);
        assert_eq!(lane.to_string(), name);
        assert_eq!(CliLane::parse(name).unwrap(), lane);
        assert_eq!(lane.to_contract(), contract, "{name}");
        assert_eq!(serde_json::to_string(&lane).unwrap(), format!("\"{name}\""));
        let read: CliLane = serde_json::from_str(&format!("\"{name}\"")).unwrap();
        assert_eq!(read, lane);
    }
    // The legacy alias, and names the CLI does not write.
    assert_eq!(CliLane::parse("doing").unwrap(), CliLane::InProgress);
    for bad in ["Done", "", "review", "cancelled", "in-progress"] {
        let error = CliLane::parse(bad).unwrap_err();
        assert!(error.message().contains(&format!("{bad:?}")), "{error:?}");
    }
    assert!(serde_json::from_str::<CliLane>("\"nope\"").is_err());
    assert!(serde_json::from_str::<CliLane>("3").is_err());
    assert_eq!(
        CliLane::DISPLAY.map(CliLane::as_str),
        [
            "planned",
            "claimed",
            "in_progress",
            "for_review",
            "in_review",
            "approved",
            "done",
            "blocked",
            "canceled"
        ]
    );
    assert_eq!(
        CliLane::FEBRUARY.map(CliLane::as_str),
        [
            "planned",
            "claimed",
            "in_progress",
            "for_review",
            "done",
            "blocked",
            "canceled"
        ]
    );
}

// ---------------------------------------------------------------------------
// Event ids.

#[test]
fn event_ids_are_kept_as_written_and_judged_by_the_clis_schema() {
    // (id, a ULID or UUID as the CLI's schema asks, a ULID)
    let cases = [
        ("01KZ0000000000000000000001", true, true),
        ("01kz0000000000000000000001", true, true),
        ("01KZ000000000000000000000", false, false), // 25 characters
        ("01KZ00000000000000000000011", false, false), // 27
        ("01KZ000000000000000000000I", false, false),
        ("01KZ000000000000000000000L", false, false),
        ("01KZ000000000000000000000O", false, false),
        ("01KZ000000000000000000000U", false, false),
        ("01KZ000000000000000000000-", false, false),
        ("01KZ00000000000000000000é", false, false), // 26 bytes, not ASCII
        ("ZZZZZZZZZZZZZZZZZZZZZZZZZZ", true, false), // beyond 128 bits
        ("67e55044-10b1-426f-9247-bb680e5fe0c8", true, false),
        ("not-an-id", false, false),
        ("", false, false),
    ];
    for (text, well_formed, ulid) in cases {
        let id = EventId::new(text);
        assert_eq!(id.as_str(), text);
        assert_eq!(id.to_string(), text);
        assert_eq!(id.is_well_formed(), well_formed, "{text}");
        assert_eq!(id.as_ulid().is_some(), ulid, "{text}");
        assert_eq!(serde_json::to_string(&id).unwrap(), json!(text).to_string());
        let read: EventId = serde_json::from_value(json!(text)).unwrap();
        assert_eq!(read, id);
    }
    assert_eq!(
        EventId::new("01KZ0000000000000000000001")
            .as_ulid()
            .unwrap()
            .to_string(),
        "01KZ0000000000000000000001"
    );
    assert!(serde_json::from_value::<EventId>(json!(7)).is_err());
}

// ---------------------------------------------------------------------------
// Lane rows: what is read, what is refused.

#[test]
fn a_lane_rows_accessors_give_what_it_wrote() {
    let row = StatusRow::parse(
        7,
        &with(
            lane(3, "WP02", "doing", "for_review"),
            json!({"force": 1, "reason": "late", "colour": "red", "zeta": 1}),
        )
        .to_string(),
    )
    .unwrap();
    assert_eq!(row.line(), 7);
    assert_eq!(row.event_id().as_str(), eid(3));
    assert_eq!(row.at_text(), "2026-08-01T10:03:00+00:00");
    assert_eq!(
        row.at().unwrap().to_string(),
        "2026-08-01T10:03:00Z",
        "the instant"
    );
    assert_eq!(row.slug(), "042-m");
    assert!(!row.is_february());
    assert_eq!(row.wp_id(), "WP02");
    assert_eq!(row.from_lane(), Some(CliLane::InProgress));
    assert_eq!(row.to_lane(), CliLane::ForReview);
    assert_eq!(row.actor(), "alice");
    assert!(row.force());
    assert_eq!(row.lane_alias(), Some("from_lane"));
    assert_eq!(row.unknown_fields().collect::<Vec<_>>(), ["colour", "zeta"]);
    // Every field is kept as written: the CLI's thirteen, and the two more.
    assert_eq!(row.fields().len(), 15);
    assert!(row.fields().contains_key("colour"));

    let to_doing = parse(&lane(4, "WP02", "planned", "doing"));
    assert_eq!(to_doing.to_lane(), CliLane::InProgress);
    assert_eq!(to_doing.lane_alias(), Some("to_lane"));
    assert_eq!(
        parse(&lane(4, "WP02", "planned", "in_progress")).lane_alias(),
        None
    );

    let february = parse(&feb(5, "WP01", None, "planned"));
    assert!(february.is_february());
    assert_eq!(february.slug(), "003-x");
    assert_eq!(february.from_lane(), None);
    assert_eq!(february.unknown_fields().count(), 0);
    // Both slugs: the mission's own name wins.
    let both = parse(&with(
        lane(6, "WP01", "genesis", "planned"),
        json!({"feature_slug": "003-x"}),
    ));
    assert_eq!(both.slug(), "042-m");
    assert!(!both.is_february());
    // Every field of the CLI's row format is known.
    let mut every = lane(8, "WP01", "genesis", "planned");
    for field in ROW_FIELDS {
        if every.get(field).is_none() {
            every = set(every, field, Value::Null);
        }
    }
    assert_eq!(parse(&every).unknown_fields().count(), 0);
    assert_eq!(ROW_FIELDS.len(), 16);
}

#[test]
fn at_is_an_iso_8601_date_time_or_date_kept_as_written() {
    // (at, its instant when it has an offset)
    for (text, instant) in [
        // The instant keeps the offset written (`+00:00` is UTC, `Z`).
        (
            "2026-08-01T10:03:00+02:00",
            Some("2026-08-01T10:03:00+02:00"),
        ),
        ("2026-08-01T10:03:00+00:00", Some("2026-08-01T10:03:00Z")),
        (
            "2026-08-01T10:03:00.123456Z",
            Some("2026-08-01T10:03:00.123456Z"),
        ),
        // Without an offset, the contract reads UTC; a date is no instant.
        ("2026-08-01T10:03:00", Some("2026-08-01T10:03:00Z")),
        ("2026-08-01", None),
    ] {
        let row = parse(&set(
            lane(1, "WP01", "genesis", "planned"),
            "at",
            json!(text),
        ));
        assert_eq!(row.at_text(), text);
        assert_eq!(
            row.at().map(|t| t.to_string()).as_deref(),
            instant,
            "{text}"
        );
    }
    for bad in [
        json!("yesterday"),
        json!(""),
        json!(1_754_000_000),
        json!(null),
    ] {
        let row = set(lane(1, "WP01", "genesis", "planned"), "at", bad.clone());
        assert_eq!(refusal(&row), at_line(3, 1, "at"), "{bad}");
    }
}

#[test]
fn force_is_read_by_pythons_truthiness() {
    for (value, forced) in [
        (json!(null), false),
        (json!(false), false),
        (json!(true), true),
        (json!(0), false),
        (json!(2), true),
        (json!(-1), true),
        (json!(0.0), false),
        (json!(0.5), true),
        (json!(""), false),
        (json!("no"), true),
        (json!([]), false),
        (json!([0]), true),
        (json!({}), false),
        (json!({"a": 0}), true),
    ] {
        let row = parse(&set(
            lane(1, "WP01", "genesis", "planned"),
            "force",
            value.clone(),
        ));
        assert_eq!(row.force(), forced, "{value}");
    }
    // Absent: not forced.
    let row = parse(&with(
        lane(1, "WP01", "genesis", "planned"),
        json!({"force": null}),
    ));
    assert!(!row.force());
}

#[test]
fn actors_are_named_as_the_cli_names_them() {
    let structured = |tool: Value, role: Value| json!({"model": "m", "profile": null, "role": role, "tool": tool});
    for (actor, name) in [
        (json!("bob"), "bob"),
        (json!(""), ""),
        (structured(json!("claude"), json!("implementer")), "claude"),
        (structured(json!(""), json!("implementer")), "implementer"),
        (structured(json!(null), json!("reviewer")), "reviewer"),
        (structured(json!(null), json!(null)), ""),
        (structured(json!(""), json!("")), ""),
        (json!(5), "5"),
        (json!(-5), "-5"),
        (json!(1.5), "1.5"),
        (json!(2.0), "2.0"),
        (json!(1e-5), "1e-05"),
        (json!(1e16), "1e+16"),
        (json!(true), "True"),
        (json!(false), "False"),
        (json!(null), "None"),
    ] {
        let row = parse(&set(
            lane(1, "WP01", "genesis", "planned"),
            "actor",
            actor.clone(),
        ));
        assert_eq!(row.actor(), name, "{actor}");
    }
    for bad in [
        json!(["a"]),
        json!({"tool": "t"}),
        json!({"model": null, "profile": null, "role": null, "tool": null, "x": 1}),
        json!({"model": 1, "profile": null, "role": null, "tool": "t"}),
    ] {
        let row = set(lane(1, "WP01", "genesis", "planned"), "actor", bad.clone());
        assert_eq!(refusal(&row), at_line(3, 1, "actor"), "{bad}");
    }
}

#[test]
fn a_bad_lane_row_names_its_line_event_and_field() {
    let base = || lane(1, "WP01", "planned", "claimed");
    let review = json!({"reviewer": "r", "verdict": "approved", "reference": "x"});
    // (the row, the field named)
    let cases = [
        (with(base(), json!({"to_lane": null})), "to_lane"),
        (set(base(), "to_lane", json!("doneish")), "to_lane"),
        (set(base(), "from_lane", json!("started")), "from_lane"),
        (with(base(), json!({"wp_id": null})), "wp_id"),
        (set(base(), "wp_id", json!("")), "wp_id"),
        (set(base(), "wp_id", json!(1)), "wp_id"),
        (with(base(), json!({"actor": null})), "actor"),
        (with(base(), json!({"mission_slug": null})), "mission_slug"),
        (set(base(), "mission_slug", json!("")), "mission_slug"),
        (
            with(base(), json!({"mission_slug": null, "feature_slug": ""})),
            "feature_slug",
        ),
        // The shapes the CLI's materializer needs.
        (set(base(), "evidence", json!("a commit")), "evidence"),
        (set(base(), "evidence", json!([1])), "evidence"),
        (
            set(base(), "evidence", json!({"repos": []})),
            "evidence.review",
        ),
        (
            set(
                base(),
                "evidence",
                json!({"review": {"reviewer": "r", "verdict": "v"}}),
            ),
            "evidence.review",
        ),
        (
            set(base(), "evidence", json!({"review": "ok"})),
            "evidence.review",
        ),
        (
            set(base(), "evidence", json!({"review": review, "repos": "r"})),
            "evidence.repos",
        ),
        (
            set(base(), "review_result", json!("approved")),
            "review_result",
        ),
        (
            set(
                base(),
                "review_result",
                json!({"reviewer": "r", "verdict": "v"}),
            ),
            "review_result",
        ),
        (
            set(base(), "policy_metadata", json!("x")),
            "policy_metadata",
        ),
        (
            set(base(), "policy_metadata", json!([1])),
            "policy_metadata",
        ),
        (
            set(lane(1, "WP01", "planned", "canceled"), "reason", json!(5)),
            "reason",
        ),
        (
            set(
                lane(1, "WP01", "planned", "canceled"),
                "reason",
                json!({"a": 1}),
            ),
            "reason",
        ),
    ];
    for (row, field) in cases {
        assert_eq!(refusal(&row), at_line(3, 1, field), "{row}");
    }
    // The event id is named only when it is a string.
    let row = set(with(base(), json!({"to_lane": null})), "event_id", json!(5));
    assert_eq!(refusal(&row), (3, None, "event_id".into()));
    let row = with(base(), json!({"event_id": null}));
    assert_eq!(refusal(&row), (3, None, "event_id".into()));
    // Not an object at all.
    for bad in ["[1]", "nope", "\"row\""] {
        let error = StatusRow::parse(2, bad).unwrap_err();
        assert_eq!((error.line(), error.event_id()), (2, None), "{bad}");
    }

    // What those checks let pass: falsy or null optional fields, the
    // shapes outside their condition.
    for row in [
        set(base(), "evidence", json!({})),
        set(base(), "evidence", json!("")),
        set(base(), "evidence", json!({"review": review})),
        set(base(), "evidence", json!({"review": review, "repos": null})),
        set(
            base(),
            "evidence",
            json!({"review": review, "repos": [{"a": 1}]}),
        ),
        set(base(), "review_result", json!({})),
        set(base(), "review_result", json!("")),
        set(base(), "review_result", review.clone()),
        set(base(), "policy_metadata", json!({})),
        set(base(), "policy_metadata", json!("")),
        set(base(), "policy_metadata", json!({"agent": 1})),
        // Only a claim's policy_metadata is read.
        set(
            lane(1, "WP01", "claimed", "in_progress"),
            "policy_metadata",
            json!("x"),
        ),
        set(
            lane(1, "WP01", "genesis", "claimed"),
            "policy_metadata",
            json!("x"),
        ),
        set(
            lane(1, "WP01", "planned", "blocked"),
            "policy_metadata",
            json!("x"),
        ),
        // Only a cancellation's reason is read.
        set(lane(1, "WP01", "planned", "blocked"), "reason", json!(5)),
        set(
            lane(1, "WP01", "planned", "canceled"),
            "reason",
            json!("gone"),
        ),
        set(
            lane(1, "WP01", "planned", "canceled"),
            "reason",
            json!(null),
        ),
        with(
            lane(1, "WP01", "planned", "canceled"),
            json!({"reason": null}),
        ),
    ] {
        assert!(StatusRow::parse(1, &row.to_string()).is_ok(), "{row}");
    }
}

#[test]
fn a_key_repeated_in_a_line_counts_once_its_last_value() {
    let text = lane(1, "WP01", "genesis", "planned").to_string().replacen(
        '{',
        r#"{"to_lane":"done","wp_id":"WP09","#,
        1,
    );
    // serde_json writes keys in order: the row's own to_lane comes later.
    let row = StatusRow::parse(1, &text).unwrap();
    assert_eq!(row.to_lane(), CliLane::Planned);
    assert_eq!(row.wp_id(), "WP01");
    let text = format!(
        "{},\"to_lane\":\"done\"}}",
        &lane(1, "WP01", "genesis", "planned")
            .to_string()
            .trim_end_matches('}')
    );
    assert_eq!(StatusRow::parse(1, &text).unwrap().to_lane(), CliLane::Done);
}

// ---------------------------------------------------------------------------
// The CLI's order.

#[test]
fn rows_apply_by_at_then_event_id_as_text_each_id_once() {
    let rows: Vec<StatusRow> = [
        // (line, id, at)
        (1, "01KZB", "2026-08-01T10:05:00Z"),
        (2, "01KZA", "2026-08-01T12:04:00+02:00"), // a minute earlier, later text
        (3, "01KZC", "2026-08-01T10:05:00Z"),
        (4, "01KZB", "2026-08-01T09:00:00Z"), // a repeat: its first row counts
        (5, "01KZ9", "2026-08-01T10:05:00Z"),
        (6, "01KZD", "2026-08-01T10:04:59Z"),
    ]
    .iter()
    .map(|(line, id, at)| {
        let row = with(
            lane(1, "WP01", "planned", "claimed"),
            json!({"event_id": id, "at": at}),
        );
        StatusRow::parse(*line, &row.to_string()).unwrap()
    })
    .collect();
    let lines: Vec<usize> = cli_order(&rows).iter().map(|row| row.line()).collect();
    assert_eq!(lines, [6, 5, 1, 3, 2]);
    assert!(cli_order(&[]).is_empty());
}

// ---------------------------------------------------------------------------
// Whole logs: every row kind.

#[test]
fn row_kinds_are_decided_by_their_fields() {
    let cases = [
        (json!({"to_lane": "x"}), RowKind::Lane, "lane"),
        (
            json!({"kind": "annotation"}),
            RowKind::Annotation,
            "annotation",
        ),
        (
            json!({"kind": "annotation", "event_type": "X"}),
            RowKind::Annotation,
            "annotation",
        ),
        (
            json!({"kind": "tombstone", "event_type": "X"}),
            RowKind::Unknown("tombstone".into()),
            "unknown kind tombstone",
        ),
        (
            json!({"kind": 3}),
            RowKind::Unknown("3".into()),
            "unknown kind 3",
        ),
        (
            json!({"kind": null}),
            RowKind::Unknown("null".into()),
            "unknown kind null",
        ),
        (
            json!({"event_type": "WPCreated", "type": "T", "event_name": "n"}),
            RowKind::Envelope("WPCreated".into()),
            "envelope WPCreated",
        ),
        (
            json!({"event_type": 1, "type": "T", "event_name": "n"}),
            RowKind::Typed("T".into()),
            "type T",
        ),
        (
            json!({"type": 1, "event_name": "retrospective.requested"}),
            RowKind::Named("retrospective.requested".into()),
            "event_name retrospective.requested",
        ),
        (json!({"event_name": 1}), RowKind::Lane, "lane"),
    ];
    for (fields, kind, description) in cases {
        let map = fields.as_object().unwrap();
        assert_eq!(RowKind::of(map), kind, "{fields}");
        assert_eq!(kind.describe(), description);
    }
}

#[test]
fn reading_a_log_sorts_its_rows_by_kind_and_names_each_bad_line() {
    let text = [
        lane(1, "WP01", "genesis", "planned").to_string(),
        String::new(),
        "   ".into(),
        note(2, "WP01", json!({"note": "n"})).to_string(),
        json!({"event_type": "MissionCreated", "event_id": "E1", "payload": {}}).to_string(),
        json!({"type": "RetrospectiveCaptured", "event_id": 9}).to_string(),
        json!({"event_name": "retrospective.requested", "event_id": "R1", "payload": null})
            .to_string(),
        json!({"event_name": "other.thing", "payload": "text"}).to_string(),
        json!({"kind": "tombstone", "event_id": "K1"}).to_string(),
        "not json".into(),
        with(
            lane(3, "WP01", "planned", "claimed"),
            json!({"wp_id": null}),
        )
        .to_string(),
        note(4, "WP01", json!({"subtasks": {"T1": "skipped"}})).to_string(),
        json!({"event_name": "retrospective.completed", "event_id": "R2", "payload": [1]})
            .to_string(),
        lane(5, "WP02", "genesis", "planned").to_string(),
    ]
    .join("\n");
    let read = read_status_log(&text);
    let lines = |rows: Vec<usize>| rows;
    assert_eq!(
        lines(read.rows.iter().map(StatusRow::line).collect()),
        [1, 14]
    );
    assert_eq!(read.annotations.len(), 1);
    let annotation = &read.annotations[0];
    assert_eq!(annotation.line(), 4);
    assert_eq!(annotation.event_id().as_str(), eid(2));
    assert_eq!(annotation.at_text(), at(2));
    assert_eq!(annotation.wp_id(), "WP01");
    assert_eq!(annotation.delta().len(), 1);
    assert!(annotation.delta().contains_key("note"));
    let others: Vec<(usize, RowKind, Option<&str>)> = read
        .others
        .iter()
        .map(|row| (row.line, row.kind.clone(), row.event_id.as_deref()))
        .collect();
    assert_eq!(
        others,
        [
            (5, RowKind::Envelope("MissionCreated".into()), Some("E1")),
            (6, RowKind::Typed("RetrospectiveCaptured".into()), None),
            (
                7,
                RowKind::Named("retrospective.requested".into()),
                Some("R1")
            ),
            (8, RowKind::Named("other.thing".into()), None),
            (9, RowKind::Unknown("tombstone".into()), Some("K1")),
        ]
    );
    assert_eq!(
        located(&read.errors),
        [
            (10, None, String::new()),
            at_line(11, 3, "wp_id"),
            at_line(12, 4, "delta.subtasks.T1"),
            (13, Some("R2".into()), "payload".into()),
        ]
    );
    // The lane and annotation rows among them; not the retrospective row.
    assert_eq!(read.unreadable_status_rows, 2);
    assert!(read.is_status_log());
    let kinds: Vec<(String, usize)> = read.other_kinds().into_iter().collect();
    assert_eq!(
        kinds,
        [
            ("envelope MissionCreated".to_owned(), 1),
            ("event_name other.thing".to_owned(), 1),
            ("event_name retrospective.requested".to_owned(), 1),
            ("type RetrospectiveCaptured".to_owned(), 1),
            ("unknown kind tombstone".to_owned(), 1),
        ]
    );
    // read_row reads one line the same way.
    assert!(matches!(
        read_row(1, &lane(1, "WP01", "genesis", "planned").to_string()),
        Ok(spec_kitty_events::spec_kitty::LogRow::Lane(row)) if row.wp_id() == "WP01"
    ));
    let error = read_row(13, text.lines().nth(12).unwrap()).unwrap_err();
    assert_eq!((error.line(), error.field()), (13, "payload"));
}

#[test]
fn a_log_is_a_status_log_by_its_lane_and_annotation_rows() {
    let envelope = json!({"event_type": "WPCreated", "event_id": "E"}).to_string();
    let bad_lane = with(
        lane(1, "WP01", "genesis", "planned"),
        json!({"wp_id": null}),
    )
    .to_string();
    let bad_note = note(2, "WP01", json!({"subtasks": 1})).to_string();
    let good_note = note(2, "WP01", json!({})).to_string();
    let good_lane = lane(1, "WP01", "genesis", "planned").to_string();
    // (lines, is a status log, unreadable status rows)
    for (lines, status_log, unreadable) in [
        (vec![], false, 0),
        (vec![envelope.clone()], false, 0),
        (vec!["nope".to_owned()], false, 0),
        (vec![bad_lane.clone()], true, 1),
        (vec![bad_note.clone(), bad_lane.clone()], true, 2),
        (vec![bad_lane.clone(), envelope.clone()], false, 1),
        (vec![good_note.clone(), envelope.clone()], true, 0),
        (vec![good_lane.clone(), envelope.clone()], true, 0),
    ] {
        let read = read_status_log(&lines.join("\n"));
        assert_eq!(read.is_status_log(), status_log, "{lines:?}");
        assert_eq!(read.unreadable_status_rows, unreadable, "{lines:?}");
    }
}

#[test]
fn a_bad_annotation_names_the_delta_field() {
    let review = |value: Value| note(6, "WP01", json!({"review": value}));
    let fine = json!({"actor": "a", "at": "t", "reason": "r", "wp_id": "WP01"});
    // (row, field)
    let cases = [
        (review(json!("approved")), "delta.review"),
        (
            review(json!({"actor": "a", "at": "t", "reason": "r"})),
            "delta.review",
        ),
        (
            review(json!({"actor": "a", "at": "t", "reason": 1, "wp_id": "WP01"})),
            "delta.review",
        ),
        (
            note(6, "WP01", json!({"subtasks": ["T1"]})),
            "delta.subtasks",
        ),
        (
            note(6, "WP01", json!({"subtasks": {"T1": "done", "T2": 2}})),
            "delta.subtasks.T2",
        ),
        (
            note(6, "WP01", json!({"subtasks": {"T3": "skipped"}})),
            "delta.subtasks.T3",
        ),
        (
            set(note(6, "WP01", json!({})), "delta", json!("x")),
            "delta",
        ),
        (
            with(note(6, "WP01", json!({})), json!({"wp_id": null})),
            "wp_id",
        ),
        (set(note(6, "WP01", json!({})), "at", json!("soon")), "at"),
    ];
    for (row, field) in cases {
        let read = read_status_log(&row.to_string());
        assert_eq!(located(&read.errors), [at_line(1, 6, field)], "{row}");
    }
    for row in [
        review(json!(null)),
        review(fine),
        note(
            6,
            "WP01",
            json!({"subtasks": {"T1": "doing", "T2": "genesis"}}),
        ),
    ] {
        let read = read_status_log(&row.to_string());
        assert!(read.errors.is_empty(), "{row}: {:?}", read.errors);
        assert_eq!(read.annotations.len(), 1);
    }
}

// ---------------------------------------------------------------------------
// Eras.

#[test]
fn a_log_is_februarys_when_every_row_is_a_feature_slug_lane_row() {
    let f = || feb(1, "WP01", None, "planned").to_string();
    let c = || lane(2, "WP01", "genesis", "planned").to_string();
    let envelope = json!({"event_type": "WPCreated"}).to_string();
    let typed = json!({"type": "T"}).to_string();
    let named = json!({"event_name": "n"}).to_string();
    let unknown = json!({"kind": "k"}).to_string();
    let annotation = note(3, "WP01", json!({})).to_string();
    for (lines, era) in [
        (vec![f()], Era::February2026),
        (vec![f(), unknown.clone(), "junk".into()], Era::February2026),
        (vec![], Era::Current),
        (vec![unknown.clone()], Era::Current),
        (vec![c()], Era::Current),
        (vec![f(), c()], Era::Current),
        (vec![f(), annotation], Era::Current),
        (vec![f(), envelope], Era::Current),
        (vec![f(), typed], Era::Current),
        (vec![f(), named], Era::Current),
    ] {
        assert_eq!(
            Era::of(&read_status_log(&lines.join("\n"))),
            era,
            "{lines:?}"
        );
    }
}
