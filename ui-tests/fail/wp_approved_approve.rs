// `approve` is the move for_review or in_review -> done; an work package in approved has no such method.
use spec_kitty_events::emit::{Approved, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Approved>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.approve(evidence, actor);
}

fn main() {}
