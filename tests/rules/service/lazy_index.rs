//! The mission's id index is written only when a slow path asks it: events
//! whose clock and id are above the mission's go in unindexed, and a later
//! duplicate, conflicting copy, late event or awaited parent must still be
//! recognised, however far back (across the arena's chunks of 4,096).

use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::{ServiceProjector, reduce_lifecycle_events};

use super::{OTHER_PROJECT, PROJECT, at};
use crate::mission_logs::{E, id, phase, started};

/// A mission of `len` events, in causal order: the start, then phases,
/// each the child of the one before, clocks and ids rising.
fn chain(len: u64) -> Vec<E> {
    (1..=len)
        .map(|n| match n {
            1 => E::new(1, "MissionStarted", started("specify"), 1),
            n => E::new(n, "PhaseEntered", phase(&format!("p{n}")), n).caused_by(n - 1),
        })
        .collect()
}

fn state_is_its_reducers(service: &ServiceProjector, mission: &str, events: &[Event]) {
    let found = service.mission(PROJECT.parse().unwrap(), mission).unwrap();
    assert_eq!(found.state(), &reduce_lifecycle_events(events.iter()));
}

#[test]
fn a_copy_or_a_late_event_is_found_behind_every_in_order_event_across_chunks() {
    // Two missions of 2,100 events interleaved: 4,200 entries, past the
    // arena's first chunk of 4,096, none of them indexed on arrival.
    let log = chain(2_100);
    let mut service = ServiceProjector::new();
    let mut a: Vec<Event> = Vec::new();
    let mut b: Vec<Event> = Vec::new();
    for part in &log {
        a.push(at("A", PROJECT, part.clone()));
        b.push(at("B", PROJECT, part.clone()));
        service.apply(a.last().unwrap().clone());
        service.apply(b.last().unwrap().clone());
    }
    assert_eq!(service.replays(), 0);
    assert_eq!(service.len(), 4_200);
    // A's start again, from the first chunk: a duplicate, nothing changes.
    service.apply(a[0].clone());
    assert_eq!(service.replays(), 0);
    assert_eq!(service.len(), 4_200);
    state_is_its_reducers(&service, "A", &a);
    // B's third event with another node: a conflicting copy, one re-fold.
    let mut copy = log[2].clone();
    copy.node = "zz-other";
    let copy = at("B", PROJECT, copy);
    service.apply(copy.clone());
    assert_eq!(service.replays(), 1);
    b.push(copy.clone());
    state_is_its_reducers(&service, "B", &b);
    // The same copy again is held already: no second re-fold.
    service.apply(copy);
    assert_eq!(service.replays(), 1);
    // A late event in A (clock 4, id above all): A re-folds, and places it
    // among the first chunk's events.
    let late = at(
        "A",
        PROJECT,
        E::new(9_000, "PhaseEntered", phase("late"), 4),
    );
    let found = service.apply(late.clone());
    assert_eq!(found.replays(), 1);
    assert_eq!(found.state().phases_entered()[4], "late");
    a.push(late);
    state_is_its_reducers(&service, "A", &a);
    assert_eq!(service.replays(), 2);
    assert_eq!(service.len(), 4_201);
}

#[test]
fn an_event_in_order_by_clock_but_not_by_id_folds_in_place() {
    // Ids fall while clocks rise: each event goes through the index, and
    // is still in order, so nothing re-folds.
    let parts = [
        E::new(10, "MissionStarted", started("specify"), 1),
        E::new(5, "PhaseEntered", phase("plan"), 2).caused_by(10),
        E::new(7, "PhaseEntered", phase("implement"), 3).caused_by(5),
    ];
    let events: Vec<Event> = parts
        .iter()
        .map(|part| at("M", PROJECT, part.clone()))
        .collect();
    let mut service = ServiceProjector::new();
    for event in &events {
        service.apply(event.clone());
        // A duplicate of each, at once: found in the index.
        service.apply(event.clone());
    }
    assert_eq!(service.replays(), 0);
    assert_eq!(service.len(), 3);
    let mission = service.mission(PROJECT.parse().unwrap(), "M").unwrap();
    assert_eq!(
        mission.state().phases_entered(),
        ["specify", "plan", "implement"]
    );
    state_is_its_reducers(&service, "M", &events);
}

