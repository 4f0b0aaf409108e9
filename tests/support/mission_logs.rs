//! Mission logs for the reducer tests: a terse event constructor and a seeded
//! generator of random, messy mission logs (concurrent groups, rollbacks,
//! illegal moves, bad payloads, duplicates, shuffled).
//!
//! Include with `#[path = "support/mission_logs.rs"] mod mission_logs;`.

#![allow(dead_code)]

use serde_json::{Value, json};
use spec_kitty_events::contract::Event;

pub const PROJECT: &str = "00000000-0000-0000-0000-000000000001";
pub const CORRELATION: &str = "01JKQ4V7C00000000000000C0R";

/// A valid ULID whose tail is `n` (distinct for distinct `n`).
pub fn id(n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut tail = [b'0'; 10];
    let mut rest = n;
    for slot in tail.iter_mut().rev() {
        *slot = DIGITS[(rest % 32) as usize];
        rest /= 32;
    }
    format!("01JKQ4V7C0000000{}", String::from_utf8_lossy(&tail))
}

/// One event, built from its parts through the wire format.
#[derive(Clone)]
pub struct E {
    pub n: u64,
    pub event_type: String,
    pub payload: Value,
    pub clock: u64,
    pub second: i64,
    pub offset: &'static str,
    pub parent: Option<u64>,
    pub node: &'static str,
}

impl E {
    pub fn new(n: u64, event_type: &str, payload: Value, clock: u64) -> Self {
        Self {
            n,
            event_type: event_type.to_owned(),
            payload,
            clock,
            second: clock as i64,
            offset: "Z",
            parent: None,
            node: "cli",
        }
    }

    pub fn at(mut self, second: i64) -> Self {
        self.second = second;
        self
    }

    pub fn caused_by(mut self, parent: u64) -> Self {
        self.parent = Some(parent);
        self
    }

    pub fn json(&self) -> Value {
        let base = jiff::Timestamp::from_second(1_770_634_800 + self.second).unwrap();
        let timestamp = match self.offset {
            "Z" => base.to_string(),
            offset => {
                let sign = if offset.starts_with('-') { -1 } else { 1 };
                let hours: i64 = offset[1..3].parse().unwrap();
                let minutes: i64 = offset[4..6].parse().unwrap();
                let shift = sign * (hours * 3600 + minutes * 60);
                let local =
                    jiff::Timestamp::from_second(1_770_634_800 + self.second + shift).unwrap();
                local.to_string().replace('Z', offset)
            }
        };
        json!({
            "event_id": id(self.n),
            "event_type": self.event_type,
            "aggregate_id": "M1",
            "payload": self.payload,
            "timestamp": timestamp,
            "node_id": self.node,
            "lamport_clock": self.clock,
            "causation_id": self.parent.map(id),
            "project_uuid": PROJECT,
            "project_slug": null,
            "correlation_id": CORRELATION,
            "schema_version": "1.0.0",
            "data_tier": 0
        })
    }

    pub fn event(&self) -> Event {
        Event::from_json(&self.json().to_string()).unwrap()
    }
}

pub fn started(phase: &str) -> Value {
    json!({"mission_id": "M1", "mission_type": "software-dev", "initial_phase": phase, "actor": "rob"})
}

pub fn phase(name: &str) -> Value {
    json!({"mission_id": "M1", "phase_name": name, "previous_phase": null, "actor": "rob"})
}

pub fn rollback(target: &str) -> Value {
    json!({"mission_id": "M1", "review_ref": "review-1", "target_phase": target, "affected_wp_ids": ["WP01"], "actor": "rev"})
}

pub fn completed() -> Value {
    json!({"mission_id": "M1", "mission_type": "software-dev", "final_phase": "accept", "actor": "rob"})
}

pub fn cancelled() -> Value {
    json!({"mission_id": "M1", "reason": "descoped", "actor": "rob", "cancelled_wp_ids": []})
}

