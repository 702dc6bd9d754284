//! Callback events: each kept once (its key is unique in `events`: the insert is the dedupe),
//! and applied to the message or template it names. A message's status only moves forward;
//! failed is final.

use wabakit_core::{Event, EventBody, Result};

use crate::db::{args, sql, Conn, Dialect};
use crate::records::TemplateRow;
use crate::{store_error, Applied};

/// Where a status stands: a status moves a message only to a higher rank, and nothing moves a
/// failed one.
pub(crate) const FAILED: i64 = 5;

/// The rank of a message status (0: does not move a message).
pub(crate) fn rank(status: &str) -> i64 {
    match status {
        "accepted" => 1,
        "sent" => 2,
        "delivered" => 3,
        "read" => 4,
        "failed" => FAILED,
        _ => 0,
    }
}

/// Bring message row `id` up to a status event: the status moves forward only (and never off
/// `failed`); the time of each status is kept whatever the order they arrived in (a read
/// before its delivered still gives the delivered time, the earlier of the two).
pub(crate) fn apply_status(
    c: &mut dyn Conn,
    id: i64,
    status: &str,
    at_millis: i64,
    errors: Option<&str>,
) -> Result<()> {
    move_status(c, Target::Id(id), status, at_millis, errors).map(drop)
}

/// Which message row a status moves: by the store's id, or by the provider's message id.
#[derive(Clone, Copy)]
enum Target<'a> {
    Id(i64),
    MessageId {
        provider: &'a str,
        message_id: &'a str,
    },
}

/// The UPDATE that moves a message's status: $1 rank, $2 status, $3 at, $4 code, $5 message,
/// then the row (a macro, so that both WHERE clauses make constant statements).
macro_rules! set_status {
    () => {
        "UPDATE messages SET
            status = CASE WHEN $1 > status_rank AND status_rank < 5 THEN $2 ELSE status END,
            status_at = CASE WHEN $1 > status_rank AND status_rank < 5 THEN $3 ELSE status_at END,
            error_code = CASE WHEN $1 = 5 AND status_rank < 5 THEN COALESCE($4, error_code) ELSE error_code END,
            error_message = CASE WHEN $1 = 5 AND status_rank < 5 THEN COALESCE($5, error_message) ELSE error_message END,
            status_rank = CASE WHEN $1 > status_rank AND status_rank < 5 THEN $1 ELSE status_rank END,
            delivered_at = CASE WHEN $1 IN (3, 4) AND (delivered_at IS NULL OR delivered_at > $3) THEN $3 ELSE delivered_at END,
            read_at = CASE WHEN $1 = 4 AND (read_at IS NULL OR read_at > $3) THEN $3 ELSE read_at END,
            failed_at = CASE WHEN $1 = 5 AND (failed_at IS NULL OR failed_at > $3) THEN $3 ELSE failed_at END"
    };
}

/// [`apply_status`] on `row`; how many rows it found (0 or 1).
fn move_status(
    c: &mut dyn Conn,
    row: Target<'_>,
    status: &str,
    at_millis: i64,
    errors: Option<&str>,
) -> Result<u64> {
    let r = rank(status);
    if r == 0 {
        return Ok(0);
    }
    // The first error's code: errors are joined as `code: title; code: title`.
    let code = errors.and_then(|e| e.split("; ").next()?.split_once(": ").map(|(c, _)| c));
    // Every SET reads the row as it is when updated (PostgreSQL re-reads a row another
    // transaction changed first), so a status moves forward whatever the order two receivers
    // write in.
    match row {
        Target::Id(id) => c.exec(
            concat!(set_status!(), " WHERE id = $6"),
            args![r, status, at_millis, code, errors, id],
        ),
        Target::MessageId {
            provider,
            message_id,
        } => c.exec(
            concat!(set_status!(), " WHERE message_id = $6 AND provider = $7"),
            args![r, status, at_millis, code, errors, message_id, provider],
        ),
    }
    .map_err(sql("applying a status"))
}

