//! [`MissionAt`] and [`WorkPackageAt`]: a mission's and a work package's
//! typed builders behind an enum over their states, for code that learns
//! the state at run time (from a log), and the [`ResumeError`] of asking for
//! a state the log does not support.

use std::marker::PhantomData;

use crate::contract::{
    EventId, ExecutionMode, Lane, MissionId, MissionStatus, MissionType, Phase, WpId,
};
use crate::error::{Error, ValidationError};

use super::emitter::{self, Shared};
use super::lanes::{
    Approved, Blocked, Canceled, Claimed, Done, ForReview, Genesis, InProgress, InReview,
    LaneState, Planned,
};
use super::mission::{Mission, MissionActive, MissionCancelled, MissionCompleted, MissionState};
use super::work_package::WorkPackage;

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
        event_id: EventId,
        /// What is wrong with it, and where.
        error: ValidationError,
    },
    /// The store could not be read, or the clock not advanced.
    #[error(transparent)]
    Store(#[from] Error),
}

/// A resumed mission, in the state its log says it is in.
///
/// A reopened mission ([`MissionStatus::Reopened`], schema 3.0.0) resumes as
/// [`MissionAt::Active`]: the typestate encodes which moves are legal, and a
/// reopened mission takes exactly an active one's (enter a phase, roll back,
/// plan work packages, complete, cancel). A marker of its own would repeat
/// every one of them and make no further move a compile error; what
/// differs is only its history, which the log keeps.
#[derive(Debug)]
pub enum MissionAt {
    /// Running.
    Active(Mission<MissionActive>),
    /// Completed.
    Completed(Mission<MissionCompleted>),
    /// Cancelled.
    Cancelled(Mission<MissionCancelled>),
}

/// A resumed work package, in the lane its log says it is in: one variant
/// per lane of the current contract.
///
/// A work package whose log lane is `genesis` resumes as
/// [`WorkPackageAt::Genesis`], from which [`WorkPackage::promote`] plans it
/// (genesis → planned), or it is blocked or cancelled.
#[derive(Debug)]
pub enum WorkPackageAt {
    /// In `genesis` (known, not yet planned).
    Genesis(WorkPackage<Genesis>),
    /// In `planned`.
    Planned(WorkPackage<Planned>),
    /// In `claimed`.
    Claimed(WorkPackage<Claimed>),
    /// In `in_progress`.
    InProgress(WorkPackage<InProgress>),
    /// In `for_review`.
    ForReview(WorkPackage<ForReview>),
    /// In `in_review`.
    InReview(WorkPackage<InReview>),
    /// In `approved`.
    Approved(WorkPackage<Approved>),
    /// In `done`.
    Done(WorkPackage<Done>),
    /// In `blocked`.
    Blocked(WorkPackage<Blocked>),
    /// In `canceled`.
    Canceled(WorkPackage<Canceled>),
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
            Lane::Genesis => WorkPackageAt::Genesis(parts.typed()),
            Lane::Planned => WorkPackageAt::Planned(parts.typed()),
            Lane::Claimed => WorkPackageAt::Claimed(parts.typed()),
            Lane::InProgress => WorkPackageAt::InProgress(parts.typed()),
            Lane::ForReview => WorkPackageAt::ForReview(parts.typed()),
            Lane::InReview => WorkPackageAt::InReview(parts.typed()),
            Lane::Approved => WorkPackageAt::Approved(parts.typed()),
            Lane::Done => WorkPackageAt::Done(parts.typed()),
            Lane::Blocked => WorkPackageAt::Blocked(parts.typed()),
            Lane::Canceled => WorkPackageAt::Canceled(parts.typed()),
        })
    }

    fn into_fields(self) -> (Shared, MissionId, MissionType, Phase, EventId) {
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
    last_event_id: EventId,
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
            WorkPackageAt::Genesis(wp) => wp.lane(),
            WorkPackageAt::Planned(wp) => wp.lane(),
            WorkPackageAt::Claimed(wp) => wp.lane(),
            WorkPackageAt::InProgress(wp) => wp.lane(),
            WorkPackageAt::ForReview(wp) => wp.lane(),
            WorkPackageAt::InReview(wp) => wp.lane(),
            WorkPackageAt::Approved(wp) => wp.lane(),
            WorkPackageAt::Done(wp) => wp.lane(),
            WorkPackageAt::Blocked(wp) => wp.lane(),
            WorkPackageAt::Canceled(wp) => wp.lane(),
        }
    }

    /// The work package's id.
    pub fn wp_id(&self) -> &WpId {
        match self {
            WorkPackageAt::Genesis(wp) => wp.wp_id(),
            WorkPackageAt::Planned(wp) => wp.wp_id(),
            WorkPackageAt::Claimed(wp) => wp.wp_id(),
            WorkPackageAt::InProgress(wp) => wp.wp_id(),
            WorkPackageAt::ForReview(wp) => wp.wp_id(),
            WorkPackageAt::InReview(wp) => wp.wp_id(),
            WorkPackageAt::Approved(wp) => wp.wp_id(),
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
            WorkPackageAt::Genesis(wp) => WpParts::of(wp),
            WorkPackageAt::Planned(wp) => WpParts::of(wp),
            WorkPackageAt::Claimed(wp) => WpParts::of(wp),
            WorkPackageAt::InProgress(wp) => WpParts::of(wp),
            WorkPackageAt::ForReview(wp) => WpParts::of(wp),
            WorkPackageAt::InReview(wp) => WpParts::of(wp),
            WorkPackageAt::Approved(wp) => WpParts::of(wp),
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
