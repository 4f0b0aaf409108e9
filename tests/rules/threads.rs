//! The rules give one result on any number of threads: the ordering's
//! repeats and parent lookups, and the results' JSON, with the work split
//! over 1 to 8 threads on small logs (`with_threads`), each checked against
//! values written out by hand.

use crate::mission_logs::{E, events, id, phase, started, wp};
use serde_json::Value;
use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::cores::with_threads;
use spec_kitty_events::reduce::{
    ReducedMissionState, canonical_order, causal_order_len, reduce_lifecycle_events,
    reduce_status_events,
};

const THREADS: [usize; 6] = [1, 2, 3, 4, 5, 8];

fn mission(n: u64, kind: &str, payload: Value, clock: u64) -> E {
    E::new(n, kind, payload, clock)
}

fn anomalies(state: &ReducedMissionState) -> Vec<(String, String)> {
    state
        .anomalies()
        .map(|a| (a.event_id.to_string(), a.reason))
        .collect()
}

/// Repeats sort before the parent they are looked up against: the parent's
/// place among the kept events, not among all the keys, sets the child's
/// clock.
#[test]
fn repeats_before_a_parent_do_not_move_it_on_any_thread_count() {
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        // Written at clock 2, caused by the phase at clock 6.
        mission(2, "PhaseEntered", phase("second"), 2).caused_by(4),
        mission(3, "WPStatusChanged", wp("WP01", None, "planned"), 3),
        mission(4, "PhaseEntered", phase("first"), 6),
        mission(
            5,
            "WPStatusChanged",
            wp("WP01", Some("planned"), "claimed"),
            7,
        ),
    ];
    let mut log = events(&parts);
    // Every event before the parent twice or three times, exact copies.
    log.extend(events(&parts[..3]));
    log.extend(events(&parts[..2]));
    let inversion = (
        id(2),
        format!(
            "causation inversion: lamport_clock 2 is not after its parent {}; applied at 7",
            id(4)
        ),
    );
    for threads in THREADS {
        let state = with_threads(threads, || reduce_lifecycle_events(log.clone()));
        assert_eq!(
            state.phases_entered(),
            ["specify", "first", "second"],
            "{threads} threads"
        );
        assert_eq!(
            anomalies(&state),
            std::slice::from_ref(&inversion),
            "{threads} threads"
        );
        assert_eq!(state.event_count(), 5, "{threads} threads");
        // The child, moved to clock 7, is applied before the move written
        // at 7 (its timestamp is earlier): that move is the last.
        assert_eq!(
            state.last_processed_event_id().map(|e| e.to_string()),
            Some(id(5))
        );
        // The bench's ordering alone keeps the same events.
        assert_eq!(with_threads(threads, || causal_order_len(&log)), 5);
        let order: Vec<String> = with_threads(threads, || canonical_order(log.clone()))
            .iter()
            .map(|e| e.event_id().to_string())
            .collect();
        assert_eq!(
            order,
            [id(1), id(2), id(3), id(4), id(5)],
            "{threads} threads"
        );
    }
}

/// A log where every event names a parent found in the log: the lineage
/// walk runs (a self-reference and a cycle), on any thread count.
#[test]
fn a_log_of_only_children_walks_its_lineage() {
    let alone = [mission(1, "MissionStarted", started("specify"), 1).caused_by(1)];
    let cycle = [
        mission(1, "WPStatusChanged", wp("WP01", None, "planned"), 1).caused_by(2),
        mission(2, "WPStatusChanged", wp("WP02", None, "planned"), 5).caused_by(1),
    ];
    for threads in THREADS {
        let state = with_threads(threads, || reduce_lifecycle_events(events(&alone)));
        assert_eq!(
            anomalies(&state),
            [(
                id(1),
                "causation_id names the event itself: ignored".to_owned()
            )]
        );
        // The cycle is cut at the edge met last in canonical order (2 → 1):
        // 1 is applied after 2, at 6.
        let state = with_threads(threads, || reduce_lifecycle_events(events(&cycle)));
        assert_eq!(
            anomalies(&state),
            [(
                id(1),
                format!(
                    "causation inversion: lamport_clock 1 is not after its parent {}; applied at 6",
                    id(2)
                )
            )]
        );
    }
}

