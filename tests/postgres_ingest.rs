//! Batch ingest into PostgreSQL: concurrent writers with overlapping
//! batches, a bad event in a batch, events arriving out of order across
//! batches, and the server stopped dead in the middle of an ingest.
//!
//! Needs a server (`SPEC_KITTY_EVENTS_TEST_DATABASE_URL`, provided by
//! `scripts/test`); the crash test starts and kills its own throwaway
//! cluster with `scripts/pg-cluster`.

#[path = "support/many_missions.rs"]
mod many_missions;
#[path = "support/postgres.rs"]
mod pg;
#[path = "support/synthetic_log.rs"]
mod synthetic_log;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use postgres::Client;
use spec_kitty_events::contract::Event;
use spec_kitty_events::reduce::reduce_lifecycle_events;
use spec_kitty_events::store::postgres::{IngestError, PostgresEventStore, migrate};
use spec_kitty_events::store::{MissionKey, VerbatimEvent, VerbatimEventStore};

use synthetic_log::Rng;

/// Every stored body, by event id.
fn stored_bodies(client: &mut Client) -> HashMap<String, String> {
    client
        .query("SELECT event_id, body FROM spec_kitty_events.events", &[])
        .unwrap()
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

/// Asserts that every mission's stored projection is the full reducer's
/// result over the mission's stored events; returns how many missions.
fn assert_projections_are_replays(client: &mut Client) -> usize {
    let mut by_mission: BTreeMap<(uuid::Uuid, String), Vec<Event>> = BTreeMap::new();
    for row in client
        .query(
            "SELECT project_uuid, aggregate_id, body FROM spec_kitty_events.events",
            &[],
        )
        .unwrap()
    {
        let body: String = row.get(2);
        by_mission
            .entry((row.get(0), row.get(1)))
            .or_default()
            .push(Event::from_json(&body).unwrap());
    }
    let states: BTreeMap<(uuid::Uuid, String), (i64, String)> = client
        .query(
            "SELECT project_uuid, aggregate_id, event_count, state::text \
             FROM spec_kitty_events.missions",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|row| ((row.get(0), row.get(1)), (row.get(2), row.get(3))))
        .collect();
    assert_eq!(
        states.keys().collect::<Vec<_>>(),
        by_mission.keys().collect::<Vec<_>>(),
        "one projection per mission with events"
    );
    for (key, events) in by_mission {
        let (count, state) = &states[&key];
        assert_eq!(*count as usize, events.len(), "{key:?}");
        assert_eq!(*state, reduce_lifecycle_events(events).to_json(), "{key:?}");
    }
    states.len()
}

fn texts_of_missions(missions: std::ops::Range<u64>) -> Vec<String> {
    missions
        .flat_map(|m| many_missions::mission_texts(m, 16, m))
        .collect()
}

#[test]
fn eight_connections_ingesting_overlapping_batches_store_each_event_once() {
    let database = pg::TestDatabase::new();
    // 200 missions of 100 events: 20,000 distinct events.
    let mut all = texts_of_missions(0..200);
    assert_eq!(all.len(), 20_000);
    Rng(7).shuffle(&mut all);
    let all = Arc::new(all);
    // Writer w sends the 10,000 events from w * 2,500 on (wrapping round),
    // in its own order: every event is in four batches.
    let reports: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|w| {
                let all = Arc::clone(&all);
                let database = &database;
                scope.spawn(move || {
                    let mut batch: Vec<&str> = (0..10_000)
                        .map(|k| all[(w * 2_500 + k) % all.len()].as_str())
                        .collect();
                    Rng(w as u64).shuffle(&mut batch);
                    let mut store = database.store();
                    store.ingest(&batch).unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(reports.iter().map(|r| r.stored).sum::<usize>(), 20_000);
    assert_eq!(
        reports.iter().map(|r| r.already_stored).sum::<usize>(),
        60_000
    );
    let mut client = database.client();
    let stored = stored_bodies(&mut client);
    assert_eq!(stored.len(), 20_000);
    for text in all.iter() {
        let id = VerbatimEvent::parse(text.as_str()).unwrap();
        assert_eq!(stored[id.event().event_id().as_str()], *text);
    }
    assert_eq!(assert_projections_are_replays(&mut client), 200);
}

/// `text` with `field` set to `value`.
fn with(text: &str, field: &str, value: impl Into<serde_json::Value>) -> String {
    let mut json: serde_json::Value = serde_json::from_str(text).unwrap();
    json[field] = value.into();
    json.to_string()
}

#[test]
fn a_bad_event_rejects_its_whole_batch_with_its_position_and_field() {
    let database = pg::TestDatabase::new();
    let mut store = database.store();
    let good = texts_of_missions(0..1);
    let cases: [(usize, String, &str); 3] = [
        (
            37,
            good[37].replace(r#""lamport_clock":"#, r#""lamport_clock":-"#),
            "lamport_clock",
        ),
        (
            12,
            with(&good[12], "lamport_clock", 1u64 << 63),
            "lamport_clock",
        ),
        (
            64,
            good[64].replace(r#""node_id":"#, r#""node_idx":"#),
            "node_id",
        ),
    ];
    for (position, bad, field) in cases {
        let mut batch = good.clone();
        batch[position] = bad;
        match store.ingest(&batch) {
            Err(IngestError::Invalid {
                position: at,
                error,
            }) => {
                assert_eq!(at, position);
                assert_eq!(error.field(), field, "{error}");
            }
            other => panic!("expected the batch rejected at {position}, got {other:?}"),
        }
    }
    // A large batch is decoded in slices: the first bad event is still the
    // one reported, wherever the slices fall.
    let large = texts_of_missions(0..10);
    for bad in [[100, 900], [700, 900], [499, 500]] {
        let mut batch = large.clone();
        for at in bad {
            batch[at] = with(&batch[at], "data_tier", 9);
        }
        match store.ingest(&batch) {
            Err(IngestError::Invalid { position, error }) => {
                assert_eq!(position, bad[0]);
                assert_eq!(error.field(), "data_tier", "{error}");
            }
            other => panic!("expected the batch rejected at {}, got {other:?}", bad[0]),
        }
    }
    let mut client = database.client();
    assert!(stored_bodies(&mut client).is_empty());
    assert_eq!(assert_projections_are_replays(&mut client), 0);

    // A stored id with another text rejects the batch that carries it, and
    // every new event of that batch with it.
    let report = store.ingest(&good[..50]).unwrap();
    assert_eq!(report.stored, 50);
    let state_before = assert_projections_are_replays(&mut client);
    let mut batch: Vec<String> = good[50..].to_vec();
    let changed = with(&good[10], "node_id", "another-node");
    assert_ne!(changed, good[10]);
    batch.insert(20, changed);
    match store.ingest(&batch) {
        Err(IngestError::Conflict {
            position, stored, ..
        }) => {
            assert_eq!(position, 20);
            assert_eq!(&*stored, good[10]);
        }
        other => panic!("expected a conflict at 20, got {other:?}"),
    }
    assert_eq!(stored_bodies(&mut client).len(), 50);
    assert_eq!(assert_projections_are_replays(&mut client), state_before);
    // The same batch without the conflicting event goes in.
    batch.remove(20);
    assert_eq!(store.ingest(&batch).unwrap().stored, 50);
    assert_eq!(stored_bodies(&mut client).len(), 100);
    assert_projections_are_replays(&mut client);
}

#[test]
fn late_events_across_batches_and_writers_project_as_a_full_replay() {
    let database = pg::TestDatabase::new();
    // Two writers take turns, so each often finds its cached projector
    // stale; the log arrives shuffled, in batches of 7, repeats included.
    let mut writers = [database.store(), database.store()];
    let mut texts = texts_of_missions(0..2);
    let repeats: Vec<String> = texts.iter().step_by(9).cloned().collect();
    texts.extend(repeats);
    Rng(3).shuffle(&mut texts);
    let mut client = database.client();
    for (i, batch) in texts.chunks(7).enumerate() {
        writers[i % 3 % 2].ingest(batch).unwrap();
        assert_projections_are_replays(&mut client);
    }
    // The reads: the mission's events in canonical order, its state.
    let key = MissionKey {
        project_uuid: "00000000-0000-0000-0000-000000000001".parse().unwrap(),
        aggregate_id: "M0001".to_owned(),
    };
    let events = writers[0].load_mission(&key).unwrap();
    assert_eq!(events.len(), 100);
    let replay = reduce_lifecycle_events(
        events
            .iter()
            .map(VerbatimEvent::event)
            .collect::<Vec<&Event>>(),
    );
    assert_eq!(
        writers[1].mission_state(&key).unwrap().unwrap(),
        replay.to_json()
    );
    let streamed: Vec<VerbatimEvent> = writers[1]
        .mission_events(&key)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(streamed, events);
}

/// A cluster of this test's own, stopped (fast) when dropped.
struct OwnCluster {
    dir: tempfile::TempDir,
}

impl OwnCluster {
    fn script(&self, args: &[&str]) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg-cluster");
        let status = Command::new(script)
            .args(&args[..1])
            .arg(self.dir.path())
            .args(&args[1..])
            .status()
            .expect("run scripts/pg-cluster");
        assert!(status.success(), "pg-cluster {args:?} failed");
    }

    fn url(&self) -> String {
        format!(
            "host={} port=5432 user=postgres dbname=postgres",
            self.dir.path().display()
        )
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg-cluster");
        let _ = Command::new(script)
            .args(["stop"])
            .arg(self.dir.path())
            .arg("immediate")
            .status();
    }
}

#[test]
fn an_immediate_shutdown_mid_ingest_keeps_every_acknowledged_batch_whole() {
    let cluster = OwnCluster {
        dir: tempfile::tempdir().unwrap(),
    };
    cluster.script(&["init"]);
    cluster.script(&["start"]);
    let url = cluster.url();
    migrate(&mut Client::connect(&url, postgres::NoTls).unwrap()).unwrap();

    // 60 missions, shuffled together, in 60 batches of 100: each batch
    // spans many missions.
    let mut texts = texts_of_missions(0..60);
    Rng(11).shuffle(&mut texts);
    let batches: Vec<Vec<String>> = texts.chunks(100).map(<[String]>::to_vec).collect();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let acknowledged = Arc::clone(&acknowledged);
        let batches = batches.clone();
        let url = url.clone();
        std::thread::spawn(move || {
            let mut store = PostgresEventStore::connect(&url).unwrap();
            for (i, batch) in batches.iter().enumerate() {
                match store.ingest(batch) {
                    Ok(_) => acknowledged.lock().unwrap().push(i),
                    Err(_) => return i,
                }
            }
            batches.len()
        })
    };
    while acknowledged.lock().unwrap().len() < 5 && !writer.is_finished() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    cluster.script(&["stop", "immediate"]);
    let failed_at = writer.join().unwrap();
    assert!(
        failed_at < batches.len(),
        "the shutdown came after every batch"
    );

    cluster.script(&["start"]);
    let mut client = Client::connect(&url, postgres::NoTls).unwrap();
    let stored = stored_bodies(&mut client);
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert_eq!(acknowledged, (0..failed_at).collect::<Vec<_>>());
    for (i, batch) in batches.iter().enumerate() {
        let present = batch
            .iter()
            .filter(|text| {
                let id = VerbatimEvent::parse(text.as_str()).unwrap();
                stored.get(id.event().event_id().as_str()) == Some(text)
            })
            .count();
        if i < failed_at {
            assert_eq!(present, batch.len(), "acknowledged batch {i} is not whole");
        } else if i == failed_at {
            // In flight: committed or not, but never in part.
            assert!(
                present == 0 || present == batch.len(),
                "batch {i}: {present} of 100"
            );
        } else {
            assert_eq!(present, 0, "batch {i} was never sent");
        }
    }
    assert_projections_are_replays(&mut client);
    // The store picks up where it was: the rest goes in.
    let mut store = PostgresEventStore::connect(&url).unwrap();
    for batch in &batches[failed_at..] {
        store.ingest(batch).unwrap();
    }
    assert_eq!(stored_bodies(&mut client).len(), 6_000);
    assert_eq!(assert_projections_are_replays(&mut client), 60);
}
