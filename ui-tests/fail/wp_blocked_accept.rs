// `accept` is the move in_progress, for_review or in_review -> approved; a work package in blocked has no such method.
use spec_kitty_events::emit::{Blocked, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Blocked>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.accept(evidence, actor);
}

fn main() {}
