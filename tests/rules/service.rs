//! The service projector: every mission of a service, their events
//! interleaved, each mission's state equal at every moment to the lifecycle
//! reducer over that mission's events seen so far (and to a
//! `MissionProjector` of that mission alone).
//!
//! A mission is (`project_uuid`, `aggregate_id`); the missions here are
//! random mission logs (`support/mission_logs.rs`) moved to their own
//! aggregate and project, some sharing event ids with another mission.

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::Value;
use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::{
    MissionProjector, ServiceProjector, canonical_order, reduce_lifecycle_events,
};

use crate::mission_logs::{
    E, Mix, Rng, id, phase, random_mission, shuffled_with_duplicates, started,
};

const OTHER_PROJECT: &str = "00000000-0000-0000-0000-000000000002";

/// `event` moved to mission `aggregate` of `project`, its node set to `node`
/// when given (a conflicting copy of the same id).
fn moved(event: &Event, aggregate: &str, project: &str, node: Option<&str>) -> Event {
    let mut json: Value = serde_json::from_str(&event.to_json()).unwrap();
    json["aggregate_id"] = Value::from(aggregate);
    json["project_uuid"] = Value::from(project);
    if let Some(node) = node {
        json["node_id"] = Value::from(node);
    }
    Event::from_json(&json.to_string()).unwrap()
}

fn mission_key(event: &Event) -> (String, String) {
    (
        event.project_uuid().to_string(),
        event.aggregate_id().to_owned(),
    )
}

/// Several random missions, and their events in one random interleaving:
/// each mission's arrivals in canonical order (in order, the fast path) or
/// shuffled with duplicates, some events dropped (missing parents), some
/// conflicting copies added; the missions interleaved at random.
fn service_arrivals(seed: u64, missions: usize, size: usize) -> Vec<Event> {
    let mut rng = Rng(seed);
    let mut queues: Vec<Vec<Event>> = Vec::new();
    for k in 0..missions {
        // Every third mission repeats the first one's events (same ids) in
        // another aggregate; every fourth is in another project under a
        // name the first project also uses.
        let log_seed = if k % 3 == 2 {
            seed
        } else {
            seed.wrapping_add(k as u64)
        };
        let (aggregate, project) = match k % 4 {
            3 => ("M0".to_owned(), OTHER_PROJECT),
            _ => (format!("M{k}"), crate::mission_logs::PROJECT),
        };
        let log: Vec<Event> = random_mission(log_seed, size, Mix::ALL)
            .iter()
            .filter(|_| !rng.chance(8))
            .map(|event| moved(event, &aggregate, project, None))
            .collect();
        if log.is_empty() {
            continue;
        }
        let mut arrivals = if rng.chance(50) {
            canonical_order(log.clone())
        } else {
            shuffled_with_duplicates(&log, &mut rng)
        };
        for _ in 0..rng.below(3) {
            let at = rng.below(arrivals.len());
            let copy = moved(&arrivals[at], &aggregate, project, Some("zz-other"));
            arrivals.insert(rng.below(arrivals.len() + 1), copy);
        }
        queues.push(arrivals);
    }
    let mut fed: Vec<std::vec::IntoIter<Event>> = queues.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::new();
    while !fed.is_empty() {
        let k = rng.below(fed.len());
        match fed[k].next() {
            Some(event) => out.push(event),
            None => {
                fed.swap_remove(k);
            }
        }
    }
    out
}

/// Every mission's state, as JSON, by mission.
fn states(service: &ServiceProjector) -> HashMap<(String, String), String> {
    service
        .missions()
        .map(|mission| {
            let key = (
                mission.project_uuid().to_string(),
                mission.aggregate_id().to_owned(),
            );
            (key, mission.state().to_json())
        })
        .collect()
}

