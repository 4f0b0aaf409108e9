// `complete` is the move approved -> done; a work package in planned has no such method.
use spec_kitty_events::emit::{Planned, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Planned>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.complete(evidence, actor);
}

fn main() {}
