// `release` is the move in_review -> for_review; a work package in for_review has no such method.
use spec_kitty_events::emit::{ForReview, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<ForReview>, actor: &Actor) {
    let _ = wp.release(actor);
}

fn main() {}
