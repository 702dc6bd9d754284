//! One rate limit for every worker of a profile, on any machine: a GCRA row per key (the
//! theoretical arrival time of the next permit) moved forward atomically. A worker takes a few
//! permits at a time (one round trip for several sends) and spends each at its own moment, so
//! the sends of all workers together keep to the rate; a throttling answer holds the row back,
//! which slows every worker, not only the one that was told.

use wabakit_core::Result;

use crate::db::{args, sql, Conn, Dialect};

/// Take `n` permits of `key` at `per_second`: the time (Unix µs) the first may be spent; each
/// next one `1/per_second` later.
pub fn take(c: &mut dyn Conn, key: &str, per_second: u32, n: u32, now_us: i64) -> Result<i64> {
    let span = i64::from(n) * interval_us(per_second);
    let later = match c.dialect() {
        Dialect::Postgres => "GREATEST(rate_limits.tat, CAST($2 AS BIGINT))",
        Dialect::Sqlite => "MAX(rate_limits.tat, $2)",
    };
    let tat = c
        .row(
            &format!(
                "INSERT INTO rate_limits (key, tat) VALUES ($1, CAST($2 AS BIGINT) + CAST($3 AS BIGINT))
                 ON CONFLICT (key) DO UPDATE SET tat = {later} + CAST($3 AS BIGINT) RETURNING tat"
            ),
            args![key, now_us, span],
        )
        .map_err(sql("taking permits"))?
        .map_or(now_us + span, |r| r.int(0));
    Ok(tat - span)
}

/// No permit of `key` is given before `until_us` (the provider said to wait).
pub fn hold(c: &mut dyn Conn, key: &str, until_us: i64) -> Result<()> {
    let later = match c.dialect() {
        Dialect::Postgres => "GREATEST(rate_limits.tat, excluded.tat)",
        Dialect::Sqlite => "MAX(rate_limits.tat, excluded.tat)",
    };
    c.exec(
        &format!(
            "INSERT INTO rate_limits (key, tat) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET tat = {later}"
        ),
        args![key, until_us],
    )
    .map(drop)
    .map_err(sql("holding permits"))
}

/// The time between two permits at `per_second`, in µs.
pub fn interval_us(per_second: u32) -> i64 {
    1_000_000 / i64::from(per_second.max(1))
}
