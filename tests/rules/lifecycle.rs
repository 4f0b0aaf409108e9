//! The lifecycle reducer and the projector against the model of
//! `tests/support/model_lifecycle.rs`, and the shapes it does not generate
//! (schema 3.0.0 events, causation, conflicting copies) case by case.

use serde_json::{Value, json};
use spec_kitty_events::contract::{Event, MissionStatus};
use spec_kitty_events::reduce::cores::with_threads;
use spec_kitty_events::reduce::{MissionProjector, ReducedMissionState, reduce_lifecycle_events};

use crate::mission_logs::{
    E, Mix, cancelled, completed, events, id, phase, random_mission_parts, rollback, started, wp,
};
use crate::model_lifecycle::{self, ModelLifecycle};
use crate::status::as_model;

fn as_lifecycle_model(result: &ReducedMissionState) -> ModelLifecycle {
    let json: Value = serde_json::from_str(&result.to_json()).unwrap();
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let cut = |reason: String| crate::model_lifecycle::cut(reason);
    assert_eq!(result.anomaly_count(), result.anomalies().count());
    assert_eq!(
        json["mission_status"].as_str(),
        result.mission_status().map(|s| s.as_str())
    );
    assert_eq!(json["current_phase"].as_str(), result.current_phase());
    assert_eq!(json["mission_id"].as_str(), result.mission_id());
    assert_eq!(json["mission_type"].as_str(), result.mission_type());
    assert_eq!(
        json["wp_states"].as_object().unwrap().len(),
        result.wp_states().len()
    );
    for state in result.wp_states() {
        assert_eq!(result.wp_state(state.wp_id()), Some(state));
    }
    let mut status_json = json.clone();
    status_json
        .as_object_mut()
        .unwrap()
        .retain(|k, _| k == "wp_states");
    ModelLifecycle {
        mission_id: text(&json["mission_id"]),
        status: text(&json["mission_status"]),
        mission_type: text(&json["mission_type"]),
        current_phase: text(&json["current_phase"]),
        phases_entered: result.phases_entered().to_vec(),
        wps: Default::default(),
        anomalies: result
            .anomalies()
            .map(|a| (a.event_id.to_string(), a.event_type, cut(a.reason)))
            .collect(),
        event_count: result.event_count(),
        last_processed_event_id: result.last_processed_event_id().map(|id| id.to_string()),
    }
}

/// The crate's whole result in the model's shape (work packages included).
fn compare(got: &ReducedMissionState, expected: &ModelLifecycle, what: &str) {
    let mut shape = as_lifecycle_model(got);
    let json: Value = serde_json::from_str(&got.to_json()).unwrap();
    let wp_states: Vec<_> = json["wp_states"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, s)| {
            (
                key.clone(),
                s["current_lane"].as_str().unwrap().to_owned(),
                s["last_event_id"].as_str().unwrap().to_owned(),
                s["last_transition_at"].as_str().unwrap().to_owned(),
                Some(s["evidence"].clone()).filter(|e| !e.is_null()),
            )
        })
        .collect();
    shape.wps = expected.wps.clone();
    shape.wps.wp_states = wp_states;
    assert_eq!(&shape, expected, "{what}");
}

#[test]
fn random_missions_fold_as_the_model_does_and_so_does_the_projector() {
    let mix = Mix {
        cancel_with_complete: true,
        causation_inversions: false,
        mixed_offsets: true,
    };
    let mut completions_superseded = 0;
    for seed in 0..40u64 {
        let parts = random_mission_parts(seed, 4 + (seed as usize % 30), mix);
        let jsons: Vec<Value> = parts.iter().map(E::json).collect();
        let expected = model_lifecycle::reduce(&jsons);
        let log = events(&parts);
        let got = reduce_lifecycle_events(log.clone());
        compare(&got, &expected, &format!("seed {seed}"));
        completions_superseded += expected
            .anomalies
            .iter()
            .filter(|a| a.2.contains("superseded"))
            .count();
        // The projector equals the model after every event.
        let mut projector = MissionProjector::new();
        for (k, event) in log.iter().enumerate() {
            projector.apply(event.clone());
            if k % 8 == 7 || k + 1 == log.len() {
                let prefix = model_lifecycle::reduce(&jsons[..=k]);
                compare(
                    projector.state(),
                    &prefix,
                    &format!("seed {seed}, prefix {k}"),
                );
            }
        }
        assert_eq!(projector.len(), expected.event_count);
        assert_eq!(projector.is_empty(), expected.event_count == 0);
    }
    assert!(completions_superseded > 0);
}

