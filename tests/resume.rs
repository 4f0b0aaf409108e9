//! Resuming from a log: a random legal walk interrupted at any point and
//! resumed by another node (from the events alone) ends in the same state
//! as the walk played in one go; the resumed node continues the causation
//! chain and sorts after everything it read; asking for a state the log does
//! not support is an error value.

use std::collections::BTreeMap;

use proptest::prelude::*;

use spec_kitty_events::contract::event_types::{
    MissionReopenedPayload, StatusTransitionPayloadV3, WP_STATUS_CHANGED,
};
use spec_kitty_events::contract::{
    Actor, ContractVersion, DoneEvidence, Event, EventId, ExecutionMode, Lane, MissionStatus,
    RepoEvidence, ReviewVerdict, Ulid, WpId,
};
use spec_kitty_events::emit::{
    Emitter, ForReview, InProgress, Mission, MissionActive, MissionAt, MissionCompleted, Planned,
    ResumeError, WorkPackage, WorkPackageAt,
};
use spec_kitty_events::reduce::reduce_lifecycle_events;
use spec_kitty_events::store::{InMemoryClockStorage, LamportClock};

const WPS: [&str; 3] = ["WP01", "WP02", "WP03"];
const PHASES: [&str; 4] = ["specify", "plan", "implement", "review"];

fn actor() -> Actor {
    "rob".parse().unwrap()
}

fn clock(node: &str) -> LamportClock<InMemoryClockStorage> {
    LamportClock::new(node, InMemoryClockStorage::default()).unwrap()
}

fn evidence() -> DoneEvidence {
    let repo = RepoEvidence {
        repo: "spec-kitty".parse().unwrap(),
        branch: "main".parse().unwrap(),
        commit: "0a1b2c3".parse().unwrap(),
        files_touched: None,
    };
    let review = ReviewVerdict {
        reviewer: "ada".parse().unwrap(),
        verdict: "approved".parse().unwrap(),
        reference: None,
    };
    DoneEvidence::new(vec![repo], Vec::new(), review).unwrap()
}

/// One legal move picked by `choice` among the lane's moves (a terminal lane
/// stays): a runtime driver over the typed builders, through the same enum
/// a resumed work package comes in.
fn step(wp: WorkPackageAt, choice: u8) -> WorkPackageAt {
    let rob = actor();
    let why = || "because".parse().unwrap();
    let review = || "review-1".parse().unwrap();
    match wp {
        WorkPackageAt::Planned(wp) => match choice % 3 {
            0 | 1 => WorkPackageAt::Claimed(wp.claim(&rob).unwrap()),
            _ => WorkPackageAt::Blocked(wp.block(why(), &rob).unwrap()),
        },
        WorkPackageAt::Claimed(wp) => match choice % 3 {
            0 | 1 => WorkPackageAt::InProgress(wp.start(&rob).unwrap()),
            _ => WorkPackageAt::Canceled(wp.cancel(why(), &rob).unwrap()),
        },
        WorkPackageAt::InProgress(wp) => match choice % 4 {
            0 | 1 => WorkPackageAt::ForReview(wp.submit(&rob).unwrap()),
            2 => WorkPackageAt::Planned(wp.abandon(why(), &rob).unwrap()),
            _ => WorkPackageAt::Blocked(wp.block(why(), &rob).unwrap()),
        },
        WorkPackageAt::Genesis(wp) => WorkPackageAt::Planned(wp.promote(&rob).unwrap()),
        WorkPackageAt::ForReview(wp) => match choice % 6 {
            0 => WorkPackageAt::Done(wp.approve(evidence(), &rob).unwrap()),
            1 | 2 => WorkPackageAt::InProgress(wp.request_changes(review(), &rob).unwrap()),
            3 => WorkPackageAt::InReview(wp.begin_review(&rob).unwrap()),
            4 => WorkPackageAt::Approved(wp.accept(evidence(), &rob).unwrap()),
            _ => WorkPackageAt::Blocked(wp.block(why(), &rob).unwrap()),
        },
        WorkPackageAt::InReview(wp) => match choice % 5 {
            0 => WorkPackageAt::ForReview(wp.release(&rob).unwrap()),
            1 => WorkPackageAt::Approved(wp.accept(evidence(), &rob).unwrap()),
            2 => WorkPackageAt::Done(wp.approve(evidence(), &rob).unwrap()),
            3 => WorkPackageAt::InProgress(wp.request_changes(review(), &rob).unwrap()),
            _ => WorkPackageAt::Blocked(wp.block(why(), &rob).unwrap()),
        },
        WorkPackageAt::Approved(wp) => match choice % 4 {
            0 | 1 => WorkPackageAt::Done(wp.complete(evidence(), &rob).unwrap()),
            2 => WorkPackageAt::InProgress(wp.request_changes(review(), &rob).unwrap()),
            _ => WorkPackageAt::Canceled(wp.cancel(why(), &rob).unwrap()),
        },
        WorkPackageAt::Blocked(wp) => match choice % 4 {
            0..=2 => WorkPackageAt::InProgress(wp.unblock(&rob).unwrap()),
            _ => WorkPackageAt::Canceled(wp.cancel(why(), &rob).unwrap()),
        },
        terminal @ (WorkPackageAt::Done(_) | WorkPackageAt::Canceled(_)) => terminal,
    }
}

