//! The schema, as numbered migrations applied in order and recorded in `schema_migrations`:
//! a store opened by an older wabakit is brought forward; one written by a newer one is refused.

use rusqlite::{params, Connection};
use wabakit_core::Result;

use crate::store_error;

/// Each migration: its number and its statements.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (
        1,
        "
    CREATE TABLE messages (
        id            INTEGER PRIMARY KEY,
        provider      TEXT NOT NULL,
        profile       TEXT NOT NULL,
        message_id    TEXT,
        client_ref    TEXT,
        recipient     TEXT NOT NULL,
        template      TEXT NOT NULL,
        language      TEXT NOT NULL,
        campaign      TEXT,
        outcome       TEXT NOT NULL,
        status        TEXT NOT NULL,
        status_rank   INTEGER NOT NULL,
        error_kind    TEXT,
        error_code    TEXT,
        error_message TEXT,
        sent_at       INTEGER NOT NULL,
        status_at     INTEGER,
        delivered_at  INTEGER,
        read_at       INTEGER,
        failed_at     INTEGER,
        -- Message id first: a lookup by id alone (a user's `status ID`) uses it too.
        UNIQUE (message_id, provider)
    );
    CREATE INDEX messages_client_ref ON messages (client_ref, provider);
    CREATE INDEX messages_campaign ON messages (campaign, sent_at);
    CREATE INDEX messages_sent_at ON messages (sent_at);
    CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        dedupe_key  TEXT NOT NULL UNIQUE,
        provider    TEXT NOT NULL,
        profile     TEXT NOT NULL,
        kind        TEXT NOT NULL,
        message_id  TEXT,
        client_ref  TEXT,
        status      TEXT,
        at          INTEGER,
        received_at INTEGER NOT NULL,
        body        TEXT NOT NULL,
        error       TEXT
    );
    -- Full indexes, not partial: a partial one compared with a bound parameter makes SQLite
    -- plan the statement again at every execution (the plan depends on the value).
    CREATE INDEX events_message ON events (provider, message_id);
    CREATE INDEX events_client_ref ON events (provider, client_ref);
    CREATE TABLE templates (
        provider    TEXT NOT NULL,
        name        TEXT NOT NULL,
        language    TEXT NOT NULL,
        profile     TEXT NOT NULL,
        template_id TEXT,
        status      TEXT,
        reason      TEXT,
        category    TEXT,
        quality     TEXT,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (provider, name, language)
    );
    ",
    ),
    (
        2,
        // When the status a template row holds was true (the event's own time): a review event
        // that arrives late (PENDING after APPROVED) does not undo a newer one.
        "ALTER TABLE templates ADD COLUMN status_at INTEGER;",
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The version the store is at (0: empty).
pub fn version(tx: &Connection) -> Result<u32> {
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )
    .map_err(|e| store_error("reading the schema version", e))?;
    tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )
    .map_err(|e| store_error("reading the schema version", e))
}

/// Apply every migration the store has not had, in order; the versions applied.
pub fn migrate(tx: &Connection, now_millis: u64) -> Result<Vec<u32>> {
    let at = version(tx)?;
    if at > SCHEMA_VERSION {
        return Err(store_error(
            "opening",
            format!("the store is at schema {at}, newer than this wabakit's {SCHEMA_VERSION}: upgrade wabakit"),
        ));
    }
    let mut applied = Vec::new();
    for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > at) {
        tx.execute_batch(sql)
            .map_err(|e| store_error(&format!("migration {v}"), e))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![v, now_millis as i64],
        )
        .map_err(|e| store_error(&format!("migration {v}"), e))?;
        applied.push(*v);
    }
    Ok(applied)
}