#[test]
fn random_missions_fold_as_the_model_does_on_any_number_of_threads() {
    // Forced, the reducer folds the work packages apart whatever the log's
    // size (`reduce/status/split.rs`) and the mission on its own.
    let mix = Mix {
        cancel_with_complete: true,
        causation_inversions: false,
        mixed_offsets: true,
    };
    for seed in 0..60u64 {
        let parts = random_mission_parts(seed, 4 + (seed as usize % 50), mix);
        let jsons: Vec<Value> = parts.iter().map(E::json).collect();
        let expected = model_lifecycle::reduce(&jsons);
        let threads = 2 + seed as usize % 7;
        let got = with_threads(threads, || reduce_lifecycle_events(events(&parts)));
        compare(&got, &expected, &format!("seed {seed}, {threads} threads"));
    }
}

#[test]
fn folded_apart_the_anomalies_keep_their_runs_and_the_buckets_their_order() {
    // Lineage first, then the mission's, then the undecodable work package
    // payload, then the groups' (clock 3: WP_B's bucket before WP_A's);
    // the work packages in the order they entered a lane (WP_B's first
    // valid move comes after WP_A's, but its bucket is first).
    let parts = [
        mission(1, "PhaseEntered", phase("x"), 1),
        mission(2, "MissionStarted", started("specify"), 2),
        mission(3, "WPStatusChanged", wp("WP_B", Some("done"), "planned"), 3),
        mission(4, "WPStatusChanged", wp("WP_A", None, "planned"), 3),
        mission(5, "WPStatusChanged", wp("WP_B", None, "planned"), 3),
        mission(6, "WPStatusChanged", wp("WP_A", Some("claimed"), "done"), 3),
        mission(7, "WPStatusChanged", json!({"to_lane": "planned"}), 4),
        mission(8, "PhaseEntered", phase("plan"), 4).caused_by(8),
        mission(9, "MissionStarted", started("plan"), 5),
    ];
    for threads in 1..=8 {
        let state = with_threads(threads, || reduce_lifecycle_events(events(&parts)));
        let got = anomalies(&state);
        let kinds: Vec<(&str, &str)> = got.iter().map(|a| (a.0.as_str(), a.1.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (id(8).as_str(), "PhaseEntered"),
                (id(1).as_str(), "PhaseEntered"),
                (id(9).as_str(), "MissionStarted"),
                (id(7).as_str(), "WPStatusChanged"),
                (id(3).as_str(), "WPStatusChanged"),
                (id(6).as_str(), "WPStatusChanged"),
            ],
            "{threads} threads"
        );
        assert_eq!(
            got[4].2,
            "WP WP_B: from_lane mismatch: expected none, got done"
        );
        assert_eq!(
            got[5].2,
            "WP WP_A: from_lane mismatch: expected none, got claimed"
        );
        let order: Vec<&str> = state.wp_states().iter().map(|s| s.wp_id()).collect();
        assert_eq!(order, ["WP_B", "WP_A"], "{threads} threads");
        assert_eq!(state.phases_entered(), ["specify", "plan"]);
        assert_eq!(state.event_count(), 9);
        assert_eq!(state.last_processed_event_id().unwrap().to_string(), id(9));
    }
}

fn mission(n: u64, kind: &str, payload: Value, clock: u64) -> E {
    E::new(n, kind, payload, clock)
}

