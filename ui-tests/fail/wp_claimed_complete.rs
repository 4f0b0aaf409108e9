// `complete` is the move approved -> done; a work package in claimed has no such method.
use spec_kitty_events::emit::{Claimed, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Claimed>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.complete(evidence, actor);
}

fn main() {}
