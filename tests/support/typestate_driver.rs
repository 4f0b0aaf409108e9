//! A small runtime driver over the typestate builders: it holds each builder
//! in an enum of its possible states and turns a list of random choices into
//! legal moves, so property tests can take random walks through the lifecycle.
//! It also records the state each walk should end in.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::str::FromStr;

use spec_kitty_events::contract::event_types::GatePassedPayload;
use spec_kitty_events::contract::{
    ContractVersion, DoneEvidence, Event, EventPayload, ExecutionMode, ForceMetadata, Lane,
    MissionStatus, RepoEvidence, ReviewRef, ReviewVerdict, Ulid,
};
use spec_kitty_events::emit::{
    Approved, Blocked, Canceled, Claimed, Done, Emitter, ForReview, ForceFrom, InProgress,
    InReview, LaneState, Mission, MissionActive, MissionCancelled, MissionCompleted, Planned,
    WorkPackage,
};
use spec_kitty_events::store::InMemoryClockStorage;
use spec_kitty_events::store::LamportClock;

pub const MISSION_ID: &str = "M1";
const PHASES: [&str; 4] = ["specify", "plan", "implement", "review"];
const MAX_WPS: usize = 5;

/// Parses `text` as whichever name type the call site needs.
pub fn name<T: FromStr<Err: Debug>>(text: &str) -> T {
    text.parse().unwrap()
}

pub fn evidence() -> DoneEvidence {
    let repo = RepoEvidence {
        repo: name("spec-kitty"),
        branch: name("main"),
        commit: name("0a1b2c3"),
        files_touched: Some(vec![name("src/lib.rs")]),
    };
    let review = ReviewVerdict {
        reviewer: name("ada"),
        verdict: name("approved"),
        reference: Some(name("review-1")),
    };
    DoneEvidence::new(vec![repo], Vec::new(), review).unwrap()
}

fn force_metadata() -> ForceMetadata {
    ForceMetadata::new(name("lead"), name("manual correction")).unwrap()
}

/// A work package in whichever lane it is in.
enum Wp {
    Planned(WorkPackage<Planned>),
    Claimed(WorkPackage<Claimed>),
    InProgress(WorkPackage<InProgress>),
    ForReview(WorkPackage<ForReview>),
    InReview(WorkPackage<InReview>),
    Approved(WorkPackage<Approved>),
    Done(WorkPackage<Done>),
    Blocked(WorkPackage<Blocked>),
    Canceled(WorkPackage<Canceled>),
}

/// The mission in whichever state it is in.
enum MissionAt {
    Active(Mission<MissionActive>),
    Completed(Mission<MissionCompleted>),
    Cancelled(Mission<MissionCancelled>),
}

/// A value for whatever a forced move's guards demand.
trait Extra {
    fn make() -> Self;
}

impl Extra for () {
    fn make() {}
}

impl Extra for DoneEvidence {
    fn make() -> Self {
        evidence()
    }
}

impl Extra for ReviewRef {
    fn make() -> Self {
        name("review-forced")
    }
}

fn force<L: LaneState, T: ForceFrom<L>>(wp: WorkPackage<L>) -> WorkPackage<T>
where
    T::Extra: Extra,
{
    wp.force_to::<T>(force_metadata(), T::Extra::make())
        .unwrap()
}

fn force_any<L: LaneState>(wp: WorkPackage<L>, target: Lane) -> Wp
where
    Planned: ForceFrom<L, Extra: Extra>,
    Claimed: ForceFrom<L, Extra: Extra>,
    InProgress: ForceFrom<L, Extra: Extra>,
    ForReview: ForceFrom<L, Extra: Extra>,
    InReview: ForceFrom<L, Extra: Extra>,
    Approved: ForceFrom<L, Extra: Extra>,
    Done: ForceFrom<L, Extra: Extra>,
    Blocked: ForceFrom<L, Extra: Extra>,
    Canceled: ForceFrom<L, Extra: Extra>,
{
    match target {
        Lane::Planned => Wp::Planned(force(wp)),
        Lane::Claimed => Wp::Claimed(force(wp)),
        Lane::InProgress => Wp::InProgress(force(wp)),
        Lane::ForReview => Wp::ForReview(force(wp)),
        Lane::InReview => Wp::InReview(force(wp)),
        Lane::Approved => Wp::Approved(force(wp)),
        Lane::Done => Wp::Done(force(wp)),
        Lane::Blocked => Wp::Blocked(force(wp)),
        Lane::Canceled => Wp::Canceled(force(wp)),
        // Targets come from `force_targets`: nothing is forced into genesis.
        Lane::Genesis => unreachable!("no forced move enters genesis"),
    }
}

