// Force skips the matrix, not the guards: entering done needs evidence.
use spec_kitty_events::contract::ForceMetadata;
use spec_kitty_events::emit::{Done, InProgress, WorkPackage};

fn forbidden(wp: WorkPackage<InProgress>, metadata: ForceMetadata) {
    let _ = wp.force_to::<Done>(metadata, ());
}

fn main() {}
