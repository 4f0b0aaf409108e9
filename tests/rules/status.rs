//! The status reducer against the model of `tests/support/model_status.rs`
//! on seeded random logs, and the shapes the model does not generate
//! (causation, schema 3.0.0, conflicting copies) case by case, each with
//! its anomalies and reasons written out.

use serde_json::{Value, json};
use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::cores::with_threads;
use spec_kitty_events::reduce::{ReducedStatus, reduce_status_events};

use crate::mission_logs::{E, Rng, events, evidence, id, wp};
use crate::model_status::{self, ModelStatus, V1_LANES};

/// The crate's result in the model's shape.
pub fn as_model(result: &ReducedStatus) -> ModelStatus {
    let json: Value = serde_json::from_str(&result.to_json()).unwrap();
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let wp_states = json["wp_states"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, s)| {
            assert_eq!(s["wp_id"].as_str(), Some(key.as_str()));
            (
                key.clone(),
                text(&s["current_lane"]).unwrap(),
                text(&s["last_event_id"]).unwrap(),
                text(&s["last_transition_at"]).unwrap(),
                Some(s["evidence"].clone()).filter(|e| !e.is_null()),
            )
        })
        .collect();
    let anomalies = json["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let mut reason = text(&a["reason"]).unwrap();
            if reason.starts_with("payload validation failed: ") {
                reason.truncate("payload validation failed: ".len());
            }
            (
                text(&a["event_id"]).unwrap(),
                text(&a["wp_id"]).unwrap(),
                text(&a["from_lane"]),
                text(&a["to_lane"]),
                reason,
            )
        })
        .collect();
    // The accessors agree with what is written.
    assert_eq!(result.anomaly_count(), result.anomalies().count());
    assert_eq!(
        json["event_count"].as_u64(),
        Some(result.event_count() as u64)
    );
    ModelStatus {
        wp_states,
        anomalies,
        event_count: result.event_count(),
        last_processed_event_id: result.last_processed_event_id().map(|id| id.to_string()),
    }
}

/// A random 0.4 status log: few work packages and clocks, so that groups
/// are concurrent, moves often legal, and every rule is met.
fn random_log(rng: &mut Rng) -> Vec<E> {
    random_log_of(rng, 3, 24)
}

/// [`random_log`] over `wps` work packages, of at most `max` events.
fn random_log_of(rng: &mut Rng, wps: usize, max: usize) -> Vec<E> {
    let size = 1 + rng.below(max);
    let mut parts = Vec::new();
    let froms = [
        None,
        Some("planned"),
        Some("claimed"),
        Some("in_progress"),
        Some("for_review"),
        Some("blocked"),
        Some("done"),
        Some("canceled"),
        Some("doing"),
    ];
    // Each work package's lane as the generator walks the contract's legal
    // moves in its own order (which concurrency may overturn).
    let mut walked: Vec<Option<&str>> = vec![None; wps];
    let mut clock = 0u64;
    for i in 0..size {
        let n = 100 + 3 * i as u64 + rng.below(3) as u64;
        let w = rng.below(wps);
        let wp_id = format!("WP0{}", 1 + w);
        let legal: &[&str] = match walked[w] {
            None => &["planned"],
            Some("planned") => &["claimed", "blocked", "canceled"],
            Some("claimed") => &["in_progress", "blocked"],
            Some("in_progress") => &["for_review", "planned", "blocked"],
            Some("for_review") => &["done", "in_progress", "in_progress", "canceled"],
            Some("blocked") => &["in_progress", "canceled"],
            _ => &[],
        };
        let (from, to) = if !legal.is_empty() && rng.chance(65) {
            let to = rng.pick(legal);
            let from = walked[w];
            walked[w] = Some(to);
            (from, to)
        } else {
            (rng.pick(&froms), rng.pick(&V1_LANES))
        };
        let mut payload = json!({
            "feature_slug": "f", "wp_id": wp_id, "from_lane": from, "to_lane": to,
            "actor": "agent", "execution_mode": "worktree"
        });
        if rng.chance(90) && to == "done" {
            payload["evidence"] = evidence();
        }
        if rng.chance(40) || (from == Some("for_review") && to == "in_progress" && rng.chance(70)) {
            payload["review_ref"] = json!("review-1");
        }
        if rng.chance(40) || (from == Some("in_progress") && to == "planned" && rng.chance(70)) {
            payload["reason"] = json!("because");
        }
        if rng.chance(12) {
            payload["force"] = json!(true);
        }
        if rng.chance(4) {
            payload = json!({"wp_id": wp_id, "to_lane": "nowhere"});
        }
        if rng.chance(2) {
            payload = json!({"to_lane": "planned"});
        }
        if !rng.chance(35) {
            clock += 1;
        }
        let mut part = E::new(n, "WPStatusChanged", payload, clock).at(rng.below(4) as i64);
        if rng.chance(20) {
            part.offset = rng.pick(&["+02:00", "-05:00"]);
        }
        parts.push(part);
    }
    for _ in 0..rng.below(4) {
        let copy = parts[rng.below(parts.len())].clone();
        parts.push(copy);
    }
    rng.shuffle(&mut parts);
    parts
}

