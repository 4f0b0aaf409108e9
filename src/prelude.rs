//! The everyday items, for `use spec_kitty_events::prelude::*;`.
//!
//! Reading and folding logs, the envelope and its field types, lanes and
//! statuses, the typestate builders, and the storage traits (imported for
//! their methods). Each item is also at its one documented path in its
//! module.

pub use crate::contract::event_types::KnownPayload;
pub use crate::contract::{
    DataTier, DoneEvidence, Event, EventPayload, ExecutionMode, ForceMetadata, Lane, MissionStatus,
    NonEmptyString, Timestamp, Ulid,
};
pub use crate::emit::{Emitter, Mission, WorkPackage};
pub use crate::error::{Error, ValidationError};
pub use crate::log::{read_log, replay_file, replay_log};
pub use crate::reduce::{
    MissionProjector, ReducedMissionState, ReducedStatus, reduce_lifecycle_events,
    reduce_status_events,
};
pub use crate::store::{ClockStorage, ErrorStorage, EventStore, LamportClock};
