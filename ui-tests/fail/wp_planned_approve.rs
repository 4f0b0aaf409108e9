// `approve` is the move for_review -> done; a work package in planned has no such method.
use spec_kitty_events::emit::{Planned, WorkPackage};
use spec_kitty_events::contract::{DoneEvidence, NonEmptyString};

fn forbidden(wp: WorkPackage<Planned>, actor: &NonEmptyString, evidence: DoneEvidence) {
    let _ = wp.approve(evidence, actor);
}

fn main() {}
