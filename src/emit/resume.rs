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
//! The state is the lifecycle reducer's: an event the reducer rejects as an
//! anomaly moves no handle, exactly as it moves nothing in every reader's
//! view of the log. A work package's handle can be taken once per resume.
//!
//! The resumed emitter writes under the contract version of the mission's
//! `MissionStarted` (a mission's events keep one version, so a 0.4 log
//! stays a 0.4 log), with the default `build_id`
//! ([`DEFAULT_BUILD_ID`](crate::contract::DEFAULT_BUILD_ID)).
//!
//! The resumed emitter continues the log: its clock first moves past every
//! `lamport_clock` in the log (so each new event sorts after its cause), and
//! each handle's next event names the last event of its aggregate as cause.

use std::collections::HashMap;
use std::marker::PhantomData;

use crate::contract::event_types::{KnownPayload, MISSION_EVENT_TYPES, MISSION_STARTED};
use crate::contract::{
    Event, EventId, ExecutionMode, MissionId, MissionStatus, MissionType, Phase,
};
use crate::error::ValidationError;
use crate::reduce::{reduce_lifecycle_events, total_order_key};
use crate::store::{ClockStorage, EventStore, LamportClock};

use super::dynamic::{MissionAt, ResumeError};
use super::emitter::{self, Emitter, Shared, WpHead};
use super::mission::Mission;

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
                || wp_move(event).is_some_and(|(slug, _)| slug == mission_id.as_str())
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

        let by_id: HashMap<EventId, &Event> = events.iter().map(|e| (e.event_id(), e)).collect();
        let mut resumable = HashMap::new();
        for state in reduced.wp_states() {
            let execution_mode = by_id
                .get(&state.last_event_id())
                .and_then(|e| wp_move(e))
                // The reducer applied this event, so it decoded; the default
                // only keeps this total.
                .map_or(ExecutionMode::Worktree, |(_, mode)| mode);
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
            .with_data_tier(started.data_tier())
            .with_contract_version(started.contract_version());
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
            // A reopened mission takes moves again, as an active one does.
            MissionStatus::Active | MissionStatus::Reopened => MissionAt::Active(Mission {
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

/// The mission slug and execution mode of the event's work package move,
/// of either contract version, as decoded when the event was read (no
/// second decoding).
fn wp_move(event: &Event) -> Option<(&str, ExecutionMode)> {
    match event.typed_payload() {
        Ok(Some(KnownPayload::WPStatusChanged(payload))) => {
            Some((payload.feature_slug().as_str(), *payload.execution_mode()))
        }
        Ok(Some(KnownPayload::WPStatusChangedV3(payload))) => {
            Some((payload.mission_slug().as_str(), *payload.execution_mode()))
        }
        _ => None,
    }
}
