//! A send's record, and the events that arrived before it (a fast webhook, a send recorded
//! late) applied to it at once.

use rusqlite::{params, Connection};
use wabakit_core::Result;

use crate::events::{apply_status, rank, FAILED};
use crate::records::{Outcome, SendRecord};
use crate::store_error;

pub fn record(c: &Connection, r: &SendRecord) -> Result<()> {
    let (status, status_rank, kind, code, message) = match &r.outcome {
        Outcome::Sent => ("sent", rank("sent"), None, None, None),
        Outcome::Failed {
            kind,
            code,
            message,
        } => (
            "failed",
            FAILED,
            Some(kind.as_str()),
            code.as_deref(),
            Some(message.as_str()),
        ),
        // Not known to be anywhere: any status event moves it.
        Outcome::Uncertain { kind, message } => (
            "uncertain",
            0,
            Some(kind.as_str()),
            None,
            Some(message.as_str()),
        ),
    };
    let inserted = c
        .prepare_cached(
            "INSERT INTO messages (provider, profile, message_id, client_ref, recipient, template, language, campaign,
                outcome, status, status_rank, error_kind, error_code, error_message, sent_at, status_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)
             ON CONFLICT (message_id, provider) DO NOTHING",
        )
        .and_then(|mut st| {
            st.execute(params![
                r.provider,
                r.profile,
                r.message_id,
                r.client_ref,
                r.recipient,
                r.template,
                r.language,
                r.campaign,
                r.outcome.as_str(),
                status,
                status_rank,
                kind,
                code,
                message,
                r.at_millis as i64
            ])
        })
        .map_err(|e| store_error("recording a send", e))?;
    if inserted == 0 {
        // The same message id again: the record there is kept.
        return Ok(());
    }
    let id = c.last_insert_rowid();
    // Events that came first: by message id, or (an answer lost) by client_ref. One query per
    // case, each on its own index (an OR of both would scan every event).
    let (by, key) = match (&r.message_id, &r.client_ref) {
        (Some(id), _) => ("message_id", id),
        (None, Some(cref)) => ("client_ref", cref),
        (None, None) => return Ok(()),
    };
    let mut st = c
        .prepare_cached(&format!(
            "SELECT status, COALESCE(at * 1000, received_at), json_extract(body, '$.errors'), message_id FROM events
             WHERE provider = ?1 AND {by} = ?2 AND kind = 'message_status' ORDER BY id"
        ))
        .map_err(|e| store_error("joining events", e))?;
    let earlier: Vec<(String, i64, Option<String>, Option<String>)> = st
        .query_map(params![r.provider, key], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| store_error("joining events", e))?;
    for (status, at, errors, message_id) in earlier {
        if r.message_id.is_none() {
            if let Some(mid) = &message_id {
                c.execute(
                    "UPDATE messages SET message_id = ?1 WHERE id = ?2 AND message_id IS NULL",
                    params![mid, id],
                )
                .map_err(|e| store_error("settling a message", e))?;
            }
        }
        let errors = errors
            .and_then(|j| serde_json::from_str::<Vec<String>>(&j).ok())
            .filter(|e| !e.is_empty())
            .map(|e| e.join("; "));
        apply_status(c, id, &status, at, errors.as_deref())?;
    }
    Ok(())
}
