// `accept` is the move in_progress, for_review or in_review -> approved; a work package in claimed has no such method.
use spec_kitty_events::emit::{Claimed, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Claimed>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.accept(evidence, actor);
}

fn main() {}