#[test]
fn random_logs_fold_as_the_model_does() {
    let mut rng = Rng(0x5eed);
    let mut applied = 0;
    let mut rejected = 0;
    for round in 0..200 {
        let parts = random_log(&mut rng);
        let jsons: Vec<Value> = parts.iter().map(E::json).collect();
        let expected = model_status::reduce(&jsons);
        let got = as_model(&reduce_status_events(events(&parts)));
        assert_eq!(got, expected, "round {round}: {jsons:#?}");
        applied += expected.wp_states.len();
        rejected += expected.anomalies.len();
    }
    // The logs exercise both sides of the rules.
    assert!(applied > 300 && rejected > 300, "{applied} {rejected}");
}

#[test]
fn random_logs_fold_as_the_model_does_on_any_number_of_threads() {
    // Forced, the reducer folds the work packages apart whatever the log's
    // size (`reduce/status/split.rs`): up to 12 of them, dealt to 2 to 8
    // parts, must still fold as the model does.
    let mut rng = Rng(0x5911);
    let mut rejected = 0;
    for round in 0..200 {
        let parts = random_log_of(&mut rng, 1 + round % 12, 60);
        let jsons: Vec<Value> = parts.iter().map(E::json).collect();
        let expected = model_status::reduce(&jsons);
        let threads = 2 + round % 7;
        let got = with_threads(threads, || reduce_status_events(events(&parts)));
        assert_eq!(as_model(&got), expected, "round {round}, {threads} threads");
        rejected += expected.anomalies.len();
    }
    assert!(rejected > 500, "{rejected}");
}

fn change(n: u64, clock: u64, wp_id: &str, from: Option<&str>, to: &str) -> E {
    E::new(n, "WPStatusChanged", wp(wp_id, from, to), clock)
}

fn anomalies(result: &ReducedStatus) -> Vec<(String, String, String)> {
    result
        .anomalies()
        .map(|a| (a.event_id.to_string(), a.wp_id.clone(), a.reason.clone()))
        .collect()
}

fn order(result: &ReducedStatus) -> Vec<(&str, String)> {
    result
        .wp_states()
        .iter()
        .map(|s| (s.wp_id(), s.current_lane().to_string()))
        .collect()
}