pub fn evidence() -> Value {
    json!({
        "repos": [{"repo": "spec-kitty", "branch": "wp01", "commit": "abc123", "files_touched": ["src/lib.rs"]}],
        "verification": [{"command": "cargo test", "result": "pass", "summary": null}],
        "review": {"reviewer": "rev", "verdict": "approved", "reference": "PR#1"}
    })
}

/// A `WPStatusChanged` payload; `from` `None` is a new work package.
pub fn wp(wp_id: &str, from: Option<&str>, to: &str) -> Value {
    let mut payload = json!({
        "feature_slug": "004-canonical-event-contract",
        "wp_id": wp_id,
        "from_lane": from,
        "to_lane": to,
        "actor": "agent",
        "execution_mode": "worktree"
    });
    if to == "done" {
        payload["evidence"] = evidence();
    }
    if from == Some("for_review") && to == "in_progress" {
        payload["review_ref"] = json!("review-1");
    }
    if from == Some("in_progress") && to == "planned" {
        payload["reason"] = json!("abandoned");
    }
    payload
}

pub fn events(parts: &[E]) -> Vec<Event> {
    parts.iter().map(E::event).collect()
}

include!("rng.rs");

const PHASES: [&str; 6] = ["specify", "plan", "tasks", "implement", "review", "accept"];
const LANES: [&str; 7] = [
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "done",
    "blocked",
    "canceled",
];

/// The legal next lanes (without force) from `lane`.
fn legal_next(lane: Option<&str>) -> Vec<&'static str> {
    match lane {
        None => vec!["planned"],
        Some("planned") => vec!["claimed", "blocked", "canceled"],
        Some("claimed") => vec!["in_progress", "blocked", "canceled"],
        Some("in_progress") => vec!["for_review", "planned", "blocked", "canceled"],
        Some("for_review") => vec!["done", "in_progress", "blocked", "canceled"],
        Some("blocked") => vec!["in_progress", "canceled"],
        _ => vec![],
    }
}

/// What the generator may put in a log.
#[derive(Clone, Copy, Debug)]
pub struct Mix {
    /// A `MissionCompleted` and a `MissionCancelled` at one lamport_clock
    /// (where this crate decides differently from the reference).
    pub cancel_with_complete: bool,
    /// Children whose clock is not after their causal parent's.
    pub causation_inversions: bool,
    /// Timestamps written with offsets other than `Z`.
    pub mixed_offsets: bool,
}

impl Mix {
    /// Only what the reference and this crate agree on.
    pub const AGREED: Mix = Mix {
        cancel_with_complete: false,
        causation_inversions: false,
        mixed_offsets: false,
    };
    /// Everything.
    pub const ALL: Mix = Mix {
        cancel_with_complete: true,
        causation_inversions: true,
        mixed_offsets: true,
    };
}

/// A random mission log of about `size` distinct events, with duplicates,
/// shuffled. Event ids are distinct across seeds only by chance; within a
/// log they are distinct.
pub fn random_mission(seed: u64, size: usize, mix: Mix) -> Vec<Event> {
    random_mission_parts(seed, size, mix)
        .iter()
        .map(E::event)
        .collect()
}

