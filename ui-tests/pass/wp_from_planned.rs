// Legal moves out of planned: claim, block, cancel (and plan, into it).
// The helpers are shared by every pass case; each uses some of them.
#![allow(dead_code, unused_imports)]

use spec_kitty_events::clock::LamportClock;
use spec_kitty_events::emit::{Active, Emitter, EventLog, Mission, WorkPackage};
use spec_kitty_events::storage::memory::InMemoryClockStorage;
use spec_kitty_events::{
    DoneEvidence, ExecutionMode, ForceMetadata, Lane, NonEmptyString, RepoEvidence, ReviewVerdict, Ulid,
};

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
    let claimed = plan(&mission, "WP01").claim(&rob).unwrap();
    assert_eq!(claimed.lane(), Lane::Claimed);
    let blocked = plan(&mission, "WP02").block(name("waiting on API"), &rob).unwrap();
    assert_eq!(blocked.lane(), Lane::Blocked);
    let canceled = plan(&mission, "WP03").cancel(name("out of scope"), &rob).unwrap();
    assert_eq!(canceled.lane(), Lane::Canceled);
    assert_eq!(lanes(&log, "WP01"), ["planned", "claimed"]);
    assert_eq!(lanes(&log, "WP02"), ["planned", "blocked"]);
    assert_eq!(lanes(&log, "WP03"), ["planned", "canceled"]);
}
