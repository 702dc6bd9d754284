//! Answers: a message's history, and a report over many (counts by status, delivery and read
//! rates, failures by code, sent → delivered latency).

use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::Serialize;
use wabakit_core::Result;

use crate::records::{EventRow, History, MessageRow};
use crate::store_error;

/// Which messages a report counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Only this campaign's.
    pub campaign: Option<String>,
    /// Only those sent at or after this time (Unix ms).
    pub since_millis: Option<i64>,
    /// Only this provider's.
    pub provider: Option<String>,
}

/// Failures that share a provider code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The provider.
    pub provider: String,
    /// Its code (none where it gave none).
    pub code: Option<String>,
    /// One of the messages it gave.
    pub message: Option<String>,
    /// How many messages.
    pub count: u64,
}

/// Sent → delivered latency, in milliseconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Latency {
    /// Messages with both times.
    pub count: u64,
    /// The median.
    pub p50: Option<i64>,
    /// The 90th percentile.
    pub p90: Option<i64>,
    /// The 99th percentile.
    pub p99: Option<i64>,
}

/// What became of the messages a filter names.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// Messages counted.
    pub total: u64,
    /// How many are in each status now (`sent`, `delivered`, `read`, `failed`, `uncertain` …),
    /// by name.
    pub by_status: Vec<(String, u64)>,
    /// Messages the provider took.
    pub sent: u64,
    /// Messages known delivered (read ones included).
    pub delivered: u64,
    /// Messages known read.
    pub read: u64,
    /// `delivered / sent` (0 with nothing sent).
    pub delivery_rate: f64,
    /// `read / sent`.
    pub read_rate: f64,
    /// Failures, most frequent first.
    pub failures: Vec<Failure>,
    /// Sent → delivered.
    pub latency: Latency,
}

fn sql(doing: &'static str) -> impl Fn(rusqlite::Error) -> wabakit_core::Error {
    move |e| store_error(doing, e)
}

const MESSAGE_COLUMNS: &str = "provider, profile, message_id, client_ref, recipient, template, language, campaign,
    outcome, status, error_kind, error_code, error_message, sent_at, delivered_at, read_at, failed_at, id";

fn message(r: &Row) -> rusqlite::Result<(MessageRow, i64)> {
    Ok((
        MessageRow {
            provider: r.get(0)?,
            profile: r.get(1)?,
            message_id: r.get(2)?,
            client_ref: r.get(3)?,
            recipient: r.get(4)?,
            template: r.get(5)?,
            language: r.get(6)?,
            campaign: r.get(7)?,
            outcome: r.get(8)?,
            status: r.get(9)?,
            error_kind: r.get(10)?,
            error_code: r.get(11)?,
            error_message: r.get(12)?,
            sent_at: r.get(13)?,
            delivered_at: r.get(14)?,
            read_at: r.get(15)?,
            failed_at: r.get(16)?,
        },
        r.get(17)?,
    ))
}

