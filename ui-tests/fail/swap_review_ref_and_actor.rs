// request_changes takes the review reference, then the reviewer.
use spec_kitty_events::contract::{Actor, ReviewRef};
use spec_kitty_events::emit::{ForReview, WorkPackage};

fn swapped(wp: WorkPackage<ForReview>, review: ReviewRef, actor: Actor) {
    let _ = wp.request_changes(actor, &review);
}

fn main() {}
