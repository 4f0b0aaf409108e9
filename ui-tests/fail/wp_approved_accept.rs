// `accept` is the move in_progress, for_review or in_review -> approved; an work package in approved has no such method.
use spec_kitty_events::emit::{Approved, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Approved>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.accept(evidence, actor);
}

fn main() {}