fn anomalies(state: &ReducedMissionState) -> Vec<(String, String, String)> {
    state
        .anomalies()
        .map(|a| (a.event_id.to_string(), a.event_type, a.reason))
        .collect()
}

#[test]
fn same_clock_mission_events_apply_by_id_whatever_their_timestamps() {
    // At clock 2 the phases' timestamps run against their id order: the
    // canonical order puts id 12 first (earlier timestamp); the mission
    // group applies 11 then 12, so the phase ends at 12's.
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        mission(11, "PhaseEntered", phase("plan"), 2).at(50),
        mission(12, "PhaseEntered", phase("tasks"), 2).at(10),
    ];
    for log in [
        events(&parts),
        events(&[parts[2].clone(), parts[1].clone(), parts[0].clone()]),
    ] {
        let state = reduce_lifecycle_events(log.clone());
        assert_eq!(state.current_phase(), Some("tasks"));
        assert_eq!(state.phases_entered(), ["specify", "plan", "tasks"]);
        // The last processed event is the canonical order's last: 11 (later timestamp).
        assert_eq!(state.last_processed_event_id().unwrap().to_string(), id(11));
        let mut projector = MissionProjector::new();
        projector.extend(log);
        assert_eq!(projector.state(), &state);
    }
}

#[test]
fn a_cancel_supersedes_a_concurrent_completion_and_phases_before_it_apply() {
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        mission(5, "MissionCancelled", cancelled(), 2),
        mission(6, "MissionCompleted", completed(), 2),
        mission(7, "ReviewRollback", rollback("plan"), 2),
        mission(8, "PhaseEntered", phase("late"), 3),
    ];
    let state = reduce_lifecycle_events(events(&parts));
    assert_eq!(state.mission_status(), Some(MissionStatus::Cancelled));
    assert_eq!(state.current_phase(), Some("plan"));
    assert_eq!(state.phases_entered(), ["specify", "plan"]);
    assert_eq!(
        anomalies(&state),
        [
            (
                id(6),
                "MissionCompleted".to_owned(),
                "MissionCompleted superseded by a concurrent MissionCancelled".to_owned()
            ),
            (
                id(8),
                "PhaseEntered".to_owned(),
                "Event after terminal state (cancelled)".to_owned()
            ),
        ]
    );
    // A completion already applied in an earlier group stands: the cancel
    // comes after a terminal state.
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        mission(2, "MissionCompleted", completed(), 2),
        mission(3, "MissionCancelled", cancelled(), 3),
        mission(4, "MissionStarted", started("again"), 4),
    ];
    let state = reduce_lifecycle_events(events(&parts));
    assert_eq!(state.mission_status(), Some(MissionStatus::Completed));
    assert_eq!(
        anomalies(&state),
        [
            (
                id(3),
                "MissionCancelled".to_owned(),
                "Event after terminal state (completed)".to_owned()
            ),
            (
                id(4),
                "MissionStarted".to_owned(),
                "Duplicate MissionStarted (first one wins)".to_owned()
            ),
        ]
    );
}

