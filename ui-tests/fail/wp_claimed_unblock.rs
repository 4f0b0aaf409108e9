// `unblock` is the move blocked -> in_progress; a work package in claimed has no such method.
use spec_kitty_events::emit::{Claimed, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Claimed>, actor: &Actor) {
    let _ = wp.unblock(actor);
}

fn main() {}