#[test]
fn new_work_packages_of_a_group_take_their_places_after_the_older_ones() {
    // Two work packages exist before clock 5; in the clock-5 group WP_C
    // and WP_B appear (buckets 0, 1) with an invalid move first, so WP_A
    // (bucket 2) enters a lane first, then WP_B, then WP_C: they must end
    // in bucket order C, B, A after the older ones, not in arrival order.
    let parts = [
        change(1, 1, "WP_OLD1", None, "planned"),
        change(2, 2, "WP_OLD2", None, "planned"),
        change(10, 5, "WP_C", Some("claimed"), "in_progress"),
        change(11, 5, "WP_B", Some("claimed"), "in_progress"),
        change(12, 5, "WP_A", None, "planned"),
        change(13, 5, "WP_B", None, "planned"),
        change(14, 5, "WP_C", None, "planned"),
        change(20, 6, "WP_D", None, "planned"),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(
        order(&result),
        [
            ("WP_OLD1", "planned".to_owned()),
            ("WP_OLD2", "planned".to_owned()),
            ("WP_C", "planned".to_owned()),
            ("WP_B", "planned".to_owned()),
            ("WP_A", "planned".to_owned()),
            ("WP_D", "planned".to_owned()),
        ]
    );
    // Each state points at its own event (the slots follow the move).
    let last: Vec<String> = result
        .wp_states()
        .iter()
        .map(|s| s.last_event_id().to_string())
        .collect();
    assert_eq!(last, [id(1), id(2), id(14), id(13), id(12), id(20)]);
    // A later move of each moved package lands on the right one.
    let mut more = parts.to_vec();
    more.push(change(30, 7, "WP_A", Some("planned"), "claimed"));
    more.push(change(31, 7, "WP_C", Some("planned"), "blocked"));
    let result = reduce_status_events(events(&more));
    assert_eq!(
        result.wp_state("WP_A").unwrap().current_lane().as_str(),
        "claimed"
    );
    assert_eq!(
        result.wp_state("WP_C").unwrap().current_lane().as_str(),
        "blocked"
    );
    assert_eq!(
        result.wp_state("WP_B").unwrap().current_lane().as_str(),
        "planned"
    );
    assert_eq!(result.wp_states()[4].wp_id(), "WP_A");
    assert_eq!(
        anomalies(&result),
        [
            (
                id(10),
                "WP_C".to_owned(),
                "from_lane mismatch: expected none, got claimed".to_owned()
            ),
            (
                id(11),
                "WP_B".to_owned(),
                "from_lane mismatch: expected none, got claimed".to_owned()
            ),
        ]
    );
}

#[test]
fn one_new_package_out_of_place_moves_to_its_bucket_among_the_new_ones() {
    // Buckets: WP_X 0, WP_Y 1, WP_Z 2; WP_Y and WP_Z enter in order, then
    // WP_X: only the last is out of place.
    let parts = [
        change(1, 1, "WP_OLD", None, "planned"),
        change(10, 3, "WP_X", Some("done"), "planned"),
        change(11, 3, "WP_Y", None, "planned"),
        change(12, 3, "WP_Z", None, "planned"),
        change(13, 3, "WP_X", None, "planned"),
        change(14, 4, "WP_Y", Some("planned"), "claimed"),
    ];
    let result = reduce_status_events(events(&parts));
    let ids: Vec<&str> = result.wp_states().iter().map(|s| s.wp_id()).collect();
    assert_eq!(ids, ["WP_OLD", "WP_X", "WP_Y", "WP_Z"]);
    assert_eq!(
        result.wp_state("WP_Y").unwrap().last_event_id().to_string(),
        id(14)
    );
    assert_eq!(
        result.wp_state("WP_X").unwrap().last_event_id().to_string(),
        id(13)
    );
    assert_eq!(
        result.wp_state("WP_Z").unwrap().last_event_id().to_string(),
        id(12)
    );
}

#[test]
fn a_forward_move_with_a_review_ref_is_not_a_rollback() {
    // in_progress -> for_review carries a review_ref: still a forward move,
    // so the later valid forward move of the group wins over it.
    let mut with_ref = wp("WP01", Some("in_progress"), "for_review");
    with_ref["review_ref"] = json!("review-9");
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 2, "WP01", Some("planned"), "claimed"),
        change(3, 3, "WP01", Some("claimed"), "in_progress"),
        E::new(5, "WPStatusChanged", with_ref.clone(), 4),
        change(6, 4, "WP01", Some("in_progress"), "blocked"),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(
        result.wp_state("WP01").unwrap().current_lane().as_str(),
        "blocked"
    );
    assert_eq!(
        result.wp_state("WP01").unwrap().last_event_id().to_string(),
        id(6)
    );
    assert_eq!(result.anomaly_count(), 0);
    // A real rollback (for_review -> in_progress with a review_ref) wins
    // over a later forward move of its group.
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 2, "WP01", Some("planned"), "claimed"),
        change(3, 3, "WP01", Some("claimed"), "in_progress"),
        change(4, 4, "WP01", Some("in_progress"), "for_review"),
        change(5, 5, "WP01", Some("for_review"), "in_progress"),
        change(6, 5, "WP01", Some("for_review"), "done"),
        change(7, 5, "WP01", Some("for_review"), "blocked"),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(
        result.wp_state("WP01").unwrap().current_lane().as_str(),
        "in_progress"
    );
    assert_eq!(
        result.wp_state("WP01").unwrap().last_event_id().to_string(),
        id(5)
    );
    assert!(result.wp_state("WP01").unwrap().evidence().is_none());
}

#[test]
fn evidence_is_kept_only_in_done() {
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 2, "WP01", Some("planned"), "claimed"),
        change(3, 3, "WP01", Some("claimed"), "in_progress"),
        change(4, 4, "WP01", Some("in_progress"), "for_review"),
        change(5, 5, "WP01", Some("for_review"), "done"),
    ];
    let result = reduce_status_events(events(&parts));
    let state = result.wp_state("WP01").unwrap();
    assert_eq!(
        serde_json::to_value(state.evidence().unwrap()).unwrap()["review"]["reference"],
        json!("PR#1")
    );
    assert_eq!(
        state.last_transition_at().to_string(),
        parts[4].json()["timestamp"].as_str().unwrap()
    );
    // Forced out of done: the evidence goes.
    let mut out = wp("WP01", Some("done"), "in_progress");
    out["force"] = json!(true);
    out["reason"] = json!("reopen");
    out["evidence"] = evidence();
    let mut more = parts.to_vec();
    more.push(E::new(6, "WPStatusChanged", out, 6));
    let result = reduce_status_events(events(&more));
    assert_eq!(
        result.wp_state("WP01").unwrap().current_lane().as_str(),
        "in_progress"
    );
    assert!(result.wp_state("WP01").unwrap().evidence().is_none());
}

