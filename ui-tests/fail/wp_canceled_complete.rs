// `complete` is the move approved -> done; a work package in canceled has no such method.
use spec_kitty_events::emit::{Canceled, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Canceled>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.complete(evidence, actor);
}

fn main() {}
