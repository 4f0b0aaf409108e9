//! The incremental projector equals the full lifecycle reducer over the
//! events seen so far, after every single event, whatever the arrival order.

#[path = "support/mission_logs.rs"]
mod mission_logs;

use mission_logs::{E, Mix, Rng, events, random_mission, shuffled_with_duplicates, started, wp};
use proptest::prelude::*;
use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::{MissionProjector, reduce_lifecycle_events};

/// Feeds `arrivals` one by one and checks the projection against a full
/// replay of the prefix after each.
fn check_every_prefix(arrivals: &[Event]) -> MissionProjector {
    let mut projector = MissionProjector::new();
    for (i, event) in arrivals.iter().enumerate() {
        projector.apply(event.clone());
        let replay = reduce_lifecycle_events(arrivals[..=i].to_vec());
        assert_eq!(
            projector.state().to_json(),
            replay.to_json(),
            "after event {i} of {}",
            arrivals.len()
        );
    }
    projector
}

#[test]
fn in_order_events_never_replay() {
    // Causal parents with smaller clocks: the canonical order is the
    // in-order arrival.
    let log = random_mission(11, 200, Mix::AGREED);
    let ordered = spec_kitty_events::reduce::canonical_order(log);
    assert!(
        ordered
            .iter()
            .filter(|e| e.causation_id().is_some())
            .count()
            > 20
    );
    let projector = check_every_prefix(&ordered);
    assert_eq!(projector.replays(), 0);
    assert_eq!(projector.len(), ordered.len());
}

#[test]
fn duplicates_change_nothing_and_cost_no_replay() {
    let log = events(&[
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "WPStatusChanged", wp("WP01", None, "planned"), 2),
    ]);
    let mut projector = MissionProjector::new();
    projector.extend(log.iter().cloned());
    let before = projector.state().to_json();
    projector.extend(log.iter().cloned());
    assert_eq!(projector.state().to_json(), before);
    assert_eq!(projector.replays(), 0);
    assert_eq!(projector.len(), 2);
}

#[test]
fn a_growing_concurrency_group_is_re_evaluated_in_place() {
    // A cancel joining a group after a completion supersedes it, without a
    // full replay.
    let log = events(&[
        E::new(1, "MissionStarted", started("specify"), 1),
        E::new(2, "MissionCompleted", mission_logs::completed(), 2),
        E::new(3, "MissionCancelled", mission_logs::cancelled(), 2),
        E::new(4, "WPStatusChanged", wp("WP01", None, "planned"), 2),
    ]);
    let projector = check_every_prefix(&log);
    assert_eq!(projector.replays(), 0);
    assert_eq!(
        projector.state().mission_status(),
        Some(spec_kitty_events::contract::MissionStatus::Cancelled)
    );
}

#[test]
fn a_late_parent_moves_its_waiting_child() {
    let log = events(&[
        E::new(2, "PhaseEntered", mission_logs::phase("plan"), 2).caused_by(1),
        E::new(1, "MissionStarted", started("specify"), 5),
    ]);
    let projector = check_every_prefix(&log);
    assert_eq!(projector.replays(), 1);
    assert_eq!(projector.state().phases_entered(), ["specify", "plan"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// Random arrival orders with duplicates: equal to the full replay after
    /// every event.
    #[test]
    fn equals_full_replay_after_every_event(seed in any::<u64>(), size in 1usize..40) {
        let log = random_mission(seed, size, Mix::ALL);
        let mut rng = Rng(seed.rotate_left(7));
        let arrivals = shuffled_with_duplicates(&log, &mut rng);
        let mut projector = MissionProjector::new();
        for (i, event) in arrivals.iter().enumerate() {
            projector.apply(event.clone());
            let replay = reduce_lifecycle_events(arrivals[..=i].to_vec());
            prop_assert_eq!(projector.state().to_json(), replay.to_json());
        }
    }
}
