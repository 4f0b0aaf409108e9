//! Resuming from a log: a mission and its work packages as typed handles in
//! the states the log says they are in.
//!
//! A command-line tool is one process per command (`claim WP01` now,
//! `submit WP01` an hour later), so the builder of a state is usually not
//! at hand: it has to be recovered from what earlier processes appended.
//! [`Emitter::resume`] reads the mission's events, folds them with the
//! lifecycle reducer (the one every reader uses), and hands back a
//! [`MissionAt`]: an enum over the mission's states, each variant holding
//! the typed builder, as an embedded HAL offers a dynamic pin beside the
//! typed ones. Work packages come from it the same way, as
//! [`WorkPackageAt`]. Matching on the enum gives the typed builder, and
//! from there only the moves of that state compile; asking for a state the
//! log does not support ([`WorkPackageAt::into_lane`]) is a
//! [`ResumeError`], never a panic.
//!
//! The resumed emitter continues the log: its clock first moves past every
//! `lamport_clock` in the log (so each new event sorts after its cause), and
//! each handle's next event names the last event of its aggregate as cause.

use std::collections::HashMap;
use std::marker::PhantomData;

use crate::contract::event_types::{
    MISSION_EVENT_TYPES, MISSION_STARTED, StatusTransitionPayload, WP_STATUS_CHANGED,
};
use crate::contract::{
    Event, ExecutionMode, Lane, MissionId, MissionStatus, MissionType, Phase, Ulid, WpId,
};
use crate::error::{Error, ValidationError};
use crate::reduce::{reduce_lifecycle_events, total_order_key};
use crate::store::{ClockStorage, EventStore, LamportClock};

use super::emitter::{self, Emitter, Shared};
use super::mission::{Mission, MissionActive, MissionCancelled, MissionCompleted, MissionState};
use super::work_package::{
    Blocked, Canceled, Claimed, Done, ForReview, InProgress, LaneState, Planned, WorkPackage,
};

/// Why a mission or work package could not be resumed in the state asked
/// for.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResumeError {
    /// The log holds no `MissionStarted` for the mission.
    #[error("the log holds no MissionStarted event for mission {mission_id}")]
    MissionNotStarted {
        /// The mission asked for.
        mission_id: MissionId,
    },
    /// The log holds no event of the work package in this mission.
    #[error("the log holds no event of work package {wp_id} in mission {mission_id}")]
    UnknownWorkPackage {
        /// The mission searched.
        mission_id: MissionId,
        /// The work package asked for.
        wp_id: WpId,
    },
    /// The work package's handle was already taken from this resumed
    /// mission: a second one could leave the same state twice.
    #[error("work package {wp_id} was already taken from this resumed mission")]
    AlreadyTaken {
        /// The work package asked for.
        wp_id: WpId,
    },
    /// The log puts the work package in another lane than the one asked for.
    #[error("the log puts work package {wp_id} in lane {found}, not {wanted}")]
    WrongLane {
        /// The work package.
        wp_id: WpId,
        /// The lane asked for.
        wanted: Lane,
        /// The lane the log says.
        found: Lane,
    },
    /// The log puts the mission in another status than the one asked for.
    #[error("the log puts mission {mission_id} in status {found}, not {wanted}")]
    WrongStatus {
        /// The mission.
        mission_id: MissionId,
        /// The status asked for.
        wanted: MissionStatus,
        /// The status the log says.
        found: MissionStatus,
    },
    /// A value the log holds cannot be carried by the handle (e.g. a phase
    /// with white space), named by the event and field.
    #[error("event {event_id}: {error}")]
    Invalid {
        /// The event holding the value.
        event_id: Ulid,
        /// What is wrong with it, and where.
        error: ValidationError,
    },
    /// The store could not be read, or the clock not advanced.
    #[error(transparent)]
    Store(#[from] Error),
}

/// What the log says of one work package, until its handle is taken.
#[derive(Debug, Clone, Copy)]
pub(super) struct WpHead {
    lane: Lane,
    last_event_id: Ulid,
    execution_mode: ExecutionMode,
}

/// A resumed mission, in the state its log says it is in.
#[derive(Debug)]
pub enum MissionAt {
    /// Running.
    Active(Mission<MissionActive>),
    /// Completed.
    Completed(Mission<MissionCompleted>),
    /// Cancelled.
    Cancelled(Mission<MissionCancelled>),
}

/// A resumed work package, in the lane its log says it is in.
#[derive(Debug)]
pub enum WorkPackageAt {
    /// In `planned`.
    Planned(WorkPackage<Planned>),
    /// In `claimed`.
    Claimed(WorkPackage<Claimed>),
    /// In `in_progress`.
    InProgress(WorkPackage<InProgress>),
    /// In `for_review`.
    ForReview(WorkPackage<ForReview>),
    /// In `done`.
    Done(WorkPackage<Done>),
    /// In `blocked`.
    Blocked(WorkPackage<Blocked>),
    /// In `canceled`.
    Canceled(WorkPackage<Canceled>),
}

