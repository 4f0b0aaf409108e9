// `release` is the move in_review -> for_review; an work package in in_progress has no such method.
use spec_kitty_events::emit::{InProgress, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<InProgress>, actor: &Actor) {
    let _ = wp.release(actor);
}

fn main() {}
