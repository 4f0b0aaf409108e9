//! A plain model of the 0.4 status reducer, written from its documented
//! rules (CONTRACT.md §4 and `reduce_status_events`' documentation), not
//! from its code: sort by (clock, instant, id), keep each id once, group by
//! clock, judge every member of a group against the lane before the group,
//! let the last valid move win (a valid review rollback over any forward
//! move), and report every rejected move with its reason.
//!
//! It reads the events' own JSON, one obvious step at a time, and is
//! quadratic where the crate is linear: it is there to be easy to check.

#![allow(dead_code)]

use serde_json::Value;

/// One status event as the model sees it.
#[derive(Debug, Clone)]
pub struct Move {
    pub clock: u64,
    pub instant: i64,
    pub event_id: String,
    pub timestamp: String,
    /// `None` when the payload does not decode.
    pub wp_id: Option<String>,
    /// The `wp_id` the payload names, decoded or not.
    pub named_wp: String,
    pub from: Option<String>,
    pub to: String,
    pub force: bool,
    pub reason: bool,
    pub review_ref: bool,
    pub evidence: Option<Value>,
}

impl Move {
    /// Reads an event's JSON; a payload that breaks a payload rule (a
    /// forced move without a reason, `done` without evidence, a missing
    /// field or an unknown lane) does not decode.
    pub fn of(json: &Value) -> Move {
        let payload = &json["payload"];
        let instant: jiff::Timestamp = json["timestamp"].as_str().unwrap().parse().unwrap();
        let text = |field: &str| payload[field].as_str().map(str::to_owned);
        let given = |field: &str| {
            payload[field]
                .as_str()
                .is_some_and(|t| !t.trim().is_empty())
        };
        let lane_ok = |lane: &Option<String>| {
            lane.as_deref()
                .is_none_or(|l| V1_LANES.contains(&l) || l == "doing")
        };
        let canonical = |lane: Option<String>| {
            lane.map(|l| {
                if l == "doing" {
                    "in_progress".to_owned()
                } else {
                    l
                }
            })
        };
        let from = text("from_lane");
        let to = text("to_lane");
        let force = payload["force"].as_bool().unwrap_or(false);
        let decodes = text("wp_id").is_some()
            && to.is_some()
            && lane_ok(&from)
            && lane_ok(&to)
            && (!force || given("reason"))
            && (to.as_deref() != Some("done") || payload["evidence"].is_object());
        Move {
            clock: json["lamport_clock"].as_u64().unwrap(),
            instant: instant.as_microsecond(),
            event_id: json["event_id"].as_str().unwrap().to_owned(),
            timestamp: json["timestamp"].as_str().unwrap().to_owned(),
            wp_id: if decodes { text("wp_id") } else { None },
            named_wp: text("wp_id").unwrap_or_else(|| "<unknown>".to_owned()),
            from: canonical(from),
            to: canonical(to).unwrap_or_default(),
            force,
            reason: given("reason"),
            review_ref: given("review_ref"),
            evidence: payload.get("evidence").cloned().filter(|e| !e.is_null()),
        }
    }

    fn is_rollback(&self) -> bool {
        self.from.as_deref() == Some("for_review") && self.to == "in_progress" && self.review_ref
    }
}

pub const V1_LANES: [&str; 7] = [
    "planned",
    "claimed",
    "in_progress",
    "for_review",
    "done",
    "blocked",
    "canceled",
];

/// CONTRACT.md §4, written out.
fn allowed(from: Option<&str>, to: &str) -> bool {
    match (from, to) {
        (None, "planned") => true,
        (None, _) => false,
        (Some("done" | "canceled"), _) => false,
        (Some(_), "blocked" | "canceled") => true,
        (Some(from), to) => matches!(
            (from, to),
            ("planned", "claimed")
                | ("claimed", "in_progress")
                | ("in_progress", "for_review")
                | ("for_review", "done")
                | ("for_review", "in_progress")
                | ("in_progress", "planned")
                | ("blocked", "in_progress")
        ),
    }
}

fn name(lane: Option<&str>) -> &str {
    lane.unwrap_or("none")
}

