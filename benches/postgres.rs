//! PostgreSQL ingest benchmark: how close ingest with projections comes to
//! a plain `COPY` of the same rows.
//!
//! `scripts/with-postgres cargo bench --features postgres --bench postgres`
//! (a throwaway server; or set `SPEC_KITTY_EVENTS_TEST_DATABASE_URL`).
//!
//! 1,000 synthetic missions of 100 events (`tests/support/many_missions.rs`),
//! each mission's events in causal order as its CLI sends them, cut into
//! batches of 100 and of 1,000 events. For each batch size, in the same run,
//! each into a fresh database:
//!
//! - **ingest**: `PostgresEventStore::ingest` of every batch, one
//!   transaction each, texts in (decoding included), projections kept
//!   current;
//! - **interleaved**: the same with the missions' events dealt round-robin
//!   (each batch of 1,000 holds one event of every mission): every batch
//!   updates 1,000 projections, each incrementally;
//! - **COPY floor**: the same rows, one text-format `COPY` per batch into a
//!   table with the same columns and no index, no key, no projection;
//! - **state read**: `mission_state` of one mission (a primary-key lookup of
//!   its projection), against reading its 100 events and replaying them.
//!
//! Each timing is the best of 3 runs. Nothing in the test suite is timed.

#[path = "../tests/support/many_missions.rs"]
mod many_missions;
#[path = "../tests/support/postgres.rs"]
mod pg;
#[path = "../tests/support/synthetic_log.rs"]
mod synthetic_log;

use std::io::Write;
use std::time::{Duration, Instant};

use spec_kitty_events::reduce::reduce_lifecycle_events;
use spec_kitty_events::store::{MissionKey, VerbatimEvent};

const MISSIONS: u64 = 1_000;
const RUNS: usize = 3;

fn best(mut run: impl FnMut() -> Duration) -> Duration {
    (0..RUNS).map(|_| run()).min().unwrap_or_default()
}

/// A text-format `COPY` field: backslash, tab, newline and carriage return
/// escaped.
fn copy_field(out: &mut Vec<u8>, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

fn copy_rows(batch: &[VerbatimEvent]) -> Vec<u8> {
    let mut out = Vec::with_capacity(batch.len() * 700);
    for verbatim in batch {
        let event = verbatim.event();
        let fields = [
            event.event_id().as_str().to_owned(),
            event.project_uuid().to_string(),
            event.aggregate_id().to_owned(),
            event.correlation_id().as_str().to_owned(),
            event.event_type().to_owned(),
            event.node_id().to_owned(),
            event.lamport_clock().to_string(),
            event.timestamp().as_microsecond().to_string(),
            event.data_tier().get().to_string(),
        ];
        for field in &fields {
            copy_field(&mut out, field);
            out.push(b'\t');
        }
        copy_field(&mut out, verbatim.text());
        out.push(b'\n');
    }
    out
}

/// The COPY floor: the rows of every batch, one COPY each, into an
/// unindexed table. The rows are built from already-decoded events: the
/// floor pays for no decoding.
fn copy_floor(batches: &[Vec<String>]) -> Duration {
    let decoded: Vec<Vec<VerbatimEvent>> = batches
        .iter()
        .map(|batch| {
            batch
                .iter()
                .map(|text| VerbatimEvent::parse(text.as_str()).unwrap())
                .collect()
        })
        .collect();
    best(|| {
        let database = pg::TestDatabase::new();
        let mut client = database.client();
        client
            // LIKE copies the columns, not the key or the indexes.
            .batch_execute("CREATE TABLE copy_floor (LIKE spec_kitty_events.events)")
            .unwrap();
        let start = Instant::now();
        for batch in &decoded {
            let rows = copy_rows(batch);
            let mut writer = client.copy_in("COPY copy_floor FROM STDIN").unwrap();
            writer.write_all(&rows).unwrap();
            writer.finish().unwrap();
        }
        start.elapsed()
    })
}

fn ingest(batches: &[Vec<String>]) -> Duration {
    best(|| {
        let database = pg::TestDatabase::new();
        let mut store = database.store();
        let start = Instant::now();
        let mut stored = 0;
        for batch in batches {
            stored += store.ingest(batch).unwrap().stored;
        }
        let elapsed = start.elapsed();
        assert_eq!(stored, (MISSIONS * 100) as usize);
        elapsed
    })
}

fn rate(events: usize, time: Duration) -> f64 {
    events as f64 / time.as_secs_f64()
}

fn main() {
    if std::env::args().any(|arg| arg == "--list") {
        return;
    }
    let missions: Vec<Vec<String>> = (0..MISSIONS)
        .map(|m| many_missions::mission_texts(m, 16, m))
        .collect();
    let in_order: Vec<String> = missions.iter().flatten().cloned().collect();
    let events = in_order.len();
    let mut interleaved = Vec::with_capacity(events);
    for k in 0..100 {
        interleaved.extend(missions.iter().map(|mission| mission[k].clone()));
    }
    println!("| batch | COPY floor ev/s | ingest ev/s | ×COPY | interleaved ev/s | ×COPY |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for size in [100, 1_000] {
        let batches: Vec<Vec<String>> = in_order.chunks(size).map(<[String]>::to_vec).collect();
        let dealt: Vec<Vec<String>> = interleaved.chunks(size).map(<[String]>::to_vec).collect();
        let floor = copy_floor(&batches);
        let ingested = ingest(&batches);
        let spread = ingest(&dealt);
        println!(
            "| {size} | {:.0} | {:.0} | {:.2} | {:.0} | {:.2} |",
            rate(events, floor),
            rate(events, ingested),
            ingested.as_secs_f64() / floor.as_secs_f64(),
            rate(events, spread),
            spread.as_secs_f64() / floor.as_secs_f64(),
        );
    }

    // Reading one mission's state: the projection, against a replay.
    let database = pg::TestDatabase::new();
    let mut store = database.store();
    for batch in in_order.chunks(1_000) {
        store.ingest(batch).unwrap();
    }
    let keys: Vec<MissionKey> = (0..MISSIONS)
        .step_by(7)
        .map(|m| MissionKey {
            project_uuid: "00000000-0000-0000-0000-000000000001".parse().unwrap(),
            aggregate_id: format!("M{m:04}"),
        })
        .collect();
    let projection = best(|| {
        let start = Instant::now();
        for key in &keys {
            std::hint::black_box(store.mission_state(key).unwrap().unwrap());
        }
        start.elapsed() / keys.len() as u32
    });
    let replay = best(|| {
        let start = Instant::now();
        for key in &keys {
            let events: Vec<VerbatimEvent> = store
                .mission_events(key)
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let state = reduce_lifecycle_events(
                events.iter().map(VerbatimEvent::event).collect::<Vec<_>>(),
            );
            std::hint::black_box(state.to_json());
        }
        start.elapsed() / keys.len() as u32
    });
    println!();
    println!(
        "state read: projection {:.0} µs, replay of its 100 events {:.0} µs ({:.1}×)",
        projection.as_secs_f64() * 1e6,
        replay.as_secs_f64() * 1e6,
        replay.as_secs_f64() / projection.as_secs_f64()
    );
}
