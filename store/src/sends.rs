//! A send's record, and the events that arrived before it (a fast webhook, a send recorded
//! late) applied to it at once.

use wabakit_core::Result;

use crate::db::{args, sql, Conn};
use crate::events::{apply_status, lock_message, rank, FAILED};
use crate::records::{Outcome, SendRecord};

pub fn record(c: &mut dyn Conn, r: &SendRecord) -> Result<()> {
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
    // Events that came first: by message id, or (an answer lost) by client_ref. One query per
    // case, each on its own index (an OR of both would scan every event).
    let (by, key) = match (&r.message_id, &r.client_ref) {
        (Some(id), _) => ("message_id", id),
        (None, Some(cref)) => ("client_ref", cref),
        (None, None) => return Ok(()),
    };
    let earlier = c
        .rows(
            &format!(
                "SELECT status, COALESCE(at * 1000, received_at), body, message_id FROM events
                 WHERE provider = $1 AND {by} = $2 AND kind = 'message_status' ORDER BY id"
            ),
            args![&r.provider, key],
        )
        .map_err(sql("joining events"))?;
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
