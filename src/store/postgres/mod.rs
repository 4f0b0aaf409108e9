//! [`PostgresEventStore`]: events and mission projections in PostgreSQL,
//! for the service that collects every developer's events.
//!
//! # Tables
//!
//! The schema (`migrations/`, applied by [`migrate`], or the command line's
//! `spec-kitty-events db migrate --database-url URL`) lives in the
//! PostgreSQL schema `spec_kitty_events`:
//!
//! - `events`: one row per `event_id`, with the columns a service filters on
//!   (`project_uuid`, `aggregate_id`, `correlation_id`, `event_type`,
//!   `node_id`, `lamport_clock`, `occurred_at_us`, `data_tier`) and `body`,
//!   the event's JSON text exactly as it arrived;
//! - `missions`: one row per mission (project and aggregate) with its
//!   [`ReducedMissionState`](crate::reduce::ReducedMissionState) as JSON,
//!   kept current by every [ingest](PostgresEventStore::ingest) in the same
//!   transaction, so that reading a state never replays a log.
//!
//! # Connecting
//!
//! [`PostgresEventStore::connect`] takes a libpq connection string, as a URL
//! (`postgresql://user:password@host:5432/dbname`) or as `key=value` pairs
//! (`host=/run/postgresql user=events dbname=events`). It refuses a database
//! whose schema is not current. TLS is not built in: connect over a unix
//! socket or a trusted network.
//!
//! # The driver
//!
//! The synchronous [`postgres`] crate: one store is one connection, used by
//! one thread at a time, with no async runtime imposed on the caller; a
//! service runs one store per worker (the crate's tests ingest through 8 at
//! once). Ingest is a handful of round trips per batch whatever its size
//! (whole columns are sent as arrays and unnested by the server), so an
//! async driver would win nothing on throughput. `sqlx` would add a much
//! larger build (2 cores in CI) for features this store does not use, and
//! its compile-time checked queries need a database at build time.
//! A pool, if a service wants one, wraps stores; it is not this crate's.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, NoTls, RowIter, Statement};

use crate::contract::{DataTier, Event};
use crate::error::{Error, Result};
use crate::reduce::MissionProjector;
use crate::store::EventStore;
use crate::store::verbatim::{MissionKey, SaveOutcome, VerbatimEvent, VerbatimEventStore, outcome};

mod batch;
mod ingest;
mod schema;

pub use batch::{IngestError, IngestReport};
pub use schema::{CURRENT_VERSION, MIGRATIONS, Migration, migrate, schema_version};

/// How many missions' projectors a store keeps in memory between batches
/// before it forgets them all (and re-reads a mission's events when it next
/// ingests into it).
const PROJECTOR_CACHE_MISSIONS: usize = 4096;

/// An event store in PostgreSQL. See the [module docs](self).
pub struct PostgresEventStore {
    /// Behind a lock only so that [`EventStore`]'s `&self` reads can query.
    client: Mutex<Client>,
    /// Projectors of the missions this store ingested into, each current as
    /// of that ingest. Used only when its event count equals the mission
    /// row's (under the row's lock), so a stale one is never trusted.
    projectors: HashMap<MissionKey, MissionProjector>,
    statements: Statements,
}

/// The ingest's statements, prepared once per connection: each batch then
/// costs one round trip per statement instead of two.
pub(crate) struct Statements {
    pub(crate) lock_missions: Statement,
    pub(crate) insert_events: Statement,
    pub(crate) write_missions: Statement,
    pub(crate) select_mission: Statement,
}

impl std::fmt::Debug for PostgresEventStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresEventStore")
            .field("cached_projectors", &self.projectors.len())
            .finish_non_exhaustive()
    }
}

/// The columns of a mission's events read back, in canonical order.
const SELECT_MISSION: &str = "SELECT body FROM spec_kitty_events.events \
     WHERE project_uuid = $1 AND aggregate_id = $2 \
     ORDER BY lamport_clock, occurred_at_us, event_id";

impl PostgresEventStore {
    /// Connects to the database at `url` (a libpq connection string).
    ///
    /// # Errors
    /// [`Error::Storage`] when the server cannot be reached, or the schema
    /// is not at [`CURRENT_VERSION`] (run [`migrate`] first).
    pub fn connect(url: &str) -> Result<Self> {
        let client = Client::connect(url, NoTls).map_err(db_error("connect"))?;
        Self::from_client(client)
    }

    /// A store over an open connection.
    ///
    /// # Errors
    /// [`Error::Storage`] when the schema is not at [`CURRENT_VERSION`].
    pub fn from_client(mut client: Client) -> Result<Self> {
        schema::check_current(&mut client)?;
        let mut prepare = |sql: &str| client.prepare(sql).map_err(db_error("prepare a statement"));
        let statements = Statements {
            lock_missions: prepare(ingest::LOCK_MISSIONS)?,
            insert_events: prepare(ingest::INSERT_EVENTS)?,
            write_missions: prepare(ingest::WRITE_MISSIONS)?,
            select_mission: prepare(SELECT_MISSION)?,
        };
        Ok(Self {
            client: Mutex::new(client),
            projectors: HashMap::new(),
            statements,
        })
    }

    /// The connection, for what this store does not do.
    pub fn client(&mut self) -> &mut Client {
        self.client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A mission's events in canonical order, streamed from the server
    /// (rows are fetched as the iterator is advanced).
    ///
    /// # Errors
    /// [`Error::Storage`] when the query fails; each item, when a row cannot
    /// be read or its text no longer decodes.
    pub fn mission_events(
        &mut self,
        mission: &MissionKey,
    ) -> Result<impl Iterator<Item = Result<VerbatimEvent>> + '_> {
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let params: [&(dyn ToSql + Sync); 2] = [&mission.project_uuid, &mission.aggregate_id];
        let rows = client
            .query_raw(&self.statements.select_mission, params)
            .map_err(db_error("read a mission's events"))?;
        Ok(stream(rows))
    }

