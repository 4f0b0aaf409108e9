// `release` is the move in_review -> for_review; a work package in canceled has no such method.
use spec_kitty_events::emit::{Canceled, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Canceled>, actor: &Actor) {
    let _ = wp.release(actor);
}

fn main() {}
