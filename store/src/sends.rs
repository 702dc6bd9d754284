//! A send's record, and the events that arrived before it (a fast webhook, a send recorded
//! late) applied to it at once.

use wabakit_core::Result;

use crate::db::{args, sql, Arg, Conn, Dialect};
use crate::events::{apply_status, lock_message, rank, FAILED};
use crate::records::{Outcome, SendRecord};

/// A record's status, rank and error columns.
type Fields<'a> = (
    &'static str,
    i64,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn fields(r: &SendRecord) -> Fields<'_> {
    let (kind, code, message) = r.outcome.error_columns();
    let rank = match &r.outcome {
        Outcome::Sent => rank("sent"),
        Outcome::Failed { .. } => FAILED,
        // Not known to be anywhere: any status event moves it.
        Outcome::Uncertain { .. } => 0,
    };
    (r.outcome.as_str(), rank, kind, code, message)
}

pub fn record(c: &mut dyn Conn, r: &SendRecord) -> Result<()> {
    let (status, status_rank, kind, code, message) = fields(r);
    if let Some(key) = r.message_id.as_ref().or(r.client_ref.as_ref()) {
        lock_message(c, &r.provider, key)?;
    }
    let inserted = c
        .row(
            "INSERT INTO messages (provider, profile, message_id, client_ref, recipient, template, language, campaign,
                outcome, status, status_rank, error_kind, error_code, error_message, sent_at, status_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
             ON CONFLICT (message_id, provider) DO NOTHING RETURNING id",
            args![
                &r.provider,
                &r.profile,
                &r.message_id,
                &r.client_ref,
                &r.recipient,
                &r.template,
                &r.language,
                &r.campaign,
                r.outcome.as_str(),
                status,
                status_rank,
                kind,
                code,
                message,
                r.at_millis as i64
            ],
        )
        .map_err(sql("recording a send"))?;
    let Some(id) = inserted.map(|row| row.int(0)) else {
        // The same message id again: the record there is kept.
        return Ok(());
    };
    join_earlier(c, id, r)
}

/// Events that came before the send `r` (recorded as row `id`) was: applied to it now.
fn join_earlier(c: &mut dyn Conn, id: i64, r: &SendRecord) -> Result<()> {
    // Events that came first: by message id, or (an answer lost) by client_ref. One query per
    // case, each on its own index (an OR of both would scan every event).
    let (by, key) = match (&r.message_id, &r.client_ref) {
        (Some(id), _) => ("message_id", id),
        (None, Some(cref)) => ("client_ref", cref),
        (None, None) => return Ok(()),
    };
    // Sorted here, not by an ORDER BY: SQLite plans a statement with one again at every
    // execution (its plan depends on the bound values), and this one runs at every send.
    let mut earlier = c
        .rows(
            &format!(
                "SELECT status, COALESCE(at * 1000, received_at), body, message_id, id FROM events
                 WHERE provider = $1 AND {by} = $2 AND kind = 'message_status'"
            ),
            args![&r.provider, key],
        )
        .map_err(sql("joining events"))?;
    earlier.sort_by_key(|row| row.int(4));
    for row in earlier {
        if r.message_id.is_none() {
            if let Some(mid) = row.opt_text(3) {
                c.exec(
                    "UPDATE messages SET message_id = $1 WHERE id = $2 AND message_id IS NULL",
                    args![&mid, id],
                )
                .map_err(sql("settling a message"))?;
            }
        }
        let errors = serde_json::from_str::<serde_json::Value>(&row.text(2))
            .ok()
            .and_then(|b| serde_json::from_value::<Vec<String>>(b.get("errors")?.clone()).ok())
            .filter(|e| !e.is_empty())
            .map(|e| e.join("; "));
        apply_status(c, id, &row.text(0), row.int(1), errors.as_deref())?;
    }
    Ok(())
}

