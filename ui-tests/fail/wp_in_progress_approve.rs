// `approve` is the move for_review -> done; a work package in in_progress has no such method.
use spec_kitty_events::emit::{InProgress, WorkPackage};
use spec_kitty_events::contract::{DoneEvidence, NonEmptyString};

fn forbidden(wp: WorkPackage<InProgress>, actor: &NonEmptyString, evidence: DoneEvidence) {
    let _ = wp.approve(evidence, actor);
}

fn main() {}