/// The message row an event names: by message id, else by client_ref among rows whose send
/// has no message id yet (an answer lost: the event settles which message it was); and
/// whether it was found that second way.
fn message_row(
    c: &mut dyn Conn,
    provider: &str,
    message_id: &str,
    client_ref: Option<&str>,
) -> Result<Option<(i64, bool)>> {
    let by_id = c
        .row(
            "SELECT id FROM messages WHERE provider = $1 AND message_id = $2",
            args![provider, message_id],
        )
        .map_err(sql("finding a message"))?;
    if let Some(r) = by_id {
        return Ok(Some((r.int(0), false)));
    }
    let Some(client_ref) = client_ref else {
        return Ok(None);
    };
    let q = match c.dialect() {
        // `+message_id`: looked up by client_ref, not among every row without an id.
        Dialect::Sqlite => "SELECT id FROM messages WHERE client_ref = $2 AND provider = $1 AND +message_id IS NULL ORDER BY id DESC LIMIT 1",
        Dialect::Postgres => "SELECT id FROM messages WHERE client_ref = $2 AND provider = $1 AND message_id IS NULL ORDER BY id DESC LIMIT 1",
    };
    let row = c
        .row(q, args![provider, client_ref])
        .map_err(sql("finding a message"))?
        .map(|r| r.int(0));
    if let Some(id) = row {
        c.exec(
            "UPDATE messages SET message_id = $1 WHERE id = $2",
            args![message_id, id],
        )
        .map_err(sql("settling a message"))?;
    }
    Ok(row.map(|id| (id, true)))
}

/// The lock a message's writers take (PostgreSQL): a receiver keeping an event and a sender
/// recording the send it belongs to, at the same time in two processes, would each miss the
/// other's row; holding the same key, the second sees the first's.
pub(crate) fn lock_message(c: &mut dyn Conn, provider: &str, id: &str) -> Result<()> {
    if c.dialect() == Dialect::Sqlite {
        return Ok(());
    }
    c.lock(&format!("m:{provider}:{id}"))
        .map_err(sql("locking a message"))
}

/// The event's kind, as its JSON names it.
fn kind(b: &EventBody) -> &'static str {
    match b {
        EventBody::TemplateStatus { .. } => "template_status",
        EventBody::TemplateCategory { .. } => "template_category",
        EventBody::TemplateQuality { .. } => "template_quality",
        EventBody::TemplateCreateFailed { .. } => "template_create_failed",
        EventBody::MessageStatus { .. } => "message_status",
        EventBody::Inbound { .. } => "inbound",
        EventBody::Unreadable { .. } => "unreadable",
        _ => "other",
    }
}

/// An event with what is written of it worked out before it reaches the writer: its key and
/// its JSON (the writer thread is the store's one bottleneck, so it only runs SQL).
pub struct Incoming {
    event: Event,
    key: String,
    body: String,
}

/// Each event's key and JSON, made by the caller.
pub fn incoming(events: Vec<Event>) -> Result<Vec<Incoming>> {
    events
        .into_iter()
        .map(|mut event| {
            let body =
                serde_json::to_string(&event).map_err(|x| store_error("keeping an event", x))?;
            // The raw change is in `body` now: freed here rather than on the writer's thread.
            drop(std::mem::take(&mut event.raw));
            Ok(Incoming {
                key: event.dedupe_key(),
                body,
                event,
            })
        })
        .collect()
}

pub fn record(c: &mut dyn Conn, profile: &str, events: &[Incoming], now: u64) -> Result<Applied> {
    let mut applied = Applied::default();
    for Incoming {
        event: e,
        key,
        body,
    } in events
    {
        let (message_id, client_ref, status, at) = match &e.body {
            EventBody::MessageStatus {
                message_id,
                client_ref,
                status,
                at,
                ..
            } => (
                Some(message_id.as_str()),
                client_ref.as_deref(),
                Some(status.as_str()),
                *at,
            ),
            EventBody::Inbound { message_id, at, .. } => {
                (Some(message_id.as_str()), None, None, *at)
            }
            EventBody::TemplateStatus { at, .. }
            | EventBody::TemplateCategory { at, .. }
            | EventBody::TemplateQuality { at, .. } => (None, None, None, *at),
            _ => (None, None, None, None),
        };
        let error = match &e.body {
            EventBody::Unreadable { error } => Some(error.as_str()),
            _ => None,
        };
        let inserted = c
            .exec(
                "INSERT INTO events (dedupe_key, provider, profile, kind, message_id, client_ref, status, at, received_at, body, error)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (dedupe_key) DO NOTHING",
                args![
                    key.as_str(),
                    e.provider.as_str(),
                    profile,
                    kind(&e.body),
                    message_id,
                    client_ref,
                    status,
                    at,
                    now as i64,
                    body.as_str(),
                    error
                ],
            )
            .map_err(sql("keeping an event"))?;
        if inserted == 0 {
            applied.duplicates += 1;
            continue;
        }
        applied.new += 1;
        apply(c, profile, e, now)?;
    }
    Ok(applied)
}

