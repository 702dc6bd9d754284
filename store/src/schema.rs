//! The schema, as numbered migrations applied in order and recorded in `schema_migrations`:
//! a store opened by an older wabakit is brought forward; one written by a newer one is refused.
//! Each dialect has its own statements; a version number means the same tables in both.

use wabakit_core::Result;

use crate::db::{args, sql, Conn, Dialect};
use crate::store_error;

/// Each migration on SQLite: its number and its statements.
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
    (
        3,
        // Campaigns (their rows, claimed by workers under a lease) and the limiter's state
        // that all workers of a profile share.
        "
    CREATE TABLE campaigns (
        name       TEXT PRIMARY KEY,
        profile    TEXT NOT NULL,
        provider   TEXT NOT NULL,
        template   TEXT NOT NULL,
        language   TEXT NOT NULL,
        state      TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE campaign_rows (
        id            INTEGER PRIMARY KEY,
        campaign      TEXT NOT NULL,
        client_ref    TEXT NOT NULL,
        recipient     TEXT NOT NULL,
        template      TEXT NOT NULL,
        language      TEXT NOT NULL,
        message       TEXT NOT NULL,
        state         TEXT NOT NULL,
        worker        TEXT,
        lease_until   INTEGER,
        attempts      INTEGER NOT NULL DEFAULT 0,
        started_at    INTEGER,
        finished_at   INTEGER,
        message_id    TEXT,
        error_kind    TEXT,
        error_code    TEXT,
        error_message TEXT,
        settled       INTEGER NOT NULL DEFAULT 0,
        UNIQUE (campaign, client_ref)
    );
    -- The only index beyond the keys: a row is updated twice (started, finished), and every
    -- index on a column that changes is written again each time. A worker's rows are found
    -- through it (campaign, state) and a receipt's row through the key (campaign, client_ref).
    CREATE INDEX campaign_rows_state ON campaign_rows (campaign, state, id);
    CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        -- GCRA's theoretical arrival time: when the next permit is free (Unix microseconds).
        tat INTEGER NOT NULL
    );
    ",
    ),
    (
        4,
        // The template itself, as this library last created, updated or read it: messages are
        // checked against it in later processes, and the memory provider gets its templates
        // back from it.
        "ALTER TABLE templates ADD COLUMN document TEXT;",
    ),
];

