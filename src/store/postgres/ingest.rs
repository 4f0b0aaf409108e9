//! Ingest: one batch (one CLI's sync) stored in one transaction, with the
//! projection of every mission it touches brought up to date in the same
//! transaction.
//!
//! The steps are in [`PostgresEventStore::ingest`]'s documentation.

use std::collections::{BTreeMap, HashMap};
use std::sync::PoisonError;

use postgres::Transaction;
use postgres::error::SqlState;
use uuid::Uuid;

use crate::contract::Ulid;
use crate::error::Error;
use crate::reduce::{MissionProjector, status_event_sort_key};
use crate::store::postgres::batch::{IngestError, IngestReport, decode, dedup};
use crate::store::postgres::{PROJECTOR_CACHE_MISSIONS, PostgresEventStore, Statements, db_error};
use crate::store::verbatim::{MissionKey, VerbatimEvent};

/// How many times a batch is retried after a deadlock.
const ATTEMPTS: usize = 5;

impl PostgresEventStore {
    /// Stores a batch of event texts in one transaction, keeping the
    /// projection of each mission it touches current.
    ///
    /// # Steps
    ///
    /// 1. Every text is decoded (`batch`) before the database is touched; the first that
    ///    does not decode rejects the batch with its position and field. A
    ///    batch naming one `event_id` twice with different texts is rejected
    ///    too.
    /// 2. The rows of the batch's missions are created if missing and locked,
    ///    by one upsert in key order (so two batches never wait on each other
    ///    in a cycle), which returns each mission's stored event count. From
    ///    here on no other writer touches those missions.
    /// 3. The events are inserted with `ON CONFLICT DO NOTHING`; the ids that
    ///    were already stored are compared, byte for byte, with what is stored:
    ///    a different text rolls the whole batch back and is reported.
    /// 4. Each mission that got a new event has its projector brought up to
    ///    date: the store's cached [`MissionProjector`] when its event count
    ///    equals the mission row's (nobody else wrote since), a new one for a
    ///    mission with no stored event, otherwise one rebuilt from the
    ///    mission's stored events (read under the lock). The new events are applied
    ///    in canonical order. An event that sorts before what the projector has
    ///    already applied (it arrived late, in a later batch) makes the
    ///    projector re-fold the mission from scratch — its documented slow path
    ///    — so the projection always equals a full replay of the stored events.
    /// 5. The projections are written and the transaction commits. Only then
    ///    are the projectors kept for the next batch; a failed batch forgets
    ///    them.
    ///
    /// A deadlock or serialization failure reported by the server (rare: the
    /// key order settles who waits for whom, except for an event id sent under
    /// two missions at once) retries the whole transaction, a few times.
    ///
    /// # Errors
    /// [`IngestError::Invalid`] (position and field) or
    /// [`IngestError::Conflict`] (position and id): nothing of the batch is
    /// stored. [`IngestError::Storage`] when the database fails; nothing of
    /// the batch is stored unless the failure came after the commit.
    pub fn ingest<S: AsRef<str> + Sync>(
        &mut self,
        batch: &[S],
    ) -> Result<IngestReport, IngestError> {
        let decoded = decode(batch)?;
        let mut report = self.ingest_decoded(&decoded.events)?;
        report.already_stored += decoded.duplicates;
        Ok(report)
    }

    /// [`ingest`](Self::ingest) of events already decoded.
    ///
    /// # Errors
    /// As [`ingest`](Self::ingest).
    pub fn ingest_events(&mut self, events: &[VerbatimEvent]) -> Result<IngestReport, IngestError> {
        let decoded = dedup(events.iter().cloned().enumerate().collect())?;
        let mut report = self.ingest_decoded(&decoded.events)?;
        report.already_stored += decoded.duplicates;
        Ok(report)
    }

    fn ingest_decoded(
        &mut self,
        events: &[(usize, VerbatimEvent)],
    ) -> Result<IngestReport, IngestError> {
        if events.is_empty() {
            return Ok(IngestReport::default());
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_ingest(events) {
                Err(IngestError::Storage(Error::Storage { message, .. }))
                    if attempt < ATTEMPTS && is_retryable(&message) => {}
                other => return other,
            }
        }
    }