impl Emitter {
    /// Resumes mission `mission_id` from the events `store` holds, saving
    /// every new event into `store` (see [`with_store`](Emitter::with_store)).
    ///
    /// The project, correlation id and data tier are the mission's
    /// `MissionStarted`'s; `clock` first moves past every clock value in the
    /// store.
    ///
    /// ```
    /// use spec_kitty_events::contract::{ExecutionMode, Lane};
    /// use spec_kitty_events::emit::{Emitter, Mission, MissionAt, WorkPackage, WorkPackageAt};
    /// use spec_kitty_events::store::{FileClockStorage, JsonlFileStore, LamportClock};
    /// # let dir = tempfile::tempdir()?;
    /// # let (log, clocks) = (dir.path().join("events.jsonl"), dir.path().join("clocks.json"));
    /// let clock = |node: &str| LamportClock::new(node, FileClockStorage::new(&clocks));
    /// // One process starts the mission and plans WP01 ...
    /// let emitter = Emitter::new(clock("lead")?, Default::default(), "01JKQ4V7C00000000000000C0R".parse()?)
    ///     .with_store(JsonlFileStore::open(&log)?);
    /// let mission = Mission::start(emitter, "M1".parse()?, "software-dev".parse()?, "implement".parse()?, &"rob".parse()?)?;
    /// WorkPackage::plan(&mission, "WP01".parse()?, ExecutionMode::Worktree, &"rob".parse()?)?;
    ///
    /// // ... another one claims it.
    /// let MissionAt::Active(mission) = Emitter::resume(clock("agent")?, JsonlFileStore::open(&log)?, &"M1".parse()?)? else {
    ///     panic!("the mission is active");
    /// };
    /// let WorkPackageAt::Planned(wp) = mission.work_package(&"WP01".parse()?)? else {
    ///     panic!("WP01 is planned");
    /// };
    /// assert_eq!(wp.claim(&"claude".parse()?)?.lane(), Lane::Claimed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ResumeError::Store`] when the store cannot be read or the clock
    /// not advanced; [`ResumeError::MissionNotStarted`] when the store holds
    /// no start of the mission; [`ResumeError::Invalid`] when a name in the
    /// log does not make a [`MissionType`] or [`Phase`].
    pub fn resume<S, E>(
        clock: LamportClock<S>,
        store: E,
        mission_id: &MissionId,
    ) -> Result<MissionAt, ResumeError>
    where
        S: ClockStorage + Send + 'static,
        E: EventStore + Send + 'static,
    {
        let events = store.load_all_events()?;
        let resumed = Self::resume_from_log(clock, events, mission_id)?;
        let with_store = |core: &Shared| emitter::attach_store(core, Box::new(store));
        match &resumed {
            MissionAt::Active(mission) => with_store(&mission.core),
            MissionAt::Completed(mission) => with_store(&mission.core),
            MissionAt::Cancelled(mission) => with_store(&mission.core),
        }
        Ok(resumed)
    }

