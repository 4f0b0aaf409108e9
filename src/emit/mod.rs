//! Typestate emission: lifecycle moves the contract forbids do not compile.
//!
//! [`Mission<S>`] and [`WorkPackage<L>`] are builders whose type parameter is
//! the state they are in. Each legal move of the contract (section 4) is a
//! method that consumes the builder, emits exactly one [`Event`](crate::contract::Event)
//! and returns the builder in its new state; a move the transition matrix
//! rules out is not a method of that state, so it is a compile error rather
//! than an anomaly in somebody's log:
//!
//! ```compile_fail
//! # use spec_kitty_events::emit::{WorkPackage, Planned};
//! # fn f(wp: WorkPackage<Planned>, evidence: spec_kitty_events::contract::DoneEvidence, actor: &spec_kitty_events::contract::Actor) {
//! wp.approve(actor, evidence); // no method `approve` on `WorkPackage<Planned>`
//! # }
//! ```
//!
//! Every event goes through the [`Emitter`], which owns the node's Lamport
//! clock (each event takes its next tick), the project, and the mission's
//! `correlation_id`, and sets `causation_id` to the event that produced the
//! state being left. Payloads are built from the builder's state, under the
//! payload type's own event type, so the guards of the contract hold by
//! construction: a forced move carries [`ForceMetadata`](crate::contract::ForceMetadata)
//! (a non-blank reason), entering `done` carries
//! [`DoneEvidence`](crate::contract::DoneEvidence), a review rollback a review
//! reference, an abandon a reason.
//!
//! What can still fail at run time is the clock's storage. A failed move
//! returns an [`EmitError`] holding the builder in its old state, since
//! nothing was emitted.
//!
//! Markers ([`MissionActive`], [`Planned`] …) are uninhabited types: they exist only
//! as type parameters. Builders are neither `Clone` nor `Copy`, so a state
//! that has been left cannot be moved from twice.

mod emitter;
mod mission;
mod resume;
mod work_package;

pub use emitter::{EmitError, Emitter, EventLog};
pub use mission::{
    Mission, MissionActive, MissionCancelled, MissionCompleted, MissionState, OutOfLifecycle,
};
pub use resume::{MissionAt, ResumeError, WorkPackageAt};
pub use work_package::{
    Blocked, Canceled, Claimed, Done, ForReview, ForceFrom, InProgress, LaneState, Moved,
    NonTerminal, Planned, WorkPackage,
};

mod sealed {
    /// Keeps the state traits closed: only this crate's markers are states.
    pub trait Sealed {}
}
