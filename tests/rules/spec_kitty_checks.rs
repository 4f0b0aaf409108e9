//! spec-kitty's diary reader, judging and lifting (`src/spec_kitty/{check,
//! lift}.rs`): every deviation a small log holds, located by line, event
//! and field, and the documented envelope of a lifted row.
//!
//! Written against the reader's lasting API (the read log, its rows'
//! accessors, the rendered `status.json` text), not against the JSON trees
//! it may hold inside.

use serde_json::{Value, json};
use spec_kitty_events::spec_kitty::{
    EventId, LIFTED_NODE_ID, StatusLogRead, check_current, check_rows, feature_correlation_id,
    lift_row, lift_rows, read_status_log,
};

use crate::diary_rows::*;

// ---------------------------------------------------------------------------
// Deviations from the 0.4.0 contract (February's rows).

#[test]
fn check_rows_names_each_deviation_by_line_event_and_field() {
    let review = json!({"review": {"reviewer": "r", "verdict": "approved", "reference": "x"}});
    let rows = [
        // 1: fine.
        feb(1, "WP01", None, "planned"),
        // 2: a forced migration to done whose evidence has no repos.
        with(
            feb(2, "WP01", Some("planned"), "done"),
            json!({"force": true, "reason": "migration", "evidence": review}),
        ),
        // 3: a repeat of line 2's event.
        with(
            feb(2, "WP01", Some("planned"), "done"),
            json!({"force": true, "reason": "migration", "evidence": review}),
        ),
        // 4: a new WP whose from_lane is not null.
        feb(4, "WP02", Some("planned"), "claimed"),
        // 5: another feature, an unknown field, policy metadata.
        with(
            feb(5, "WP02", Some("claimed"), "in_progress"),
            json!({"feature_slug": "004-y", "colour": "red", "policy_metadata": {"a": 1}}),
        ),
        // 6: a lane the contract lacks, not forced: and not allowed.
        feb(6, "WP01", Some("done"), "in_review"),
        // 7: from_lane other than the WP's lane (in_progress), to done
        // without evidence, a move the matrix forbids without force.
        feb(7, "WP02", Some("planned"), "done"),
        // 8: forced without a reason.
        with(feb(8, "WP03", None, "planned"), json!({"force": true})),
        // 9: a lane the contract lacks, forced: the lane alone.
        with(
            feb(9, "WP03", Some("planned"), "approved"),
            json!({"force": true, "reason": "r"}),
        ),
        // 10: genesis is a new WP's null from_lane.
        set(
            feb(10, "WP04", None, "planned"),
            "from_lane",
            json!("genesis"),
        ),
        // 11: an id that is no ULID does not lift.
        set(
            feb(11, "WP04", Some("planned"), "claimed"),
            "event_id",
            json!("not-a-ulid"),
        ),
        // 12: an `at` that is a date, no instant, does not lift (and
        // sorts last, by its text).
        set(feb(12, "WP05", None, "planned"), "at", json!("2026-08-02")),
    ];
    let read = read_status_log(&log(&rows));
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let deviations = check_rows(&read.rows);
    let found: Vec<(usize, String, String)> = deviations
        .iter()
        .map(|d| {
            (
                d.line(),
                d.event_id().unwrap().to_owned(),
                d.field().to_owned(),
            )
        })
        .collect();
    let e = |line: usize, n: u64, field: &str| (line, eid(n), field.to_owned());
    assert_eq!(
        found,
        [
            e(2, 2, "payload.evidence.repos"),
            e(3, 2, "event_id"),
            e(4, 4, "from_lane"),
            e(5, 5, "colour"),
            e(5, 5, "policy_metadata"),
            e(5, 5, "feature_slug"),
            e(6, 6, "payload.to_lane"),
            e(6, 6, "to_lane"),
            e(7, 7, "from_lane"),
            e(7, 7, "payload.evidence"),
            e(7, 7, "to_lane"),
            e(8, 8, "payload.reason"),
            e(9, 9, "payload.to_lane"),
            (11, "not-a-ulid".into(), "event_id".into()),
            e(12, 12, "at"),
        ],
        "{deviations:#?}"
    );
    let message = |line: usize, field: &str| {
        deviations
            .iter()
            .find(|d| d.line() == line && d.field() == field)
            .unwrap()
            .message()
            .to_owned()
    };
    assert_eq!(
        message(3, "event_id"),
        "repeats the event of line 2; it is counted once"
    );
    assert_eq!(
        message(4, "from_lane"),
        "is planned, but WP02 has no earlier row: a new work package's from_lane is null"
    );
    assert_eq!(
        message(7, "from_lane"),
        "is planned, but WP02 is in in_progress"
    );
    assert_eq!(message(6, "to_lane"), "done -> in_review is not allowed");
    assert_eq!(message(7, "to_lane"), "planned -> done is not allowed");
    assert_eq!(
        message(5, "feature_slug"),
        r#"is "004-y", but the log is feature "003-x""#
    );
    assert_eq!(
        message(5, "colour"),
        "is not a field of the CLI's row format"
    );
    assert!(check_rows(&[]).is_empty());
    assert!(check_rows(&read.rows[..1]).is_empty());
}