#[test]
fn events_before_the_start_and_bad_payloads_are_named() {
    let parts = [
        mission(1, "PhaseEntered", phase("plan"), 1),
        mission(2, "MissionStarted", json!({"mission_id": "M1"}), 2),
        mission(3, "MissionStarted", started("specify"), 3),
        mission(
            4,
            "PhaseEntered",
            json!({"mission_id": "M1", "phase_name": 7}),
            4,
        ),
        mission(
            5,
            "WPStatusChanged",
            wp("WP01", Some("claimed"), "in_progress"),
            5,
        ),
        mission(6, "GatePassed", json!({"gate_name": "ci"}), 6),
    ];
    let state = reduce_lifecycle_events(events(&parts));
    let got = anomalies(&state);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(
        got[0],
        (
            id(1),
            "PhaseEntered".to_owned(),
            "Event before MissionStarted".to_owned()
        )
    );
    assert_eq!(
        (got[1].0.as_str(), got[1].1.as_str()),
        (id(2).as_str(), "MissionStarted")
    );
    assert!(
        got[1].2.starts_with("Invalid MissionStarted payload: "),
        "{}",
        got[1].2
    );
    assert!(
        got[2].2.starts_with("Invalid PhaseEntered payload: "),
        "{}",
        got[2].2
    );
    assert_eq!(
        got[3],
        (
            id(5),
            "WPStatusChanged".to_owned(),
            "WP WP01: from_lane mismatch: expected none, got claimed".to_owned()
        )
    );
    assert_eq!(state.event_count(), 6);
    assert_eq!(state.mission_id(), Some("M1"));
    assert_eq!(state.mission_type(), Some("software-dev"));
    assert_eq!(state.last_processed_event_id().unwrap().to_string(), id(6));
}

/// A schema 3.0.0 event.
fn v3(n: u64, kind: &str, payload: Value, clock: u64) -> Event {
    let mut json = E::new(n, kind, payload, clock).json();
    json["schema_version"] = json!("3.0.0");
    json["build_id"] = json!("build-1");
    Event::from_json(&json.to_string()).unwrap()
}

fn v3_started() -> Value {
    json!({"mission_id": "M1", "mission_type": "software-dev", "initial_phase": "specify", "actor": "rob"})
}

#[test]
fn schema_3_reopens_follow_ups_and_catalogue_facts() {
    // Payloads as 11.0.0's conformance fixtures write them.
    let reopened = json!({"mission_id": "M1", "mission_slug": "m1", "reason": "rework", "reopened_by": "rob", "reopened_at": "2026-01-01T00:00:00+00:00"});
    let follow_up = json!({"mission_id": "M1", "mission_slug": "m1", "follow_up_type": "pr", "pr_number": 42, "recorded_by": "rob", "recorded_at": "2026-01-01T00:00:00+00:00"});
    let log = vec![
        v3(2, "MissionReopened", reopened.clone(), 2),
        v3(3, "MissionStarted", v3_started(), 3),
        v3(4, "FollowUpRecorded", follow_up.clone(), 4),
        v3(
            5,
            "MissionCompleted",
            json!({"mission_id": "M1", "mission_type": "software-dev", "final_phase": "accept", "actor": "rob"}),
            5,
        ),
        v3(6, "FollowUpRecorded", follow_up.clone(), 6),
        v3(7, "MissionReopened", reopened.clone(), 7),
        v3(
            8,
            "PhaseEntered",
            json!({"mission_id": "M1", "phase_name": "fix", "previous_phase": null, "actor": "rob"}),
            8,
        ),
    ];
    let state = reduce_lifecycle_events(log.clone());
    assert_eq!(state.mission_status(), Some(MissionStatus::Reopened));
    assert_eq!(state.current_phase(), Some("fix"));
    let got: Vec<(String, String)> = anomalies(&state).into_iter().map(|a| (a.0, a.2)).collect();
    let reasons: Vec<&str> = got.iter().map(|a| a.1.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "MissionReopened before completion (mission not terminal)",
            "FollowUpRecorded before completion (mission not terminal)",
        ],
        "{got:?}"
    );
    assert_eq!(got[0].0, id(2));
    assert_eq!(got[1].0, id(4));
    let mut projector = MissionProjector::new();
    projector.extend(log.into_iter().rev());
    assert_eq!(projector.state(), &state);
    // In a 0.4 envelope, MissionReopened is an event type 0.4 does not
    // know: counted, never applied.
    let mut old = E::new(9, "MissionReopened", reopened, 9).json();
    old["schema_version"] = json!("1.0.0");
    let mut log = vec![
        v3(3, "MissionStarted", v3_started(), 3),
        v3(
            5,
            "MissionCompleted",
            json!({"mission_id": "M1", "mission_type": "software-dev", "final_phase": "accept", "actor": "rob"}),
            5,
        ),
    ];
    log.push(Event::from_json(&old.to_string()).unwrap());
    let state = reduce_lifecycle_events(log);
    assert_eq!(state.mission_status(), Some(MissionStatus::Completed));
    assert_eq!(state.anomaly_count(), 0);
    assert_eq!(state.event_count(), 3);
}

