// `release` is the move in_review -> for_review; a work package in claimed has no such method.
use spec_kitty_events::emit::{Claimed, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Claimed>, actor: &Actor) {
    let _ = wp.release(actor);
}

fn main() {}
