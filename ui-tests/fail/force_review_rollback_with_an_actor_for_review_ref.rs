// A forced review rollback carries the review reference, not an actor.
use spec_kitty_events::contract::{Actor, ForceMetadata};
use spec_kitty_events::emit::{ForReview, InProgress, WorkPackage};

fn swapped(wp: WorkPackage<ForReview>, metadata: ForceMetadata, actor: Actor) {
    let _ = wp.force_to::<InProgress>(metadata, actor);
}

fn main() {}
