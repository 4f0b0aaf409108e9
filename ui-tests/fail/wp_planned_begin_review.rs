// `begin_review` is the move for_review -> in_review; a work package in planned has no such method.
use spec_kitty_events::emit::{Planned, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<Planned>, actor: &Actor) {
    let _ = wp.begin_review(actor);
}

fn main() {}
