//! A seeded synthetic mission log, as the benchmarks and the fast-path
//! property test use it: a mission started, phases entered, `wps` work packages
//! each planned → claimed → in_progress → for_review → done with a gate event
//! before approval, the mission completed; shuffled, with 1% of the lines
//! repeated.

#![allow(dead_code)]

use spec_kitty_events::contract::{
    DoneEvidence, Event, EventPayload, Lane, NonEmptyString, RepoEvidence, ReviewVerdict,
    Timestamp, Ulid,
};

use spec_kitty_events::contract::event_types::{
    GatePassedPayload, GatePassedPayloadFields, MissionCompletedPayload,
    MissionCompletedPayloadFields, MissionStartedPayload, MissionStartedPayloadFields,
    PhaseEnteredPayload, PhaseEnteredPayloadFields, StatusTransitionPayload,
    StatusTransitionPayloadFields,
};

include!("rng.rs");

fn text(s: &str) -> NonEmptyString {
    NonEmptyString::new(s).expect("non-empty literal")
}

struct Ids {
    counter: u128,
}

impl Ids {
    fn next(&mut self) -> Ulid {
        self.counter += 1;
        // A fixed millisecond prefix and a counter tail: valid, distinct, seeded.
        Ulid::from(ulid::Ulid::from_parts(1_770_634_800_000, self.counter))
    }
}

const PROJECT: &str = "00000000-0000-0000-0000-000000000001";

fn envelope<P: EventPayload>(
    payload: &P,
    id: Ulid,
    clock: u64,
    node: &str,
    parent: Option<Ulid>,
) -> Event {
    let at = jiff::Timestamp::from_second(1_770_634_800 + clock as i64).expect("in range");
    Event::builder(payload)
        .event_id(id)
        .aggregate_id("M1")
        .timestamp(Timestamp::from_instant(at))
        .node_id(node)
        .lamport_clock(clock)
        .causation_id(parent)
        .project_uuid(PROJECT)
        .correlation_id(Ulid::parse("01JKQ4V7C00000000000000C0R").expect("ulid literal"))
        .build()
        .expect("synthetic events are valid")
}

fn transition(wp: &str, from: Option<Lane>, to: Lane) -> StatusTransitionPayload {
    let evidence = (to == Lane::Done).then(|| {
        DoneEvidence::new(
            vec![RepoEvidence {
                repo: text("spec-kitty"),
                branch: text(&format!("{wp}-branch")),
                commit: text("0123456789abcdef"),
                files_touched: None,
            }],
            vec![],
            ReviewVerdict {
                reviewer: text("reviewer"),
                verdict: text("approved"),
                reference: None,
            },
        )
        .expect("one repo")
    });
    StatusTransitionPayload::try_from(StatusTransitionPayloadFields {
        feature_slug: text("004-canonical-event-contract"),
        wp_id: text(wp),
        from_lane: from,
        to_lane: to,
        actor: text("agent"),
        force: false,
        reason: None,
        execution_mode: spec_kitty_events::contract::ExecutionMode::Worktree,
        review_ref: None,
        evidence,
    })
    .expect("legal synthetic transition")
}

fn gate(wp: usize) -> GatePassedPayload {
    GatePassedPayload::try_from(GatePassedPayloadFields {
        gate_name: text("ci/build"),
        gate_type: Default::default(),
        conclusion: Default::default(),
        external_provider: Default::default(),
        check_run_id: spec_kitty_events::contract::gates::PositiveInt::new(wp as u64 + 1)
            .expect("positive"),
        check_run_url: spec_kitty_events::contract::gates::HttpUrl::new(format!(
            "https://github.com/spec-kitty/spec-kitty/runs/{}",
            wp + 1
        ))
        .expect("url"),
        delivery_id: text(&format!("delivery-{wp}")),
        pr_number: None,
    })
    .expect("valid")
}

