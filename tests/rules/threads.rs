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
