//! The fast replay path against a plain, obviously correct reducer.
//!
//! `replay_log` (the path the benchmark measures: borrowed decoding, one
//! sort, an in-place fold) must give the state that a naive reading of the
//! contract gives: sort by (lamport_clock, instant, event_id), keep the first
//! copy of each id (a later copy with other content is an anomaly), then apply each event in turn and record what cannot be
//! applied. The logs are the benchmark's synthetic missions, shuffled, with
//! lines dropped, repeated, garbled and moved to illegal lanes. They hold no
//! concurrent events of one work package and no causation inversions: those
//! rules have named tests of their own (`tests/status_reducer.rs`,
//! `tests/lifecycle_reducer.rs`), and the plain model stays plain.

#[path = "support/synthetic_log.rs"]
mod synthetic_log;

use std::collections::BTreeSet;

use proptest::prelude::*;
use spec_kitty_events::contract::event_types::KnownPayload;
use spec_kitty_events::contract::{Event, EventId, Lane, MissionStatus, validate_transition};
use spec_kitty_events::log::replay_log;
use spec_kitty_events::reduce::ReducedMissionState;
use synthetic_log::{Rng, mission_events};

/// What the plain model computes: the comparable parts of the state.
#[derive(Debug, PartialEq)]
struct Plain {
    mission_id: Option<String>,
    status: Option<MissionStatus>,
    mission_type: Option<String>,
    current_phase: Option<String>,
    phases_entered: Vec<String>,
    /// (wp_id, lane, last event, has evidence), in first-entry order.
    wps: Vec<(String, Lane, EventId, bool)>,
    /// The events that were anomalies, as a set (wording and order are free).
    anomalies: BTreeSet<EventId>,
    event_count: usize,
    last: Option<EventId>,
}

fn plain_replay(text: &str) -> Plain {
    let mut events: Vec<Event> = text
        .lines()
        .filter_map(|line| Event::from_json(line).ok())
        .collect();
    // Two copies of one id that tie on the key: the smaller JSON text is
    // first, so the copy kept never depends on arrival order.
    events.sort_by_key(|e| {
        (
            e.lamport_clock(),
            e.timestamp().instant(),
            e.event_id(),
            e.to_json(),
        )
    });
    // A dropped copy whose content differs from the kept one is an anomaly
    // (issue 14: conflicting copies are never a silent choice).
    let mut kept: std::collections::BTreeMap<EventId, Event> = std::collections::BTreeMap::new();
    let mut conflicting = BTreeSet::new();
    events.retain(|e| match kept.get(&e.event_id()) {
        Some(first) => {
            if first != e {
                conflicting.insert(e.event_id());
            }
            false
        }
        None => {
            kept.insert(e.event_id(), e.clone());
            true
        }
    });

    let mut plain = Plain {
        mission_id: None,
        status: None,
        mission_type: None,
        current_phase: None,
        phases_entered: Vec::new(),
        wps: Vec::new(),
        anomalies: conflicting,
        event_count: events.len(),
        last: events.last().map(Event::event_id),
    };
    for event in &events {
        let applied = match event.to_typed_payload() {
            Err(_) => false,
            Ok(None) | Ok(Some(KnownPayload::GatePassed(_) | KnownPayload::GateFailed(_))) => true,
            Ok(Some(KnownPayload::MissionStarted(p))) => {
                let fresh = plain.status.is_none();
                if fresh {
                    plain.mission_id = Some(p.mission_id().to_string());
                    plain.mission_type = Some(p.mission_type().to_string());
                    plain.status = Some(MissionStatus::Active);
                    plain.current_phase = Some(p.initial_phase().to_string());
                    plain.phases_entered.push(p.initial_phase().to_string());
                }
                fresh
            }
            Ok(Some(KnownPayload::PhaseEntered(p))) => enter(&mut plain, p.phase_name().as_str()),
            Ok(Some(KnownPayload::ReviewRollback(p))) => {
                enter(&mut plain, p.target_phase().as_str())
            }
            Ok(Some(KnownPayload::MissionCompleted(_))) => {
                end(&mut plain, MissionStatus::Completed)
            }
            Ok(Some(KnownPayload::MissionCancelled(_))) => {
                end(&mut plain, MissionStatus::Cancelled)
            }
            Ok(Some(KnownPayload::WPStatusChanged(p))) => {
                let at = plain.wps.iter().position(|wp| wp.0 == p.wp_id().as_str());
                let current = at.map(|i| plain.wps[i].1);
                let ok = p.from_lane().copied() == current && validate_transition(&p).valid;
                if ok {
                    let state = (
                        p.wp_id().to_string(),
                        *p.to_lane(),
                        event.event_id(),
                        *p.to_lane() == Lane::Done,
                    );
                    match at {
                        Some(i) => plain.wps[i] = state,
                        None => plain.wps.push(state),
                    }
                }
                ok
            }
            // An event type added after this model was written: counted only.
            Ok(Some(_)) => true,
        };
        if !applied {
            plain.anomalies.insert(event.event_id());
        }
    }
    plain
}

