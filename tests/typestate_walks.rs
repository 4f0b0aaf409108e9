//! Random walks of legal moves through the typestate builders (driven by a
//! small runtime driver) give logs that the runtime lifecycle reducer folds
//! with zero anomalies into the lanes and phase the walk ended in, with
//! strictly increasing Lamport clocks and an unbroken causation chain per work
//! package and per mission. Walks are played with the 0.4 writer and with
//! the default one (schema 3.0.0, which adds in_review and approved).

#[path = "support/typestate_driver.rs"]
mod driver;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use proptest::prelude::*;
use spec_kitty_events::Error;
use spec_kitty_events::contract::event_types::{MISSION_EVENT_TYPES, WP_STATUS_CHANGED};
use spec_kitty_events::contract::{
    ContractVersion, Event, ExecutionMode, Lane, MissionStatus, Ulid,
};
use spec_kitty_events::emit::{Emitter, Mission, WorkPackage};
use spec_kitty_events::reduce::reduce_lifecycle_events;
use spec_kitty_events::store::ClockStorage;
use spec_kitty_events::store::LamportClock;

use driver::{MISSION_ID, Walk, force_targets, name, walk, walk_under};

/// Lamport clocks rise strictly in emission order, and every event names the
/// one that produced the state it leaves: mission events chain from
/// `MissionStarted`, each work package's events chain from the mission event
/// it was planned under, and gate records hang off the mission's state.
fn check_clocks_and_causation(events: &[Event]) -> Result<(), TestCaseError> {
    for pair in events.windows(2) {
        prop_assert!(pair[0].lamport_clock() < pair[1].lamport_clock());
    }
    let correlation = events[0].correlation_id();
    let mut mission_head: Option<spec_kitty_events::contract::EventId> = None;
    let mut wp_heads: HashMap<String, spec_kitty_events::contract::EventId> = HashMap::new();
    for event in events {
        prop_assert_eq!(event.correlation_id(), correlation);
        let parent = event.causation_id();
        if MISSION_EVENT_TYPES.contains(&event.event_type()) {
            prop_assert_eq!(event.aggregate_id(), MISSION_ID);
            prop_assert_eq!(parent, mission_head, "mission chain broken at {:?}", event);
            mission_head = Some(event.event_id());
        } else if event.event_type() == WP_STATUS_CHANGED {
            let wp_id = event.aggregate_id().to_owned();
            match wp_heads.get(&wp_id) {
                Some(head) => prop_assert_eq!(parent, Some(*head), "{} chain broken", wp_id),
                None => prop_assert_eq!(
                    parent,
                    mission_head,
                    "{} not planned under the mission",
                    wp_id
                ),
            }
            wp_heads.insert(wp_id, event.event_id());
        } else {
            prop_assert_eq!(parent, mission_head);
        }
    }
    Ok(())
}

