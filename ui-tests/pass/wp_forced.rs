// Forced moves: from any lane, terminal ones included, with the guards'
// arguments where the target or the pair demands them.
// The helpers are shared by every pass case; each uses some of them.
#![allow(dead_code, unused_imports)]

use spec_kitty_events::clock::LamportClock;
use spec_kitty_events::emit::{Active, Emitter, EventLog, Mission, WorkPackage};
use spec_kitty_events::storage::memory::InMemoryClockStorage;
use spec_kitty_events::{
    DoneEvidence, ExecutionMode, ForceMetadata, Lane, NonEmptyString, RepoEvidence, ReviewVerdict, Ulid,
};
use spec_kitty_events::emit::{Blocked, Canceled, Claimed, Done, InProgress, Planned};

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
fn force() -> ForceMetadata {
    ForceMetadata::new(name("lead"), name("historical migration")).unwrap()
}

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let done = plan(&mission, "WP01").force_to::<Done>(force(), evidence()).unwrap();
    let reopened = done.force_to::<InProgress>(force(), ()).unwrap();
    let in_review = reopened.submit(&rob).unwrap();
    let back = in_review.force_to::<InProgress>(force(), name("review-9")).unwrap();
    let planned = back.force_to::<Planned>(force(), ()).unwrap();
    let canceled = planned.cancel(name("dropped"), &rob).unwrap();
    let claimed = canceled.force_to::<Claimed>(force(), ()).unwrap();
    let blocked = claimed.force_to::<Blocked>(force(), ()).unwrap();
    let canceled = blocked.force_to::<Canceled>(force(), ()).unwrap();
    assert_eq!(canceled.lane(), Lane::Canceled);
    assert_eq!(
        lanes(&log, "WP01"),
        ["planned", "done", "in_progress", "for_review", "in_progress", "planned", "canceled", "claimed", "blocked", "canceled"]
    );
    let forced: Vec<bool> = log
        .events()
        .iter()
        .filter(|event| event.aggregate_id() == "WP01")
        .map(|event| event.payload().to_map()["force"].as_bool().unwrap())
        .collect();
    assert_eq!(forced, [false, true, true, false, true, true, false, true, true, true]);
}