#[test]
fn the_parent_a_late_event_awaits_re_folds_even_when_it_comes_in_order() {
    // The late child (clock 5, below the mission's 10) names parent 50,
    // not seen: a re-fold. Parent 50 then comes at clock 20, above every
    // clock held, yet the child awaits it: a second re-fold moves the
    // child after it (clock 21), an inversion.
    let parts = [
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "PhaseEntered", phase("plan"), 10).caused_by(1),
        E::new(3, "PhaseEntered", phase("child"), 5).caused_by(50),
        E::new(50, "PhaseEntered", phase("parent"), 20),
    ];
    let events: Vec<Event> = parts
        .iter()
        .map(|part| at("M", OTHER_PROJECT, part.clone()))
        .collect();
    let mut service = ServiceProjector::new();
    for event in &events {
        service.apply(event.clone());
    }
    let mission = service
        .mission(OTHER_PROJECT.parse().unwrap(), "M")
        .unwrap();
    assert_eq!(mission.replays(), 2);
    assert_eq!(
        mission.state().phases_entered(),
        ["specify", "plan", "parent", "child"]
    );
    assert_eq!(mission.state(), &reduce_lifecycle_events(&events));
}

#[test]
fn an_event_at_the_missions_clock_is_looked_up_and_waits_for_a_parent_there() {
    // The sibling shares the mission's clock (2) but its parent is below:
    // in order, in place. The child's parent is the sibling, at clock 2:
    // it is applied at 3, a causation inversion, by a re-fold.
    let parts = [
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "PhaseEntered", phase("plan"), 2).caused_by(1),
        E::new(3, "PhaseEntered", phase("sibling"), 2).caused_by(1),
        E::new(4, "PhaseEntered", phase("child"), 2).caused_by(3),
    ];
    let events: Vec<Event> = parts
        .iter()
        .map(|part| at("M", PROJECT, part.clone()))
        .collect();
    let mut service = ServiceProjector::new();
    for event in &events[..3] {
        service.apply(event.clone());
    }
    assert_eq!(service.replays(), 0);
    let mission = service.apply(events[3].clone());
    assert_eq!(mission.replays(), 1);
    assert_eq!(
        mission.state().phases_entered(),
        ["specify", "plan", "sibling", "child"]
    );
    let reasons: Vec<String> = mission.state().anomalies().map(|a| a.reason).collect();
    assert_eq!(
        reasons,
        [format!(
            "causation inversion: lamport_clock 2 is not after its parent {}; applied at 3",
            id(3)
        )]
    );
    state_is_its_reducers(&service, "M", &events);
}

#[test]
fn an_event_naming_itself_above_the_missions_clock_and_ids_is_not_folded_in_place() {
    // Its clock and id are above the mission's, but it names itself as its
    // parent: the reducer reports that, so it re-folds, as the mission
    // projector does.
    let parts = [
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "PhaseEntered", phase("plan"), 2).caused_by(2),
    ];
    let events: Vec<Event> = parts
        .iter()
        .map(|part| at("M", PROJECT, part.clone()))
        .collect();
    let mut service = ServiceProjector::new();
    service.apply(events[0].clone());
    let mission = service.apply(events[1].clone());
    assert_eq!(mission.replays(), 1);
    let reasons: Vec<String> = mission.state().anomalies().map(|a| a.reason).collect();
    assert_eq!(reasons, ["causation_id names the event itself: ignored"]);
    assert_eq!(mission.state().phases_entered(), ["specify", "plan"]);
    state_is_its_reducers(&service, "M", &events);
}