/// A walk in progress: the mission and its work packages' handles.
struct Walker {
    mission: Mission<MissionActive>,
    wps: Vec<Option<WorkPackageAt>>,
}

impl Walker {
    fn start() -> (Self, spec_kitty_events::emit::EventLog) {
        let emitter = Emitter::new(clock("node-a"), Default::default(), Ulid::generate())
            .with_project_slug("spec-kitty");
        let log = emitter.log();
        let mission = Mission::start(
            emitter,
            "M1".parse().unwrap(),
            "software-dev".parse().unwrap(),
            PHASES[0].parse().unwrap(),
            &actor(),
        )
        .unwrap();
        let wps = WPS
            .iter()
            .map(|wp| {
                let wp = WorkPackage::plan(
                    &mission,
                    wp.parse().unwrap(),
                    ExecutionMode::DirectRepo,
                    &actor(),
                );
                Some(WorkPackageAt::Planned(wp.unwrap()))
            })
            .collect();
        (Self { mission, wps }, log)
    }

    /// `(which, choice)`: which work package moves, or (3) the mission enters
    /// a phase.
    fn play(mut self, ops: &[(u8, u8)]) -> Self {
        for &(which, choice) in ops {
            let index = usize::from(which % 4);
            if index == WPS.len() {
                let phase = PHASES[usize::from(choice) % PHASES.len()].parse().unwrap();
                self.mission = self.mission.enter_phase(phase, &actor()).unwrap();
            } else {
                let wp = self.wps[index].take().unwrap();
                self.wps[index] = Some(step(wp, choice));
            }
        }
        self
    }

    fn lanes(&self) -> BTreeMap<String, Lane> {
        self.wps
            .iter()
            .flatten()
            .map(|wp| (wp.wp_id().to_string(), wp.lane()))
            .collect()
    }
}