/// A conflicting copy found by whichever thread holds its id's class.
#[test]
fn a_conflicting_copy_is_found_on_any_thread_count() {
    let kept = mission(2, "PhaseEntered", phase("plan"), 2);
    let mut other = kept.clone();
    other.node = "zz-other";
    let mut parts = vec![
        mission(1, "MissionStarted", started("specify"), 1),
        kept.clone(),
    ];
    parts.extend((10..20).map(|n| mission(n, "WPStatusChanged", wp("WP01", None, "planned"), 3)));
    parts.push(other);
    parts.push(kept);
    for threads in THREADS {
        let state = with_threads(threads, || reduce_lifecycle_events(events(&parts)));
        let reasons: Vec<(String, String)> = anomalies(&state);
        let conflicts: Vec<&(String, String)> = reasons
            .iter()
            .filter(|(_, reason)| reason.starts_with("conflicting copies"))
            .collect();
        assert_eq!(conflicts.len(), 1, "{threads} threads: {reasons:?}");
        assert_eq!(conflicts[0].0, id(2));
        assert_eq!(state.event_count(), 12, "{threads} threads");
    }
}

fn wp_event(n: u64, wp_id: &str, clock: u64) -> Event {
    mission(n, "WPStatusChanged", wp(wp_id, None, "planned"), clock).event()
}