/// What a new event changes besides being kept.
fn apply(c: &mut dyn Conn, profile: &str, e: &Event, now: u64) -> Result<()> {
    let at_ms = |at: &Option<i64>| at.map_or(now as i64, |s| s * 1000);
    match &e.body {
        EventBody::MessageStatus {
            message_id,
            client_ref,
            status,
            at,
            errors,
            ..
        } => {
            lock_message(c, &e.provider, message_id)?;
            if let Some(r) = client_ref {
                lock_message(c, &e.provider, r)?;
            }
            let errors = (!errors.is_empty()).then(|| errors.join("; "));
            // Most events name a message the store has by its id: one statement finds and
            // moves it. A status that moves nothing, or a message not found so, looks further.
            let by_id = Target::MessageId {
                provider: &e.provider,
                message_id,
            };
            if move_status(c, by_id, status.as_str(), at_ms(at), errors.as_deref())? > 0 {
                return Ok(());
            }
            if let Some((id, by_ref)) =
                message_row(c, &e.provider, message_id, client_ref.as_deref())?
            {
                apply_status(c, id, status.as_str(), at_ms(at), errors.as_deref())?;
                if let (true, Some(r)) = (by_ref, client_ref) {
                    // An uncertain send: if a campaign's row, the receipt settles it too.
                    crate::campaigns::settle(c, &e.provider, r)?;
                }
            }
            Ok(())
        }
        body => match template_fields(body) {
            Some((f, at)) => {
                let f = TemplateFields { at: at_ms(at), ..f };
                upsert_template(c, &e.provider, profile, f, now)
            }
            None => Ok(()),
        },
    }
}

/// What a template event says of its template: its names, and the one field it changes (a
/// review's status and reason, a category, a quality rating).
fn template_fields(body: &EventBody) -> Option<(TemplateFields<'_>, &Option<i64>)> {
    let (template_id, name, language, at, mut f) = match body {
        EventBody::TemplateStatus {
            template_id,
            name,
            language,
            status,
            reason,
            category,
            at,
            ..
        } => (
            template_id,
            name,
            language,
            at,
            TemplateFields {
                status: Some(status.as_str()),
                reason: reason.as_deref(),
                category: category.as_deref(),
                ..TemplateFields::default()
            },
        ),
        EventBody::TemplateCategory {
            template_id,
            name,
            language,
            category,
            at,
            ..
        } => (
            template_id,
            name,
            language,
            at,
            TemplateFields {
                category: Some(category),
                ..TemplateFields::default()
            },
        ),
        EventBody::TemplateQuality {
            template_id,
            name,
            language,
            quality,
            at,
            ..
        } => (
            template_id,
            name,
            language,
            at,
            TemplateFields {
                quality: Some(quality),
                ..TemplateFields::default()
            },
        ),
        _ => return None,
    };
    f.name = name.as_deref();
    f.language = language.as_deref();
    f.template_id = template_id.as_ref().map(|i| i.as_str());
    Some((f, at))
}

#[derive(Default)]
pub(crate) struct TemplateFields<'a> {
    /// When the event says it happened (Unix ms; the arrival time where it says none).
    pub at: i64,
    pub name: Option<&'a str>,
    pub language: Option<&'a str>,
    pub template_id: Option<&'a str>,
    pub status: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub category: Option<&'a str>,
    pub quality: Option<&'a str>,
    /// The template as JSON (a library call's, never an event's).
    pub document: Option<&'a str>,
}

