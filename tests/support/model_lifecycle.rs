//! A plain model of the 0.4 lifecycle reducer, written from its documented
//! rules (`reduce_lifecycle_events` and the `reduce` module's precedence
//! rules), not from its code: order the log, then per lamport_clock group
//! apply the mission events by event id (timestamps aside) with cancels
//! last, a concurrent completion superseded while the mission is active;
//! the work packages go to the status model.

#![allow(dead_code)]

use serde_json::Value;

use crate::model_status::{self, ModelStatus};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelLifecycle {
    pub mission_id: Option<String>,
    pub status: Option<String>,
    pub mission_type: Option<String>,
    pub current_phase: Option<String>,
    pub phases_entered: Vec<String>,
    pub wps: ModelStatus,
    /// (event_id, event_type, reason); a reason about a payload that does
    /// not decode is cut after `payload: `.
    pub anomalies: Vec<(String, String, String)>,
    pub event_count: usize,
    pub last_processed_event_id: Option<String>,
}

const MISSION_TYPES: [&str; 5] = [
    "MissionStarted",
    "PhaseEntered",
    "ReviewRollback",
    "MissionCompleted",
    "MissionCancelled",
];

/// What a 0.4 mission event does; `Err` for a payload that does not decode.
fn op(json: &Value) -> Result<(&'static str, Option<String>), ()> {
    let payload = &json["payload"];
    let text = |field: &str| {
        payload[field]
            .as_str()
            .filter(|t| !t.trim().is_empty())
            .map(str::to_owned)
    };
    let kind = json["event_type"].as_str().unwrap();
    let needs = |fields: &[&str]| fields.iter().all(|f| text(f).is_some());
    match kind {
        "MissionStarted" if needs(&["mission_id", "mission_type", "initial_phase", "actor"]) => {
            Ok(("start", text("initial_phase")))
        }
        "PhaseEntered" if needs(&["mission_id", "phase_name", "actor"]) => {
            Ok(("phase", text("phase_name")))
        }
        "ReviewRollback" if needs(&["mission_id", "review_ref", "target_phase", "actor"]) => {
            Ok(("phase", text("target_phase")))
        }
        "MissionCompleted" if needs(&["mission_id", "mission_type", "final_phase", "actor"]) => {
            Ok(("complete", None))
        }
        "MissionCancelled" if needs(&["mission_id", "reason", "actor"]) => Ok(("cancel", None)),
        _ => Err(()),
    }
}

/// A reason about a payload that does not decode, cut after its fixed
/// words (the decoder's own message follows).
pub fn cut(reason: String) -> String {
    for marker in ["payload validation failed: ", "payload: "] {
        if let Some(at) = reason.find(marker) {
            return reason[..at + marker.len()].to_owned();
        }
    }
    reason
}

impl ModelLifecycle {
    fn apply(&mut self, json: &Value) {
        let kind = json["event_type"].as_str().unwrap().to_owned();
        let id = json["event_id"].as_str().unwrap().to_owned();
        let op = op(json);
        let terminal = matches!(self.status.as_deref(), Some("completed" | "cancelled"));
        let reason = match (op, self.status.clone()) {
            (Ok(("start", _)), Some(_)) => {
                Some("Duplicate MissionStarted (first one wins)".to_owned())
            }
            (Ok(("start", phase)), None) => {
                let payload = &json["payload"];
                self.mission_id = payload["mission_id"].as_str().map(str::to_owned);
                self.mission_type = payload["mission_type"].as_str().map(str::to_owned);
                self.status = Some("active".to_owned());
                self.current_phase = phase.clone();
                self.phases_entered.extend(phase);
                None
            }
            (Err(()), None) if kind == "MissionStarted" => {
                Some("Invalid MissionStarted payload: ".to_owned())
            }
            (_, None) => Some("Event before MissionStarted".to_owned()),
            (_, Some(status)) if terminal => Some(format!("Event after terminal state ({status})")),
            (Err(()), Some(_)) => Some(format!("Invalid {kind} payload: ")),
            (Ok(("phase", phase)), Some(_)) => {
                self.current_phase = phase.clone();
                self.phases_entered.extend(phase);
                None
            }
            (Ok(("complete", _)), Some(_)) => {
                self.status = Some("completed".to_owned());
                None
            }
            (Ok(_), Some(_)) => {
                self.status = Some("cancelled".to_owned());
                None
            }
        };
        if let Some(reason) = reason {
            self.anomalies.push((id, kind, reason));
        }
    }
}

/// Folds a 0.4 mission log (its events' JSON, no causation links).
pub fn reduce(events: &[Value]) -> ModelLifecycle {
    let mut all: Vec<(u64, i64, String, Value)> = events
        .iter()
        .map(|json| {
            let instant: jiff::Timestamp = json["timestamp"].as_str().unwrap().parse().unwrap();
            (
                json["lamport_clock"].as_u64().unwrap(),
                instant.as_microsecond(),
                json["event_id"].as_str().unwrap().to_owned(),
                json.clone(),
            )
        })
        .collect();
    all.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    let mut kept: Vec<(u64, i64, String, Value)> = Vec::new();
    for event in all {
        if !kept.iter().any(|k| k.2 == event.2) {
            kept.push(event);
        }
    }
    let mut model = ModelLifecycle {
        event_count: kept.len(),
        last_processed_event_id: kept.last().map(|k| k.2.clone()),
        ..ModelLifecycle::default()
    };
    let mut clocks: Vec<u64> = kept.iter().map(|k| k.0).collect();
    clocks.dedup();
    for clock in clocks {
        let mut group: Vec<&(u64, i64, String, Value)> = kept
            .iter()
            .filter(|k| {
                k.0 == clock && MISSION_TYPES.contains(&k.3["event_type"].as_str().unwrap())
            })
            .collect();
        // By event id, timestamps aside.
        group.sort_by(|a, b| a.2.cmp(&b.2));
        let kind = |k: &&(u64, i64, String, Value)| k.3["event_type"].as_str().unwrap().to_owned();
        let is_cancel =
            |k: &&&(u64, i64, String, Value)| kind(k) == "MissionCancelled" && op(&k.3).is_ok();
        let is_complete =
            |k: &&&(u64, i64, String, Value)| kind(k) == "MissionCompleted" && op(&k.3).is_ok();
        if !group.iter().any(|k| is_cancel(&k)) {
            for event in &group {
                model.apply(&event.3);
            }
            continue;
        }
        for event in group.iter().filter(|k| !is_cancel(k) && !is_complete(k)) {
            model.apply(&event.3);
        }
        for event in group.iter().filter(|k| is_complete(k)) {
            if model.status.as_deref() == Some("active") {
                model.anomalies.push((
                    event.2.clone(),
                    "MissionCompleted".to_owned(),
                    "MissionCompleted superseded by a concurrent MissionCancelled".to_owned(),
                ));
            } else {
                model.apply(&event.3);
            }
        }
        for event in group.iter().filter(|k| is_cancel(k)) {
            model.apply(&event.3);
        }
    }
    let statuses: Vec<Value> = kept
        .iter()
        .filter(|k| k.3["event_type"] == "WPStatusChanged")
        .map(|k| k.3.clone())
        .collect();
    model.wps = model_status::reduce(&statuses);
    for anomaly in &model.wps.anomalies {
        model.anomalies.push((
            anomaly.0.clone(),
            "WPStatusChanged".to_owned(),
            format!("WP {}: {}", anomaly.1, anomaly.4),
        ));
    }
    model.anomalies = model
        .anomalies
        .drain(..)
        .map(|(a, b, c)| (a, b, cut(c)))
        .collect();
    model
}