    /// Resumes mission `mission_id` from `events` (a log read with
    /// [`read_log`](crate::log::read_log), say); new events collect in the
    /// mission's [`log`](Mission::log). As [`resume`](Emitter::resume)
    /// otherwise.
    ///
    /// # Errors
    /// As [`resume`](Emitter::resume).
    pub fn resume_from_log<S>(
        clock: LamportClock<S>,
        events: impl IntoIterator<Item = Event>,
        mission_id: &MissionId,
    ) -> Result<MissionAt, ResumeError>
    where
        S: ClockStorage + Send + 'static,
    {
        let all: Vec<Event> = events.into_iter().collect();
        let latest_clock = all.iter().map(Event::lamport_clock).max();
        let belongs = |event: &Event| {
            event.aggregate_id() == mission_id.as_str()
                || (event.event_type() == WP_STATUS_CHANGED
                    && event
                        .decode_payload_as::<StatusTransitionPayload>()
                        .is_ok_and(|p| p.feature_slug() == mission_id.as_str()))
        };
        let mut events: Vec<Event> = all.into_iter().filter(belongs).collect();
        events.sort_by(|a, b| total_order_key(a).cmp(&total_order_key(b)));
        let Some(started) = events
            .iter()
            .find(|e| e.event_type() == MISSION_STARTED && e.aggregate_id() == mission_id.as_str())
        else {
            return Err(ResumeError::MissionNotStarted {
                mission_id: mission_id.clone(),
            });
        };
        let reduced = reduce_lifecycle_events(&events);
        let invalid = |error| ResumeError::Invalid {
            event_id: started.event_id(),
            error,
        };
        let mission_type: MissionType = reduced
            .mission_type()
            .unwrap_or_default()
            .parse()
            .map_err(|e: ValidationError| invalid(e.within("mission_type")))?;
        let current_phase: Phase = reduced
            .current_phase()
            .unwrap_or_default()
            .parse()
            .map_err(|e: ValidationError| invalid(e.within("current_phase")))?;
        let last_event_id = events
            .iter()
            .rev()
            .find(|e| {
                e.aggregate_id() == mission_id.as_str()
                    && MISSION_EVENT_TYPES.contains(&e.event_type())
            })
            .map_or(started.event_id(), Event::event_id);

        let by_id: HashMap<Ulid, &Event> = events.iter().map(|e| (e.event_id(), e)).collect();
        let mut resumable = HashMap::new();
        for state in reduced.wp_states() {
            let execution_mode = by_id
                .get(&state.last_event_id())
                .and_then(|e| e.decode_payload_as::<StatusTransitionPayload>().ok())
                .map_or(ExecutionMode::Worktree, |p| *p.execution_mode());
            resumable.insert(
                state.wp_id().to_owned(),
                Some(WpHead {
                    lane: state.current_lane(),
                    last_event_id: state.last_event_id(),
                    execution_mode,
                }),
            );
        }

        let emitter = Emitter::new(clock, started.project_uuid(), started.correlation_id())
            .with_data_tier(started.data_tier());
        let emitter = match started.project_slug() {
            Some(slug) => emitter.with_project_slug(slug),
            None => emitter,
        };
        let core = emitter.into_shared();
        {
            let mut locked = emitter::lock(&core);
            if let Some(latest) = latest_clock {
                locked.observe(latest)?;
            }
            locked.resumable = resumable;
        }
        let status = reduced.mission_status().unwrap_or(MissionStatus::Active);
        let mission_id = mission_id.clone();
        Ok(match status {
            MissionStatus::Active => MissionAt::Active(Mission {
                core,
                mission_id,
                mission_type,
                current_phase,
                last_event_id,
                state: PhantomData,
            }),
            MissionStatus::Completed => MissionAt::Completed(Mission {
                core,
                mission_id,
                mission_type,
                current_phase,
                last_event_id,
                state: PhantomData,
            }),
            MissionStatus::Cancelled => MissionAt::Cancelled(Mission {
                core,
                mission_id,
                mission_type,
                current_phase,
                last_event_id,
                state: PhantomData,
            }),
        })
    }
}

impl MissionAt {
    /// The status the log says.
    pub fn status(&self) -> MissionStatus {
        match self {
            MissionAt::Active(m) => m.status(),
            MissionAt::Completed(m) => m.status(),
            MissionAt::Cancelled(m) => m.status(),
        }
    }

    /// The mission's id.
    pub fn mission_id(&self) -> &MissionId {
        match self {
            MissionAt::Active(m) => m.mission_id(),
            MissionAt::Completed(m) => m.mission_id(),
            MissionAt::Cancelled(m) => m.mission_id(),
        }
    }

    /// The typed mission in state `S`.
    ///
    /// # Errors
    /// [`ResumeError::WrongStatus`] when the log says another status.
    pub fn into_state<S: MissionState>(self) -> Result<Mission<S>, ResumeError> {
        let found = self.status();
        let (core, mission_id, mission_type, current_phase, last_event_id) = match self {
            MissionAt::Active(m) => m.into_fields(),
            MissionAt::Completed(m) => m.into_fields(),
            MissionAt::Cancelled(m) => m.into_fields(),
        };
        if found != S::STATUS {
            return Err(ResumeError::WrongStatus {
                mission_id,
                wanted: S::STATUS,
                found,
            });
        }
        Ok(Mission {
            core,
            mission_id,
            mission_type,
            current_phase,
            last_event_id,
            state: PhantomData,
        })
    }

    /// The work package `wp_id`, as [`Mission::work_package`].
    ///
    /// # Errors
    /// As [`Mission::work_package`].
    pub fn work_package(&self, wp_id: &WpId) -> Result<WorkPackageAt, ResumeError> {
        match self {
            MissionAt::Active(m) => m.work_package(wp_id),
            MissionAt::Completed(m) => m.work_package(wp_id),
            MissionAt::Cancelled(m) => m.work_package(wp_id),
        }
    }
}

