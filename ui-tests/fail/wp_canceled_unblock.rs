// `unblock` is the move blocked -> in_progress; a work package in canceled has no such method.
use spec_kitty_events::emit::{Canceled, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Canceled>, actor: &Actor) {
    let _ = wp.unblock(actor);
}

fn main() {}
