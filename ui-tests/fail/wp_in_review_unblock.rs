// `unblock` is the move blocked -> in_progress; an work package in in_review has no such method.
use spec_kitty_events::emit::{InReview, WorkPackage};
use spec_kitty_events::contract::Actor;

fn forbidden(wp: WorkPackage<InReview>, actor: &Actor) {
    let _ = wp.unblock(actor);
}

fn main() {}