impl Wp {
    fn lane(&self) -> Lane {
        match self {
            Wp::Planned(wp) => wp.lane(),
            Wp::Claimed(wp) => wp.lane(),
            Wp::InProgress(wp) => wp.lane(),
            Wp::ForReview(wp) => wp.lane(),
            Wp::InReview(wp) => wp.lane(),
            Wp::Approved(wp) => wp.lane(),
            Wp::Done(wp) => wp.lane(),
            Wp::Blocked(wp) => wp.lane(),
            Wp::Canceled(wp) => wp.lane(),
        }
    }

    /// One legal, unforced move, picked by `choice` among those of the lane
    /// under `version` (the 0.4 writer has no in_review or approved); a
    /// terminal lane has none and stays.
    fn step(self, version: ContractVersion, choice: u8) -> Wp {
        let rob = name("rob");
        let why = || name("because");
        let pick = |moves: u8| choice % moves;
        let current = version == ContractVersion::V3;
        match self {
            Wp::InProgress(wp) if current && choice % 5 == 4 => {
                Wp::Approved(wp.accept(evidence(), &rob).unwrap())
            }
            Wp::ForReview(wp) if current && choice % 3 == 2 => match pick(2) {
                0 => Wp::InReview(wp.begin_review(&rob).unwrap()),
                _ => Wp::Approved(wp.accept(evidence(), &rob).unwrap()),
            },
            Wp::InReview(wp) => match pick(6) {
                0 => Wp::ForReview(wp.release(&rob).unwrap()),
                1 => Wp::Approved(wp.accept(evidence(), &rob).unwrap()),
                2 => Wp::Done(wp.approve(evidence(), &rob).unwrap()),
                3 => Wp::InProgress(wp.request_changes(name("review-3"), &rob).unwrap()),
                4 => Wp::Blocked(wp.block(why(), &rob).unwrap()),
                _ => Wp::Canceled(wp.cancel(why(), &rob).unwrap()),
            },
            Wp::Approved(wp) => match pick(4) {
                0 => Wp::Done(wp.complete(evidence(), &rob).unwrap()),
                1 => Wp::InProgress(wp.request_changes(name("review-4"), &rob).unwrap()),
                2 => Wp::Blocked(wp.block(why(), &rob).unwrap()),
                _ => Wp::Canceled(wp.cancel(why(), &rob).unwrap()),
            },
            Wp::Planned(wp) => match pick(3) {
                0 => Wp::Claimed(wp.claim(&rob).unwrap()),
                1 => Wp::Blocked(wp.block(why(), &rob).unwrap()),
                _ => Wp::Canceled(wp.cancel(why(), &rob).unwrap()),
            },
            Wp::Claimed(wp) => match pick(3) {
                0 => Wp::InProgress(wp.start(&rob).unwrap()),
                1 => Wp::Blocked(wp.block(why(), &rob).unwrap()),
                _ => Wp::Canceled(wp.cancel(why(), &rob).unwrap()),
            },
            Wp::InProgress(wp) => match pick(4) {
                0 => Wp::ForReview(wp.submit(&rob).unwrap()),
                1 => Wp::Planned(wp.abandon(why(), &rob).unwrap()),
                2 => Wp::Blocked(wp.block(why(), &rob).unwrap()),
                _ => Wp::Canceled(wp.cancel(why(), &rob).unwrap()),
            },
            Wp::ForReview(wp) => match pick(4) {
                0 => Wp::Done(wp.approve(evidence(), &rob).unwrap()),
                1 => Wp::InProgress(wp.request_changes(name("review-2"), &rob).unwrap()),
                2 => Wp::Blocked(wp.block(why(), &rob).unwrap()),
                _ => Wp::Canceled(wp.cancel(why(), &rob).unwrap()),
            },
            Wp::Blocked(wp) => match pick(3) {
                0 => Wp::InProgress(wp.unblock(&rob).unwrap()),
                1 => Wp::Blocked(wp.block(why(), &rob).unwrap()),
                _ => Wp::Canceled(wp.cancel(why(), &rob).unwrap()),
            },
            terminal @ (Wp::Done(_) | Wp::Canceled(_)) => terminal,
        }
    }

    fn force(self, target: Lane) -> Wp {
        match self {
            Wp::Planned(wp) => force_any(wp, target),
            Wp::Claimed(wp) => force_any(wp, target),
            Wp::InProgress(wp) => force_any(wp, target),
            Wp::ForReview(wp) => force_any(wp, target),
            Wp::InReview(wp) => force_any(wp, target),
            Wp::Approved(wp) => force_any(wp, target),
            Wp::Done(wp) => force_any(wp, target),
            Wp::Blocked(wp) => force_any(wp, target),
            Wp::Canceled(wp) => force_any(wp, target),
        }
    }
}

/// One random choice of the walk: `(kind, which, how)`.
pub type Op = (u8, u8, u8);

/// What a walk emitted, and the state it ended in.
pub struct Walk {
    pub events: Vec<Event>,
    pub lanes: BTreeMap<String, Lane>,
    pub status: MissionStatus,
    pub phase: String,
}

