//! `db`: the PostgreSQL store's database (with the `postgres` feature).

use clap::{Args, Subcommand};
use spec_kitty_events::store::postgres::{CURRENT_VERSION, migrate};

use crate::{Failure, print};

/// The variable holding the connection string when `--database-url` is not given.
const URL_VARIABLE: &str = "SPEC_KITTY_EVENTS_DATABASE_URL";

#[derive(Args)]
pub(crate) struct DbArgs {
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Bring the database's schema (PostgreSQL schema `spec_kitty_events`)
    /// to this version's: apply the migrations it lacks, in one transaction.
    ///
    /// Running it again changes nothing. Exits 2 when the database cannot be
    /// reached or a migration fails (nothing of the run is applied then).
    Migrate {
        /// A libpq connection string: `postgresql://user@host/dbname` or
        /// `host=/run/postgresql dbname=events`. Default:
        /// $SPEC_KITTY_EVENTS_DATABASE_URL.
        #[arg(long)]
        database_url: Option<String>,
    },
}

pub(crate) fn db(args: &DbArgs) -> Result<(), Failure> {
    match &args.command {
        DbCommand::Migrate { database_url } => {
            let url = match database_url {
                Some(url) => url.clone(),
                None => std::env::var(URL_VARIABLE).map_err(|_| {
                    Failure::Unusable(format!(
                        "no database: pass --database-url or set {URL_VARIABLE}"
                    ))
                })?,
            };
            let mut client = postgres::Client::connect(&url, postgres::NoTls)
                .map_err(|e| Failure::Unusable(format!("cannot connect to the database: {e}")))?;
            let applied = migrate(&mut client).map_err(|e| Failure::Unusable(e.to_string()))?;
            let message = if applied.is_empty() {
                format!("the schema is current (version {CURRENT_VERSION})\n")
            } else {
                let versions: Vec<String> = applied.iter().map(i32::to_string).collect();
                format!(
                    "applied migration(s) {}; the schema is at version {CURRENT_VERSION}\n",
                    versions.join(", ")
                )
            };
            print(&message)
        }
    }
}