impl<S: MissionState> Mission<S> {
    /// Takes the handle of work package `wp_id` of the log this mission was
    /// resumed from, in the lane the log says. Each work package's handle
    /// can be taken once per resumed mission.
    ///
    /// # Errors
    /// [`ResumeError::UnknownWorkPackage`] when the log holds no event of
    /// it; [`ResumeError::AlreadyTaken`] on a second call for it.
    pub fn work_package(&self, wp_id: &WpId) -> Result<WorkPackageAt, ResumeError> {
        let head = match emitter::lock(&self.core).resumable.get_mut(wp_id.as_str()) {
            None => {
                return Err(ResumeError::UnknownWorkPackage {
                    mission_id: self.mission_id.clone(),
                    wp_id: wp_id.clone(),
                });
            }
            Some(slot) => slot.take(),
        };
        let Some(head) = head else {
            return Err(ResumeError::AlreadyTaken {
                wp_id: wp_id.clone(),
            });
        };
        let parts = WpParts {
            core: self.core.clone(),
            feature_slug: self.mission_id.clone(),
            wp_id: wp_id.clone(),
            execution_mode: head.execution_mode,
            last_event_id: head.last_event_id,
        };
        Ok(match head.lane {
            Lane::Planned => WorkPackageAt::Planned(parts.typed()),
            Lane::Claimed => WorkPackageAt::Claimed(parts.typed()),
            Lane::InProgress => WorkPackageAt::InProgress(parts.typed()),
            Lane::ForReview => WorkPackageAt::ForReview(parts.typed()),
            Lane::Done => WorkPackageAt::Done(parts.typed()),
            Lane::Blocked => WorkPackageAt::Blocked(parts.typed()),
            Lane::Canceled => WorkPackageAt::Canceled(parts.typed()),
        })
    }

    fn into_fields(self) -> (Shared, MissionId, MissionType, Phase, Ulid) {
        (
            self.core,
            self.mission_id,
            self.mission_type,
            self.current_phase,
            self.last_event_id,
        )
    }
}

/// A work package's handle without its lane.
struct WpParts {
    core: Shared,
    feature_slug: MissionId,
    wp_id: WpId,
    execution_mode: ExecutionMode,
    last_event_id: Ulid,
}

impl WpParts {
    fn of<L: LaneState>(wp: WorkPackage<L>) -> Self {
        Self {
            core: wp.core,
            feature_slug: wp.feature_slug,
            wp_id: wp.wp_id,
            execution_mode: wp.execution_mode,
            last_event_id: wp.last_event_id,
        }
    }

    fn typed<L: LaneState>(self) -> WorkPackage<L> {
        WorkPackage {
            core: self.core,
            feature_slug: self.feature_slug,
            wp_id: self.wp_id,
            execution_mode: self.execution_mode,
            last_event_id: self.last_event_id,
            lane: PhantomData,
        }
    }
}

impl WorkPackageAt {
    /// The lane the log says.
    pub fn lane(&self) -> Lane {
        match self {
            WorkPackageAt::Planned(wp) => wp.lane(),
            WorkPackageAt::Claimed(wp) => wp.lane(),
            WorkPackageAt::InProgress(wp) => wp.lane(),
            WorkPackageAt::ForReview(wp) => wp.lane(),
            WorkPackageAt::Done(wp) => wp.lane(),
            WorkPackageAt::Blocked(wp) => wp.lane(),
            WorkPackageAt::Canceled(wp) => wp.lane(),
        }
    }

    /// The work package's id.
    pub fn wp_id(&self) -> &WpId {
        match self {
            WorkPackageAt::Planned(wp) => wp.wp_id(),
            WorkPackageAt::Claimed(wp) => wp.wp_id(),
            WorkPackageAt::InProgress(wp) => wp.wp_id(),
            WorkPackageAt::ForReview(wp) => wp.wp_id(),
            WorkPackageAt::Done(wp) => wp.wp_id(),
            WorkPackageAt::Blocked(wp) => wp.wp_id(),
            WorkPackageAt::Canceled(wp) => wp.wp_id(),
        }
    }

    /// The typed work package in lane `L`, e.g. for a command that only
    /// makes sense in one lane (`submit` needs [`InProgress`]).
    ///
    /// # Errors
    /// [`ResumeError::WrongLane`] when the log says another lane.
    pub fn into_lane<L: LaneState>(self) -> Result<WorkPackage<L>, ResumeError> {
        let found = self.lane();
        let parts = match self {
            WorkPackageAt::Planned(wp) => WpParts::of(wp),
            WorkPackageAt::Claimed(wp) => WpParts::of(wp),
            WorkPackageAt::InProgress(wp) => WpParts::of(wp),
            WorkPackageAt::ForReview(wp) => WpParts::of(wp),
            WorkPackageAt::Done(wp) => WpParts::of(wp),
            WorkPackageAt::Blocked(wp) => WpParts::of(wp),
            WorkPackageAt::Canceled(wp) => WpParts::of(wp),
        };
        if found != L::LANE {
            return Err(ResumeError::WrongLane {
                wp_id: parts.wp_id,
                wanted: L::LANE,
                found,
            });
        }
        Ok(parts.typed())
    }
}