/// A 3.0.0 status event.
fn v3(n: u64, clock: u64, wp_id: &str, from: Option<&str>, to: &str, extra: Value) -> Event {
    let mut payload = json!({"mission_slug": "m", "wp_id": wp_id, "from_lane": from, "to_lane": to, "actor": "a", "execution_mode": "worktree"});
    for (key, value) in extra.as_object().unwrap() {
        payload[key] = value.clone();
    }
    if to == "done" {
        payload["evidence"] = evidence();
    }
    let mut json = E::new(n, "WPStatusChanged", payload, clock).json();
    json["schema_version"] = json!("3.0.0");
    json["build_id"] = json!("build-1");
    Event::from_json(&json.to_string()).unwrap()
}

#[test]
fn schema_3_forced_moves_bypass_from_lane_and_seeds_never_regress() {
    let forced = json!({"force": true, "reason": "ops"});
    let log = vec![
        v3(1, 1, "WP01", None, "planned", json!({})),
        v3(2, 2, "WP01", Some("planned"), "claimed", json!({})),
        // Forced, from a lane that is not WP01's: applied in 3.0.0.
        v3(
            3,
            3,
            "WP01",
            Some("for_review"),
            "in_review",
            forced.clone(),
        ),
        // A bootstrap seed on an initialized package: ignored.
        v3(4, 4, "WP01", None, "planned", forced.clone()),
        v3(5, 5, "WP01", Some("planned"), "planned", forced.clone()),
        // A seed on a new package applies.
        v3(6, 6, "WP02", None, "planned", forced.clone()),
        // Unforced with the wrong from_lane: a mismatch.
        v3(7, 7, "WP02", Some("claimed"), "in_progress", json!({})),
        // A review rollback without review_ref from in_review.
        v3(8, 8, "WP01", Some("in_review"), "in_progress", json!({})),
        v3(
            9,
            9,
            "WP01",
            Some("in_review"),
            "in_progress",
            json!({"review_ref": "r"}),
        ),
        // A rejection back to planned needs force.
        v3(
            10,
            10,
            "WP01",
            Some("in_progress"),
            "planned",
            json!({"reason": "no"}),
        ),
    ];
    let result = reduce_status_events(log);
    assert_eq!(
        order(&result),
        [
            ("WP01", "in_progress".to_owned()),
            ("WP02", "planned".to_owned())
        ]
    );
    assert_eq!(
        anomalies(&result),
        [
            (
                id(4),
                "WP01".to_owned(),
                "bootstrap planned ignored: WP already initialized at in_review".to_owned()
            ),
            (
                id(5),
                "WP01".to_owned(),
                "bootstrap planned ignored: WP already initialized at in_review".to_owned()
            ),
            (
                id(7),
                "WP02".to_owned(),
                "from_lane mismatch: expected planned, got claimed".to_owned()
            ),
            (
                id(8),
                "WP01".to_owned(),
                "in_review -> in_progress needs a review_ref".to_owned()
            ),
            (
                id(10),
                "WP01".to_owned(),
                "review-rejection rollback in_progress -> planned needs force".to_owned()
            ),
        ]
    );
    assert_eq!(result.event_count(), 10);
    assert_eq!(
        result.last_processed_event_id().unwrap().to_string(),
        id(10)
    );
}

