// `request_changes` is the move for_review, in_review or approved -> in_progress; a work package in genesis has no such method.
use spec_kitty_events::emit::{Genesis, WorkPackage};
use spec_kitty_events::contract::{Actor, ReviewRef};

fn forbidden(wp: WorkPackage<Genesis>, actor: &Actor, review: ReviewRef) {
    let _ = wp.request_changes(review, actor);
}

fn main() {}
