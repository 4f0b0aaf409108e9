// Resuming: the log decides the state, the enum is matched, and each arm
// has exactly the moves of its state. Names are parsed from text.
#![allow(dead_code, unused_imports)]

include!("../support/helpers.rs");

use spec_kitty_events::contract::{MissionId, Phase, WpId};
use spec_kitty_events::emit::{InProgress, MissionAt, WorkPackageAt};

fn main() {
    let (log, mission) = active_mission();
    let rob = name("rob");
    let wp = plan(&mission, "WP01").claim(&rob).unwrap().start(&rob).unwrap();
    drop((wp, mission));

    let mission_id: MissionId = "M1".parse().unwrap();
    let clock = LamportClock::new("other", InMemoryClockStorage::default()).unwrap();
    let resumed = Emitter::resume_from_log(clock, log.take(), &mission_id).unwrap();
    let MissionAt::Active(mission) = resumed else { panic!("active") };
    let wp_id = WpId::try_from("WP01").unwrap();
    let wp = match mission.work_package(&wp_id).unwrap() {
        WorkPackageAt::InProgress(wp) => wp.submit(&rob).unwrap(),
        other => panic!("in progress, not {}", other.lane()),
    };
    let _back = wp.request_changes(name("review-1"), &rob).unwrap();
    let mission = mission.enter_phase(Phase::try_from("review").unwrap(), &rob).unwrap();
    let _ = mission.complete(&rob).unwrap();
}
