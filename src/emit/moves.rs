//! The legal moves of [`WorkPackage<L>`]: each is a method of exactly the
//! lanes it may leave (see the table on [`WorkPackage`]).
//!
//! Every move can fail only as [`WorkPackage::force_to`] can: the clock's
//! storage, the event store, or a lane the emitter's contract version does
//! not have (`in_review` and `approved` under the 0.4 writer). The failed
//! move hands the work package back unchanged.

use crate::contract::{Actor, DoneEvidence, NonEmptyString, ReviewRef};

use super::lanes::{
    Approved, Blocked, Canceled, Claimed, Done, ForReview, Genesis, InProgress, InReview,
    LaneState, NonTerminal, Planned,
};
use super::work_package::{Move, Moved, WorkPackage};

impl<L: LaneState> WorkPackage<L> {
    /// A move carrying only its actor.
    fn plain<T: LaneState>(self, actor: &Actor) -> Moved<L, T> {
        self.advance(Move::by(actor))
    }

    /// A move into approved or done, which carries its evidence.
    fn with_evidence<T: LaneState>(self, evidence: DoneEvidence, actor: &Actor) -> Moved<L, T> {
        let mut change = Move::by(actor);
        change.evidence = Some(evidence);
        self.advance(change)
    }

    /// A review rollback to in_progress, which carries the review's
    /// reference.
    fn rolled_back(self, review_ref: ReviewRef, actor: &Actor) -> Moved<L, InProgress> {
        let mut change = Move::by(actor);
        change.review_ref = Some(review_ref.into());
        self.advance(change)
    }
}

impl<L: NonTerminal> WorkPackage<L> {
    /// Blocks the work package, from any non-terminal lane (blocked
    /// included).
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn block(self, reason: NonEmptyString, actor: &Actor) -> Moved<L, Blocked> {
        self.advance(Move::by(actor).because(reason))
    }

    /// Cancels the work package for good, from any non-terminal lane.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn cancel(self, reason: NonEmptyString, actor: &Actor) -> Moved<L, Canceled> {
        self.advance(Move::by(actor).because(reason))
    }
}

impl WorkPackage<Genesis> {
    /// The work package is planned: genesis → planned (schema 3.0.0).
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn promote(self, actor: &Actor) -> Moved<Genesis, Planned> {
        self.plain(actor)
    }
}

impl WorkPackage<Planned> {
    /// An agent claims the work package.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn claim(self, actor: &Actor) -> Moved<Planned, Claimed> {
        self.plain(actor)
    }
}

impl WorkPackage<Claimed> {
    /// Work starts.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn start(self, actor: &Actor) -> Moved<Claimed, InProgress> {
        self.plain(actor)
    }
}

impl WorkPackage<InProgress> {
    /// The work is submitted for review.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn submit(self, actor: &Actor) -> Moved<InProgress, ForReview> {
        self.plain(actor)
    }

    /// The work is abandoned and the package goes back to planned; the
    /// contract demands a reason for this move (and, from 3.0.0 on, force:
    /// the event is written forced, with this reason).
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn abandon(self, reason: NonEmptyString, actor: &Actor) -> Moved<InProgress, Planned> {
        self.advance(Move::by(actor).because(reason))
    }

    /// The work is approved without a review queue, with its evidence:
    /// in_progress → approved (schema 3.0.0).
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn accept(self, evidence: DoneEvidence, actor: &Actor) -> Moved<InProgress, Approved> {
        self.with_evidence(evidence, actor)
    }
}

impl WorkPackage<ForReview> {
    /// A reviewer takes the work up: for_review → in_review (schema 3.0.0).
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn begin_review(self, actor: &Actor) -> Moved<ForReview, InReview> {
        self.plain(actor)
    }

    /// The review approves the work, with its evidence, before it is done:
    /// for_review → approved (schema 3.0.0).
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn accept(self, evidence: DoneEvidence, actor: &Actor) -> Moved<ForReview, Approved> {
        self.with_evidence(evidence, actor)
    }

    /// The review approves the work, with the evidence that it is done.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn approve(self, evidence: DoneEvidence, actor: &Actor) -> Moved<ForReview, Done> {
        self.with_evidence(evidence, actor)
    }

    /// The review sends the work back: a review rollback, which carries the
    /// review's reference.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn request_changes(
        self,
        review_ref: ReviewRef,
        actor: &Actor,
    ) -> Moved<ForReview, InProgress> {
        self.rolled_back(review_ref, actor)
    }
}

impl WorkPackage<InReview> {
    /// The reviewer hands the work back to the review queue: in_review →
    /// for_review.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn release(self, actor: &Actor) -> Moved<InReview, ForReview> {
        self.plain(actor)
    }

    /// The review approves the work, with its evidence, before it is done:
    /// in_review → approved.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn accept(self, evidence: DoneEvidence, actor: &Actor) -> Moved<InReview, Approved> {
        self.with_evidence(evidence, actor)
    }

    /// The review approves the work, with the evidence that it is done:
    /// in_review → done.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn approve(self, evidence: DoneEvidence, actor: &Actor) -> Moved<InReview, Done> {
        self.with_evidence(evidence, actor)
    }

    /// The review sends the work back: in_review → in_progress, with the
    /// review's reference.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn request_changes(
        self,
        review_ref: ReviewRef,
        actor: &Actor,
    ) -> Moved<InReview, InProgress> {
        self.rolled_back(review_ref, actor)
    }
}

impl WorkPackage<Approved> {
    /// The approved work is done (merged), with the evidence: approved →
    /// done.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn complete(self, evidence: DoneEvidence, actor: &Actor) -> Moved<Approved, Done> {
        self.with_evidence(evidence, actor)
    }

    /// The approval is withdrawn and the work sent back: approved →
    /// in_progress, with the review's reference.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn request_changes(
        self,
        review_ref: ReviewRef,
        actor: &Actor,
    ) -> Moved<Approved, InProgress> {
        self.rolled_back(review_ref, actor)
    }
}

impl WorkPackage<Blocked> {
    /// Work resumes after a block.
    ///
    /// # Errors
    /// As [`WorkPackage::force_to`].
    pub fn unblock(self, actor: &Actor) -> Moved<Blocked, InProgress> {
        self.plain(actor)
    }
}