fn check_reduced(walk: &Walk) -> Result<(), TestCaseError> {
    let reduced = reduce_lifecycle_events(walk.events.clone());
    let anomalies: Vec<_> = reduced.anomalies().collect();
    prop_assert!(anomalies.is_empty(), "{:?}", anomalies);
    prop_assert_eq!(reduced.mission_id(), Some(MISSION_ID));
    prop_assert_eq!(reduced.mission_status(), Some(walk.status));
    prop_assert_eq!(reduced.current_phase(), Some(walk.phase.as_str()));
    let lanes: BTreeMap<String, Lane> = reduced
        .wp_states()
        .iter()
        .map(|state| (state.wp_id().to_owned(), state.current_lane()))
        .collect();
    prop_assert_eq!(&lanes, &walk.lanes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn walks_of_legal_moves_reduce_without_anomalies(
        ops in prop::collection::vec(any::<(u8, u8, u8)>(), 0..120),
    ) {
        let walk = walk(&ops);
        prop_assert_eq!(walk.events[0].event_type(), "MissionStarted");
        prop_assert!(walk.events.iter().all(|e| e.schema_version().as_str() == "1.0.0"));
        check_clocks_and_causation(&walk.events)?;
        check_reduced(&walk)?;
    }

    #[test]
    fn walks_through_the_current_lanes_reduce_without_anomalies(
        ops in prop::collection::vec(any::<(u8, u8, u8)>(), 0..120),
    ) {
        let walk = walk_under(ContractVersion::V3, &ops);
        prop_assert_eq!(walk.events[0].event_type(), "MissionStarted");
        prop_assert!(walk.events.iter().all(|e| e.schema_version().as_str() == "3.0.0"));
        check_clocks_and_causation(&walk.events)?;
        check_reduced(&walk)?;
    }
}

#[test]
fn walks_reach_every_lane_and_both_mission_endings() {
    // The properties above only mean something if the driver gets around:
    // make sure a few fixed walks visit every lane and both endings, under
    // each writer.
    for (version, want) in [
        (ContractVersion::V1, 7),
        // The ten lanes of 3.0.0 but genesis, which emission never enters.
        (ContractVersion::V3, 9),
    ] {
        let mut lanes = std::collections::BTreeSet::new();
        let mut endings = Vec::new();
        for seed in 0..40u8 {
            let ops: Vec<_> = (0..200u16)
                .map(|i| {
                    let x = (u32::from(seed) * 7919 + u32::from(i) * 104_729) % 65_521;
                    ((x % 251) as u8, (x / 251) as u8, (x % 13) as u8)
                })
                .collect();
            let walk = walk_under(version, &ops);
            lanes.extend(walk.lanes.values().copied());
            endings.push(walk.status);
        }
        assert_eq!(lanes.len(), want, "{version}: {lanes:?}");
        assert_eq!(force_targets(version).len(), want);
        assert!(endings.contains(&MissionStatus::Completed), "{endings:?}");
        assert!(endings.contains(&MissionStatus::Cancelled), "{endings:?}");
    }
}

/// Clock storage whose writes start failing when told to.
struct FlakyStorage {
    broken: Arc<AtomicBool>,
    value: u64,
}

impl ClockStorage for FlakyStorage {
    fn load(&self, _node_id: &str) -> spec_kitty_events::Result<u64> {
        Ok(self.value)
    }

    fn save(&mut self, _node_id: &str, value: u64) -> spec_kitty_events::Result<()> {
        if self.broken.load(Ordering::SeqCst) {
            return Err(Error::storage("disk full"));
        }
        self.value = value;
        Ok(())
    }
}

#[test]
fn a_move_that_cannot_be_emitted_hands_the_builder_back_unchanged() {
    let broken = Arc::new(AtomicBool::new(false));
    let storage = FlakyStorage {
        broken: Arc::clone(&broken),
        value: 41,
    };
    let emitter = Emitter::new(
        LamportClock::new("cli", storage).unwrap(),
        uuid::Uuid::nil(),
        Ulid::generate(),
    );
    let log = emitter.log();
    let rob = name("rob");
    let mission = Mission::start(
        emitter,
        name("M1"),
        name("software-dev"),
        name("specify"),
        &rob,
    )
    .unwrap();
    let wp = WorkPackage::plan(&mission, name("WP01"), ExecutionMode::Worktree, &rob).unwrap();
    let planned_by = wp.last_event_id();

    broken.store(true, Ordering::SeqCst);
    let failed = wp.claim(&rob).unwrap_err();
    assert!(matches!(failed.error(), Error::Storage { .. }), "{failed}");
    let (wp, _) = failed.into_parts();
    assert_eq!(wp.lane(), Lane::Planned);
    assert_eq!(wp.last_event_id(), planned_by);
    assert_eq!(log.len(), 2, "a failed move emits nothing");

    broken.store(false, Ordering::SeqCst);
    let claimed = wp.claim(&rob).unwrap();
    let events = log.take();
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].causation_id(), Some(planned_by));
    // The clock resumed from its stored value (41), two ticks in: 42, 43, then
    // the retried claim.
    let clocks: Vec<u64> = events.iter().map(Event::lamport_clock).collect();
    assert!(
        clocks[0] == 42 && clocks[1] == 43 && clocks[2] > 43,
        "{clocks:?}"
    );
    assert_eq!(claimed.lane(), Lane::Claimed);
}

/// An event store that refuses to save once it holds `capacity` events.
struct SmallStore {
    saved: Vec<Event>,
    capacity: usize,
}

impl spec_kitty_events::store::EventStore for SmallStore {
    fn save_event(&mut self, event: &Event) -> spec_kitty_events::Result<()> {
        if self.saved.len() == self.capacity {
            return Err(Error::storage("store full"));
        }
        self.saved.push(event.clone());
        Ok(())
    }

    fn load_events(&self, aggregate_id: &str) -> spec_kitty_events::Result<Vec<Event>> {
        Ok(self
            .saved
            .iter()
            .filter(|e| e.aggregate_id() == aggregate_id)
            .cloned()
            .collect())
    }

    fn load_all_events(&self) -> spec_kitty_events::Result<Vec<Event>> {
        Ok(self.saved.clone())
    }
}

#[test]
fn events_a_store_refuses_stay_in_the_log_in_order() {
    let storage = spec_kitty_events::store::InMemoryClockStorage::default();
    let emitter = Emitter::new(
        LamportClock::new("cli", storage).unwrap(),
        uuid::Uuid::nil(),
        Ulid::generate(),
    );
    let log = emitter.log();
    let rob = name("rob");
    let mission = Mission::start(emitter, name("M1"), name("t"), name("specify"), &rob).unwrap();
    let mission = mission.enter_phase(name("plan"), &rob).unwrap();
    let _ = mission.enter_phase(name("implement"), &rob).unwrap();
    let emitted = log.events();

    let mut store = SmallStore {
        saved: Vec::new(),
        capacity: 1,
    };
    assert!(log.save_into(&mut store).is_err());
    assert_eq!(store.saved, emitted[..1]);
    assert_eq!(log.events(), emitted[1..]);

    store.capacity = 10;
    log.save_into(&mut store).unwrap();
    assert_eq!(store.saved, emitted);
    assert!(log.is_empty());
}

#[test]
fn the_reducer_would_see_a_walk_with_a_move_missing() {
    // A control for the property: drop one lane move from a walk and the
    // reducer must notice, so "zero anomalies" above is not vacuous.
    let ops: Vec<_> = (0..60u8).map(|i| (i % 5, 0, i)).collect();
    let mut events = walk(&ops).events;
    let wp_moves: Vec<usize> = (0..events.len())
        .filter(|&i| events[i].event_type() == WP_STATUS_CHANGED)
        .collect();
    assert!(wp_moves.len() > 3);
    events.remove(wp_moves[1]);
    let reduced = reduce_lifecycle_events(events);
    assert!(reduced.anomalies().next().is_some());
}