/// A template's row brought up to what an event says (by name and language, or by id when the
/// event names only that).
pub(crate) fn upsert_template(
    c: &mut dyn Conn,
    provider: &str,
    profile: &str,
    f: TemplateFields,
    now: u64,
) -> Result<()> {
    let (name, language) = match (f.name, f.language) {
        (Some(n), Some(l)) => (n.to_owned(), l.to_owned()),
        _ => {
            let Some(id) = f.template_id else {
                return Ok(());
            };
            let known = c
                .row(
                    "SELECT name, language FROM templates WHERE provider = $1 AND template_id = $2",
                    args![provider, id],
                )
                .map_err(sql("finding a template"))?;
            match known {
                Some(k) => (k.text(0), k.text(1)),
                None => return Ok(()),
            }
        }
    };
    // A status older than the one held (a late delivery) changes nothing.
    let newer = "excluded.status IS NOT NULL AND (templates.status_at IS NULL OR excluded.status_at >= templates.status_at)";
    c.exec(
        &format!("INSERT INTO templates (provider, name, language, profile, template_id, status, reason, category, quality, updated_at, status_at, document)
         VALUES ($1, $2, $3, $4, $5, CAST($6 AS TEXT), $7, $8, $9, $10, CASE WHEN CAST($6 AS TEXT) IS NULL THEN NULL ELSE CAST($11 AS BIGINT) END, $12)
         ON CONFLICT (provider, name, language) DO UPDATE SET
            profile = excluded.profile,
            template_id = COALESCE(excluded.template_id, templates.template_id),
            reason = CASE WHEN {newer} THEN excluded.reason ELSE templates.reason END,
            status = CASE WHEN {newer} THEN excluded.status ELSE templates.status END,
            status_at = CASE WHEN {newer} THEN excluded.status_at ELSE templates.status_at END,
            category = COALESCE(excluded.category, templates.category),
            quality = COALESCE(excluded.quality, templates.quality),
            document = COALESCE(excluded.document, templates.document),
            updated_at = excluded.updated_at"),
        args![
            provider, name.as_str(), language.as_str(), profile, f.template_id, f.status, f.reason,
            f.category, f.quality, now as i64, f.at, f.document
        ],
    )
    .map(drop)
    .map_err(sql("updating a template"))
}

/// A body (or one change) that could not be read, kept with its error under a key of its own
/// bytes: the same unreadable body delivered again is kept once.
pub fn unreadable(
    c: &mut dyn Conn,
    provider: &str,
    profile: &str,
    raw: &[u8],
    why: &str,
    now: u64,
) -> Result<()> {
    let text = String::from_utf8_lossy(raw);
    let key = format!("{provider}:unreadable:{}", fingerprint(raw));
    let body = serde_json::to_string(&text).unwrap_or_default();
    c.exec(
        "INSERT INTO events (dedupe_key, provider, profile, kind, received_at, body, error)
         VALUES ($1, $2, $3, 'unreadable', $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING",
        args![
            key.as_str(),
            provider,
            profile,
            now as i64,
            body.as_str(),
            why
        ],
    )
    .map(drop)
    .map_err(sql("keeping an unreadable event"))
}

/// A 64-bit FNV-1a of the bytes: a key, not a secret.
fn fingerprint(b: &[u8]) -> String {
    let h = b.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, x| {
        (h ^ u64::from(*x)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}-{}", b.len())
}

pub fn template(
    c: &mut dyn Conn,
    provider: &str,
    name: &str,
    language: &str,
) -> Result<Option<TemplateRow>> {
    let row = c
        .row(
            "SELECT provider, name, language, template_id, status, reason, category, quality, updated_at
             FROM templates WHERE provider = $1 AND name = $2 AND language = $3",
            args![provider, name, language],
        )
        .map_err(sql("reading a template"))?;
    Ok(row.map(|r| TemplateRow {
        provider: r.text(0),
        name: r.text(1),
        language: r.text(2),
        template_id: r.opt_text(3),
        status: r.opt_text(4),
        reason: r.opt_text(5),
        category: r.opt_text(6),
        quality: r.opt_text(7),
        updated_at: r.int(8),
    }))
}
