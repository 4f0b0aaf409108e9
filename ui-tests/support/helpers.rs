// Helpers shared by every pass case (each case uses some of them), pulled
// in with `include!` so the cases differ only in the moves they make.

use spec_kitty_events::store::LamportClock;
use spec_kitty_events::emit::{MissionActive, Emitter, EventLog, Mission, WorkPackage};
use spec_kitty_events::store::InMemoryClockStorage;
use spec_kitty_events::contract::{DoneEvidence, ExecutionMode, ForceMetadata, Lane, NonEmptyString, RepoEvidence, ReviewVerdict, Ulid};

/// Parses `text` as whichever name type the call site needs.
fn name<T: std::str::FromStr<Err: std::fmt::Debug>>(text: &str) -> T {
    text.parse().unwrap()
}

fn active_mission() -> (EventLog, Mission<MissionActive>) {
    let emitter = Emitter::new(
        LamportClock::new("cli", InMemoryClockStorage::default()).unwrap(),
        Default::default(),
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

fn plan(mission: &Mission<MissionActive>, wp_id: &str) -> WorkPackage<spec_kitty_events::emit::Planned> {
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
