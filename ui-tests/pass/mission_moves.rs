// Legal mission moves: start, enter_phase, roll_back, record (a gate),
// complete; and, on another emitter, cancel.
// The helpers are shared by every pass case; each uses some of them.
#![allow(dead_code, unused_imports)]

use spec_kitty_events::clock::LamportClock;
use spec_kitty_events::emit::{Active, Emitter, EventLog, Mission, WorkPackage};
use spec_kitty_events::storage::memory::InMemoryClockStorage;
use spec_kitty_events::{
    DoneEvidence, ExecutionMode, ForceMetadata, Lane, NonEmptyString, RepoEvidence, ReviewVerdict, Ulid,
};
use spec_kitty_events::{EventPayload, GatePassedPayload, MissionStatus};

fn name(text: &str) -> NonEmptyString {
    NonEmptyString::new(text).unwrap()
}

fn active_mission() -> (EventLog, Mission<Active>) {
    let emitter = Emitter::new(
        LamportClock::new("cli", InMemoryClockStorage::default()).unwrap(),
        "00000000-0000-0000-0000-000000000001".parse().unwrap(),
        Ulid::generate(),
    );
    let log = emitter.log();
    let mission = Mission::start(emitter, name("M1"), name("software-dev"), name("implement"), &name("rob"))
        .unwrap();
    (log, mission)
}

fn evidence() -> DoneEvidence {
    let repo = RepoEvidence {
        repo: name("spec-kitty"),
        branch: name("wp01"),
        commit: name("abc123"),
        files_touched: None,
    };
    let review = ReviewVerdict {
        reviewer: name("ada"),
        verdict: name("approved"),
        reference: None,
    };
    DoneEvidence::new(vec![repo], Vec::new(), review).unwrap()
}

fn plan(mission: &Mission<Active>, wp_id: &str) -> WorkPackage<spec_kitty_events::emit::Planned> {
    WorkPackage::plan(mission, name(wp_id), ExecutionMode::Worktree, &name("rob")).unwrap()
}

/// The lanes of the work package's events in emission order, as the log says.
fn lanes(log: &EventLog, wp_id: &str) -> Vec<String> {
    log.events()
        .iter()
        .filter(|event| event.aggregate_id() == wp_id)
        .map(|event| event.payload().to_map()["to_lane"].as_str().unwrap().to_owned())
        .collect()
}
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
