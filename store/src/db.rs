//! The little the store asks of a database, for SQLite and PostgreSQL alike: run a statement
//! with arguments, read rows of integers and text. The store's SQL is written once, with
//! PostgreSQL's `$1` parameters (SQLite reads them as `?1`); the few statements the two
//! dialects write differently ask [`Conn::dialect`].

use wabakit_core::Error;

use crate::store_error;

/// Which SQL the connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite, embedded.
    Sqlite,
    /// PostgreSQL, over the network.
    Postgres,
}

/// One statement argument: an integer or a text, either possibly NULL (PostgreSQL wants to
/// know which type a NULL is).
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    /// A 64-bit integer.
    Int(Option<i64>),
    /// A text.
    Text(Option<&'a str>),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Some(v))
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Some(v))
    }
}
impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::Text(v)
    }
}
impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        Arg::Text(v.as_deref())
    }
}

/// The arguments of a statement, each converted to an [`Arg`].
macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$($crate::db::Arg::from($a)),*] };
}
pub(crate) use args;

/// One value read back.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// A text.
    Text(String),
}

/// One row read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Row(pub Vec<Cell>);

impl Row {
    /// Column `i` as an integer, if it is one.
    pub fn opt_int(&self, i: usize) -> Option<i64> {
        match self.0.get(i) {
            Some(Cell::Int(v)) => Some(*v),
            Some(Cell::Real(v)) => Some(*v as i64),
            _ => None,
        }
    }
    /// Column `i` as an integer (0 for NULL).
    pub fn int(&self, i: usize) -> i64 {
        self.opt_int(i).unwrap_or(0)
    }
    /// Column `i` as a text, if it is one.
    pub fn opt_text(&self, i: usize) -> Option<String> {
        match self.0.get(i) {
            Some(Cell::Text(v)) => Some(v.clone()),
            _ => None,
        }
    }
    /// Column `i` as a text (empty for NULL).
    pub fn text(&self, i: usize) -> String {
        self.opt_text(i).unwrap_or_default()
    }
}

/// A database error, and whether it was a conflict with another transaction (a deadlock, a
/// serialization failure) that running the same work again would get past.
#[derive(Debug)]
pub struct DbError {
    /// What the database said.
    pub message: String,
    /// Worth running again.
    pub conflict: bool,
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A database result.
pub type DbResult<T> = std::result::Result<T, DbError>;

/// A store error from a database error, with what was being done.
pub fn sql(doing: &'static str) -> impl Fn(DbError) -> Error {
    move |e| {
        if e.conflict {
            crate::writer::LAST_CONFLICT.with(|c| c.set(true));
        }
        store_error(doing, e)
    }
}

/// A connection the writer owns.
pub trait Conn: Send {
    /// Which SQL it speaks.
    fn dialect(&self) -> Dialect;
    /// Run a statement; the rows it changed.
    fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<u64>;
    /// Run a query; its rows.
    fn rows(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<Vec<Row>>;
    /// Run statements without arguments (a migration).
    fn batch(&mut self, sql: &str) -> DbResult<()>;

    /// The first row of a query, if any.
    fn row(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<Option<Row>> {
        Ok(self.rows(sql, args)?.into_iter().next())
    }

    /// Hold `key` until the transaction ends, against other processes writing the same thing
    /// (PostgreSQL; an SQLite store has one writer, which needs no lock).
    fn lock(&mut self, key: &str) -> DbResult<()> {
        match self.dialect() {
            Dialect::Sqlite => Ok(()),
            Dialect::Postgres => self
                .exec(
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                    args![key],
                )
                .map(drop),
        }
    }
}

/// SQLite reads `$1` as a named parameter; `?1` is its numbered one.
fn sqlite_sql(sql: &str) -> std::borrow::Cow<'_, str> {
    if sql.contains('$') {
        sql.replace('$', "?").into()
    } else {
        sql.into()
    }
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Arg::Int(v) => v.to_sql(),
            Arg::Text(v) => v.to_sql(),
        }
    }
}

fn sqlite_error(e: rusqlite::Error) -> DbError {
    DbError {
        message: e.to_string(),
        conflict: false,
    }
}

impl Conn for rusqlite::Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<u64> {
        // Every statement stays prepared: parsing again at each call was most of a small
        // write's cost.
        self.prepare_cached(&sqlite_sql(sql))
            .and_then(|mut st| st.execute(rusqlite::params_from_iter(args.iter())))
            .map(|n| n as u64)
            .map_err(sqlite_error)
    }

    fn rows(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<Vec<Row>> {
        use rusqlite::types::ValueRef;
        let mut st = self
            .prepare_cached(&sqlite_sql(sql))
            .map_err(sqlite_error)?;
        let n = st.column_count();
        let mut rows = st
            .query(rusqlite::params_from_iter(args.iter()))
            .map_err(sqlite_error)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(sqlite_error)? {
            let mut cells = Vec::with_capacity(n);
            for i in 0..n {
                cells.push(match r.get_ref(i).map_err(sqlite_error)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(v) => Cell::Int(v),
                    ValueRef::Real(v) => Cell::Real(v),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Cell::Text(String::from_utf8_lossy(t).into_owned())
                    }
                });
            }
            out.push(Row(cells));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> DbResult<()> {
        self.execute_batch(sql).map_err(sqlite_error)
    }
}