/// The lanes a walk under `version` forces work packages into.
pub fn force_targets(version: ContractVersion) -> Vec<Lane> {
    match version {
        ContractVersion::V1 => Lane::ALL.to_vec(),
        ContractVersion::V3 => Lane::CURRENT
            .into_iter()
            .filter(|lane| *lane != Lane::Genesis)
            .collect(),
    }
}

/// Starts a mission and plays `ops` through the builders, with the 0.4
/// writer (schema 1.0.0, the seven lanes of 0.4).
///
/// Work packages keep moving after the mission ends: the types allow it, and
/// the reference reducer accepts it.
pub fn walk(ops: &[Op]) -> Walk {
    walk_under(ContractVersion::V1, ops)
}

/// Starts a mission and plays `ops` through the builders, written under
/// contract `version` (under [`ContractVersion::V3`] the walk also takes
/// the in_review and approved moves).
pub fn walk_under(version: ContractVersion, ops: &[Op]) -> Walk {
    let targets = force_targets(version);
    let emitter = Emitter::new(
        LamportClock::new("node-a", InMemoryClockStorage::default()).unwrap(),
        "00000000-0000-0000-0000-000000000001".parse().unwrap(),
        Ulid::generate(),
    )
    .with_project_slug("spec-kitty")
    .with_contract_version(version);
    let log = emitter.log();
    let rob = name("rob");
    let mut mission = MissionAt::Active(
        Mission::start(
            emitter,
            name(MISSION_ID),
            name("software-dev"),
            name(PHASES[0]),
            &rob,
        )
        .unwrap(),
    );
    let mut phase = PHASES[0].to_owned();
    let mut wps: Vec<(String, Wp)> = Vec::new();

    for &(kind, which, how) in ops {
        let target_wp = (!wps.is_empty()).then(|| usize::from(which) % wps.len());
        match (kind % 10, mission, target_wp) {
            // A work package move with no work package yet plans one.
            (k, MissionAt::Active(active), t) if wps.len() < MAX_WPS && (k == 0 || t.is_none()) => {
                let wp_id = format!("WP{:02}", wps.len() + 1);
                let wp = WorkPackage::plan(&active, name(&wp_id), ExecutionMode::Worktree, &rob)
                    .unwrap();
                wps.push((wp_id, Wp::Planned(wp)));
                mission = MissionAt::Active(active);
            }
            (6, MissionAt::Active(active), _) => {
                phase = PHASES[usize::from(how) % PHASES.len()].to_owned();
                mission = MissionAt::Active(active.enter_phase(name(&phase), &rob).unwrap());
            }
            (7, MissionAt::Active(active), _) => {
                phase = PHASES[usize::from(how) % PHASES.len()].to_owned();
                let affected = wps.iter().map(|(id, _)| name(id)).collect();
                mission = MissionAt::Active(
                    active
                        .roll_back(name("review-1"), name(&phase), affected, &rob)
                        .unwrap(),
                );
            }
            (8, MissionAt::Active(active), _) => {
                active.record(&gate(how)).unwrap();
                mission = MissionAt::Active(active);
            }
            // Ending the mission is rarer than the other moves, so walks stay long.
            (9, MissionAt::Active(active), _) if which % 4 == 0 => {
                mission = if how % 2 == 0 {
                    MissionAt::Completed(active.complete(&rob).unwrap())
                } else {
                    let ids = wps.iter().map(|(id, _)| name(id)).collect();
                    MissionAt::Cancelled(active.cancel(name("descoped"), ids, &rob).unwrap())
                };
            }
            // 3.0.0 ignores a forced planned -> planned (a second bootstrap).
            (5, still, Some(index))
                if version == ContractVersion::V1
                    || wps[index].1.lane() != Lane::Planned
                    || targets[usize::from(how) % targets.len()] != Lane::Planned =>
            {
                let (id, wp) = wps.remove(index);
                let target = targets[usize::from(how) % targets.len()];
                wps.insert(index, (id, wp.force(target)));
                mission = still;
            }
            (_, still, Some(index)) => {
                let (id, wp) = wps.remove(index);
                wps.insert(index, (id, wp.step(version, how)));
                mission = still;
            }
            (_, still, None) => mission = still,
        }
    }

    let status = match mission {
        MissionAt::Active(m) => m.status(),
        MissionAt::Completed(m) => m.status(),
        MissionAt::Cancelled(m) => m.status(),
    };
    Walk {
        events: log.take(),
        lanes: wps.iter().map(|(id, wp)| (id.clone(), wp.lane())).collect(),
        status,
        phase,
    }
}

fn gate(run: u8) -> GatePassedPayload {
    let run = u32::from(run) + 1;
    GatePassedPayload::decode(&format!(
        r#"{{"gate_name":"ci/build","gate_type":"ci","conclusion":"success","external_provider":"github","check_run_id":{run},"check_run_url":"https://github.com/o/r/runs/{run}","delivery_id":"delivery-{run}"}}"#
    ))
    .unwrap()
}