/// Why a move is not applied, `None` when it is.
fn rejection(before: Option<&str>, m: &Move) -> Option<String> {
    let from = m.from.as_deref();
    if from != before {
        return Some(format!(
            "from_lane mismatch: expected {}, got {}",
            name(before),
            name(from)
        ));
    }
    let mut broken = Vec::new();
    if !m.force {
        if let Some(lane @ ("done" | "canceled")) = from {
            broken.push(format!("{lane} is terminal; leaving it needs force"));
        }
        if !allowed(from, &m.to) {
            broken.push(format!("{} -> {} is not allowed", name(from), m.to));
        }
    }
    if from == Some("for_review") && m.to == "in_progress" && !m.review_ref {
        broken.push("for_review -> in_progress needs a review_ref".to_owned());
    }
    if from == Some("in_progress") && m.to == "planned" && !m.reason {
        broken.push("in_progress -> planned needs a reason".to_owned());
    }
    (!broken.is_empty()).then(|| broken.join("; "))
}

/// One anomaly: (event_id, wp_id, from, to, reason).
pub type ModelAnomaly = (String, String, Option<String>, Option<String>, String);

/// The model's result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelStatus {
    /// (wp_id, lane, last_event_id, last timestamp as written, evidence)
    pub wp_states: Vec<(String, String, String, String, Option<Value>)>,
    /// (event_id, wp_id, from, to, reason); for a payload that does not
    /// decode, from and to are `None` and the reason only its prefix.
    pub anomalies: Vec<ModelAnomaly>,
    pub event_count: usize,
    pub last_processed_event_id: Option<String>,
}

/// The canonical order: sorted by (clock, instant, id), each id once.
pub fn canonical(events: &[Value]) -> Vec<Move> {
    let mut moves: Vec<Move> = events.iter().map(Move::of).collect();
    moves.sort_by(|a, b| (a.clock, a.instant, &a.event_id).cmp(&(b.clock, b.instant, &b.event_id)));
    let mut kept: Vec<Move> = Vec::new();
    for m in moves {
        if !kept.iter().any(|k| k.event_id == m.event_id) {
            kept.push(m);
        }
    }
    kept
}

/// Folds 0.4 status events (their JSON, no causation links).
pub fn reduce(events: &[Value]) -> ModelStatus {
    let moves = canonical(events);
    let mut out = ModelStatus {
        event_count: moves.len(),
        last_processed_event_id: moves.last().map(|m| m.event_id.clone()),
        ..ModelStatus::default()
    };
    for m in moves.iter().filter(|m| m.wp_id.is_none()) {
        out.anomalies.push((
            m.event_id.clone(),
            m.named_wp.clone(),
            None,
            None,
            "payload validation failed: ".to_owned(),
        ));
    }
    let mut clocks: Vec<u64> = moves.iter().map(|m| m.clock).collect();
    clocks.dedup();
    for clock in clocks {
        let group: Vec<&Move> = moves
            .iter()
            .filter(|m| m.clock == clock && m.wp_id.is_some())
            .collect();
        let mut wps: Vec<&str> = Vec::new();
        for m in &group {
            let wp = m.wp_id.as_deref().unwrap();
            if !wps.contains(&wp) {
                wps.push(wp);
            }
        }
        for wp in wps {
            let before = out
                .wp_states
                .iter()
                .find(|s| s.0 == wp)
                .map(|s| s.1.clone());
            let members: Vec<&&Move> = group
                .iter()
                .filter(|m| m.wp_id.as_deref() == Some(wp))
                .collect();
            let mut winner: Option<&Move> = None;
            for rollbacks in [false, true] {
                for m in members.iter().filter(|m| m.is_rollback() == rollbacks) {
                    match rejection(before.as_deref(), m) {
                        Some(reason) => out.anomalies.push((
                            m.event_id.clone(),
                            wp.to_owned(),
                            m.from.clone(),
                            Some(m.to.clone()),
                            reason,
                        )),
                        None => winner = Some(m),
                    }
                }
            }
            if let Some(m) = winner {
                let state = (
                    wp.to_owned(),
                    m.to.clone(),
                    m.event_id.clone(),
                    m.timestamp.clone(),
                    m.evidence.clone().filter(|_| m.to == "done"),
                );
                match out.wp_states.iter_mut().find(|s| s.0 == wp) {
                    Some(slot) => *slot = state,
                    None => out.wp_states.push(state),
                }
            }
        }
    }
    out
}
