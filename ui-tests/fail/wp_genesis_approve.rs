// `approve` is the move for_review or in_review -> done; a work package in genesis has no such method.
use spec_kitty_events::emit::{Genesis, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Genesis>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.approve(evidence, actor);
}

fn main() {}