/// Resumes the walk from `events` as node `node-b`.
fn resume(events: Vec<Event>) -> Walker {
    let MissionAt::Active(mission) =
        Emitter::resume_from_log(clock("node-b"), events, &"M1".parse().unwrap()).unwrap()
    else {
        panic!("the walks keep the mission active");
    };
    let wps = WPS
        .iter()
        .map(|wp| Some(mission.work_package(&wp.parse().unwrap()).unwrap()))
        .collect();
    Walker { mission, wps }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn resuming_anywhere_ends_where_the_uninterrupted_walk_ends(
        ops in prop::collection::vec(any::<(u8, u8)>(), 0..80),
        cut in any::<prop::sample::Index>(),
    ) {
        let cut = cut.index(ops.len() + 1);

        let (whole, whole_log) = Walker::start();
        let whole = whole.play(&ops);
        let whole_events = whole_log.take();

        let (first, first_log) = Walker::start();
        let first = first.play(&ops[..cut]);
        let before = first_log.take();
        let lanes_at_cut = first.lanes();
        drop(first);
        let resumed = resume(before.clone());
        // The log says what the walk had reached.
        prop_assert_eq!(resumed.lanes(), lanes_at_cut);
        let phase_at_cut = before_phase(&before);
        prop_assert_eq!(resumed.mission.current_phase().as_str(), phase_at_cut.as_str());
        let resumed_log = resumed.mission.log();
        let second = resumed.play(&ops[cut..]);
        let after = resumed_log.take();

        // The resumed node's events sort after everything it read and chain
        // from the last event of their aggregate.
        let latest = before.iter().map(Event::lamport_clock).max().unwrap();
        prop_assert!(after.iter().all(|e| e.lamport_clock() > latest && e.node_id() == "node-b"));
        prop_assert!(after.iter().all(|e| e.correlation_id() == before[0].correlation_id()));
        let mut heads: BTreeMap<&str, EventId> = BTreeMap::new();
        for event in before.iter().chain(&after) {
            if let Some(head) = heads.get(event.aggregate_id()) {
                prop_assert_eq!(event.causation_id(), Some(*head), "{:?}", event);
            }
            heads.insert(event.aggregate_id(), event.event_id());
        }

        let interrupted: Vec<Event> = before.into_iter().chain(after).collect();
        let (a, b) = (reduce_lifecycle_events(&whole_events), reduce_lifecycle_events(&interrupted));
        prop_assert_eq!(a.anomaly_count(), 0, "{}", a.to_json());
        prop_assert_eq!(b.anomaly_count(), 0, "{}", b.to_json());
        prop_assert_eq!(interrupted.len(), whole_events.len());
        prop_assert_eq!(b.mission_status(), a.mission_status());
        prop_assert_eq!(b.current_phase(), a.current_phase());
        prop_assert_eq!(b.phases_entered(), a.phases_entered());
        let reduced_lanes = |r: &spec_kitty_events::reduce::ReducedMissionState| -> BTreeMap<String, Lane> {
            r.wp_states().iter().map(|s| (s.wp_id().to_owned(), s.current_lane())).collect()
        };
        prop_assert_eq!(reduced_lanes(&b), reduced_lanes(&a));
        prop_assert_eq!(second.lanes(), whole.lanes());
        prop_assert_eq!(reduced_lanes(&a), whole.lanes());
    }
}

/// The phase the last mission event of `events` left the mission in.
fn before_phase(events: &[Event]) -> String {
    reduce_lifecycle_events(events)
        .current_phase()
        .unwrap()
        .to_owned()
}

/// A log with WP01 submitted for review and WP02 planned.
fn log_with_wp01_in_review() -> Vec<Event> {
    let (walker, log) = Walker::start();
    // WP01: claim, start, submit (choice 0 each time).
    drop(walker.play(&[(0, 0), (0, 0), (0, 0)]));
    log.take()
}

#[test]
fn the_log_decides_the_lane_and_a_wrong_ask_is_an_error_value() {
    let events = log_with_wp01_in_review();
    let mission = Emitter::resume_from_log(clock("node-b"), events, &"M1".parse().unwrap())
        .unwrap()
        .into_state::<MissionActive>()
        .unwrap();
    let wp01: WpId = "WP01".parse().unwrap();
    let error = mission
        .work_package(&wp01)
        .unwrap()
        .into_lane::<InProgress>()
        .unwrap_err();
    assert!(
        matches!(
            &error,
            ResumeError::WrongLane { wp_id, wanted: Lane::InProgress, found: Lane::ForReview }
                if wp_id.as_str() == "WP01"
        ),
        "{error}"
    );
    // The handle was taken (and dropped with the error): a second one is
    // refused rather than letting two builders leave one state.
    assert!(matches!(
        mission.work_package(&wp01),
        Err(ResumeError::AlreadyTaken { .. })
    ));
    let wp02: WorkPackage<Planned> = mission
        .work_package(&"WP02".parse().unwrap())
        .unwrap()
        .into_lane()
        .unwrap();
    assert_eq!(
        wp02.execution_mode(),
        ExecutionMode::DirectRepo,
        "read from the log"
    );
    assert!(matches!(
        mission.work_package(&"WP09".parse().unwrap()),
        Err(ResumeError::UnknownWorkPackage { .. })
    ));
}

