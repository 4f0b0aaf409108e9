// `begin_review` is the move for_review -> in_review; a work package in done has no such method.
use spec_kitty_events::emit::{Done, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Done>, actor: &Actor) {
    let _ = wp.begin_review(actor);
}

fn main() {}