#[test]
fn lineage_anomalies_come_first_and_inverted_children_apply_after_their_parent() {
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        // Written at clock 1, caused by the phase at clock 5.
        mission(2, "PhaseEntered", phase("second"), 1).caused_by(3),
        mission(3, "PhaseEntered", phase("first"), 5),
        mission(
            4,
            "PhaseEntered",
            json!({"mission_id": "M1", "phase_name": 7}),
            7,
        ),
        mission(5, "WPStatusChanged", wp("WP01", None, "planned"), 8).caused_by(5),
    ];
    let state = reduce_lifecycle_events(events(&parts));
    assert_eq!(state.phases_entered(), ["specify", "first", "second"]);
    let got = anomalies(&state);
    assert_eq!(
        got[0],
        (
            id(2),
            "PhaseEntered".to_owned(),
            format!(
                "causation inversion: lamport_clock 1 is not after its parent {}; applied at 6",
                id(3)
            )
        )
    );
    assert_eq!(
        got[1],
        (
            id(5),
            "WPStatusChanged".to_owned(),
            "causation_id names the event itself: ignored".to_owned()
        )
    );
    assert!(got[2].2.starts_with("Invalid PhaseEntered payload: "));
    assert_eq!(got.len(), 3);
    assert_eq!(
        state.wp_state("WP01").unwrap().current_lane().as_str(),
        "planned"
    );
    // The projector, fed in any order, agrees.
    for rotation in 0..parts.len() {
        let mut log = events(&parts);
        log.rotate_left(rotation);
        let mut projector = MissionProjector::new();
        projector.extend(log);
        assert_eq!(projector.state(), &state, "rotation {rotation}");
    }
    let _ = as_model;
}

#[test]
fn a_conflicting_copy_is_a_lineage_anomaly_and_the_projector_keeps_reporting_it() {
    let kept = mission(2, "PhaseEntered", phase("plan"), 2);
    let mut other = kept.clone();
    other.node = "zz-other";
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        kept,
        other,
    ];
    let state = reduce_lifecycle_events(events(&parts));
    let got = anomalies(&state);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].1.as_str()),
        (id(2).as_str(), "PhaseEntered")
    );
    assert!(got[0].2.starts_with("conflicting copies of one event_id"));
    assert_eq!(state.event_count(), 2);
    let mut projector = MissionProjector::new();
    projector.extend(events(&parts));
    assert_eq!(projector.state(), &state);
    assert_eq!(projector.len(), 2);
    let replays = projector.replays();
    assert!(replays >= 1);
    projector.apply(mission(9, "PhaseEntered", phase("later"), 9).event());
    assert_eq!(
        projector.replays(),
        replays,
        "an in-order event is folded in place"
    );
    assert_eq!(projector.state().anomaly_count(), 1);
    projector.apply(mission(8, "PhaseEntered", phase("late"), 8).event());
    assert_eq!(projector.replays(), replays + 1, "a late event re-folds");
    assert_eq!(projector.state().current_phase(), Some("later"));
    assert_eq!(projector.state().anomaly_count(), 1);
}

