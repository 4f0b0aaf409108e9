// `complete` is the move approved -> done; a work package in for_review has no such method.
use spec_kitty_events::emit::{ForReview, WorkPackage};
use spec_kitty_events::contract::{Actor, DoneEvidence};

fn forbidden(wp: WorkPackage<ForReview>, actor: &Actor, evidence: DoneEvidence) {
    let _ = wp.complete(evidence, actor);
}

fn main() {}