pub fn history(c: &Connection, id: &str) -> Result<Option<History>> {
    let found = c
        .query_row(
            &format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE id IN (SELECT id FROM messages WHERE message_id = ?1 UNION SELECT id FROM messages WHERE client_ref = ?1) ORDER BY id DESC LIMIT 1"
            ),
            params![id],
            message,
        )
        .optional()
        .map_err(sql("reading a message"))?;
    let Some((m, _)) = found else {
        return Ok(None);
    };
    // By message id and by client_ref, each on its own index; an event matching both once.
    let mut st = c
        .prepare_cached(
            "SELECT provider, profile, kind, status, at, received_at, body, error FROM events
             WHERE id IN (SELECT id FROM events WHERE provider = ?1 AND message_id = ?2
                          UNION SELECT id FROM events WHERE provider = ?1 AND client_ref = ?3)
             ORDER BY id",
        )
        .map_err(sql("reading events"))?;
    let events = st
        .query_map(params![m.provider, m.message_id, m.client_ref], |r| {
            let body: String = r.get(6)?;
            Ok(EventRow {
                provider: r.get(0)?,
                profile: r.get(1)?,
                kind: r.get(2)?,
                status: r.get(3)?,
                at: r.get(4)?,
                received_at: r.get(5)?,
                body: serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
                error: r.get(7)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(sql("reading events"))?;
    Ok(Some(History { message: m, events }))
}

pub fn report(c: &Connection, f: &ReportFilter) -> Result<Report> {
    let mut clauses = vec!["1 = 1"];
    let mut args: Vec<Sql> = Vec::new();
    if let Some(x) = &f.campaign {
        clauses.push("campaign = ?");
        args.push(Sql::Text(x.clone()));
    }
    if let Some(x) = f.since_millis {
        clauses.push("sent_at >= ?");
        args.push(Sql::Integer(x));
    }
    if let Some(x) = &f.provider {
        clauses.push("provider = ?");
        args.push(Sql::Text(x.clone()));
    }
    let filter = clauses.join(" AND ");
    let one = |q: &str| -> Result<i64> {
        c.query_row(q, params_from_iter(args.iter()), |r| r.get(0))
            .map_err(sql("reporting"))
    };
    let mut st = c
        .prepare(&format!(
            "SELECT status, COUNT(*) FROM messages WHERE {filter} GROUP BY status ORDER BY COUNT(*) DESC, status"
        ))
        .map_err(sql("reporting"))?;
    let by_status: Vec<(String, u64)> = st
        .query_map(params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
        })
        .and_then(|rows| rows.collect())
        .map_err(sql("reporting"))?;
    let total = by_status.iter().map(|(_, n)| n).sum();
    let sent = one(&format!(
        "SELECT COUNT(*) FROM messages WHERE {filter} AND (outcome = 'sent' OR status_rank BETWEEN 1 AND 4)"
    ))? as u64;
    let delivered = one(&format!(
        "SELECT COUNT(*) FROM messages WHERE {filter} AND delivered_at IS NOT NULL"
    ))? as u64;
    let read = one(&format!(
        "SELECT COUNT(*) FROM messages WHERE {filter} AND read_at IS NOT NULL"
    ))? as u64;
    let mut st = c
        .prepare(&format!(
            "SELECT provider, error_code, MIN(error_message), COUNT(*) FROM messages
             WHERE {filter} AND status = 'failed' GROUP BY provider, error_code ORDER BY COUNT(*) DESC, provider, error_code"
        ))
        .map_err(sql("reporting"))?;
    let failures = st
        .query_map(params_from_iter(args.iter()), |r| {
            Ok(Failure {
                provider: r.get(0)?,
                code: r.get(1)?,
                message: r.get(2)?,
                count: r.get::<_, i64>(3)? as u64,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(sql("reporting"))?;
    let latency = latency(c, &filter, &args)?;
    let rate = |n: u64| {
        if sent == 0 {
            0.0
        } else {
            n as f64 / sent as f64
        }
    };
    Ok(Report {
        total,
        by_status,
        sent,
        delivered,
        read,
        delivery_rate: rate(delivered),
        read_rate: rate(read),
        failures,
        latency,
    })
}

/// Percentiles by rank, one row read per percentile (no list of every latency in memory).
fn latency(c: &Connection, filter: &str, args: &[Sql]) -> Result<Latency> {
    let from = format!("FROM messages WHERE {filter} AND delivered_at IS NOT NULL");
    let count: i64 = c
        .query_row(
            &format!("SELECT COUNT(*) {from}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )
        .map_err(sql("reporting latency"))?;
    if count == 0 {
        return Ok(Latency::default());
    }
    let at = |q: f64| -> Result<Option<i64>> {
        let offset = ((count as f64 * q).ceil() as i64 - 1).clamp(0, count - 1);
        let mut a = args.to_vec();
        a.push(Sql::Integer(offset));
        c.query_row(
            &format!("SELECT delivered_at - sent_at {from} ORDER BY delivered_at - sent_at LIMIT 1 OFFSET ?"),
            params_from_iter(a.iter()),
            |r| r.get(0),
        )
        .optional()
        .map_err(sql("reporting latency"))
    };
    Ok(Latency {
        count: count as u64,
        p50: at(0.50)?,
        p90: at(0.90)?,
        p99: at(0.99)?,
    })
}
