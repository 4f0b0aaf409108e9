// Legal mission moves: start, enter_phase, roll_back, record (a gate),
// complete; and, on another emitter, cancel.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

use spec_kitty_events::contract::{EventPayload, MissionStatus};

use spec_kitty_events::contract::event_types::GatePassedPayload;

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let mission = mission.enter_phase(name("review"), &rob).unwrap();
    let mission = mission
        .roll_back(name("review-3"), name("implement"), vec![name("WP01")], &rob)
        .unwrap();
    assert_eq!(mission.current_phase(), "implement");
    let gate = GatePassedPayload::decode(
        r#"{"gate_name":"ci/build","gate_type":"ci","conclusion":"success","external_provider":"github","check_run_id":1,"check_run_url":"https://example.com/runs/1","delivery_id":"d-1"}"#,
    )
    .unwrap();
    mission.record(&gate).unwrap();
    let completed = mission.complete(&rob).unwrap();
    assert_eq!(completed.status(), MissionStatus::Completed);
    let types: Vec<String> = log.take().iter().map(|e| e.event_type().to_owned()).collect();
    assert_eq!(
        types,
        ["MissionStarted", "PhaseEntered", "ReviewRollback", "GatePassed", "MissionCompleted"]
    );

    let (log, mission) = active_mission();
    let cancelled = mission.cancel(name("descoped"), Vec::new(), &rob).unwrap();
    assert_eq!(cancelled.status(), MissionStatus::Cancelled);
    assert_eq!(log.len(), 2);
}
