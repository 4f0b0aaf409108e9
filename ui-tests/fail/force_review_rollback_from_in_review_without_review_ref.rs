// A move from in_review back to in_progress needs a review reference, forced
// or not (schema 3.0.0): `()` is not one.
use spec_kitty_events::contract::ForceMetadata;
use spec_kitty_events::emit::{InProgress, InReview, WorkPackage};

fn forbidden(wp: WorkPackage<InReview>, metadata: ForceMetadata) {
    let _ = wp.force_to::<InProgress>(metadata, ());
}

fn main() {}
