// `complete` is the move approved -> done; a work package in blocked has no such method.
use spec_kitty_events::emit::{Blocked, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Blocked>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.complete(evidence, actor);
}

fn main() {}