#[test]
fn mission_results_write_every_field_and_compare_whole() {
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        mission(2, "PhaseEntered", phase("plan"), 2),
        mission(3, "WPStatusChanged", wp("WP01", None, "planned"), 3),
        mission(4, "WPStatusChanged", wp("WP01", Some("claimed"), "done"), 4),
    ];
    let state = reduce_lifecycle_events(events(&parts));
    assert_eq!(state.to_string(), state.to_json());
    let json: Value = serde_json::from_str(&state.to_json()).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "mission_id",
            "mission_status",
            "mission_type",
            "current_phase",
            "phases_entered",
            "wp_states",
            "anomalies",
            "event_count",
            "last_processed_event_id"
        ]
    );
    assert_eq!(json["phases_entered"], json!(["specify", "plan"]));
    assert_eq!(json["anomalies"][0]["event_type"], json!("WPStatusChanged"));
    assert_eq!(
        json["anomalies"][0]["reason"],
        json!("WP WP01: from_lane mismatch: expected planned, got claimed")
    );
    assert_eq!(state.anomaly_count(), 1);
    assert_ne!(state, reduce_lifecycle_events(events(&parts[..3])));
    assert_eq!(
        state,
        reduce_lifecycle_events(events(&parts).into_iter().rev())
    );
}

#[test]
fn a_projected_group_applies_its_cancels_last_even_after_settling() {
    // Fed one at a time in canonical order: the projector settles after
    // each event, and a cancel of the open group must still go last when
    // more of the group arrives (once, and with a second cancel).
    for cancels in [1u64, 2] {
        let mut parts = vec![mission(1, "MissionStarted", started("specify"), 1)];
        for k in 0..cancels {
            parts.push(mission(5 + k, "MissionCancelled", cancelled(), 2).at(20 + k as i64));
        }
        parts.push(mission(9, "PhaseEntered", phase("wrap-up"), 2).at(30));
        let mut projector = MissionProjector::new();
        for part in &parts {
            projector.apply(part.event());
        }
        let state = projector.state();
        assert_eq!(projector.replays(), 0, "in order: never re-folded");
        assert_eq!(state.mission_status(), Some(MissionStatus::Cancelled));
        assert_eq!(
            state.phases_entered(),
            ["specify", "wrap-up"],
            "{cancels} cancels"
        );
        let reasons: Vec<String> = anomalies(state).into_iter().map(|a| a.2).collect();
        let expected: Vec<&str> = if cancels == 2 {
            vec!["Event after terminal state (cancelled)"]
        } else {
            vec![]
        };
        assert_eq!(reasons, expected);
        assert_eq!(state, &reduce_lifecycle_events(events(&parts)));
    }
}

#[test]
fn schema_3_catalogue_facts_apply_anywhere_and_bad_lifecycle_payloads_are_named() {
    let created = json!({"mission_id": "M1", "mission_slug": "m1", "mission_number": 1, "mission_type": "software-dev", "target_branch": "main", "wp_count": 2, "friendly_name": "One", "purpose_tldr": "t", "purpose_context": "c"});
    let closed = json!({"mission_slug": "m1", "mission_number": 1, "mission_type": "software-dev"});
    let completed = json!({"mission_id": "M1", "mission_type": "software-dev", "final_phase": "accept", "actor": "rob"});
    // A commit follow-up without its commit_sha, a re-open without reason.
    let bad_follow_up = json!({"mission_id": "M1", "mission_slug": "m1", "follow_up_type": "commit", "recorded_by": "rob", "recorded_at": "2026-01-01T00:00:00+00:00"});
    let bad_reopen = json!({"mission_id": "M1", "mission_slug": "m1", "reopened_by": "rob", "reopened_at": "2026-01-01T00:00:00+00:00"});
    let log = vec![
        v3(1, "MissionCreated", created.clone(), 1),
        v3(2, "MissionReopened", bad_reopen.clone(), 2),
        v3(3, "MissionStarted", v3_started(), 3),
        v3(4, "MissionClosed", closed.clone(), 4),
        v3(5, "MissionCompleted", completed, 5),
        v3(6, "FollowUpRecorded", bad_follow_up, 6),
        v3(7, "MissionClosed", closed, 7),
        v3(8, "MissionReopened", bad_reopen, 8),
    ];
    let state = reduce_lifecycle_events(log);
    assert_eq!(state.mission_status(), Some(MissionStatus::Completed));
    let got: Vec<(String, String, String)> = anomalies(&state)
        .into_iter()
        .map(|(id, kind, reason)| (id, kind, crate::model_lifecycle::cut(reason)))
        .collect();
    assert_eq!(
        got,
        [
            (
                id(2),
                "MissionReopened".to_owned(),
                "Invalid MissionReopened payload: ".to_owned()
            ),
            (
                id(6),
                "FollowUpRecorded".to_owned(),
                "Invalid FollowUpRecorded payload: ".to_owned()
            ),
            (
                id(8),
                "MissionReopened".to_owned(),
                "Invalid MissionReopened payload: ".to_owned()
            ),
        ]
    );
    assert_eq!(state.event_count(), 8);
}

