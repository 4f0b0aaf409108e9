// A move from approved back to in_progress needs a review reference, forced
// or not (schema 3.0.0): `()` is not one.
use spec_kitty_events::contract::ForceMetadata;
use spec_kitty_events::emit::{Approved, InProgress, WorkPackage};

fn forbidden(wp: WorkPackage<Approved>, metadata: ForceMetadata) {
    let _ = wp.force_to::<InProgress>(metadata, ());
}

fn main() {}