// ---------------------------------------------------------------------------
// Deviations from the CLI 3.2.7's row contract (today's rows).

#[test]
fn check_current_names_each_deviation_by_line_event_and_field() {
    let rows = [
        // 1: fine, with a field outside the row format (forward-compatible).
        set(
            lane(1, "WP01", "genesis", "planned"),
            "colour",
            json!("red"),
        ),
        // 2: required fields missing.
        with(
            lane(2, "WP01", "planned", "claimed"),
            json!({"execution_mode": null, "force": null}),
        ),
        // 3: an id neither ULID nor UUID; a force not a boolean, and so
        // forced without a reason.
        with(
            lane(3, "WP01", "claimed", "in_progress"),
            json!({"event_id": "E3", "force": 1}),
        ),
        // 4: a null from_lane; the alias doing.
        set(
            set(lane(4, "WP02", "x", "doing"), "from_lane", Value::Null),
            "mission_id",
            json!("m"),
        ),
        // 5: an unknown execution mode; forced with a blank reason.
        with(
            lane(5, "WP01", "doing", "for_review"),
            json!({"execution_mode": "cloud", "force": true, "reason": " "}),
        ),
        // 6: back from review without a review_ref.
        lane(6, "WP01", "for_review", "in_progress"),
        // 7: the same with one: fine; forced with a reason: fine.
        with(
            lane(7, "WP01", "for_review", "in_progress"),
            json!({"review_ref": "R", "force": true, "reason": "why"}),
        ),
        // 8: line 7's event again, other content.
        with(
            lane(7, "WP01", "for_review", "in_progress"),
            json!({"review_ref": "R2", "force": true, "reason": "why"}),
        ),
        // 9: line 7's event, an exact copy: harmless.
        with(
            lane(7, "WP01", "for_review", "in_progress"),
            json!({"review_ref": "R", "force": true, "reason": "why"}),
        ),
        // 10: a UUID id, a blank review_ref.
        with(
            lane(10, "WP01", "for_review", "in_progress"),
            json!({"event_id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "review_ref": "  ", "execution_mode": 1}),
        ),
    ];
    let read = read_status_log(&log(&rows));
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let deviations = check_current(&read);
    let uuid = "67e55044-10b1-426f-9247-bb680e5fe0c8";
    let found: Vec<(usize, String, String)> = deviations
        .iter()
        .map(|d| {
            (
                d.line(),
                d.event_id().unwrap().to_owned(),
                d.field().to_owned(),
            )
        })
        .collect();
    let e = |line: usize, id: &str, field: &str| (line, id.to_owned(), field.to_owned());
    assert_eq!(
        found,
        [
            e(2, &eid(2), "force"),
            e(2, &eid(2), "execution_mode"),
            e(3, "E3", "event_id"),
            e(3, "E3", "force"),
            e(3, "E3", "reason"),
            e(4, &eid(4), "from_lane"),
            e(4, &eid(4), "to_lane"),
            e(5, &eid(5), "from_lane"),
            e(5, &eid(5), "execution_mode"),
            e(5, &eid(5), "reason"),
            e(6, &eid(6), "review_ref"),
            e(8, &eid(7), "event_id"),
            e(10, uuid, "execution_mode"),
            e(10, uuid, "review_ref"),
        ],
        "{deviations:#?}"
    );
    let message = |line: usize, field: &str| {
        deviations
            .iter()
            .find(|d| d.line() == line && d.field() == field)
            .unwrap()
            .message()
            .to_owned()
    };
    assert_eq!(message(2, "force"), "is missing");
    assert_eq!(
        message(8, "event_id"),
        "repeats the event of line 7 with other content; the CLI keeps line 7"
    );
    assert_eq!(
        message(10, "execution_mode"),
        r#"is 1, not "worktree" or "direct_repo""#
    );
    assert_eq!(
        message(5, "execution_mode"),
        r#"is "cloud", not "worktree" or "direct_repo""#
    );
    assert!(check_current(&read_status_log("")).is_empty());
    // Every real 2026 log: no row deviates... as the CLI wrote them? Not
    // asserted: the logs hold what they hold. Other kinds are not judged.
    let others = log(&[
        note(1, "WP01", json!({})),
        json!({"event_type": "X", "force": 1}),
    ]);
    assert!(check_current(&read_status_log(&others)).is_empty());
}

// ---------------------------------------------------------------------------
// The lift.

#[test]
fn a_row_lifts_to_the_documented_envelope() {
    let rows = [
        with(
            lane(2, "WP01", "genesis", "planned"),
            json!({"actor": {"model": null, "profile": null, "role": "r", "tool": "t"}, "policy_metadata": {"a": 1}, "mission_id": "M", "review_result": {}}),
        ),
        with(
            lane(1, "WP02", "genesis", "planned"),
            json!({"execution_mode": "direct_repo"}),
        ),
        with(
            lane(3, "WP01", "planned", "claimed"),
            json!({"reason": "go", "review_ref": "R"}),
        ),
        // Not a lane of the contract: does not lift, but is WP01's parent.
        lane(4, "WP01", "claimed", "in_review"),
        lane(5, "WP01", "in_review", "for_review"),
        // Not a ULID: does not lift, and is no one's parent.
        set(
            lane(6, "WP02", "planned", "claimed"),
            "event_id",
            json!("not-a-ulid"),
        ),
        lane(7, "WP02", "claimed", "in_progress"),
    ];
    let read = read_status_log(&log(&rows));
    let lifted = lift_rows(&read.rows);
    let lines: Vec<usize> = lifted.iter().map(|l| l.row.line()).collect();
    assert_eq!(lines, [2, 1, 3, 4, 5, 6, 7]);
    let event = |i: usize| lifted[i].event.as_ref().unwrap();
    let first: Value = serde_json::from_str(&event(0).to_json()).unwrap();
    assert_eq!(
        first,
        json!({
            "event_id": eid(1),
            "event_type": "WPStatusChanged",
            "aggregate_id": "042-m",
            "payload": {
                "feature_slug": "042-m", "wp_id": "WP02", "from_lane": null, "to_lane": "planned",
                "actor": "alice", "force": false, "reason": null, "execution_mode": "direct_repo",
                "review_ref": null, "evidence": null,
            },
            "timestamp": "2026-08-01T10:01:00Z",
            "node_id": "spec-kitty-cli",
            "lamport_clock": 1,
            "causation_id": null,
            "project_uuid": "00000000-0000-0000-0000-000000000000",
            "project_slug": null,
            "correlation_id": feature_correlation_id("042-m").to_string(),
            "schema_version": "1.0.0",
            "data_tier": 0,
        })
    );
    let second: Value = serde_json::from_str(&event(1).to_json()).unwrap();
    assert_eq!(second["payload"]["actor"], json!("t"));
    assert_eq!(second["payload"].get("policy_metadata"), None);
    assert_eq!(second["payload"].get("mission_id"), None);
    assert_eq!(second["payload"].get("review_result"), None);
    assert_eq!(second["lamport_clock"], json!(2));
    let third: Value = serde_json::from_str(&event(2).to_json()).unwrap();
    assert_eq!(third["payload"]["from_lane"], json!("planned"));
    assert_eq!(third["payload"]["to_lane"], json!("claimed"));
    assert_eq!(third["payload"]["reason"], json!("go"));
    assert_eq!(third["payload"]["review_ref"], json!("R"));
    assert_eq!(third["causation_id"], json!(eid(2)));
    assert_eq!(third["lamport_clock"], json!(3));
    let refused = lifted[3].event.as_ref().unwrap_err();
    assert_eq!(refused.field(), "payload.to_lane");
    let refused = lifted[4].event.as_ref().unwrap_err();
    assert_eq!(refused.field(), "payload.from_lane");
    assert_eq!(lifted[5].event.as_ref().unwrap_err().field(), "event_id");
    let last = event(6);
    assert_eq!(last.lamport_clock(), 7);
    assert_eq!(last.causation_id().map(|id| id.to_string()), Some(eid(1)));
    assert_eq!(last.node_id(), LIFTED_NODE_ID);
    assert_eq!(LIFTED_NODE_ID, "spec-kitty-cli");
    // The row's own clock and parent, given.
    let parent = EventId::new(eid(9)).as_ulid();
    let alone = lift_row(&read.rows[2], 42, parent).unwrap();
    assert_eq!(alone.lamport_clock(), 42);
    assert_eq!(alone.causation_id().map(|id| id.to_string()), Some(eid(9)));
    // A date alone, no time: does not lift.
    let row = parse(&set(
        lane(1, "WP01", "genesis", "planned"),
        "at",
        json!("2026-08-01"),
    ));
    assert_eq!(lift_row(&row, 1, None).unwrap_err().field(), "at");
    // A payload rule: a forced move needs a reason.
    let row = parse(&set(
        lane(1, "WP01", "genesis", "planned"),
        "force",
        json!(true),
    ));
    assert!(lift_row(&row, 1, None).is_err());
    assert!(lift_rows(&[]).is_empty());
}

#[test]
fn the_correlation_id_is_the_fnv_1a_hash_of_the_slug() {
    // FNV-1a, 128 bits: the offset basis for "", and the published test
    // vector for "a" (as ULIDs: the 128 bits in Crockford base 32).
    let ulid = |bits: u128| ulid::Ulid(bits).to_string();
    assert_eq!(
        feature_correlation_id("").to_string(),
        ulid(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d)
    );
    assert_eq!(
        feature_correlation_id("a").to_string(),
        ulid(0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964)
    );
    assert_ne!(
        feature_correlation_id("042-m"),
        feature_correlation_id("042-n")
    );
}

/// Every row of the real logs that lifts gives its CLI order as clock.
#[test]
fn the_real_logs_lift_in_the_clis_order() {
    for dir in data("real-logs") {
        let read: StatusLogRead = read_status_log(&read_text(&dir.join("status.events.jsonl")));
        let lifted = lift_rows(&read.rows);
        assert_eq!(lifted.len(), read.rows.len());
        for (clock, lifted) in (1u64..).zip(&lifted) {
            if let Ok(event) = &lifted.event {
                assert_eq!(event.lamport_clock(), clock);
                assert_eq!(event.event_id().to_string(), lifted.row.event_id().as_str());
            }
        }
    }
}
