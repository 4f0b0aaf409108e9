//! The schema's migrations, shipped in the crate, and the one function that
//! applies them.

use postgres::Client;
use postgres::error::SqlState;

use crate::error::{Error, Result};
use crate::store::postgres::db_error;

/// One step of the schema: a version and the SQL that takes the schema
/// there from the version before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The version the schema has after this step, from 1.
    pub version: i32,
    /// What the step does, in a few words.
    pub name: &'static str,
    /// The SQL, run in one transaction.
    pub sql: &'static str,
}

/// Every migration, in order. The schema's objects live in the PostgreSQL
/// schema `spec_kitty_events`, so they sit beside a service's own tables.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "events and mission projections",
    sql: include_str!("../../../migrations/0001_events.sql"),
}];

/// The version this crate's store reads and writes.
pub const CURRENT_VERSION: i32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// A lock key for `pg_advisory_xact_lock`, so that two migrators at once
/// run one after the other ("skevents" in ASCII).
const MIGRATION_LOCK: i64 = 0x736b_6576_656e_7473;

/// Applies the migrations the database lacks, in one transaction; returns
/// the versions applied (empty when it was current).
///
/// # Errors
/// [`Error::Storage`] naming the migration that failed; nothing of the run
/// is applied then.
pub fn migrate(client: &mut Client) -> Result<Vec<i32>> {
    let mut tx = client
        .transaction()
        .map_err(db_error("begin a migration"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(db_error("lock the migrations"))?;
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS spec_kitty_events;
         CREATE TABLE IF NOT EXISTS spec_kitty_events.migrations (
             version    integer PRIMARY KEY,
             name       text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         );",
    )
    .map_err(db_error("create the migrations table"))?;
    let current: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM spec_kitty_events.migrations",
            &[],
        )
        .map_err(db_error("read the schema version"))?
        .get(0);
    let mut applied = Vec::new();
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        let doing = format!("apply migration {} ({})", migration.version, migration.name);
        tx.batch_execute(migration.sql)
            .map_err(|e| db_error(&doing)(e))?;
        tx.execute(
            "INSERT INTO spec_kitty_events.migrations (version, name) VALUES ($1, $2)",
            &[&migration.version, &migration.name],
        )
        .map_err(|e| db_error(&doing)(e))?;
        applied.push(migration.version);
    }
    tx.commit().map_err(db_error("commit the migrations"))?;
    Ok(applied)
}

/// The schema version of the database: 0 when it was never migrated.
///
/// # Errors
/// [`Error::Storage`] when the database cannot be read.
pub fn schema_version(client: &mut Client) -> Result<i32> {
    match client.query_one(
        "SELECT coalesce(max(version), 0) FROM spec_kitty_events.migrations",
        &[],
    ) {
        Ok(row) => Ok(row.get(0)),
        Err(error)
            if matches!(
                error.code(),
                Some(&SqlState::UNDEFINED_TABLE | &SqlState::INVALID_SCHEMA_NAME)
            ) =>
        {
            Ok(0)
        }
        Err(error) => Err(db_error("read the schema version")(error)),
    }
}

/// Fails unless the database is at [`CURRENT_VERSION`].
pub(super) fn check_current(client: &mut Client) -> Result<()> {
    let version = schema_version(client)?;
    if version == CURRENT_VERSION {
        return Ok(());
    }
    Err(Error::storage(format!(
        "the database schema is at version {version}, this crate uses version \
         {CURRENT_VERSION}: run `spec-kitty-events db migrate --database-url URL`"
    )))
}
