// `complete` is the move approved -> done; a work package in genesis has no such method.
use spec_kitty_events::emit::{Genesis, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<Genesis>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.complete(evidence, actor);
}

fn main() {}
