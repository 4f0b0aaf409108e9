// `approve` is the move for_review -> done; a work package in planned has no such method.
use spec_kitty_events::emit::{Planned, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Planned>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.approve(evidence, actor);
}

fn main() {}