    fn try_ingest(
        &mut self,
        events: &[(usize, VerbatimEvent)],
    ) -> Result<IngestReport, IngestError> {
        let mut by_mission: BTreeMap<MissionKey, Vec<&VerbatimEvent>> = BTreeMap::new();
        for (_, event) in events {
            by_mission.entry(event.mission()).or_default().push(event);
        }
        // Projectors leave the cache while the batch runs: a batch that fails
        // must not leave one that counts its events.
        let mut projectors: HashMap<MissionKey, MissionProjector> = by_mission
            .keys()
            .filter_map(|key| self.projectors.remove_entry(key))
            .collect();

        let statements = &self.statements;
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let mut tx = client.transaction().map_err(db_error("begin an ingest"))?;
        let counts = lock_missions(&mut tx, statements, by_mission.keys())?;
        let inserted = insert_events(&mut tx, statements, events)?;
        let already_stored = events.len() - inserted.len();
        if already_stored > 0 {
            check_known(&mut tx, events, &inserted)?;
        }

        let mut states = MissionRows::default();
        for (key, mission_events) in &by_mission {
            let mut new: Vec<&VerbatimEvent> = mission_events
                .iter()
                .copied()
                .filter(|event| inserted.contains_key(&event.event().event_id()))
                .collect();
            if new.is_empty() {
                continue;
            }
            let stored_count = counts.get(key).copied().unwrap_or(0);
            let projector = match projectors.remove(key) {
                Some(projector) if projector.len() as i64 == stored_count => projector,
                // A mission new to the database has nothing to read back.
                _ if stored_count == 0 => MissionProjector::new(),
                _ => rebuild(&mut tx, statements, key, &inserted)?,
            };
            let mut projector = projector;
            new.sort_by_key(|event| status_event_sort_key(event.event()));
            projector.extend(new.into_iter().map(|event| event.event().clone()));
            states.push(key, &projector);
            projectors.insert(key.clone(), projector);
        }
        states.write(&mut tx, statements)?;
        tx.commit().map_err(db_error("commit an ingest"))?;

        if self.projectors.len() + projectors.len() > PROJECTOR_CACHE_MISSIONS {
            self.projectors.clear();
        }
        let missions_updated = states.keys.len();
        self.projectors.extend(projectors);
        Ok(IngestReport {
            stored: inserted.len(),
            already_stored,
            missions_updated,
        })
    }
}

/// Whether a failed transaction may succeed when run again.
fn is_retryable(message: &str) -> bool {
    [
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::T_R_SERIALIZATION_FAILURE,
    ]
    .iter()
    .any(|state| message.ends_with(&format!("({})", state.code())))
}

/// Creates the missing rows of `keys` and locks them all, in key order, in
/// one statement (an upsert that locks the rows it finds); returns each
/// mission's stored event count.
pub(super) const LOCK_MISSIONS: &str = "INSERT INTO spec_kitty_events.missions AS m \
     (project_uuid, aggregate_id) \
     SELECT * FROM unnest($1::uuid[], $2::text[]) ORDER BY 1, 2 \
     ON CONFLICT (project_uuid, aggregate_id) DO UPDATE SET event_count = m.event_count \
     RETURNING project_uuid, aggregate_id, event_count";

fn lock_missions<'k>(
    tx: &mut Transaction<'_>,
    statements: &Statements,
    keys: impl Iterator<Item = &'k MissionKey>,
) -> Result<HashMap<MissionKey, i64>, IngestError> {
    let (projects, aggregates): (Vec<Uuid>, Vec<&str>) = keys
        .map(|key| (key.project_uuid, key.aggregate_id.as_str()))
        .unzip();
    let rows = tx
        .query(&statements.lock_missions, &[&projects, &aggregates])
        .map_err(db_error("lock mission rows"))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let key = MissionKey {
                project_uuid: row.get(0),
                aggregate_id: row.get(1),
            };
            (key, row.get(2))
        })
        .collect())
}

/// Inserts the events whose ids are not stored; returns the ids inserted.
pub(super) const INSERT_EVENTS: &str = "INSERT INTO spec_kitty_events.events \
     (event_id, project_uuid, aggregate_id, correlation_id, event_type, node_id, \
     lamport_clock, occurred_at_us, data_tier, body) \
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], \
     $6::text[], $7::int8[], $8::int8[], $9::int2[], $10::text[]) \
     ON CONFLICT (event_id) DO NOTHING RETURNING event_id";