#[cfg(feature = "postgres")]
pub use pg::Pg;

#[cfg(feature = "postgres")]
mod pg {
    use std::collections::HashMap;

    use postgres::types::{IsNull, ToSql, Type};
    use postgres::{Client, Statement};

    use super::*;

    /// A PostgreSQL connection, with its statements prepared once.
    pub struct Pg {
        client: Client,
        statements: HashMap<String, Statement>,
    }

    impl Pg {
        /// Connect to `url` (a `postgres://` URL, or key=value settings).
        pub fn connect(url: &str) -> DbResult<Pg> {
            let mut client = Client::connect(url, postgres::NoTls).map_err(pg_error)?;
            // Plans made for each execution, with its values and the tables as they are then: a
            // plan cached while a table was nearly empty (a fresh store) scans it whole once it
            // has grown, and the store's tables grow fast.
            client
                .batch_execute("SET plan_cache_mode = force_custom_plan")
                .map_err(pg_error)?;
            Ok(Pg {
                client,
                statements: HashMap::new(),
            })
        }

        fn statement(&mut self, sql: &str) -> DbResult<Statement> {
            if let Some(s) = self.statements.get(sql) {
                return Ok(s.clone());
            }
            let s = self.client.prepare(sql).map_err(pg_error)?;
            self.statements.insert(sql.to_owned(), s.clone());
            Ok(s)
        }
    }

    fn pg_error(e: postgres::Error) -> DbError {
        use postgres::error::SqlState;
        let conflict = matches!(
            e.code(),
            Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
        );
        // The server's own message (the Display of the error says only "db error").
        let message = match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        };
        DbError { message, conflict }
    }

    impl ToSql for Arg<'_> {
        fn to_sql(
            &self,
            ty: &Type,
            out: &mut bytes::BytesMut,
        ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
            match (self, ty) {
                (Arg::Int(None), _) | (Arg::Text(None), _) => Ok(IsNull::Yes),
                (Arg::Int(Some(v)), t) if *t == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                (Arg::Int(Some(v)), t) if *t == Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                (Arg::Int(Some(v)), _) => v.to_sql(ty, out),
                (Arg::Text(Some(v)), _) => v.to_sql(ty, out),
            }
        }

        fn accepts(ty: &Type) -> bool {
            [
                Type::INT2,
                Type::INT4,
                Type::INT8,
                Type::TEXT,
                Type::VARCHAR,
                Type::BPCHAR,
                Type::NAME,
                Type::UNKNOWN,
            ]
            .contains(ty)
        }

        postgres::types::to_sql_checked!();
    }

    fn params<'a>(args: &'a [Arg<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
        args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
    }

    impl Conn for Pg {
        fn dialect(&self) -> Dialect {
            Dialect::Postgres
        }

        fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<u64> {
            let st = self.statement(sql)?;
            self.client.execute(&st, &params(args)).map_err(pg_error)
        }

        fn rows(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<Vec<Row>> {
            let st = self.statement(sql)?;
            let rows = self.client.query(&st, &params(args)).map_err(pg_error)?;
            let read = |r: &postgres::Row, i: usize| -> DbResult<Cell> {
                let ty = r.columns()[i].type_();
                let bad = |e: postgres::Error| pg_error(e);
                Ok(if *ty == Type::INT8 {
                    r.try_get::<_, Option<i64>>(i)
                        .map_err(bad)?
                        .map_or(Cell::Null, Cell::Int)
                } else if *ty == Type::INT4 {
                    r.try_get::<_, Option<i32>>(i)
                        .map_err(bad)?
                        .map_or(Cell::Null, |v| Cell::Int(v.into()))
                } else if *ty == Type::INT2 {
                    r.try_get::<_, Option<i16>>(i)
                        .map_err(bad)?
                        .map_or(Cell::Null, |v| Cell::Int(v.into()))
                } else if *ty == Type::BOOL {
                    r.try_get::<_, Option<bool>>(i)
                        .map_err(bad)?
                        .map_or(Cell::Null, |v| Cell::Int(v.into()))
                } else if *ty == Type::FLOAT8 {
                    r.try_get::<_, Option<f64>>(i)
                        .map_err(bad)?
                        .map_or(Cell::Null, Cell::Real)
                } else if *ty == Type::VOID {
                    Cell::Null
                } else {
                    r.try_get::<_, Option<String>>(i)
                        .map_err(bad)?
                        .map_or(Cell::Null, Cell::Text)
                })
            };
            rows.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| read(r, i))
                        .collect::<DbResult<Vec<_>>>()
                        .map(Row)
                })
                .collect()
        }

        fn batch(&mut self, sql: &str) -> DbResult<()> {
            self.client.batch_execute(sql).map_err(pg_error)
        }
    }
}