#[test]
fn a_resumed_work_package_continues_its_chain_in_the_right_lane() {
    let events = log_with_wp01_in_review();
    let last_wp01 = events
        .iter()
        .rev()
        .find(|e| e.aggregate_id() == "WP01")
        .unwrap()
        .event_id();
    let latest = events.iter().map(Event::lamport_clock).max().unwrap();
    let resumed =
        Emitter::resume_from_log(clock("node-b"), events, &"M1".parse().unwrap()).unwrap();
    let wp: WorkPackage<ForReview> = resumed
        .work_package(&"WP01".parse().unwrap())
        .unwrap()
        .into_lane()
        .unwrap();
    let MissionAt::Active(mission) = resumed else {
        panic!("active")
    };
    let log = mission.log();
    let wp = wp.approve(evidence(), &actor()).unwrap();
    assert_eq!(wp.lane(), Lane::Done);
    let emitted = log.take();
    assert_eq!(emitted.len(), 1);
    assert_eq!(emitted[0].event_type(), WP_STATUS_CHANGED);
    assert_eq!(emitted[0].causation_id(), Some(last_wp01));
    assert!(emitted[0].lamport_clock() > latest);
    assert_eq!(emitted[0].project_slug(), Some("spec-kitty"));
}

#[test]
fn a_finished_mission_resumes_in_its_terminal_state() {
    let (walker, log) = Walker::start();
    drop(walker.mission.complete(&actor()).unwrap());
    let resumed =
        Emitter::resume_from_log(clock("node-b"), log.take(), &"M1".parse().unwrap()).unwrap();
    assert_eq!(resumed.status(), MissionStatus::Completed);
    let error = resumed.into_state::<MissionActive>().unwrap_err();
    assert!(matches!(
        error,
        ResumeError::WrongStatus {
            wanted: MissionStatus::Active,
            found: MissionStatus::Completed,
            ..
        }
    ));
    let (walker, log) = Walker::start();
    drop(walker.mission.complete(&actor()).unwrap());
    let completed: Mission<MissionCompleted> =
        Emitter::resume_from_log(clock("node-c"), log.take(), &"M1".parse().unwrap())
            .unwrap()
            .into_state()
            .unwrap();
    assert_eq!(completed.current_phase().as_str(), PHASES[0]);
}

#[test]
fn a_mission_the_log_never_started_is_an_error_value() {
    let events = log_with_wp01_in_review();
    let error =
        Emitter::resume_from_log(clock("node-b"), events, &"M2".parse().unwrap()).unwrap_err();
    assert!(
        matches!(&error, ResumeError::MissionNotStarted { mission_id } if mission_id.as_str() == "M2"),
        "{error}"
    );
    let error =
        Emitter::resume_from_log(clock("node-b"), Vec::new(), &"M1".parse().unwrap()).unwrap_err();
    assert!(matches!(error, ResumeError::MissionNotStarted { .. }));
}