fn insert_events(
    tx: &mut Transaction<'_>,
    statements: &Statements,
    events: &[(usize, VerbatimEvent)],
) -> Result<HashMap<Ulid, ()>, IngestError> {
    let n = events.len();
    let mut ids = Vec::with_capacity(n);
    let mut projects = Vec::with_capacity(n);
    let mut aggregates = Vec::with_capacity(n);
    let mut correlations = Vec::with_capacity(n);
    let mut types = Vec::with_capacity(n);
    let mut nodes = Vec::with_capacity(n);
    let mut clocks = Vec::with_capacity(n);
    let mut instants = Vec::with_capacity(n);
    let mut tiers = Vec::with_capacity(n);
    let mut bodies = Vec::with_capacity(n);
    for (_, verbatim) in events {
        let event = verbatim.event();
        ids.push(event.event_id().as_str().to_owned());
        projects.push(event.project_uuid());
        aggregates.push(event.aggregate_id());
        correlations.push(event.correlation_id().as_str().to_owned());
        types.push(event.event_type());
        nodes.push(event.node_id());
        // Checked to fit when the batch was decoded.
        clocks.push(i64::try_from(event.lamport_clock()).unwrap_or(i64::MAX));
        instants.push(event.timestamp().as_microsecond());
        tiers.push(i16::from(event.data_tier().get()));
        bodies.push(verbatim.text());
    }
    let rows = tx
        .query(
            &statements.insert_events,
            &[
                &ids,
                &projects,
                &aggregates,
                &correlations,
                &types,
                &nodes,
                &clocks,
                &instants,
                &tiers,
                &bodies,
            ],
        )
        .map_err(db_error("insert events"))?;
    rows.into_iter()
        .map(|row| {
            let id: &str = row.get(0);
            Ulid::parse(id)
                .map(|id| (id, ()))
                .map_err(|e| Error::storage(format!("stored event id {id:?}: {e}")).into())
        })
        .collect()
}

/// Fails with the first event of the batch whose id is stored with another
/// text.
fn check_known(
    tx: &mut Transaction<'_>,
    events: &[(usize, VerbatimEvent)],
    inserted: &HashMap<Ulid, ()>,
) -> Result<(), IngestError> {
    let known: Vec<&(usize, VerbatimEvent)> = events
        .iter()
        .filter(|(_, event)| !inserted.contains_key(&event.event().event_id()))
        .collect();
    let ids: Vec<String> = known
        .iter()
        .map(|(_, event)| event.event().event_id().as_str().to_owned())
        .collect();
    let rows = tx
        .query(
            "SELECT event_id, body FROM spec_kitty_events.events WHERE event_id = ANY($1)",
            &[&ids],
        )
        .map_err(db_error("read stored events"))?;
    let stored: HashMap<String, String> = rows
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    for (position, event) in known {
        let id = event.event().event_id();
        match stored.get(id.as_str()) {
            Some(text) if text == event.text() => {}
            Some(text) => {
                return Err(IngestError::Conflict {
                    position: *position,
                    event_id: id,
                    stored: text.as_str().into(),
                });
            }
            None => {
                return Err(Error::storage(format!(
                    "event {id} was neither inserted nor found stored"
                ))
                .into());
            }
        }
    }
    Ok(())
}

/// A projector of the mission's stored events, except those this batch
/// inserted (which the caller applies).
fn rebuild(
    tx: &mut Transaction<'_>,
    statements: &Statements,
    key: &MissionKey,
    inserted: &HashMap<Ulid, ()>,
) -> Result<MissionProjector, IngestError> {
    let rows = tx
        .query(
            &statements.select_mission,
            &[&key.project_uuid, &key.aggregate_id],
        )
        .map_err(db_error("read a mission's events"))?;
    let mut projector = MissionProjector::new();
    for row in rows {
        let event = super::decode_body(row.get(0))?.into_event();
        if !inserted.contains_key(&event.event_id()) {
            projector.apply(event);
        }
    }
    Ok(projector)
}

/// Writes the projections given as columns.
pub(super) const WRITE_MISSIONS: &str = "UPDATE spec_kitty_events.missions AS m \
     SET event_count = u.c, state = u.s::json \
     FROM unnest($1::uuid[], $2::text[], $3::int8[], $4::text[]) AS u(p, a, c, s) \
     WHERE m.project_uuid = u.p AND m.aggregate_id = u.a";

/// The projections to write, as columns.
#[derive(Default)]
struct MissionRows {
    keys: Vec<(Uuid, String)>,
    counts: Vec<i64>,
    states: Vec<String>,
}

impl MissionRows {
    fn push(&mut self, key: &MissionKey, projector: &MissionProjector) {
        self.keys.push((key.project_uuid, key.aggregate_id.clone()));
        self.counts.push(projector.len() as i64);
        self.states.push(projector.state().to_json());
    }

    fn write(&self, tx: &mut Transaction<'_>, statements: &Statements) -> Result<(), IngestError> {
        if self.keys.is_empty() {
            return Ok(());
        }
        let (projects, aggregates): (Vec<Uuid>, Vec<&str>) = self
            .keys
            .iter()
            .map(|(project, aggregate)| (*project, aggregate.as_str()))
            .unzip();
        tx.execute(
            &statements.write_missions,
            &[&projects, &aggregates, &self.counts, &self.states],
        )
        .map_err(db_error("write mission projections"))?;
        Ok(())
    }
}