/// The parts of [`random_mission`], before they become events.
pub fn random_mission_parts(seed: u64, size: usize, mix: Mix) -> Vec<E> {
    let mut rng = Rng(seed);
    let mut parts: Vec<E> = Vec::new();
    let mut n = seed.wrapping_mul(1_000_003) % 1_000_000_000;
    let mut next_id = || {
        n += 1;
        n
    };
    let mut clock = 1u64;
    let wp_count = 1 + rng.below(4);
    let mut lanes: Vec<Option<&'static str>> = vec![None; wp_count];
    // Sometimes the start is missing or late, so "before MissionStarted" shows.
    if !rng.chance(5) {
        let start_clock = if rng.chance(10) { 2 } else { 1 };
        parts.push(E::new(
            next_id(),
            "MissionStarted",
            started(rng.pick(&PHASES)),
            start_clock,
        ));
        if rng.chance(10) {
            parts.push(E::new(next_id(), "MissionStarted", started("plan"), 3));
        }
    }
    let mut ended_at: Option<(u64, bool)> = None;
    while parts.len() < size {
        // Same clock again: a concurrent group.
        if !rng.chance(30) {
            clock += 1;
        }
        let roll = rng.below(100);
        let (event_type, payload) = if roll < 12 {
            ("PhaseEntered", phase(rng.pick(&PHASES)))
        } else if roll < 17 {
            ("ReviewRollback", rollback(rng.pick(&PHASES)))
        } else if roll < 20 {
            ("PhaseEntered", json!({"mission_id": "M1", "phase_name": 7}))
        } else if roll < 22 {
            ("GatePassed", json!({"gate_name": "ci"}))
        } else if roll < 24 {
            (
                "WPStatusChanged",
                json!({"wp_id": format!("WP0{}", rng.below(wp_count) + 1), "to_lane": "nowhere"}),
            )
        } else if roll < 27 && ended_at.is_none() {
            let cancel = rng.chance(50);
            // A cancel and a completion never share a clock unless allowed.
            if !mix.cancel_with_complete
                && parts.iter().any(|p| {
                    p.clock == clock
                        && (p.event_type == "MissionCompleted"
                            || p.event_type == "MissionCancelled")
                })
            {
                clock += 1;
            }
            ended_at = Some((clock, cancel));
            if cancel {
                ("MissionCancelled", cancelled())
            } else {
                ("MissionCompleted", completed())
            }
        } else {
            let w = rng.below(wp_count);
            let wp_id = format!("WP0{}", w + 1);
            let from = lanes[w];
            let legal = legal_next(from);
            if legal.is_empty() || rng.chance(12) {
                let to = rng.pick(&LANES);
                let claimed_from = if rng.chance(50) {
                    from
                } else {
                    Some(rng.pick(&LANES))
                };
                ("WPStatusChanged", wp(&wp_id, claimed_from, to))
            } else {
                let to = rng.pick(&legal);
                // The generator follows its own log; concurrency may make the
                // reducers disagree with it, which is the point.
                lanes[w] = Some(to);
                ("WPStatusChanged", wp(&wp_id, from, to))
            }
        };
        parts.push(E::new(next_id(), event_type, payload, clock));
        if mix.cancel_with_complete && rng.chance(3) {
            let (kind, payload) = if rng.chance(50) {
                ("MissionCancelled", cancelled())
            } else {
                ("MissionCompleted", completed())
            };
            parts.push(E::new(next_id(), kind, payload, clock));
        }
    }
    if let Some((at, cancel)) = ended_at
        && mix.cancel_with_complete
        && rng.chance(50)
    {
        let (kind, payload) = if cancel {
            ("MissionCompleted", completed())
        } else {
            ("MissionCancelled", cancelled())
        };
        parts.push(E::new(next_id(), kind, payload, at));
    }
    // Timestamps: mostly one per clock, sometimes equal or out of step.
    for part in parts.iter_mut() {
        part.second = part.clock as i64 * 10 + rng.below(3) as i64;
        if mix.mixed_offsets && rng.chance(30) {
            part.offset = rng.pick(&["+02:00", "-05:00", "+05:30"]);
        }
    }
    // Causation: children point at an earlier event (consistent clocks),
    // or, when allowed, at a later one (an inversion).
    for i in 1..parts.len() {
        if rng.chance(40) {
            let j = rng.below(parts.len());
            let inverted = parts[j].clock >= parts[i].clock;
            if j != i && (!inverted || mix.causation_inversions) {
                parts[i].parent = Some(parts[j].n);
            }
        }
    }
    // Duplicates, then arrival order.
    let copies = rng.below(parts.len() / 4 + 1);
    for _ in 0..copies {
        let k = rng.below(parts.len());
        let copy = parts[k].clone();
        parts.push(copy);
    }
    rng.shuffle(&mut parts);
    parts
}

/// Events in a random order with random extra copies.
pub fn shuffled_with_duplicates(events: &[Event], rng: &mut Rng) -> Vec<Event> {
    let mut out = events.to_vec();
    for _ in 0..rng.below(events.len() + 1) {
        out.push(events[rng.below(events.len())].clone());
    }
    rng.shuffle(&mut out);
    out
}
