// Force skips the matrix, not the guards: for_review -> in_progress needs a
// review reference.
use spec_kitty_events::contract::ForceMetadata;
use spec_kitty_events::emit::{ForReview, InProgress, WorkPackage};

fn forbidden(wp: WorkPackage<ForReview>, metadata: ForceMetadata) {
    let _ = wp.force_to::<InProgress>(metadata, ());
}

fn main() {}
