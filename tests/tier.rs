//! The data-tier filter (SaaS sync scope), tier by tier.

#[path = "support/mission_logs.rs"]
mod mission_logs;

use mission_logs::{E, Mix, random_mission, started, wp};
use proptest::prelude::*;
use spec_kitty_events::contract::{DataTier, Event};
use spec_kitty_events::reduce::reduce_lifecycle_events;
use spec_kitty_events::reduce::{filter_by_tier, filter_by_tier_ref, is_allowed_at};

fn with_tier(part: E, tier: u8) -> Event {
    let mut json = part.json();
    json["data_tier"] = tier.into();
    Event::from_json(&json.to_string()).unwrap()
}

/// One event of each tier, tier t with id t+1.
fn one_per_tier() -> Vec<Event> {
    (0..=4u8)
        .map(|t| {
            with_tier(
                E::new(
                    u64::from(t) + 1,
                    "WPStatusChanged",
                    wp(&format!("WP0{t}"), None, "planned"),
                    1,
                ),
                t,
            )
        })
        .collect()
}

fn tiers_kept(destination: u8) -> Vec<u8> {
    filter_by_tier(one_per_tier(), DataTier::new(destination).unwrap())
        .map(|event| event.data_tier().get())
        .collect()
}

#[test]
fn tier_0_the_local_log_keeps_everything() {
    assert_eq!(tiers_kept(0), [0, 1, 2, 3, 4]);
}

#[test]
fn tier_1_drops_local_only_events() {
    assert_eq!(tiers_kept(1), [1, 2, 3, 4]);
}

#[test]
fn tier_2_keeps_tiers_2_to_4() {
    assert_eq!(tiers_kept(2), [2, 3, 4]);
}

#[test]
fn tier_3_keeps_tiers_3_and_4() {
    assert_eq!(tiers_kept(3), [3, 4]);
}

#[test]
fn tier_4_telemetry_keeps_only_telemetry() {
    assert_eq!(tiers_kept(4), [4]);
    assert!(!is_allowed_at(&one_per_tier()[3], DataTier::TELEMETRY));
}

#[test]
fn the_borrowed_filter_agrees_and_keeps_order() {
    let events = one_per_tier();
    for t in 0..=4 {
        let tier = DataTier::new(t).unwrap();
        let borrowed: Vec<Event> = filter_by_tier_ref(&events, tier).cloned().collect();
        let owned: Vec<Event> = filter_by_tier(events.clone(), tier).collect();
        assert_eq!(borrowed, owned);
    }
}

#[test]
fn a_destination_sees_the_state_of_what_it_may_receive() {
    // The start is shared (tier 2); the planning stayed local (tier 0).
    let log = vec![
        with_tier(E::new(1, "MissionStarted", started("specify"), 1), 2),
        with_tier(
            E::new(2, "WPStatusChanged", wp("WP01", None, "planned"), 2),
            0,
        ),
        with_tier(
            E::new(
                3,
                "WPStatusChanged",
                wp("WP01", Some("planned"), "claimed"),
                3,
            ),
            2,
        ),
    ];
    let local = reduce_lifecycle_events(log.clone());
    assert_eq!(local.wp_states().len(), 1);
    assert_eq!(local.anomaly_count(), 0);
    let synced = reduce_lifecycle_events(filter_by_tier(log, DataTier::new(2).unwrap()));
    assert_eq!(synced.mission_id(), Some("M1"));
    assert!(synced.wp_states().is_empty());
    assert_eq!(synced.anomaly_count(), 1);
    assert_eq!(synced.event_count(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Each wider destination sees a subset of the narrower one's, and
    /// exactly the events whose tier reaches it.
    #[test]
    fn wider_destinations_see_subsets(seed in any::<u64>(), tiers in proptest::collection::vec(0u8..=4, 1..30)) {
        let log: Vec<Event> = random_mission(seed, tiers.len(), Mix::ALL)
            .into_iter()
            .zip(tiers.iter().cycle())
            .map(|(event, &t)| {
                let mut json: serde_json::Value = serde_json::from_str(&event.to_json()).unwrap();
                json["data_tier"] = t.into();
                Event::from_json(&json.to_string()).unwrap()
            })
            .collect();
        for t in 0..4u8 {
            let narrow: Vec<Event> = filter_by_tier(log.clone(), DataTier::new(t).unwrap()).collect();
            let wide: Vec<Event> = filter_by_tier(log.clone(), DataTier::new(t + 1).unwrap()).collect();
            prop_assert!(wide.iter().all(|event| narrow.contains(event)));
            prop_assert_eq!(narrow.len(), log.iter().filter(|e| e.data_tier().get() >= t).count());
        }
    }
}
