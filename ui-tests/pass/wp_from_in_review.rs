// Legal moves out of in_review (schema 3.0.0): release (back to the review
// queue), accept (with evidence), approve (with evidence), request_changes
// (with a review reference), block, cancel.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let in_review = |wp_id: &str| {
        plan(&mission, wp_id).claim(&rob).unwrap().start(&rob).unwrap().submit(&rob).unwrap()
            .begin_review(&rob).unwrap()
    };
    assert_eq!(in_review("WP01").release(&rob).unwrap().lane(), Lane::ForReview);
    assert_eq!(in_review("WP02").accept(evidence(), &rob).unwrap().lane(), Lane::Approved);
    assert_eq!(in_review("WP03").approve(evidence(), &rob).unwrap().lane(), Lane::Done);
    let back = in_review("WP04").request_changes(name("review-7"), &rob).unwrap();
    assert_eq!(back.lane(), Lane::InProgress);
    assert_eq!(in_review("WP05").block(name("waiting"), &rob).unwrap().lane(), Lane::Blocked);
    assert_eq!(in_review("WP06").cancel(name("dropped"), &rob).unwrap().lane(), Lane::Canceled);
    let ends = ["for_review", "approved", "done", "in_progress", "blocked", "canceled"];
    for (n, end) in ends.iter().enumerate() {
        let got = lanes(&log, &format!("WP0{}", n + 1));
        assert_eq!(got[got.len() - 2], "in_review");
        assert_eq!(got.last().unwrap(), end);
    }
}