/// Feeds `arrivals` one at a time to a service projector and to one
/// `MissionProjector` per mission; after each, every mission's state must
/// equal the reducer over that mission's arrivals so far, and its own
/// projector's.
fn check_every_step(arrivals: &[Event]) -> ServiceProjector {
    let mut service = ServiceProjector::new();
    let mut seen: HashMap<(String, String), Vec<Event>> = HashMap::new();
    let mut alone: HashMap<(String, String), MissionProjector> = HashMap::new();
    for (step, event) in arrivals.iter().enumerate() {
        let key = mission_key(event);
        let returned = service.apply(event.clone()).state().to_json();
        seen.entry(key.clone()).or_default().push(event.clone());
        alone.entry(key.clone()).or_default().apply(event.clone());
        let got = states(&service);
        assert_eq!(got.len(), seen.len(), "step {step}: one state per mission");
        assert_eq!(
            returned, got[&key],
            "step {step}: apply returns the event's mission"
        );
        for (mission, events) in &seen {
            let expected = reduce_lifecycle_events(events.clone()).to_json();
            assert_eq!(got[mission], expected, "step {step}, mission {mission:?}");
            assert_eq!(got[mission], alone[mission].state().to_json());
            let (project, aggregate) = mission;
            let found = service
                .mission(project.parse().unwrap(), aggregate)
                .map(|m| m.state().to_json());
            assert_eq!(found.as_deref(), Some(expected.as_str()));
        }
        assert_eq!(
            service.len(),
            alone.values().map(MissionProjector::len).sum::<usize>()
        );
    }
    service
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random interleavings of several random missions (duplicates, late
    /// events, conflicting copies, missing parents, bad payloads, ids shared
    /// between missions): every mission equals its reducer after every event.
    #[test]
    fn every_mission_equals_its_reducer_after_every_event(
        seed in any::<u64>(), missions in 1usize..6, size in 1usize..24,
    ) {
        check_every_step(&service_arrivals(seed, missions, size));
    }

    /// An event applied a second time, at once or later, changes nothing and
    /// costs no re-fold.
    #[test]
    fn applying_an_event_again_changes_nothing(
        seed in any::<u64>(), missions in 1usize..5, size in 1usize..20,
    ) {
        let arrivals = service_arrivals(seed, missions, size);
        let mut service = ServiceProjector::new();
        for event in &arrivals {
            service.apply(event.clone());
            let (before, replays) = (states(&service), service.replays());
            service.apply(event.clone());
            prop_assert_eq!(states(&service), before);
            prop_assert_eq!(service.replays(), replays);
        }
        let (before, len) = (states(&service), service.len());
        service.extend(arrivals.iter().cloned());
        prop_assert_eq!(states(&service), before);
        prop_assert_eq!(service.len(), len);
    }

    /// The final states do not depend on the arrival order.
    #[test]
    fn final_states_do_not_depend_on_the_order(
        seed in any::<u64>(), missions in 1usize..5, size in 1usize..20,
    ) {
        let arrivals = service_arrivals(seed, missions, size);
        let mut rng = Rng(seed ^ 0x5eed);
        let mut shuffled = arrivals.clone();
        rng.shuffle(&mut shuffled);
        let mut first = ServiceProjector::new();
        first.extend(arrivals.iter().cloned());
        let mut second = ServiceProjector::new();
        second.extend(shuffled);
        prop_assert_eq!(states(&first), states(&second));
        prop_assert_eq!(first.len(), second.len());
    }
}

fn at(mission: &str, project: &str, part: E) -> Event {
    moved(&part.event(), mission, project, None)
}

const PROJECT: &str = crate::mission_logs::PROJECT;

#[test]
fn one_event_id_in_two_missions_is_an_event_of_each() {
    let start = E::new(1, "MissionStarted", started("specify"), 1);
    let mut service = ServiceProjector::new();
    // The same aggregate in another project is a third mission.
    service.extend([
        at("M1", PROJECT, start.clone()),
        at("M2", PROJECT, start.clone()),
        at("M1", OTHER_PROJECT, start),
    ]);
    assert_eq!(service.missions().len(), 3);
    assert_eq!(service.len(), 3);
    for mission in service.missions() {
        assert_eq!(mission.state().event_count(), 1);
        assert_eq!(mission.state().anomaly_count(), 0, "not a conflicting copy");
        assert_eq!(mission.state().current_phase(), Some("specify"));
        assert_eq!(mission.replays(), 0);
    }
    let names: Vec<(String, &str)> = service
        .missions()
        .map(|m| (m.project_uuid().to_string(), m.aggregate_id()))
        .collect();
    assert_eq!(
        names,
        [
            (PROJECT.to_owned(), "M1"),
            (PROJECT.to_owned(), "M2"),
            (OTHER_PROJECT.to_owned(), "M1"),
        ],
        "in the order their first events came"
    );
    assert!(service.mission(PROJECT.parse().unwrap(), "M3").is_none());
    assert!(
        service
            .mission(OTHER_PROJECT.parse().unwrap(), "M2")
            .is_none()
    );
}

#[test]
fn thousands_of_missions_in_two_projects_stay_apart() {
    // Enough missions that their names share hash tags in the table:
    // only the whole name, project and aggregate both, tells them apart.
    let start = E::new(1, "MissionStarted", started("specify"), 1);
    let names: Vec<(&str, String)> = (0..1_500)
        .flat_map(|k| [(PROJECT, format!("M{k}")), (OTHER_PROJECT, format!("M{k}"))])
        .collect();
    let mut service = ServiceProjector::new();
    for (project, aggregate) in &names {
        let mission = service.apply(at(aggregate, project, start.clone()));
        assert_eq!(mission.aggregate_id(), aggregate);
        assert_eq!(mission.project_uuid().to_string(), *project);
        assert_eq!(mission.state().event_count(), 1);
    }
    assert_eq!(service.missions().len(), 3_000);
    assert_eq!(service.len(), 3_000);
    for (project, aggregate) in &names {
        let mission = service
            .mission(project.parse().unwrap(), aggregate)
            .unwrap();
        assert_eq!(mission.aggregate_id(), aggregate);
        assert_eq!(mission.state().event_count(), 1);
    }
    assert!(service.mission(PROJECT.parse().unwrap(), "M1500").is_none());
}

#[test]
fn a_parent_is_looked_up_in_the_childs_mission_only() {
    // M2's phase names M1's start as its parent: in M2 that parent is
    // missing, so the child keeps its clock (2) and no inversion is
    // reported; when M2's own copy of the id arrives, later in canonical
    // order, the child moves after it (clock 6 + 1) and M2 re-folds.
    let parent = E::new(1, "MissionStarted", started("specify"), 5);
    let child = E::new(2, "PhaseEntered", phase("plan"), 2).caused_by(1);
    let mut service = ServiceProjector::new();
    service.apply(at("M1", PROJECT, parent.clone()));
    service.apply(at("M2", PROJECT, child.clone()));
    let m2 = service.mission(PROJECT.parse().unwrap(), "M2").unwrap();
    assert_eq!(m2.state().anomaly_count(), 1, "a phase before the start");
    assert_eq!(m2.replays(), 0, "in order in its own mission");
    service.apply(at("M2", PROJECT, parent.at(6)));
    let m2 = service.mission(PROJECT.parse().unwrap(), "M2").unwrap();
    assert_eq!(m2.replays(), 1, "the awaited parent re-folds M2");
    assert_eq!(m2.state().phases_entered(), ["specify", "plan"]);
    let reasons: Vec<String> = m2.state().anomalies().map(|a| a.reason).collect();
    assert_eq!(
        reasons,
        [format!(
            "causation inversion: lamport_clock 2 is not after its parent {}; applied at 6",
            id(1)
        )]
    );
    let m1 = service.mission(PROJECT.parse().unwrap(), "M1").unwrap();
    assert_eq!(m1.replays(), 0, "M1 never re-folds for M2's events");
    assert_eq!(m1.state().event_count(), 1);
    assert_eq!(service.replays(), 1);
}

#[test]
fn in_order_missions_interleaved_never_re_fold_and_a_late_event_re_folds_its_own() {
    let log: Vec<E> = (0..20)
        .map(|k| match k {
            0 => E::new(1, "MissionStarted", started("specify"), 1),
            k => E::new(k + 1, "PhaseEntered", phase(&format!("p{k}")), k + 1).caused_by(k),
        })
        .collect();
    let mut service = ServiceProjector::new();
    for part in &log[..19] {
        for mission in ["A", "B", "C"] {
            service.apply(at(mission, PROJECT, part.clone()));
        }
    }
    assert_eq!(service.replays(), 0);
    assert_eq!(service.len(), 57);
    // B's last phase: in order in B, whatever came for A and C since.
    service.apply(at("B", PROJECT, log[19].clone()));
    assert_eq!(service.replays(), 0);
    // A late event in C (clock 3, after C's clock 19) re-folds C only.
    let late = E::new(99, "PhaseEntered", phase("late"), 3).at(3);
    let c = service.apply(at("C", PROJECT, late));
    assert_eq!(c.replays(), 1);
    // specify, p1..p18, and the late one, placed after p2 (same clock and
    // second, larger id).
    assert_eq!(c.state().phases_entered().len(), 20);
    assert_eq!(c.state().phases_entered()[3], "late");
    assert_eq!(c.state().current_phase(), Some("p18"));
    let replays: Vec<usize> = service.missions().map(|m| m.replays()).collect();
    assert_eq!(replays, [0, 0, 1]);
    assert!(!service.is_empty());
    assert!(ServiceProjector::new().is_empty());
    assert_eq!(ServiceProjector::new().len(), 0);
}

#[test]
fn a_conflicting_copy_re_folds_once_and_is_reported_in_every_later_state() {
    let kept = E::new(2, "PhaseEntered", phase("plan"), 2);
    let mut other = kept.clone();
    other.node = "zz-other";
    let mut service = ServiceProjector::new();
    service.apply(at(
        "M",
        PROJECT,
        E::new(1, "MissionStarted", started("specify"), 1),
    ));
    service.apply(at("M", PROJECT, kept.clone()));
    let copy = at("M", PROJECT, other);
    let state = service.apply(copy.clone());
    assert_eq!(state.replays(), 1);
    assert_eq!(state.state().anomaly_count(), 1);
    assert!(
        state
            .state()
            .anomalies()
            .all(|a| a.reason.starts_with("conflicting copies of one event_id"))
    );
    // The same conflicting copy again, or the kept one again: nothing.
    for again in [copy, at("M", PROJECT, kept)] {
        let state = service.apply(again);
        assert_eq!(state.replays(), 1);
        assert_eq!(state.state().anomaly_count(), 1);
        assert_eq!(state.state().event_count(), 2);
    }
    // An in-order event is folded in place, the conflict still reported.
    let state = service.apply(at(
        "M",
        PROJECT,
        E::new(9, "PhaseEntered", phase("later"), 9),
    ));
    assert_eq!(state.replays(), 1);
    assert_eq!(state.state().anomaly_count(), 1);
    assert_eq!(state.state().current_phase(), Some("later"));
    // A late one re-folds, the conflict still reported once.
    let state = service.apply(at(
        "M",
        PROJECT,
        E::new(8, "PhaseEntered", phase("late"), 8),
    ));
    assert_eq!(state.replays(), 2);
    assert_eq!(state.state().anomaly_count(), 1);
    assert_eq!(state.state().current_phase(), Some("later"));
    assert_eq!(service.len(), 4);
}

#[test]
fn a_parent_awaited_since_a_refold_makes_its_mission_refold_when_it_comes() {
    // As the mission projector's rule test: the child (clock 3) names a
    // parent not seen yet and arrives late (a re-fold); its parent then
    // arrives after everything in canonical order, yet re-folds.
    let parts = [
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(10, "PhaseEntered", phase("a"), 5),
        E::new(11, "PhaseEntered", phase("c"), 3).caused_by(12),
        E::new(12, "PhaseEntered", phase("p"), 6),
    ];
    let mut service = ServiceProjector::new();
    for part in &parts {
        service.apply(at("M", PROJECT, part.clone()));
    }
    let mission = service.mission(PROJECT.parse().unwrap(), "M").unwrap();
    assert_eq!(mission.state().phases_entered(), ["specify", "a", "p", "c"]);
    assert_eq!(mission.replays(), 2);
}

#[test]
fn a_child_of_an_unseen_parent_makes_the_parent_late() {
    // In order: the start, then a child naming event 5, not seen. When 5
    // comes, after the child in canonical order, the child must move after
    // it: a re-fold, in this mission only.
    let mut service = ServiceProjector::new();
    service.apply(at(
        "M",
        PROJECT,
        E::new(1, "MissionStarted", started("specify"), 1),
    ));
    service.apply(at(
        "N",
        PROJECT,
        E::new(1, "MissionStarted", started("specify"), 1),
    ));
    service.apply(at(
        "M",
        PROJECT,
        E::new(2, "PhaseEntered", phase("child"), 2).caused_by(5),
    ));
    assert_eq!(service.replays(), 0);
    // In N, id 5 is awaited by nobody: in order.
    service.apply(at(
        "N",
        PROJECT,
        E::new(5, "PhaseEntered", phase("parent"), 9),
    ));
    assert_eq!(service.replays(), 0);
    let m = service.apply(at(
        "M",
        PROJECT,
        E::new(5, "PhaseEntered", phase("parent"), 9),
    ));
    assert_eq!(m.replays(), 1);
    assert_eq!(m.state().phases_entered(), ["specify", "parent", "child"]);
}

#[test]
fn the_debug_form_counts_instead_of_listing_every_event() {
    let mut service = ServiceProjector::new();
    for mission in ["A", "B"] {
        service.apply(at(
            mission,
            PROJECT,
            E::new(1, "MissionStarted", started("specify"), 1),
        ));
    }
    service.apply(at(
        "A",
        PROJECT,
        E::new(2, "PhaseEntered", phase("plan"), 2),
    ));
    assert_eq!(
        format!("{service:?}"),
        "ServiceProjector { missions: 2, events: 3, replays: 0, .. }"
    );
}

#[path = "service/lazy_index.rs"]
mod lazy_index;