fn enter(plain: &mut Plain, phase: &str) -> bool {
    let active = plain.status == Some(MissionStatus::Active);
    if active {
        plain.current_phase = Some(phase.to_owned());
        plain.phases_entered.push(phase.to_owned());
    }
    active
}

fn end(plain: &mut Plain, status: MissionStatus) -> bool {
    let active = plain.status == Some(MissionStatus::Active);
    if active {
        plain.status = Some(status);
    }
    active
}

fn comparable(state: &ReducedMissionState) -> Plain {
    Plain {
        mission_id: state.mission_id().map(str::to_owned),
        status: state.mission_status(),
        mission_type: state.mission_type().map(str::to_owned),
        current_phase: state.current_phase().map(str::to_owned),
        phases_entered: state.phases_entered().to_vec(),
        wps: state
            .wp_states()
            .iter()
            .map(|wp| {
                (
                    wp.wp_id().to_owned(),
                    wp.current_lane(),
                    wp.last_event_id(),
                    wp.evidence().is_some(),
                )
            })
            .collect(),
        anomalies: state.anomalies().map(|a| a.event_id).collect(),
        event_count: state.event_count(),
        last: state.last_processed_event_id(),
    }
}

/// A synthetic mission log, damaged as `seed` decides.
fn damaged_log(wps: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut lines: Vec<String> = mission_events(wps, seed)
        .iter()
        .map(Event::to_json)
        .collect();
    let lanes = [
        "planned",
        "claimed",
        "in_progress",
        "doing",
        "for_review",
        "blocked",
        "canceled",
    ];
    for _ in 0..rng.below(lines.len() / 4 + 1) {
        let at = rng.below(lines.len());
        match rng.below(5) {
            // Lost in transit.
            0 => {
                lines.remove(at);
            }
            // Delivered twice.
            1 => lines.push(lines[at].clone()),
            // A move to another lane than the one written.
            2 => {
                let to = lanes[rng.below(lanes.len())];
                for from in lanes.iter().chain(&["done"]) {
                    let before = format!("\"to_lane\":\"{from}\"");
                    if lines[at].contains(&before) && !lines[at].contains("\"evidence\":{") {
                        lines[at] = lines[at].replace(&before, &format!("\"to_lane\":\"{to}\""));
                        break;
                    }
                }
            }
            // Garbage, and a payload that breaks a rule.
            3 => lines.insert(at, "{\"event_id\": 42}".to_owned()),
            _ => lines[at] = lines[at].replace("\"actor\":\"agent\"", "\"actor\":\"\""),
        }
        if lines.is_empty() {
            break;
        }
    }
    rng.shuffle(&mut lines);
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_fast_path_folds_as_the_plain_reducer_does(wps in 1usize..24, seed in any::<u64>()) {
        let log = damaged_log(wps, seed);
        let fast = comparable(&replay_log(&log).state);
        prop_assert_eq!(fast, plain_replay(&log));
    }
}

#[test]
fn the_undamaged_synthetic_mission_has_no_anomaly() {
    let log = damaged_log(0, 0); // no work package: nothing to damage
    let state = replay_log(&log).state;
    assert_eq!(state.mission_status(), Some(MissionStatus::Completed));
    let events: Vec<String> = mission_events(40, 7).iter().map(Event::to_json).collect();
    let state = replay_log(&(events.join("\n") + "\n")).state;
    assert_eq!(state.anomaly_count(), 0);
    assert_eq!(state.wp_states().len(), 40);
    assert!(
        state
            .wp_states()
            .iter()
            .all(|wp| wp.current_lane() == Lane::Done)
    );
    assert_eq!(state.event_count(), 40 * 6 + 4);
}