#[test]
fn only_a_completed_or_cancelled_mission_reopens() {
    let reopened = json!({"mission_id": "M1", "mission_slug": "m1", "reason": "rework", "reopened_by": "rob", "reopened_at": "2026-01-01T00:00:00+00:00"});
    let cancelled =
        json!({"mission_id": "M1", "reason": "descoped", "actor": "rob", "cancelled_wp_ids": []});
    let log = vec![
        v3(1, "MissionStarted", v3_started(), 1),
        v3(2, "MissionReopened", reopened.clone(), 2),
        v3(3, "MissionCancelled", cancelled, 3),
        v3(4, "MissionReopened", reopened.clone(), 4),
        v3(5, "MissionReopened", reopened, 5),
    ];
    let state = reduce_lifecycle_events(log);
    assert_eq!(state.mission_status(), Some(MissionStatus::Reopened));
    let got: Vec<(String, String)> = anomalies(&state).into_iter().map(|a| (a.0, a.2)).collect();
    assert_eq!(
        got,
        [
            (
                id(2),
                "MissionReopened before completion (mission not terminal)".to_owned()
            ),
            (
                id(5),
                "MissionReopened before completion (mission not terminal)".to_owned()
            ),
        ]
    );
}

#[test]
fn a_projected_cancel_supersedes_a_completion_of_its_group_already_settled() {
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        mission(3, "MissionCompleted", completed(), 2).at(10),
        mission(5, "MissionCancelled", cancelled(), 2).at(20),
    ];
    let mut projector = MissionProjector::new();
    for part in &parts {
        projector.apply(part.event());
    }
    let state = projector.state();
    assert_eq!(state.mission_status(), Some(MissionStatus::Cancelled));
    let reasons: Vec<String> = anomalies(state).into_iter().map(|a| a.2).collect();
    assert_eq!(
        reasons,
        ["MissionCompleted superseded by a concurrent MissionCancelled"]
    );
    assert_eq!(state, &reduce_lifecycle_events(events(&parts)));
    assert!(MissionProjector::new().is_empty());
    assert!(!projector.is_empty());
}

#[test]
fn a_parent_awaited_since_a_refold_makes_the_projector_refold_when_it_comes() {
    // The child (clock 3) names a parent not seen yet and arrives out of
    // order (a re-fold); its parent then arrives after everything seen in
    // the canonical order, yet must re-fold: the child moves after it.
    let parts = [
        mission(1, "MissionStarted", started("specify"), 1),
        mission(10, "PhaseEntered", phase("a"), 5),
        mission(11, "PhaseEntered", phase("c"), 3).caused_by(12),
        mission(12, "PhaseEntered", phase("p"), 6),
    ];
    let mut projector = MissionProjector::new();
    for part in &parts {
        projector.apply(part.event());
    }
    let state = projector.state();
    assert_eq!(state.phases_entered(), ["specify", "a", "p", "c"]);
    assert_eq!(projector.replays(), 2);
    let reasons: Vec<String> = anomalies(state).into_iter().map(|a| a.2).collect();
    assert_eq!(
        reasons,
        [format!(
            "causation inversion: lamport_clock 3 is not after its parent {}; applied at 7",
            id(12)
        )]
    );
    assert_eq!(state, &reduce_lifecycle_events(events(&parts)));
}
