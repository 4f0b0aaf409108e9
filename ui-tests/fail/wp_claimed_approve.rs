// `approve` is the move for_review -> done; a work package in claimed has no such method.
use spec_kitty_events::emit::{Claimed, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Claimed>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.approve(evidence, actor);
}

fn main() {}
