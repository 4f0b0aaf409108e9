//! Many distinct missions from the seeded synthetic log: mission `index`
//! is `synthetic_log::mission_events` with its own aggregate and mission id
//! (`M0007`) and its own event ids, as event texts.

#![allow(dead_code)]

use serde_json::Value;

/// The texts of mission `index`: `6 * wps + 4` events in causal order.
pub fn mission_texts(index: u64, wps: usize, seed: u64) -> Vec<String> {
    let name = format!("M{index:04}");
    super::synthetic_log::mission_events(wps, seed)
        .iter()
        .map(|event| {
            let mut json: Value = serde_json::from_str(&event.to_json()).expect("valid JSON");
            for field in ["event_id", "causation_id"] {
                if let Some(id) = json[field].as_str() {
                    json[field] = Value::String(renamed(id, index));
                }
            }
            json["aggregate_id"] = Value::String(name.clone());
            if json["payload"].get("mission_id").is_some() {
                json["payload"]["mission_id"] = Value::String(name.clone());
            }
            json.to_string()
        })
        .collect()
}

/// The id `id` of mission `index`: the same counter, a later millisecond.
fn renamed(id: &str, index: u64) -> String {
    let id = ulid::Ulid::from_string(id).expect("a ULID");
    ulid::Ulid::from_parts(id.timestamp_ms() + index, id.random()).to_string()
}
