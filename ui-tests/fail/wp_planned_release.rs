// `release` is the move in_review -> for_review; a work package in planned has no such method.
use spec_kitty_events::emit::{Planned, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Planned>, actor: &Actor) {
    let _ = wp.release(actor);
}

fn main() {}
