// The schema 3.0.0 moves out of the lanes 0.4 has: for_review -> in_review
// (begin_review), for_review and in_progress -> approved (accept, with
// evidence); and forced moves into in_review and approved (evidence) and
// out of them back to in_progress (a review reference).
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

use spec_kitty_events::emit::{Approved, InProgress, InReview};

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let in_progress = |wp_id: &str| {
        plan(&mission, wp_id).claim(&rob).unwrap().start(&rob).unwrap()
    };
    let wp = in_progress("WP01").submit(&rob).unwrap().begin_review(&rob).unwrap();
    assert_eq!(wp.lane(), Lane::InReview);
    let wp = in_progress("WP02").submit(&rob).unwrap().accept(evidence(), &rob).unwrap();
    assert_eq!(wp.lane(), Lane::Approved);
    let wp = in_progress("WP03").accept(evidence(), &rob).unwrap();
    assert_eq!(wp.lane(), Lane::Approved);
    let forced = plan(&mission, "WP04").force_to::<InReview>(force(), ()).unwrap();
    let forced = forced.force_to::<InProgress>(force(), name("review-5")).unwrap();
    let forced = forced.force_to::<Approved>(force(), evidence()).unwrap();
    let forced = forced.force_to::<InProgress>(force(), name("review-6")).unwrap();
    assert_eq!(forced.lane(), Lane::InProgress);
    assert_eq!(lanes(&log, "WP01")[3..], ["for_review", "in_review"]);
    assert_eq!(lanes(&log, "WP02")[3..], ["for_review", "approved"]);
    assert_eq!(lanes(&log, "WP03")[2..], ["in_progress", "approved"]);
    assert_eq!(lanes(&log, "WP04"), ["planned", "in_review", "in_progress", "approved", "in_progress"]);
}
