// `claim` is the move planned -> claimed; a work package in for_review has no such method.
use spec_kitty_events::emit::{ForReview, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<ForReview>, actor: &Actor) {
    let _ = wp.claim(actor);
}

fn main() {}
