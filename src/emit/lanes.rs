//! The lane markers of [`WorkPackage<L>`](super::WorkPackage) and what a
//! forced move into each must carry ([`ForceFrom`]).

use crate::contract::{DoneEvidence, Lane, NonEmptyString, ReviewRef};

use super::sealed::Sealed;

/// A lane a [`WorkPackage`](super::WorkPackage) can be in. Sealed: the
/// states are the ten markers [`Genesis`] … [`Canceled`].
pub trait LaneState: Sealed {
    /// The lane this state stands for.
    const LANE: Lane;
}

/// A lane that is not terminal: [`block`](super::WorkPackage::block) and
/// [`cancel`](super::WorkPackage::cancel) exist exactly on these.
pub trait NonTerminal: LaneState {}

macro_rules! lanes {
    ($($(#[doc = $doc:literal])* $Marker:ident => $lane:ident $(, $non_terminal:ident)?;)+) => {
        $(
            $(#[doc = $doc])*
            #[derive(Debug)]
            pub enum $Marker {}
            impl Sealed for $Marker {}
            impl LaneState for $Marker {
                const LANE: Lane = Lane::$lane;
            }
            $(impl $non_terminal for $Marker {})?
        )+
    };
}

lanes! {
    /// Known to the mission but not yet planned (schema 3.0.0 on). Emission
    /// never starts a work package here; a resumed one whose log says
    /// `genesis` is in this state, and [`promote`](super::WorkPackage::promote)
    /// plans it.
    Genesis => Genesis, NonTerminal;
    /// Planned, not yet claimed.
    Planned => Planned, NonTerminal;
    /// Claimed by an agent, work not started.
    Claimed => Claimed, NonTerminal;
    /// Being worked on.
    InProgress => InProgress, NonTerminal;
    /// Submitted, waiting for review.
    ForReview => ForReview, NonTerminal;
    /// A reviewer has taken it up (schema 3.0.0 on).
    InReview => InReview, NonTerminal;
    /// Approved with evidence, not yet done (merged) (schema 3.0.0 on).
    Approved => Approved, NonTerminal;
    /// Approved with evidence. Terminal: only [`force_to`](super::WorkPackage::force_to) leaves it.
    Done => Done;
    /// Waiting on something outside the work package.
    Blocked => Blocked, NonTerminal;
    /// Abandoned for good. Terminal: only [`force_to`](super::WorkPackage::force_to) leaves it.
    Canceled => Canceled;
}

/// A lane a forced move from `From` may enter, and what that move must carry
/// besides its [`ForceMetadata`](crate::contract::ForceMetadata).
///
/// Force skips the transition matrix, not the guards, so the extra argument
/// of [`force_to`](super::WorkPackage::force_to) is:
/// - [`DoneEvidence`] into [`Done`] or [`Approved`], from any lane;
/// - the review reference (a [`ReviewRef`]) from [`ForReview`],
///   [`InReview`] or [`Approved`] into [`InProgress`];
/// - `()` otherwise. (In-progress → planned needs a reason, which the
///   metadata always has.)
///
/// Nothing is forced into [`Genesis`]: it is where a work package is before
/// it is planned, never a lane to go back to.
///
/// Sealed: implemented for the pairs of this crate's lane markers above.
pub trait ForceFrom<From: LaneState>: LaneState {
    /// What the move carries besides the force metadata.
    type Extra;

    /// Splits the extra argument into the payload's evidence and review
    /// reference.
    #[doc(hidden)]
    fn into_parts(extra: Self::Extra) -> (Option<DoneEvidence>, Option<NonEmptyString>);
}

macro_rules! force_needs_evidence {
    (into $($To:ident),+) => {
        $(
            impl<F: LaneState> ForceFrom<F> for $To {
                type Extra = DoneEvidence;
                fn into_parts(evidence: DoneEvidence) -> (Option<DoneEvidence>, Option<NonEmptyString>) {
                    (Some(evidence), None)
                }
            }
        )+
    };
}

macro_rules! force_needs_nothing {
    (into $($To:ident),+) => {
        $(
            impl<F: LaneState> ForceFrom<F> for $To {
                type Extra = ();
                fn into_parts((): ()) -> (Option<DoneEvidence>, Option<NonEmptyString>) {
                    (None, None)
                }
            }
        )+
    };
    (from $($From:ident),+ into $To:ident) => {
        $(
            impl ForceFrom<$From> for $To {
                type Extra = ();
                fn into_parts((): ()) -> (Option<DoneEvidence>, Option<NonEmptyString>) {
                    (None, None)
                }
            }
        )+
    };
}

macro_rules! force_needs_review_ref {
    (from $($From:ident),+ into $To:ident) => {
        $(
            impl ForceFrom<$From> for $To {
                type Extra = ReviewRef;
                fn into_parts(review_ref: ReviewRef) -> (Option<DoneEvidence>, Option<NonEmptyString>) {
                    (None, Some(review_ref.into()))
                }
            }
        )+
    };
}

force_needs_evidence!(into Done, Approved);
force_needs_nothing!(into Planned, Claimed, ForReview, InReview, Blocked, Canceled);
force_needs_nothing!(
    from Genesis, Planned, Claimed, InProgress, Done, Blocked, Canceled into InProgress
);
force_needs_review_ref!(from ForReview, InReview, Approved into InProgress);
