// `accept` is the move in_progress, for_review or in_review -> approved; a work package in planned has no such method.
use spec_kitty_events::emit::{Planned, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Planned>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.accept(evidence, actor);
}

fn main() {}
