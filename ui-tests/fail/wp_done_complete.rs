// `complete` is the move approved -> done; a work package in done has no such method.
use spec_kitty_events::emit::{Done, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Done>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.complete(evidence, actor);
}

fn main() {}