/// The same migrations on PostgreSQL (which came later: its first holds SQLite's second).
pub const PG_MIGRATIONS: &[(u32, &str)] = &[
    (
        1,
        "
    CREATE TABLE messages (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider      TEXT COLLATE \"C\" NOT NULL,
        profile       TEXT NOT NULL,
        message_id    TEXT COLLATE \"C\",
        client_ref    TEXT COLLATE \"C\",
        recipient     TEXT NOT NULL,
        template      TEXT NOT NULL,
        language      TEXT NOT NULL,
        campaign      TEXT COLLATE \"C\",
        outcome       TEXT NOT NULL,
        status        TEXT NOT NULL,
        status_rank   BIGINT NOT NULL,
        error_kind    TEXT,
        error_code    TEXT,
        error_message TEXT,
        sent_at       BIGINT NOT NULL,
        status_at     BIGINT,
        delivered_at  BIGINT,
        read_at       BIGINT,
        failed_at     BIGINT,
        UNIQUE (message_id, provider)
    );
    CREATE INDEX messages_client_ref ON messages (client_ref, provider);
    CREATE INDEX messages_campaign ON messages (campaign, sent_at);
    CREATE INDEX messages_sent_at ON messages (sent_at);
    CREATE TABLE events (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dedupe_key  TEXT COLLATE \"C\" NOT NULL UNIQUE,
        provider    TEXT COLLATE \"C\" NOT NULL,
        profile     TEXT NOT NULL,
        kind        TEXT NOT NULL,
        message_id  TEXT COLLATE \"C\",
        client_ref  TEXT COLLATE \"C\",
        status      TEXT,
        at          BIGINT,
        received_at BIGINT NOT NULL,
        body        TEXT NOT NULL,
        error       TEXT
    );
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
        updated_at  BIGINT NOT NULL,
        status_at   BIGINT,
        PRIMARY KEY (provider, name, language)
    );
    ",
    ),
    (2, ""),
    (
        3,
        // Campaigns (their rows, claimed by workers under a lease) and the limiter's state
        // that all workers of a profile share.
        "
    CREATE TABLE campaigns (
        name       TEXT PRIMARY KEY,
        profile    TEXT NOT NULL,
        provider   TEXT NOT NULL,
        template   TEXT NOT NULL,
        language   TEXT NOT NULL,
        state      TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
    );
    CREATE TABLE campaign_rows (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign      TEXT COLLATE \"C\" NOT NULL,
        client_ref    TEXT COLLATE \"C\" NOT NULL,
        recipient     TEXT NOT NULL,
        template      TEXT NOT NULL,
        language      TEXT NOT NULL,
        message       TEXT NOT NULL,
        state         TEXT COLLATE \"C\" NOT NULL,
        worker        TEXT,
        lease_until   BIGINT,
        attempts      BIGINT NOT NULL DEFAULT 0,
        started_at    BIGINT,
        finished_at   BIGINT,
        message_id    TEXT,
        error_kind    TEXT,
        error_code    TEXT,
        error_message TEXT,
        settled       BIGINT NOT NULL DEFAULT 0,
        UNIQUE (campaign, client_ref)
    );
    -- The only index beyond the keys: a row is updated twice (started, finished), and every
    -- index on a column that changes is written again each time. A worker's rows are found
    -- through it (campaign, state) and a receipt's row through the key (campaign, client_ref).
    CREATE INDEX campaign_rows_state ON campaign_rows (campaign, state, id);
    CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        -- GCRA's theoretical arrival time: when the next permit is free (Unix microseconds).
        tat BIGINT NOT NULL
    );
    ",
    ),
    (
        4,
        // The template itself, as this library last created, updated or read it: messages are
        // checked against it in later processes, and the memory provider gets its templates
        // back from it.
        "ALTER TABLE templates ADD COLUMN document TEXT;",
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

const _: () = assert!(PG_MIGRATIONS[PG_MIGRATIONS.len() - 1].0 == SCHEMA_VERSION);

fn migrations(d: Dialect) -> &'static [(u32, &'static str)] {
    match d {
        Dialect::Sqlite => MIGRATIONS,
        Dialect::Postgres => PG_MIGRATIONS,
    }
}

/// The version the store is at (0: empty).
pub fn version(c: &mut dyn Conn) -> Result<u32> {
    let reading = sql("reading the schema version");
    c.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .map_err(&reading)?;
    let row = c
        .row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .map_err(&reading)?;
    Ok(row.map_or(0, |r| r.int(0)) as u32)
}

/// Apply every migration the store has not had, in order; the versions applied. On
/// PostgreSQL, processes starting together migrate one at a time (the others then find the
/// work done).
pub fn migrate(c: &mut dyn Conn, now_millis: u64) -> Result<Vec<u32>> {
    if c.dialect() == Dialect::Postgres {
        c.exec("SELECT pg_advisory_xact_lock(7761626)", &[])
            .map_err(sql("migrating"))?;
    }
    let at = version(c)?;
    if at > SCHEMA_VERSION {
        return Err(store_error(
            "opening",
            format!("the store is at schema {at}, newer than this wabakit's {SCHEMA_VERSION}: upgrade wabakit"),
        ));
    }
    let mut applied = Vec::new();
    for (v, statements) in migrations(c.dialect()).iter().filter(|(v, _)| *v > at) {
        let failed = |e| store_error(&format!("migration {v}"), e);
        if !statements.trim().is_empty() {
            c.batch(statements).map_err(failed)?;
        }
        c.exec(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            args![i64::from(*v), now_millis as i64],
        )
        .map_err(failed)?;
        applied.push(*v);
    }
    Ok(applied)
}