/// The work package table, written in parts on several threads, is the
/// JSON written out by hand: one entry per work package in the order they
/// entered a lane, commas between them, none after the last.
#[test]
fn the_wp_table_is_written_whole_on_any_thread_count() {
    let names = ["WP03", "WP01", "WP02", "WP05", "WP04"];
    let log: Vec<Event> = names
        .iter()
        .enumerate()
        .map(|(i, name)| wp_event(100 + i as u64, name, 1 + i as u64))
        .collect();
    let entry = |i: usize| {
        format!(
            r#""{}":{{"wp_id":"{}","current_lane":"planned","last_event_id":"{}","last_transition_at":"2026-02-09T11:00:{:02}Z","evidence":null}}"#,
            names[i],
            names[i],
            id(100 + i as u64),
            1 + i
        )
    };
    for count in [0, 1, 2, 5] {
        let table: Vec<String> = (0..count).map(entry).collect();
        let table = format!("{{{}}}", table.join(","));
        let last = (count > 0).then(|| format!(r#""{}""#, id(99 + count as u64)));
        let last = last.as_deref().unwrap_or("null");
        let status = format!(
            r#"{{"wp_states":{table},"anomalies":[],"event_count":{count},"last_processed_event_id":{last}}}"#
        );
        let lifecycle = format!(
            r#"{{"mission_id":null,"mission_status":null,"mission_type":null,"current_phase":null,"phases_entered":[],"wp_states":{table},"anomalies":[],"event_count":{count},"last_processed_event_id":{last}}}"#
        );
        for threads in THREADS {
            let got = with_threads(threads, || reduce_status_events(&log[..count]).to_json());
            assert_eq!(got, status, "{count} WPs, {threads} threads");
            let got = with_threads(threads, || reduce_lifecycle_events(&log[..count]).to_json());
            assert_eq!(got, lifecycle, "{count} WPs, {threads} threads");
        }
    }
}

fn change(n: u64, clock: u64, wp_id: &str, from: Option<&str>, to: &str) -> E {
    mission(n, "WPStatusChanged", wp(wp_id, from, to), clock)
}

fn mismatch(expected: &str, got: &str) -> String {
    format!("from_lane mismatch: expected {expected}, got {got}")
}

/// A causation inversion at the first work package event of a stretch:
/// the work package event before it is in an earlier stretch (on 3
/// threads, two stretches earlier, past a stretch of mission events only),
/// and the inversion goes between the anomalies of the group that closed
/// before that event (clock 1) and those of the group it closes (clock 2),
/// as one thread appends them.
#[test]
fn an_inversion_at_a_stretch_start_goes_where_one_thread_puts_it() {
    // Applied: 1 (clock 1), 2 (clock 2), 3 and 4 (phases, clocks 3 and 4),
    // 5 (written at 1, caused by 4: applied at 5), 6 (clock 6). On 2 threads
    // the second stretch starts at 4; on 3, the third starts at 5.
    let parts = [
        change(1, 1, "WP_A", Some("claimed"), "planned"),
        change(2, 2, "WP_B", Some("claimed"), "in_progress"),
        mission(3, "PhaseEntered", phase("plan"), 3),
        mission(4, "PhaseEntered", phase("implement"), 4),
        change(5, 1, "WP_C", None, "planned").caused_by(4),
        change(6, 6, "WP_D", Some("done"), "planned"),
    ];
    let inversion = format!(
        "causation inversion: lamport_clock 1 is not after its parent {}; applied at 5",
        id(4)
    );
    let expected = [
        (id(1), "WP_A".to_owned(), mismatch("none", "claimed")),
        (id(5), "WP_C".to_owned(), inversion.clone()),
        (id(2), "WP_B".to_owned(), mismatch("none", "claimed")),
        (id(6), "WP_D".to_owned(), mismatch("none", "done")),
    ];
    for threads in 1..=8 {
        let status = with_threads(threads, || reduce_status_events(events(&parts)));
        let got: Vec<(String, String, String)> = status
            .anomalies()
            .map(|a| (a.event_id.to_string(), a.wp_id.clone(), a.reason.clone()))
            .collect();
        assert_eq!(got, expected, "{threads} threads");
        assert_eq!(status.event_count(), 4, "{threads} threads");
        assert_eq!(
            status.last_processed_event_id().map(|e| e.to_string()),
            Some(id(6)),
            "{threads} threads"
        );
        // The lifecycle reducer reports the inversion with the log's
        // anomalies, the moves' after the mission's.
        let state = with_threads(threads, || reduce_lifecycle_events(events(&parts)));
        assert_eq!(
            anomalies(&state),
            [
                (id(5), inversion.clone()),
                (id(3), "Event before MissionStarted".to_owned()),
                (id(4), "Event before MissionStarted".to_owned()),
                (id(1), format!("WP WP_A: {}", mismatch("none", "claimed"))),
                (id(2), format!("WP WP_B: {}", mismatch("none", "claimed"))),
                (id(6), format!("WP WP_D: {}", mismatch("none", "done"))),
            ],
            "{threads} threads"
        );
        assert_eq!(state.event_count(), 6, "{threads} threads");
        assert_eq!(
            state.last_processed_event_id().map(|e| e.to_string()),
            Some(id(6)),
            "{threads} threads"
        );
    }
}

/// One concurrency group over several stretches: a work package's bucket
/// opens in one stretch and gets its anomaly in the next; the work packages
/// still enter in bucket order and the anomalies come bucket by bucket.
#[test]
fn a_group_over_several_stretches_keeps_its_buckets() {
    // All at clock 5, in this order: buckets WP_A 0, WP_B 1, WP_C 2.
    let parts = [
        change(1, 1, "WP_OLD", None, "planned"),
        change(10, 5, "WP_A", Some("claimed"), "planned"),
        change(11, 5, "WP_B", None, "planned"),
        change(12, 5, "WP_A", None, "planned"),
        change(13, 5, "WP_C", Some("done"), "planned"),
        change(14, 5, "WP_B", Some("planned"), "claimed"),
        change(15, 5, "WP_C", None, "planned"),
        change(16, 5, "WP_OLD", Some("planned"), "claimed"),
        change(20, 6, "WP_D", None, "planned"),
    ];
    for threads in 1..=8 {
        let status = with_threads(threads, || reduce_status_events(events(&parts)));
        let lanes: Vec<(&str, String)> = status
            .wp_states()
            .iter()
            .map(|s| (s.wp_id(), s.current_lane().to_string()))
            .collect();
        assert_eq!(
            lanes,
            [
                ("WP_OLD", "claimed".to_owned()),
                ("WP_A", "planned".to_owned()),
                ("WP_B", "planned".to_owned()),
                ("WP_C", "planned".to_owned()),
                ("WP_D", "planned".to_owned()),
            ],
            "{threads} threads"
        );
        let got: Vec<(String, String)> = status
            .anomalies()
            .map(|a| (a.event_id.to_string(), a.reason.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (id(10), mismatch("none", "claimed")),
                (id(14), mismatch("none", "planned")),
                (id(13), mismatch("none", "done")),
            ],
            "{threads} threads"
        );
        assert_eq!(status.event_count(), 9, "{threads} threads");
    }
}
