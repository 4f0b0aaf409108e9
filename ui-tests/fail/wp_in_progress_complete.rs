// `complete` is the move approved -> done; an work package in in_progress has no such method.
use spec_kitty_events::emit::{InProgress, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<InProgress>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.complete(evidence, actor);
}

fn main() {}
