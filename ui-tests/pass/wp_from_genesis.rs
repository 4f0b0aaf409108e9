// Legal moves out of genesis (schema 3.0.0): promote (to planned), block,
// cancel. Emission never enters genesis, so the work packages come from a
// log in which another writer put them there, resumed and matched.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

use spec_kitty_events::contract::{Event, MissionId, WpId};
use spec_kitty_events::contract::event_types::StatusTransitionPayloadV3;
use spec_kitty_events::emit::{Genesis, MissionAt, WorkPackageAt};

fn in_genesis(started: &Event, wp_id: &str) -> Event {
    let payload: StatusTransitionPayloadV3 = serde_json::from_value(serde_json::json!({
        "mission_slug": "M1", "wp_id": wp_id, "to_lane": "genesis", "actor": "importer",
        "force": true, "reason": "imported", "execution_mode": "worktree"
    }))
    .unwrap();
    Event::builder(&payload)
        .aggregate_id(wp_id)
        .node_id("importer")
        .lamport_clock(10)
        .project_uuid(started.project_uuid())
        .correlation_id(started.correlation_id())
        .build()
        .unwrap()
}

fn main() {
    let (log, mission) = active_mission();
    drop(mission);
    let mut events = log.take();
    for wp_id in ["WP01", "WP02", "WP03"] {
        let event = in_genesis(&events[0], wp_id);
        events.push(event);
    }
    let rob = name("rob");
    let clock = LamportClock::new("other", InMemoryClockStorage::default()).unwrap();
    let mission_id: MissionId = name("M1");
    let MissionAt::Active(mission) = Emitter::resume_from_log(clock, events, &mission_id).unwrap()
    else {
        panic!("active")
    };
    let take = |wp_id: &str| -> WorkPackage<Genesis> {
        match mission.work_package(&WpId::try_from(wp_id).unwrap()).unwrap() {
            WorkPackageAt::Genesis(wp) => wp,
            other => panic!("genesis, not {}", other.lane()),
        }
    };
    let planned = take("WP01").promote(&rob).unwrap();
    assert_eq!(planned.lane(), Lane::Planned);
    assert_eq!(planned.claim(&rob).unwrap().lane(), Lane::Claimed);
    assert_eq!(take("WP02").block(name("waiting"), &rob).unwrap().lane(), Lane::Blocked);
    assert_eq!(take("WP03").cancel(name("dropped"), &rob).unwrap().lane(), Lane::Canceled);
    let moves = mission.log().take();
    let to: Vec<String> = moves.iter().map(|e| e.payload().to_map()["to_lane"].as_str().unwrap().to_owned()).collect();
    assert_eq!(to, ["planned", "claimed", "blocked", "canceled"]);
    let from: Vec<String> = moves.iter().map(|e| e.payload().to_map()["from_lane"].as_str().unwrap().to_owned()).collect();
    assert_eq!(from, ["genesis", "planned", "genesis", "genesis"]);
}
