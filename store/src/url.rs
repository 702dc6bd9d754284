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
}

impl StoreUrl {
    /// `sqlite://PATH[?sync=full|normal]` or `sqlite::memory:`.
    pub fn parse(url: &str) -> Result<StoreUrl> {
        let bad = |why: &str| {
            Error::config(format!(
                "[store] url {url:?}: {why} (write sqlite://wabakit.db, sqlite:///var/lib/wabakit.db or sqlite::memory:)"
            ))
        };
        if url == "sqlite::memory:" {
            return Ok(StoreUrl::Memory);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Err(bad("PostgreSQL is not built into this version"));
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

impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreUrl::Memory => f.write_str("sqlite::memory:"),
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
        let e = StoreUrl::parse("mysql://x").unwrap_err().to_string();
        assert!(e.contains("not a store URL"), "{e}");
        let e = StoreUrl::parse("sqlite://w.db?sync=off")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown option \"sync=off\""), "{e}");
    }
}