/// The events of a synthetic mission with `wps` work packages, in causal
/// order (not shuffled, no duplicates): `6 * wps + 4` events.
pub fn mission_events(wps: usize, seed: u64) -> Vec<Event> {
    let mut ids = Ids { counter: 0 };
    let mut events = Vec::with_capacity(wps * 7 + 6);
    let mut clock = 1;
    let started = ids.next();
    events.push(envelope(
        &MissionStartedPayload::try_from(MissionStartedPayloadFields {
            mission_id: text("M1"),
            mission_type: text("software-dev"),
            initial_phase: text("specify"),
            actor: text("rob"),
        })
        .expect("valid"),
        started,
        clock,
        "cli",
        None,
    ));
    let mut previous = started;
    for (phase, before) in [("plan", "specify"), ("implement", "plan")] {
        clock += 1;
        let id = ids.next();
        events.push(envelope(
            &PhaseEnteredPayload::try_from(PhaseEnteredPayloadFields {
                mission_id: text("M1"),
                phase_name: text(phase),
                previous_phase: Some(text(before)),
                actor: text("rob"),
            })
            .expect("valid"),
            id,
            clock,
            "cli",
            Some(previous),
        ));
        previous = id;
    }
    // Work packages run side by side: at each step one of the unfinished
    // ones, picked at random, makes its next move. The clock ticks with every
    // event, except that one event in eight shares the clock of the event
    // before it (another work package's): a concurrent pair, as two agents
    // without news of each other write them.
    let moves = [
        (None, Lane::Planned),
        (Some(Lane::Planned), Lane::Claimed),
        (Some(Lane::Claimed), Lane::InProgress),
        (Some(Lane::InProgress), Lane::ForReview),
    ];
    let mut rng = Rng(seed);
    let mut progress: Vec<(usize, Option<Ulid>)> = vec![(0, Some(previous)); wps];
    // Each work package starts after the phase event that is its parent.
    let mut last_clock_of = vec![clock; wps];
    let mut unfinished: Vec<usize> = (0..wps).collect();
    while !unfinished.is_empty() {
        let slot = rng.below(unfinished.len());
        let wp = unfinished[slot];
        // A work package's own moves are never concurrent with each other.
        if last_clock_of[wp] == clock || rng.below(8) != 0 {
            clock += 1;
        }
        last_clock_of[wp] = clock;
        let name = format!("WP{:06}", wp + 1);
        let node = format!("agent-{}", wp % 8);
        let (step, parent) = progress[wp];
        let id = ids.next();
        match step {
            0..=3 => {
                let (from, to) = moves[step];
                events.push(envelope(
                    &transition(&name, from, to),
                    id,
                    clock,
                    &node,
                    parent,
                ));
                progress[wp] = (step + 1, Some(id));
            }
            4 => {
                // The gate reports on the submitted work; the work package
                // stays in review, so the parent of its approval is unchanged.
                events.push(envelope(&gate(wp), id, clock, "github", parent));
                progress[wp] = (step + 1, parent);
            }
            _ => {
                let done = transition(&name, Some(Lane::ForReview), Lane::Done);
                events.push(envelope(&done, id, clock, &node, parent));
                unfinished.swap_remove(slot);
            }
        }
    }
    let last_clock = clock;
    let completed = ids.next();
    events.push(envelope(
        &MissionCompletedPayload::try_from(MissionCompletedPayloadFields {
            mission_id: text("M1"),
            mission_type: text("software-dev"),
            final_phase: text("implement"),
            actor: text("rob"),
        })
        .expect("valid"),
        completed,
        last_clock + 1,
        "cli",
        Some(previous),
    ));
    events
}

/// The synthetic mission's log text: shuffled, 1% of lines repeated.
pub fn mission_log(wps: usize, seed: u64) -> String {
    let events = mission_events(wps, seed);
    let mut lines: Vec<String> = events.iter().map(Event::to_json).collect();
    let mut rng = Rng(seed);
    let repeats = lines.len() / 100;
    for _ in 0..repeats {
        let pick = rng.below(lines.len());
        lines.push(lines[pick].clone());
    }
    rng.shuffle(&mut lines);
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// How many work packages give about `events` events (before duplicates).
pub fn wps_for_events(events: usize) -> usize {
    (events.saturating_sub(4) / 6).max(1)
}
