//! For tests (of this crate and the crates above it): a fresh PostgreSQL database per test, on
//! the cluster `scripts/test` starts (`WABAKIT_TEST_POSTGRES`, the URL of a database there the
//! tests may connect to as an administrator).

use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the test cluster.
pub const VAR: &str = "WABAKIT_TEST_POSTGRES";

/// When set (as `scripts/test` sets it), a missing cluster fails the tests that need one
/// instead of skipping them.
pub const REQUIRE: &str = "WABAKIT_REQUIRE_POSTGRES";

/// A new, empty database for test `name`, and its URL; `None` (with a line saying so) when no
/// cluster is configured and none is required.
pub fn fresh_postgres(name: &str) -> Option<String> {
    let Ok(base) = std::env::var(VAR) else {
        if std::env::var_os(REQUIRE).is_some() {
            panic!("{REQUIRE} is set but {VAR} is not: no PostgreSQL for the tests");
        }
        eprintln!("{name}: skipped on PostgreSQL ({VAR} is not set; scripts/test sets it)");
        return None;
    };
    #[cfg(feature = "postgres")]
    {
        static N: AtomicU32 = AtomicU32::new(0);
        let db = format!(
            "t_{}_{}_{}",
            name.chars()
                .map(|c| if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                })
                .take(40)
                .collect::<String>(),
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        // On a thread of its own: the blocking client cannot start inside a test's runtime.
        let (at, name) = (base.clone(), db.clone());
        std::thread::spawn(move || {
            let mut admin = postgres::Client::connect(&at, postgres::NoTls)
                .unwrap_or_else(|e| panic!("{VAR}={at}: {e}"));
            // Two statements, two calls: CREATE DATABASE cannot run in a transaction block.
            for q in [
                format!("DROP DATABASE IF EXISTS {name}"),
                format!("CREATE DATABASE {name}"),
            ] {
                admin
                    .batch_execute(&q)
                    .unwrap_or_else(|e| panic!("{q}: {e:?}"));
            }
        })
        .join()
        .expect("creating a test database");
        let (head, query) = base.split_once('?').unwrap_or((&base, ""));
        let root = match head.rfind('/') {
            Some(i) if i > head.find("://").map_or(0, |j| j + 2) => &head[..i],
            _ => head,
        };
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        Some(format!("{root}/{db}{query}"))
    }
    #[cfg(not(feature = "postgres"))]
    {
        let _ = (base, AtomicU32::new(0).load(Ordering::Relaxed));
        panic!("{VAR} is set, but this build has no PostgreSQL");
    }
}

/// Flush the test cluster's dirty pages now (`CHECKPOINT`), when one is configured: a test that
/// times its windows (the shared rate limit's) then does not meet the checkpoint of what the
/// tests before it wrote (the drill's hundred thousand updates), whose writes slow every commit.
pub fn checkpoint_postgres() {
    let Ok(base) = std::env::var(VAR) else {
        return;
    };
    #[cfg(feature = "postgres")]
    std::thread::spawn(move || {
        let mut admin = postgres::Client::connect(&base, postgres::NoTls)
            .unwrap_or_else(|e| panic!("{VAR}={base}: {e}"));
        admin
            .batch_execute("CHECKPOINT")
            .unwrap_or_else(|e| panic!("CHECKPOINT: {e:?}"));
    })
    .join()
    .expect("a checkpoint");
    #[cfg(not(feature = "postgres"))]
    let _ = base;
}
