// Entering approved needs evidence (schema 3.0.0), forced or not: the extra
// argument of a forced move into approved is `DoneEvidence`, not `()`.
use spec_kitty_events::contract::ForceMetadata;
use spec_kitty_events::emit::{Approved, InProgress, WorkPackage};

fn forbidden(wp: WorkPackage<InProgress>, metadata: ForceMetadata) {
    let _ = wp.force_to::<Approved>(metadata, ());
}

fn main() {}
