//! Answers: a message's history, and a report over many (counts by status, delivery and read
//! rates, failures by code, sent → delivered latency).

use serde::Serialize;
use wabakit_core::Result;

use crate::db::{args, sql, Arg, Conn, Row};
use crate::records::{EventRow, History, MessageRow};

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

const MESSAGE_COLUMNS: &str = "provider, profile, message_id, client_ref, recipient, template, language, campaign,
    outcome, status, error_kind, error_code, error_message, sent_at, delivered_at, read_at, failed_at, id";

fn message(r: &Row) -> MessageRow {
    MessageRow {
        provider: r.text(0),
        profile: r.text(1),
        message_id: r.opt_text(2),
        client_ref: r.opt_text(3),
        recipient: r.text(4),
        template: r.text(5),
        language: r.text(6),
        campaign: r.opt_text(7),
        outcome: r.text(8),
        status: r.text(9),
        error_kind: r.opt_text(10),
        error_code: r.opt_text(11),
        error_message: r.opt_text(12),
        sent_at: r.int(13),
        delivered_at: r.opt_int(14),
        read_at: r.opt_int(15),
        failed_at: r.opt_int(16),
    }
}

pub fn history(c: &mut dyn Conn, id: &str) -> Result<Option<History>> {
    let found = c
        .row(
            &format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE id IN (SELECT id FROM messages WHERE message_id = $1 UNION SELECT id FROM messages WHERE client_ref = $1) ORDER BY id DESC LIMIT 1"
            ),
            args![id],
        )
        .map_err(sql("reading a message"))?;
    let Some(m) = found.as_ref().map(message) else {
        return Ok(None);
    };
    // By message id and by client_ref, each on its own index; an event matching both once.
    let events = c
        .rows(
            "SELECT provider, profile, kind, status, at, received_at, body, error FROM events
             WHERE id IN (SELECT id FROM events WHERE provider = $1 AND message_id = $2
                          UNION SELECT id FROM events WHERE provider = $1 AND client_ref = $3)
             ORDER BY id",
            args![&m.provider, &m.message_id, &m.client_ref],
        )
        .map_err(sql("reading events"))?
        .into_iter()
        .map(|r| {
            let body = r.text(6);
            EventRow {
                provider: r.text(0),
                profile: r.text(1),
                kind: r.text(2),
                status: r.opt_text(3),
                at: r.opt_int(4),
                received_at: r.int(5),
                body: serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
                error: r.opt_text(7),
            }
        })
        .collect();
    Ok(Some(History { message: m, events }))
}

pub fn report(c: &mut dyn Conn, f: &ReportFilter) -> Result<Report> {
    let mut clauses = vec!["1 = 1".to_owned()];
    let mut args: Vec<Arg> = Vec::new();
    if let Some(x) = &f.campaign {
        args.push(x.into());
        clauses.push(format!("campaign = ${}", args.len()));
    }
    if let Some(x) = f.since_millis {
        args.push(x.into());
        clauses.push(format!("sent_at >= ${}", args.len()));
    }
    if let Some(x) = &f.provider {
        args.push(x.into());
        clauses.push(format!("provider = ${}", args.len()));
    }
    let filter = clauses.join(" AND ");
    let reporting = sql("reporting");
    let by_status: Vec<(String, u64)> = c
        .rows(
            &format!(
                "SELECT status, COUNT(*) FROM messages WHERE {filter} GROUP BY status ORDER BY COUNT(*) DESC, status"
            ),
            &args,
        )
        .map_err(&reporting)?
        .iter()
        .map(|r| (r.text(0), r.int(1) as u64))
        .collect();
    let total = by_status.iter().map(|(_, n)| n).sum();
    // One pass for the three counts.
    let counts = c
        .row(
            &format!(
                "SELECT COUNT(CASE WHEN outcome = 'sent' OR status_rank BETWEEN 1 AND 4 THEN 1 END),
                        COUNT(delivered_at), COUNT(read_at)
                 FROM messages WHERE {filter}"
            ),
            &args,
        )
        .map_err(&reporting)?
        .unwrap_or(Row(Vec::new()));
    let (sent, delivered, read) = (
        counts.int(0) as u64,
        counts.int(1) as u64,
        counts.int(2) as u64,
    );
    let failures = c
        .rows(
            &format!(
                "SELECT provider, error_code, MIN(error_message), COUNT(*) FROM messages
                 WHERE {filter} AND status = 'failed' GROUP BY provider, error_code ORDER BY COUNT(*) DESC, provider, error_code"
            ),
            &args,
        )
        .map_err(&reporting)?
        .iter()
        .map(|r| Failure {
            provider: r.text(0),
            code: r.opt_text(1),
            message: r.opt_text(2),
            count: r.int(3) as u64,
        })
        .collect();
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
fn latency(c: &mut dyn Conn, filter: &str, args: &[Arg]) -> Result<Latency> {
    let from = format!("FROM messages WHERE {filter} AND delivered_at IS NOT NULL");
    let count = c
        .row(&format!("SELECT COUNT(*) {from}"), args)
        .map_err(sql("reporting latency"))?
        .map_or(0, |r| r.int(0));
    if count == 0 {
        return Ok(Latency::default());
    }
    let mut at = |q: f64| -> Result<Option<i64>> {
        let offset = ((count as f64 * q).ceil() as i64 - 1).clamp(0, count - 1);
        let mut a = args.to_vec();
        a.push(offset.into());
        Ok(c.row(
            &format!(
                "SELECT delivered_at - sent_at {from} ORDER BY delivered_at - sent_at LIMIT 1 OFFSET ${}",
                a.len()
            ),
            &a,
        )
        .map_err(sql("reporting latency"))?
        .and_then(|r| r.opt_int(0)))
    };
    Ok(Latency {
        count: count as u64,
        p50: at(0.50)?,
        p90: at(0.90)?,
        p99: at(0.99)?,
    })
}
