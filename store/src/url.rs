//! `[store] url`: which database, and how hard a commit holds.

use std::path::PathBuf;

use wabakit_core::{Error, Result};

/// The store when a config names none: a file in the working directory.
pub const DEFAULT_URL: &str = "sqlite://wabakit.db";

/// How a commit reaches the disk (SQLite's `synchronous`, in WAL mode).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sync {
    /// Every commit is synced: a committed event survives a power cut.
    #[default]
    Full,
    /// Commits reach the OS, synced at checkpoints: they survive a crash of the process.
    Normal,
}

/// A parsed store URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreUrl {
    /// An SQLite file.
    Sqlite {
        /// The file.
        path: PathBuf,
        /// How commits reach the disk.
        sync: Sync,
    },
    /// An SQLite database in memory, gone with the store.
    Memory,
    /// A PostgreSQL database, shared by any number of processes.
    Postgres(PgUrl),
}

/// A PostgreSQL URL, kept whole for connecting and shown without its password.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl(String);

impl PgUrl {
    /// What the client connects with.
    pub fn connect_string(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgUrl({self})")
    }
}

/// `postgres://user:secret@host/db` shown as `postgres://user:***@host/db`.
impl std::fmt::Display for PgUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let u = &self.0;
        let scheme_end = u.find("://").map_or(0, |i| i + 3);
        let rest = &u[scheme_end..];
        match rest.find('@') {
            Some(at) => {
                let userinfo = &rest[..at];
                let user = userinfo.split(':').next().unwrap_or("");
                let hidden = if userinfo.contains(':') { ":***" } else { "" };
                write!(f, "{}{user}{hidden}{}", &u[..scheme_end], &rest[at..])?;
            }
            None => f.write_str(u)?,
        }
        Ok(())
    }
}

impl StoreUrl {
    /// `sqlite://PATH[?sync=full|normal]`, `sqlite::memory:`, or
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?OPTIONS]` (`postgresql://` too).
    pub fn parse(url: &str) -> Result<StoreUrl> {
        let bad = |why: &str| {
            Error::config(format!(
                "[store] url {url:?}: {why} (write sqlite://wabakit.db, sqlite:///var/lib/wabakit.db, sqlite::memory: or postgres://user@host/db)"
            ))
        };
        if url == "sqlite::memory:" {
            return Ok(StoreUrl::Memory);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            if url.contains("password=") {
                return Err(bad("put the password in the URL's user part (postgres://user:password@host/db) or in ~/.pgpass, where it is hidden when shown"));
            }
            return Ok(StoreUrl::Postgres(PgUrl(url.to_owned())));
        }
        let rest = url
            .strip_prefix("sqlite://")
            .ok_or_else(|| bad("not a store URL"))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty() {
            return Err(bad("no file named"));
        }
        let mut sync = Sync::Full;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair {
                "sync=full" => sync = Sync::Full,
                "sync=normal" => sync = Sync::Normal,
                other => {
                    return Err(bad(&format!(
                        "unknown option {other:?} (sync=full or sync=normal)"
                    )))
                }
            }
        }
        Ok(StoreUrl::Sqlite {
            path: PathBuf::from(path),
            sync,
        })
    }
}

impl StoreUrl {
    /// The URL to open the same store again with (a PostgreSQL one with its password: never
    /// show it; [`Display`](std::fmt::Display) hides it).
    pub fn connect_url(&self) -> String {
        match self {
            StoreUrl::Postgres(u) => u.0.clone(),
            other => other.to_string(),
        }
    }
}

impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreUrl::Memory => f.write_str("sqlite::memory:"),
            StoreUrl::Postgres(u) => u.fmt(f),
            StoreUrl::Sqlite { path, sync } => {
                write!(f, "sqlite://{}", path.display())?;
                if *sync == Sync::Normal {
                    f.write_str("?sync=normal")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_read_and_mistakes_are_named() {
        assert_eq!(
            StoreUrl::parse("sqlite::memory:").unwrap(),
            StoreUrl::Memory
        );
        assert_eq!(
            StoreUrl::parse("sqlite:///var/lib/w.db?sync=normal").unwrap(),
            StoreUrl::Sqlite {
                path: "/var/lib/w.db".into(),
                sync: Sync::Normal
            }
        );
        assert_eq!(
            StoreUrl::parse(DEFAULT_URL).unwrap().to_string(),
            "sqlite://wabakit.db"
        );
        let pg = StoreUrl::parse("postgres://app:s3cret@db.internal:5433/wabakit").unwrap();
        assert_eq!(
            pg.to_string(),
            "postgres://app:***@db.internal:5433/wabakit"
        );
        assert!(!format!("{pg:?}").contains("s3cret"));
        assert_eq!(
            StoreUrl::parse("postgresql://app@db/w")
                .unwrap()
                .to_string(),
            "postgresql://app@db/w"
        );
        let e = StoreUrl::parse("mysql://x").unwrap_err().to_string();
        assert!(e.contains("not a store URL"), "{e}");
        let e = StoreUrl::parse("sqlite://w.db?sync=off")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown option \"sync=off\""), "{e}");
    }
}
