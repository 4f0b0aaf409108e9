//! A PostgreSQL server for the tests: the one `scripts/with-postgres` (or
//! the contributor) names in `SPEC_KITTY_EVENTS_TEST_DATABASE_URL`, one fresh
//! database per test, dropped at the end.
//!
//! With the `postgres` feature on and no URL, a test fails: it does not
//! skip. `scripts/test` always provides the server.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, Config, NoTls};
use spec_kitty_events::store::postgres::{PostgresEventStore, migrate};

/// The variable naming the test server.
pub const URL_VARIABLE: &str = "SPEC_KITTY_EVENTS_TEST_DATABASE_URL";

/// The test server's connection string.
pub fn server_url() -> String {
    std::env::var(URL_VARIABLE).unwrap_or_else(|_| {
        panic!(
            "{URL_VARIABLE} is not set: the PostgreSQL tests need a server. \
             Run them through scripts/test or scripts/with-postgres, which start \
             a throwaway one, or set {URL_VARIABLE} to a libpq connection string \
             of a server where the tests may create databases."
        )
    })
}

/// A database made for one test, migrated, dropped when this goes away.
pub struct TestDatabase {
    pub config: Config,
    admin: String,
    name: String,
}

impl TestDatabase {
    pub fn new() -> Self {
        Self::on(&server_url())
    }

    /// A fresh database on the server at `admin`.
    pub fn on(admin: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "ske_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = Client::connect(admin, NoTls).expect("connect to the test server");
        // One statement each: a multi-statement string runs as one
        // transaction, where CREATE DATABASE is refused.
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop a leftover test database");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let mut config: Config = admin.parse().expect("a connection string");
        config.dbname(&name);
        let mut db = config.connect(NoTls).expect("connect to the test database");
        migrate(&mut db).expect("migrate the test database");
        Self {
            config,
            admin: admin.to_owned(),
            name,
        }
    }

    pub fn client(&self) -> Client {
        self.config
            .connect(NoTls)
            .expect("connect to the test database")
    }

    pub fn store(&self) -> PostgresEventStore {
        PostgresEventStore::from_client(self.client()).expect("a migrated database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Best effort: a server stopped by the test has nothing to drop.
        if let Ok(mut client) = Client::connect(&self.admin, NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