#[path = "support/typestate_driver.rs"]
mod driver;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any part of a log, in any order (gates, forced moves, ended missions
    /// included): resuming never panics, and each work package comes back
    /// in the lane the lifecycle reducer gives it.
    #[test]
    fn any_part_of_a_log_resumes_into_the_reducers_lanes(
        ops in prop::collection::vec(any::<(u8, u8, u8)>(), 0..80),
        keep in prop::collection::vec(any::<bool>(), 0..200),
        seed in any::<u64>(),
    ) {
        let mut events: Vec<Event> = driver::walk(&ops)
            .events
            .into_iter()
            .zip(keep.iter().chain(std::iter::repeat(&true)))
            .filter(|(_, keep)| **keep)
            .map(|(event, _)| event)
            .collect();
        // A deterministic shuffle.
        let mut state = seed | 1;
        for i in (1..events.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            events.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let reduced = reduce_lifecycle_events(&events);
        match Emitter::resume_from_log(clock("node-b"), events.clone(), &driver::MISSION_ID.parse().unwrap()) {
            Err(ResumeError::MissionNotStarted { .. }) => {
                prop_assert!(events.iter().all(|e| e.event_type() != "MissionStarted"));
            }
            Err(other) => prop_assert!(false, "{}", other),
            Ok(mission) => {
                prop_assert_eq!(Some(mission.status()), reduced.mission_status());
                for state in reduced.wp_states() {
                    let wp = mission.work_package(&state.wp_id().parse().unwrap()).unwrap();
                    prop_assert_eq!(wp.lane(), state.current_lane(), "{}", state.wp_id());
                }
            }
        }
    }
}

/// WP01 walked to approved through in_review, under the default writer.
fn log_with_wp01_approved() -> Vec<Event> {
    let (walker, log) = Walker::start();
    // WP01: claim, start, submit, begin_review (3), accept (1).
    drop(walker.play(&[(0, 0), (0, 0), (0, 0), (0, 3), (0, 1)]));
    log.take()
}

#[test]
fn the_current_lanes_resume_into_their_own_states() {
    let events = log_with_wp01_approved();
    let lanes: Vec<String> = events
        .iter()
        .filter(|e| e.aggregate_id() == "WP01")
        .map(|e| e.payload().to_map()["to_lane"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        lanes,
        [
            "planned",
            "claimed",
            "in_progress",
            "for_review",
            "in_review",
            "approved"
        ]
    );
    assert!(
        events
            .iter()
            .all(|e| e.schema_version().as_str() == "3.0.0")
    );
    let resumed =
        Emitter::resume_from_log(clock("node-b"), events, &"M1".parse().unwrap()).unwrap();
    let wp01 = resumed.work_package(&"WP01".parse().unwrap()).unwrap();
    let WorkPackageAt::Approved(wp01) = wp01 else {
        panic!("WP01 is approved in the log, resumed as {:?}", wp01.lane());
    };
    let MissionAt::Active(mission) = resumed else {
        panic!("active")
    };
    let log = mission.log();
    let wp01 = wp01.complete(evidence(), &actor()).unwrap();
    assert_eq!(wp01.lane(), Lane::Done);
    let emitted = log.take();
    assert_eq!(emitted.len(), 1);
    // The resumed node keeps the mission's version, with a build id.
    assert_eq!(emitted[0].schema_version().as_str(), "3.0.0");
    assert!(emitted[0].build_id().is_some());
    assert_eq!(emitted[0].payload().to_map()["mission_slug"], "M1");
}

#[test]
fn a_work_package_in_genesis_resumes_in_genesis_and_is_promoted_to_planned() {
    let (walker, log) = Walker::start();
    drop(walker);
    let mut events = log.take();
    let started = events[0].clone();
    // Another writer put WP07 in genesis (a forced entry, as 3.0.0 allows).
    let payload: StatusTransitionPayloadV3 = serde_json::from_value(serde_json::json!({
        "mission_slug": "M1", "wp_id": "WP07", "from_lane": null, "to_lane": "genesis",
        "actor": "importer", "force": true, "reason": "imported from the tracker",
        "execution_mode": "worktree"
    }))
    .unwrap();
    let genesis = Event::builder(&payload)
        .aggregate_id("WP07")
        .node_id("importer")
        .lamport_clock(40)
        .causation_id(Some(started.event_id()))
        .project_uuid(started.project_uuid())
        .correlation_id(started.correlation_id())
        .build()
        .unwrap();
    events.push(genesis.clone());
    let resumed =
        Emitter::resume_from_log(clock("node-b"), events.clone(), &"M1".parse().unwrap()).unwrap();
    let wp07 = resumed.work_package(&"WP07".parse().unwrap()).unwrap();
    assert_eq!(wp07.lane(), Lane::Genesis);
    let WorkPackageAt::Genesis(wp07) = wp07 else {
        panic!("genesis")
    };
    let MissionAt::Active(mission) = resumed else {
        panic!("active")
    };
    let log = mission.log();
    let wp07 = wp07.promote(&actor()).unwrap();
    assert_eq!(wp07.lane(), Lane::Planned);
    let promoted = log.take();
    assert_eq!(promoted[0].causation_id(), Some(genesis.event_id()));
    events.extend(promoted);
    let reduced = reduce_lifecycle_events(&events);
    assert_eq!(reduced.anomaly_count(), 0, "{}", reduced.to_json());
    let wp07_state = reduced
        .wp_states()
        .iter()
        .find(|s| s.wp_id() == "WP07")
        .unwrap();
    assert_eq!(wp07_state.current_lane(), Lane::Planned);
}

#[test]
fn a_reopened_mission_resumes_as_an_active_one_and_takes_its_moves() {
    let (walker, log) = Walker::start();
    drop(walker.mission.complete(&actor()).unwrap());
    let mut events = log.take();
    let last = events.last().unwrap().clone();
    let payload: MissionReopenedPayload = serde_json::from_value(serde_json::json!({
        "mission_id": "M1", "mission_slug": "M1", "reason": "a bug came back",
        "reopened_by": "rob", "reopened_at": "2026-11-26T07:00:00Z"
    }))
    .unwrap();
    events.push(
        Event::builder(&payload)
            .aggregate_id("M1")
            .node_id("lead")
            .lamport_clock(90)
            .causation_id(Some(last.event_id()))
            .project_uuid(last.project_uuid())
            .correlation_id(last.correlation_id())
            .build()
            .unwrap(),
    );
    assert_eq!(
        reduce_lifecycle_events(&events).mission_status(),
        Some(MissionStatus::Reopened)
    );
    let resumed =
        Emitter::resume_from_log(clock("node-b"), events.clone(), &"M1".parse().unwrap()).unwrap();
    let MissionAt::Active(mission) = resumed else {
        panic!("a reopened mission resumes as active")
    };
    let log = mission.log();
    let mission = mission
        .enter_phase("review".parse().unwrap(), &actor())
        .unwrap();
    drop(mission.complete(&actor()).unwrap());
    events.extend(log.take());
    let reduced = reduce_lifecycle_events(&events);
    assert_eq!(reduced.anomaly_count(), 0, "{}", reduced.to_json());
    assert_eq!(reduced.mission_status(), Some(MissionStatus::Completed));
}

#[test]
fn the_0_4_writer_refuses_the_lanes_0_4_does_not_have_and_hands_the_builder_back() {
    let emitter = Emitter::new(clock("node-a"), Default::default(), Ulid::generate())
        .with_contract_version(ContractVersion::V1);
    let log = emitter.log();
    let mission = Mission::start(
        emitter,
        "M1".parse().unwrap(),
        "software-dev".parse().unwrap(),
        "implement".parse().unwrap(),
        &actor(),
    )
    .unwrap();
    let wp = WorkPackage::plan(
        &mission,
        "WP01".parse().unwrap(),
        ExecutionMode::Worktree,
        &actor(),
    )
    .unwrap();
    let wp = wp.claim(&actor()).unwrap().start(&actor()).unwrap();
    let wp = wp.submit(&actor()).unwrap();
    let before = log.len();
    let failed = wp.begin_review(&actor()).unwrap_err();
    assert!(
        matches!(failed.error(), spec_kitty_events::Error::Validation(e) if e.field() == "payload.to_lane" || e.field() == "to_lane"),
        "{}",
        failed.error()
    );
    assert_eq!(log.len(), before, "nothing was emitted");
    let wp: WorkPackage<ForReview> = failed.into_builder();
    drop(wp.approve(evidence(), &actor()).unwrap());
    let events = log.take();
    assert!(
        events
            .iter()
            .all(|e| e.schema_version().as_str() == "1.0.0")
    );
    assert!(events.iter().all(|e| e.build_id().is_none()));
    assert_eq!(
        events.last().unwrap().payload().to_map()["feature_slug"],
        "M1"
    );
}