#[test]
fn causation_inversions_are_reported_where_they_happen_even_late_in_a_long_log() {
    // 300 events of 100 work packages (three blocks of 128 and more); near
    // the end a child carries a clock before its parent's.
    let mut parts: Vec<E> = Vec::new();
    for k in 0..100u64 {
        let wp_id = format!("WP{k:03}");
        parts.push(change(1000 + 3 * k, 1 + 3 * k, &wp_id, None, "planned"));
        parts.push(change(
            1001 + 3 * k,
            2 + 3 * k,
            &wp_id,
            Some("planned"),
            "claimed",
        ));
        parts.push(change(
            1002 + 3 * k,
            3 + 3 * k,
            &wp_id,
            Some("claimed"),
            "in_progress",
        ));
    }
    // WP099's last move (clock 300) is claimed by a child written at clock
    // 2: it must be applied after it, at clock 301.
    parts
        .push(change(5000, 2, "WP099", Some("in_progress"), "for_review").caused_by(1002 + 3 * 99));
    // And a child at clock 250 of WP050's claim (clock 152): no inversion.
    parts.push(
        change(5001, 250, "WP050", Some("in_progress"), "for_review").caused_by(1001 + 3 * 50),
    );
    let result = reduce_status_events(events(&parts));
    assert_eq!(result.event_count(), 302);
    assert_eq!(
        result.wp_state("WP099").unwrap().current_lane().as_str(),
        "for_review"
    );
    assert_eq!(
        result.wp_state("WP050").unwrap().current_lane().as_str(),
        "for_review"
    );
    assert_eq!(
        result.wp_state("WP098").unwrap().current_lane().as_str(),
        "in_progress"
    );
    assert_eq!(
        result.last_processed_event_id().unwrap().to_string(),
        id(5000)
    );
    assert_eq!(
        anomalies(&result),
        [(
            id(5000),
            "WP099".to_owned(),
            format!(
                "causation inversion: lamport_clock 2 is not after its parent {}; applied at 301",
                id(1002 + 3 * 99)
            )
        )]
    );
    // Every state's last event is its own package's.
    for state in result.wp_states() {
        let k: u64 = state.wp_id()[2..].parse().unwrap();
        let last = state.last_event_id().to_string();
        assert!(
            last == id(1002 + 3 * k)
                || (k == 99 && last == id(5000))
                || (k == 50 && last == id(5001)),
            "{} {last}",
            state.wp_id()
        );
    }
}

#[test]
fn a_self_caused_event_and_conflicting_copies_are_anomalies_with_their_reasons() {
    let mut conflicting = change(2, 2, "WP01", Some("planned"), "claimed");
    conflicting.node = "other-node";
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 2, "WP01", Some("planned"), "claimed"),
        conflicting,
        change(3, 3, "WP01", Some("claimed"), "in_progress").caused_by(3),
    ];
    let result = reduce_status_events(events(&parts));
    let got = anomalies(&result);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, id(2));
    assert_eq!(got[0].1, "WP01");
    assert!(
        got[0].2.starts_with("conflicting copies of one event_id"),
        "{}",
        got[0].2
    );
    assert_eq!(
        got[1],
        (
            id(3),
            "WP01".to_owned(),
            "causation_id names the event itself: ignored".to_owned()
        )
    );
    assert_eq!(
        result.wp_state("WP01").unwrap().current_lane().as_str(),
        "in_progress"
    );
    assert_eq!(result.event_count(), 3);
    let a = result.anomalies().next().unwrap();
    assert_eq!(a.from_lane.map(|l| l.as_str()), Some("planned"));
    assert_eq!(a.to_lane.map(|l| l.as_str()), Some("claimed"));
}

#[test]
fn other_event_types_are_not_counted() {
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        E::new(
            2,
            "MissionStarted",
            crate::mission_logs::started("specify"),
            1,
        ),
        E::new(3, "GatePassed", json!({"gate_name": "ci"}), 2),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(result.event_count(), 1);
    assert_eq!(result.last_processed_event_id().unwrap().to_string(), id(1));
    assert_eq!(result.anomaly_count(), 0);
}