    /// The events a destination of tier `destination` may see (see
    /// [`is_allowed_at`](crate::reduce::is_allowed_at)), of every project,
    /// in canonical order, streamed from the server.
    ///
    /// # Errors
    /// As [`mission_events`](Self::mission_events).
    pub fn events_for_tier(
        &mut self,
        destination: DataTier,
    ) -> Result<impl Iterator<Item = Result<VerbatimEvent>> + '_> {
        let tier = i16::from(destination.get());
        let params: [&(dyn ToSql + Sync); 1] = [&tier];
        let rows = self
            .client()
            .query_raw(
                "SELECT body FROM spec_kitty_events.events WHERE data_tier >= $1 \
                 ORDER BY lamport_clock, occurred_at_us, event_id",
                params,
            )
            .map_err(db_error("read events by tier"))?;
        Ok(stream(rows))
    }

    /// A mission's state (its `ReducedMissionState` JSON, as
    /// [`to_json`](crate::reduce::ReducedMissionState::to_json) writes it),
    /// read from its projection: no event is read. `None` for a mission
    /// with no event.
    ///
    /// # Errors
    /// [`Error::Storage`] when the query fails.
    pub fn mission_state(&mut self, mission: &MissionKey) -> Result<Option<String>> {
        let row = self
            .client()
            .query_opt(
                "SELECT state::text FROM spec_kitty_events.missions \
                 WHERE project_uuid = $1 AND aggregate_id = $2",
                &[&mission.project_uuid, &mission.aggregate_id],
            )
            .map_err(db_error("read a mission's state"))?;
        Ok(row.and_then(|row| row.get(0)))
    }

    /// Reads events with `query` (whose one column is `body`).
    fn read(&self, query: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<VerbatimEvent>> {
        self.client
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .query(query, params)
            .map_err(db_error("read events"))?
            .into_iter()
            .map(|row| decode_body(row.get(0)))
            .collect()
    }
}

/// The events of rows whose one column is `body`, as they arrive.
fn stream(mut rows: RowIter<'_>) -> impl Iterator<Item = Result<VerbatimEvent>> + '_ {
    std::iter::from_fn(move || {
        rows.next()
            .map_err(db_error("read events"))
            .and_then(|row| row.map(|row| decode_body(row.get(0))).transpose())
            .transpose()
    })
}

/// An event read back from `events.body`.
fn decode_body(body: String) -> Result<VerbatimEvent> {
    VerbatimEvent::parse(body)
        .map_err(|error| Error::storage(format!("a stored event no longer decodes: {error}")))
}

/// Turns a driver error into [`Error::Storage`], saying what was being done.
pub(crate) fn db_error(doing: &str) -> impl Fn(postgres::Error) -> Error + '_ {
    move |error| match error.as_db_error() {
        Some(db) => Error::storage(format!(
            "PostgreSQL: cannot {doing}: {} ({})",
            db.message(),
            db.code().code()
        )),
        None => Error::storage(format!("PostgreSQL: cannot {doing}: {error}")),
    }
}

impl VerbatimEventStore for PostgresEventStore {
    /// Saves one event, as an [ingest](PostgresEventStore::ingest) of one:
    /// its mission's projection is kept current.
    fn save_verbatim(&mut self, event: &VerbatimEvent) -> Result<SaveOutcome> {
        match self.ingest_events(std::slice::from_ref(event)) {
            Ok(report) if report.stored == 1 => Ok(SaveOutcome::Stored),
            Ok(_) => Ok(SaveOutcome::AlreadyStored),
            Err(IngestError::Conflict { stored, .. }) => Ok(outcome(Some(&stored), event)),
            Err(IngestError::Storage(error)) => Err(error),
            Err(other) => Err(Error::storage(other.to_string())),
        }
    }

    fn load_mission(&mut self, mission: &MissionKey) -> Result<Vec<VerbatimEvent>> {
        self.mission_events(mission)?.collect()
    }

    fn load_for_tier(&mut self, destination: DataTier) -> Result<Vec<VerbatimEvent>> {
        self.events_for_tier(destination)?.collect()
    }
}

impl EventStore for PostgresEventStore {
    /// Saves `event` as [`Event::to_json`] writes it. A stored id keeps its
    /// stored text; a different content under it is an error.
    fn save_event(&mut self, event: &Event) -> Result<()> {
        match self.save_verbatim(&VerbatimEvent::from_event(event.clone()))? {
            SaveOutcome::Stored | SaveOutcome::AlreadyStored => Ok(()),
            SaveOutcome::Conflict { event_id, .. } => Err(Error::storage(format!(
                "event {event_id} is stored with other content; refusing to overwrite it"
            ))),
        }
    }

    /// The events of `aggregate_id` (in every project), by `(lamport_clock,
    /// node_id, event_id)`.
    fn load_events(&self, aggregate_id: &str) -> Result<Vec<Event>> {
        let events = self.read(
            "SELECT body FROM spec_kitty_events.events WHERE aggregate_id = $1 \
             ORDER BY lamport_clock, node_id, event_id",
            &[&aggregate_id],
        )?;
        Ok(events.into_iter().map(VerbatimEvent::into_event).collect())
    }

    /// Every event, by `(lamport_clock, node_id, event_id)`.
    fn load_all_events(&self) -> Result<Vec<Event>> {
        let events = self.read(
            "SELECT body FROM spec_kitty_events.events \
             ORDER BY lamport_clock, node_id, event_id",
            &[],
        )?;
        Ok(events.into_iter().map(VerbatimEvent::into_event).collect())
    }
}