/// Record sends of one provider in a few statements (a campaign worker's finished rows): the
/// rows in one insert, one look for events that came before them, locks in one round trip.
pub fn record_many(c: &mut dyn Conn, rs: &[&SendRecord]) -> Result<()> {
    let Some(first) = rs.first() else {
        return Ok(());
    };
    if rs.iter().any(|r| r.provider != first.provider) {
        return rs.iter().try_for_each(|r| record(c, r));
    }
    let provider = first.provider.as_str();
    if c.dialect() == Dialect::Postgres {
        let mut keys: Vec<String> = rs
            .iter()
            .filter_map(|r| r.message_id.as_ref().or(r.client_ref.as_ref()))
            .map(|k| format!("m:{provider}:{k}"))
            .collect();
        keys.sort();
        keys.dedup();
        if !keys.is_empty() {
            // In key order, as every batch takes them: two batches never wait on each other.
            let list = placeholders(keys.len(), &["TEXT"], 1);
            let args: Vec<Arg> = keys.iter().map(Arg::from).collect();
            c.exec(
                &format!(
                    "SELECT pg_advisory_xact_lock(h) FROM
                     (SELECT hashtextextended(column1, 0) AS h, column1 FROM (VALUES {list}) AS v ORDER BY column1) AS k"
                ),
                &args,
            )
            .map_err(sql("locking messages"))?;
        }
    }
    let mut args: Vec<Arg> = Vec::with_capacity(rs.len() * 15);
    for r in rs {
        let (status, status_rank, kind, code, message) = fields(r);
        args.extend([
            Arg::from(&r.provider),
            Arg::from(&r.profile),
            Arg::from(&r.message_id),
            Arg::from(&r.client_ref),
            Arg::from(&r.recipient),
            Arg::from(&r.template),
            Arg::from(&r.language),
            Arg::from(&r.campaign),
            Arg::from(r.outcome.as_str()),
            Arg::from(status),
            Arg::from(status_rank),
            Arg::from(kind),
            Arg::from(code),
            Arg::from(message),
            Arg::from(r.at_millis as i64),
        ]);
    }
    // The columns' types; status_at starts as sent_at (the 15th parameter, index 14).
    const TYPES: [&str; 16] = [
        "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT",
        "TEXT", "TEXT", "TEXT", "BIGINT", "=14",
    ];
    let values = placeholders(rs.len(), &TYPES, 1);
    let inserted = c
        .rows(
            &format!(
                "INSERT INTO messages (provider, profile, message_id, client_ref, recipient, template, language, campaign,
                    outcome, status, status_rank, error_kind, error_code, error_message, sent_at, status_at)
                 VALUES {values} ON CONFLICT (message_id, provider) DO NOTHING RETURNING id, message_id, client_ref"
            ),
            &args,
        )
        .map_err(sql("recording sends"))?;
    // Which of them had events first: one query by message id, one by client_ref.
    let mut earlier = std::collections::HashSet::new();
    for (by, col) in [("message_id", 1), ("client_ref", 2)] {
        let keys: Vec<String> = inserted
            .iter()
            .filter(|row| col == 1 || row.opt_text(1).is_none())
            .filter_map(|row| row.opt_text(col))
            .collect();
        if keys.is_empty() {
            continue;
        }
        let mut a = vec![Arg::from(provider)];
        a.extend(keys.iter().map(Arg::from));
        let list = placeholders(keys.len(), &["TEXT"], 2);
        let found = c
            .rows(
                &format!("SELECT DISTINCT {by} FROM events WHERE provider = $1 AND kind = 'message_status' AND {by} IN (SELECT column1 FROM (VALUES {list}) AS v)"),
                &a,
            )
            .map_err(sql("joining events"))?;
        earlier.extend(found.iter().filter_map(|r| r.opt_text(0)));
    }
    if earlier.is_empty() {
        return Ok(());
    }
    for row in &inserted {
        let key = row.opt_text(1).or_else(|| row.opt_text(2));
        if key.is_some_and(|k| earlier.contains(&k)) {
            let r = rs
                .iter()
                .find(|r| r.message_id == row.opt_text(1) && r.client_ref == row.opt_text(2));
            if let Some(r) = r {
                join_earlier(c, row.int(0), r)?;
            }
        }
    }
    Ok(())
}

/// `(CAST($1 AS T1), CAST($2 AS T2)), (…)…`: `rows` tuples, one parameter per type in
/// `types`, numbered from `$first` (PostgreSQL needs each value's type in a VALUES list); a
/// type `=N` repeats the tuple's N-th parameter instead of taking one.
fn placeholders(rows: usize, types: &[&str], first: usize) -> String {
    let width = types.iter().filter(|t| !t.starts_with('=')).count();
    let mut out = String::with_capacity(rows * types.len() * 20);
    for r in 0..rows {
        out.push_str(if r > 0 { ", (" } else { "(" });
        let base = first + r * width;
        let mut n = base;
        for (w, ty) in types.iter().enumerate() {
            if w > 0 {
                out.push_str(", ");
            }
            match ty.strip_prefix('=') {
                Some(k) => {
                    let k: usize = k.parse().unwrap_or(0);
                    let t = types[k];
                    out.push_str(&format!("CAST(${} AS {t})", base + k));
                }
                None => {
                    out.push_str(&format!("CAST(${n} AS {ty})"));
                    n += 1;
                }
            }
        }
        out.push(')');
    }
    out
}