#[test]
fn results_are_equal_only_when_every_part_is() {
    let planned = change(1, 1, "WP01", None, "planned");
    let mut other_wp = planned.clone();
    other_wp.payload = wp("WP02", None, "planned");
    let bad = change(2, 2, "WP01", Some("claimed"), "done");
    let mut other_bad = bad.clone();
    other_bad.payload = wp("WP01", Some("in_progress"), "done");
    let reduce = |parts: &[E]| reduce_status_events(events(parts));
    let base = reduce(&[planned.clone(), bad.clone()]);
    assert_eq!(base, reduce(&[bad.clone(), planned.clone(), bad.clone()]));
    // Only the anomalies differ (the same event, another from_lane).
    assert_ne!(base, reduce(&[planned.clone(), other_bad]));
    // Only the work packages differ.
    assert_ne!(reduce(std::slice::from_ref(&planned)), reduce(&[other_wp]));
    // The count and the last event differ.
    assert_ne!(base, reduce(std::slice::from_ref(&planned)));
    assert_eq!(base.to_string(), base.to_json());
    assert!(
        base.to_json()
            .starts_with(r#"{"wp_states":{"WP01":{"wp_id":"WP01","current_lane":"planned""#)
    );
    assert!(base.to_json().ends_with(&format!(
        r#""event_count":2,"last_processed_event_id":"{}"}}"#,
        id(2)
    )));
}

#[test]
fn a_causation_cycle_is_cut_at_the_edge_met_last() {
    // e1 (clock 1) names e2 as parent, e2 (clock 2) names e1: walking the
    // canonical order meets e1 -> e2 first, so e2 -> e1 is cut; e2 applies
    // at its own clock, e1 after it, at 3.
    let parts = [
        change(1, 1, "WP01", Some("planned"), "claimed").caused_by(2),
        change(2, 2, "WP01", None, "planned").caused_by(1),
    ];
    for log in [
        events(&parts),
        events(&[parts[1].clone(), parts[0].clone()]),
    ] {
        let result = reduce_status_events(log);
        assert_eq!(
            result.wp_state("WP01").unwrap().current_lane().as_str(),
            "claimed"
        );
        assert_eq!(result.last_processed_event_id().unwrap().to_string(), id(1));
        assert_eq!(
            anomalies(&result),
            [(
                id(1),
                "WP01".to_owned(),
                format!(
                    "causation inversion: lamport_clock 1 is not after its parent {}; applied at 3",
                    id(2)
                )
            )]
        );
    }
    // A chain whose parents all sort after their children: each is moved
    // past its parent, one clock apart.
    let parts = [
        change(1, 1, "WP01", Some("claimed"), "in_progress").caused_by(2),
        change(2, 2, "WP01", Some("planned"), "claimed").caused_by(3),
        change(3, 9, "WP01", None, "planned"),
    ];
    let result = reduce_status_events(events(&parts));
    assert_eq!(
        result.wp_state("WP01").unwrap().current_lane().as_str(),
        "in_progress"
    );
    let reasons: Vec<String> = anomalies(&result).into_iter().map(|a| a.2).collect();
    assert_eq!(
        reasons,
        [
            format!(
                "causation inversion: lamport_clock 2 is not after its parent {}; applied at 10",
                id(3)
            ),
            format!(
                "causation inversion: lamport_clock 1 is not after its parent {}; applied at 11",
                id(2)
            ),
        ]
    );
}

#[test]
fn instants_before_the_epoch_sort_before_later_ones() {
    // Same clock: the 1969 move sorts first, whatever the ids.
    let mut early = change(9, 1, "WP01", None, "planned");
    early.second = -1_770_634_800 - 10;
    let late = change(1, 1, "WP02", None, "planned");
    let result = reduce_status_events(events(&[late.clone(), early.clone()]));
    let order: Vec<&str> = result.wp_states().iter().map(|s| s.wp_id()).collect();
    assert_eq!(order, ["WP01", "WP02"]);
    assert_eq!(result.last_processed_event_id().unwrap().to_string(), id(1));
    let ordered = spec_kitty_events::reduce::canonical_order(events(&[late, early]));
    assert_eq!(ordered[0].event_id().to_string(), id(9));
}

#[test]
fn a_new_package_out_of_place_can_belong_between_two_others() {
    // Buckets: WP_X 0, WP_Y 1, WP_Z 2. X and Z enter, then Y (its first
    // move was invalid): Y belongs between them.
    let parts = [
        change(10, 3, "WP_X", None, "planned"),
        change(11, 3, "WP_Y", Some("planned"), "claimed"),
        change(12, 3, "WP_Z", None, "planned"),
        change(13, 3, "WP_Y", None, "planned"),
    ];
    let result = reduce_status_events(events(&parts));
    let ids: Vec<&str> = result.wp_states().iter().map(|s| s.wp_id()).collect();
    assert_eq!(ids, ["WP_X", "WP_Y", "WP_Z"]);
    let mut projector = spec_kitty_events::reduce::MissionProjector::new();
    projector.extend(events(&parts));
    let ids: Vec<&str> = projector
        .state()
        .wp_states()
        .iter()
        .map(|s| s.wp_id())
        .collect();
    assert_eq!(ids, ["WP_X", "WP_Y", "WP_Z"]);
}

#[test]
fn an_open_groups_rejected_rollbacks_are_counted() {
    // The projector's state mid-group: WP01 is in_progress, and two
    // rollbacks from for_review (wrong from_lane) and one forward move
    // are rejected in the open group.
    let parts = [
        change(1, 1, "WP01", None, "planned"),
        change(2, 2, "WP01", Some("planned"), "claimed"),
        change(3, 3, "WP01", Some("claimed"), "in_progress"),
        change(4, 4, "WP01", Some("for_review"), "in_progress"),
        change(5, 4, "WP01", Some("for_review"), "in_progress"),
        change(6, 4, "WP01", Some("planned"), "claimed"),
    ];
    let mut projector = spec_kitty_events::reduce::MissionProjector::new();
    projector.extend(events(&parts));
    let state = projector.state();
    assert_eq!(state.anomaly_count(), 3);
    let order: Vec<String> = state.anomalies().map(|a| a.event_id.to_string()).collect();
    // Forward moves before rollbacks within the work package.
    assert_eq!(order, [id(6), id(4), id(5)]);
    assert_eq!(reduce_status_events(events(&parts)).anomaly_count(), 3);
}

#[test]
fn after_a_late_new_package_is_put_in_place_every_package_moves_its_own_state() {
    // Three older packages, so the group's new ones start at offset 3; C's
    // first move is invalid, so C enters after D and belongs at offset 5.
    let mut parts = vec![
        change(1, 1, "WP_O1", None, "planned"),
        change(2, 1, "WP_O2", None, "planned"),
        change(3, 1, "WP_O3", None, "planned"),
        change(10, 2, "WP_A", None, "planned"),
        change(11, 2, "WP_B", None, "planned"),
        change(12, 2, "WP_C", Some("claimed"), "planned"),
        change(13, 2, "WP_D", None, "planned"),
        change(14, 2, "WP_C", None, "planned"),
    ];
    // Then each moves to a lane of its own.
    let moves = [
        ("WP_O1", "canceled"),
        ("WP_O2", "blocked"),
        ("WP_O3", "claimed"),
        ("WP_A", "blocked"),
        ("WP_B", "claimed"),
        ("WP_C", "canceled"),
        ("WP_D", "claimed"),
    ];
    for (k, (wp_id, to)) in moves.iter().enumerate() {
        parts.push(change(20 + k as u64, 3, wp_id, Some("planned"), to));
    }
    let expected: Vec<(&str, String)> = moves.iter().map(|(w, l)| (*w, (*l).to_owned())).collect();
    let result = reduce_status_events(events(&parts));
    assert_eq!(order(&result), expected);
    assert_eq!(result.anomaly_count(), 1);
    // The projector settles after every event: the same.
    let mut projector = spec_kitty_events::reduce::MissionProjector::new();
    projector.extend(events(&parts));
    let got: Vec<(&str, String)> = projector
        .state()
        .wp_states()
        .iter()
        .map(|s| (s.wp_id(), s.current_lane().to_string()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(projector.replays(), 0);
}

#[test]
fn work_packages_and_anomalies_come_in_bucket_order_on_any_number_of_threads() {
    // In the clock-5 group WP_C, WP_B, WP_A appear in that order (buckets
    // 0, 1, 2), each with a rejected move first; WP_A enters a lane first.
    // Folded apart, the parts must still give buckets' order: C, B, A for
    // the new packages and the anomalies; the undecodable payloads first.
    let parts = [
        change(1, 1, "WP_OLD", None, "planned"),
        E::new(2, "WPStatusChanged", json!({"to_lane": "planned"}), 1),
        change(10, 5, "WP_C", Some("claimed"), "in_progress"),
        change(11, 5, "WP_B", Some("done"), "planned"),
        change(12, 5, "WP_A", Some("blocked"), "planned"),
        change(13, 5, "WP_A", None, "planned"),
        change(14, 5, "WP_B", None, "planned"),
        change(15, 5, "WP_C", None, "planned"),
        change(16, 5, "WP_OLD", Some("claimed"), "done"),
        E::new(17, "WPStatusChanged", json!({"wp_id": "WP_Z"}), 6),
        change(20, 7, "WP_D", None, "planned"),
        change(21, 7, "WP_C", Some("planned"), "done"),
    ];
    let mismatch = |got: &str| format!("from_lane mismatch: expected none, got {got}");
    for threads in 1..=8 {
        let result = with_threads(threads, || reduce_status_events(events(&parts)));
        assert_eq!(
            order(&result),
            [
                ("WP_OLD", "planned".to_owned()),
                ("WP_C", "planned".to_owned()),
                ("WP_B", "planned".to_owned()),
                ("WP_A", "planned".to_owned()),
                ("WP_D", "planned".to_owned()),
            ],
            "{threads} threads"
        );
        let got = anomalies(&result);
        let expected_tail = [
            (id(10), "WP_C".to_owned(), mismatch("claimed")),
            (id(11), "WP_B".to_owned(), mismatch("done")),
            (id(12), "WP_A".to_owned(), mismatch("blocked")),
            (
                id(16),
                "WP_OLD".to_owned(),
                "from_lane mismatch: expected planned, got claimed".to_owned(),
            ),
            (
                id(21),
                "WP_C".to_owned(),
                "planned -> done is not allowed".to_owned(),
            ),
        ];
        assert_eq!(got.len(), 7, "{threads} threads: {got:?}");
        // The two undecodable payloads first, in the order of the log.
        assert_eq!((&got[0].0, got[0].1.as_str()), (&id(2), "<unknown>"));
        assert_eq!((&got[1].0, got[1].1.as_str()), (&id(17), "WP_Z"));
        assert!(
            got[..2]
                .iter()
                .all(|a| a.2.starts_with("payload validation failed: "))
        );
        assert_eq!(got[2..], expected_tail, "{threads} threads");
        assert_eq!(result.event_count(), 12);
        assert_eq!(
            result.last_processed_event_id().unwrap().to_string(),
            id(21)
        );
    }
}

#[test]
fn causation_inversions_fall_between_the_groups_as_one_thread_appends_them() {
    // Applied: 1, 2 (clock 1); 4, 6 (clock 5); 5 (written at 2, caused by
    // 4: applied at 6, the first of its group); 7, 8 (8 written at 3,
    // caused by 5: applied at 7, after 7). A group's anomalies are
    // appended when the next group opens, after that event's inversion.
    let parts = [
        change(1, 1, "WP_A", None, "planned"),
        change(2, 1, "WP_B", Some("claimed"), "in_progress"),
        change(4, 5, "WP_A", Some("planned"), "claimed"),
        change(6, 5, "WP_B", Some("planned"), "claimed"),
        change(5, 2, "WP_C", Some("done"), "planned").caused_by(4),
        change(7, 7, "WP_D", None, "planned"),
        change(8, 3, "WP_D", Some("claimed"), "in_progress")
            .caused_by(5)
            .at(8),
    ];
    let inversion = |clock: u64, parent: u64, at: u64| {
        format!(
            "causation inversion: lamport_clock {clock} is not after its parent {}; applied at {at}",
            id(parent)
        )
    };
    let mismatch =
        |expected: &str, got: &str| format!("from_lane mismatch: expected {expected}, got {got}");
    let expected = [
        (id(2), "WP_B".to_owned(), mismatch("none", "claimed")),
        (id(5), "WP_C".to_owned(), inversion(2, 4, 6)),
        (id(6), "WP_B".to_owned(), mismatch("none", "planned")),
        (id(5), "WP_C".to_owned(), mismatch("none", "done")),
        (id(8), "WP_D".to_owned(), inversion(3, 5, 7)),
        (id(8), "WP_D".to_owned(), mismatch("none", "claimed")),
    ];
    for threads in 1..=8 {
        let result = with_threads(threads, || reduce_status_events(events(&parts)));
        assert_eq!(anomalies(&result), expected, "{threads} threads");
        assert_eq!(
            order(&result),
            [
                ("WP_A", "claimed".to_owned()),
                ("WP_D", "planned".to_owned())
            ],
            "{threads} threads"
        );
        assert_eq!(result.last_processed_event_id().unwrap().to_string(), id(8));
    }
}

#[test]
fn a_bucket_is_placed_by_its_first_event_not_by_a_later_one_of_another() {
    // One group: WP_A twice (its second move checked against no lane: a
    // mismatch), then WP_C, then WP_B. Their buckets, and so their places,
    // are A, C, B, whichever parts they are dealt to; the parts are dealt
    // by a seeded hash, so each thread count is tried many times.
    let parts = [
        change(1, 1, "WP_A", None, "planned"),
        change(2, 1, "WP_A", Some("planned"), "claimed"),
        change(3, 1, "WP_C", None, "planned"),
        change(4, 1, "WP_B", None, "planned"),
        change(5, 2, "WP_B", Some("planned"), "claimed"),
    ];
    for threads in 1..=8 {
        for _ in 0..16 {
            let result = with_threads(threads, || reduce_status_events(events(&parts)));
            assert_eq!(
                order(&result),
                [
                    ("WP_A", "planned".to_owned()),
                    ("WP_C", "planned".to_owned()),
                    ("WP_B", "claimed".to_owned()),
                ],
                "{threads} threads"
            );
            assert_eq!(
                anomalies(&result),
                [(
                    id(2),
                    "WP_A".to_owned(),
                    "from_lane mismatch: expected none, got planned".to_owned()
                )]
            );
        }
    }
}
