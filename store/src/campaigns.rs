//! Campaigns: a campaign's rows in the store, claimed by any number of workers.
//!
//! A row goes `pending` → `claimed` (a worker holds it under a lease) → `started` (committed
//! before its request leaves) → `sent` | `failed` | `uncertain`; `cancelled` from pending or
//! claimed. A lease that expires (its worker died) puts a claimed row back to pending (it was
//! never sent) and a started one to `uncertain` (it may have been delivered): it is never sent
//! again by itself. A status receipt for an uncertain row's client_ref settles it (`sent`,
//! `settled`), and `retry_uncertain` puts what is still uncertain back to pending, for users
//! who prefer a duplicate to a loss.
//!
//! On PostgreSQL workers claim with `FOR UPDATE SKIP LOCKED`: two workers never wait on, or
//! take, the same row. On SQLite the store's one writer per file makes each claim atomic.

use serde::Serialize;
use wabakit_core::{Error, ErrorKind, Result};

use crate::db::{args, sql, Arg, Conn, Dialect};
use crate::records::{Outcome, SendRecord};
use crate::store_error;

/// A campaign, as created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignSpec {
    /// Its name (letters, digits, `_`, `-`, `.`; at most 64).
    pub name: String,
    /// The profile its messages go through.
    pub profile: String,
    /// That profile's provider.
    pub provider: String,
    /// The template.
    pub template: String,
    /// Its language.
    pub language: String,
}

/// What a campaign is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignState {
    /// Workers take its rows.
    Running,
    /// Workers take no new rows (those under way finish).
    Paused,
    /// Its pending rows are cancelled; nothing more is sent.
    Cancelled,
}

impl CampaignState {
    /// `running`, `paused`, `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignState::Running => "running",
            CampaignState::Paused => "paused",
            CampaignState::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> CampaignState {
        match s {
            "paused" => CampaignState::Paused,
            "cancelled" => CampaignState::Cancelled,
            _ => CampaignState::Running,
        }
    }
}

/// One row to load: the message (its JSON document), keyed by its client_ref.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRow {
    /// The row's key in its campaign, and the message's client_ref.
    pub client_ref: String,
    /// The recipient.
    pub recipient: String,
    /// The template (a row may name its own).
    pub template: String,
    /// Its language.
    pub language: String,
    /// The message document, as JSON.
    pub message: String,
}

/// A row a worker holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedRow {
    /// The row's id.
    pub id: i64,
    /// Claimed started (committed so before any of its requests leave).
    pub started: bool,
    /// Its client_ref.
    pub client_ref: String,
    /// The message document, as JSON.
    pub message: String,
}

/// What a claim got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The campaign's state: rows are claimed only while it runs.
    pub state: CampaignState,
    /// The rows now held.
    pub rows: Vec<ClaimedRow>,
    /// Rows are still open that are not this worker's to finish (pending, or held by
    /// another worker, whose lease may yet run out), or rows were just claimed: when false,
    /// the worker has nothing left to wait for once its own sends end.
    pub open: bool,
}

/// How a row's send ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowOutcome {
    /// The send's record (the store's `messages` row for it).
    pub record: SendRecord,
}

/// A campaign's progress.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CampaignStatus {
    /// Its name.
    pub name: String,
    /// `running`, `paused` or `cancelled`.
    pub state: String,
    /// Its profile.
    pub profile: String,
    /// The template and language.
    pub template: String,
    /// The language.
    pub language: String,
    /// Rows in all.
    pub total: u64,
    /// Rows waiting.
    pub pending: u64,
    /// Rows held by a worker, not started.
    pub claimed: u64,
    /// Rows whose request is under way.
    pub started: u64,
    /// Rows the provider took (settled ones included).
    pub sent: u64,
    /// Of those, rows that were uncertain until a receipt settled them.
    pub settled: u64,
    /// Rows refused, never sent, or failed after the provider took them.
    pub failed: u64,
    /// Rows that may have been delivered (a worker died, or an answer was lost).
    pub uncertain: u64,
    /// Rows cancelled before they were sent.
    pub cancelled: u64,
    /// Rows finished per second over the last minute (or over the part of it the campaign
    /// has run).
    pub rate: f64,
    /// Seconds until the open rows are done at that rate.
    pub eta_seconds: Option<u64>,
}

impl CampaignStatus {
    /// No row is open: each is sent, failed, uncertain or cancelled.
    pub fn finished(&self) -> bool {
        self.pending + self.claimed + self.started == 0
    }

    /// Rows no longer open: sent, failed, uncertain or cancelled.
    pub fn done(&self) -> u64 {
        self.sent + self.failed + self.uncertain + self.cancelled
    }
}

/// One row as the store has it now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignRow {
    /// The row's id (rows are listed in its order).
    pub id: i64,
    /// Its client_ref.
    pub client_ref: String,
    /// `pending`, `claimed`, `started`, `sent`, `failed`, `uncertain`, `cancelled`.
    pub state: String,
    /// Sent, as a receipt showed after the send's outcome was unknown.
    pub settled: bool,
    /// Requests made for it.
    pub attempts: i64,
    /// The provider's message id.
    pub message_id: Option<String>,
    /// The error's kind, for a failed or uncertain row.
    pub error_kind: Option<String>,
    /// The provider's code.
    pub error_code: Option<String>,
    /// What happened.
    pub error_message: Option<String>,
    /// The recipient.
    pub recipient: String,
}

/// Up to `limit` of the campaign's rows after row id `after`, in id order (an export).
pub fn rows(c: &mut dyn Conn, name: &str, after: i64, limit: u32) -> Result<Vec<CampaignRow>> {
    Ok(c
        .rows(
            "SELECT id, client_ref, state, settled, attempts, message_id, error_kind, error_code, error_message, recipient
             FROM campaign_rows WHERE campaign = $1 AND id > $2 ORDER BY id LIMIT $3",
            args![name, after, i64::from(limit)],
        )
        .map_err(sql("reading campaign rows"))?
        .into_iter()
        .map(|r| CampaignRow {
            id: r.int(0),
            client_ref: r.text(1),
            state: r.text(2),
            settled: r.int(3) != 0,
            attempts: r.int(4),
            message_id: r.opt_text(5),
            error_kind: r.opt_text(6),
            error_code: r.opt_text(7),
            error_message: r.opt_text(8),
            recipient: r.text(9),
        })
        .collect())
}

/// A campaign's name is a key in the store and part of its rows' client_refs.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Validation,
            format!("campaign name {name:?}: 1–64 letters, digits, `_`, `-` or `.`"),
        ))
    }
}

/// Create the campaign, or find it as created before with the same profile, template and
/// language (loading a file again is a no-op); a campaign of that name made otherwise is an
/// error.
pub fn create(c: &mut dyn Conn, spec: &CampaignSpec, now: i64) -> Result<bool> {
    let created = c
        .exec(
            "INSERT INTO campaigns (name, profile, provider, template, language, state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'running', $6, $6) ON CONFLICT (name) DO NOTHING",
            args![&spec.name, &spec.profile, &spec.provider, &spec.template, &spec.language, now],
        )
        .map_err(sql("creating a campaign"))?;
    if created == 1 {
        return Ok(true);
    }
    let row = c
        .row(
            "SELECT profile, template, language FROM campaigns WHERE name = $1",
            args![&spec.name],
        )
        .map_err(sql("reading a campaign"))?
        .ok_or_else(|| store_error("creating a campaign", "it vanished"))?;
    let was = (row.text(0), row.text(1), row.text(2));
    if was
        != (
            spec.profile.clone(),
            spec.template.clone(),
            spec.language.clone(),
        )
    {
        return Err(Error::new(
            ErrorKind::Validation,
            format!(
                "campaign {:?} exists with profile {:?}, template {:?}, language {:?}: choose another name",
                spec.name, was.0, was.1, was.2
            ),
        ));
    }
    Ok(false)
}

/// Add rows; those whose client_ref the campaign has already are skipped. How many were added.
pub fn add_rows(c: &mut dyn Conn, campaign: &str, rows: &[NewRow]) -> Result<u64> {
    // A statement per few hundred rows, not per row (well under either engine's limit on
    // parameters).
    const CHUNK: usize = 256;
    let mut added = 0;
    for chunk in rows.chunks(CHUNK) {
        let mut args: Vec<Arg> = Vec::with_capacity(1 + chunk.len() * 5);
        args.push(campaign.into());
        let mut values = String::with_capacity(chunk.len() * 40);
        for (i, r) in chunk.iter().enumerate() {
            let n = 2 + i * 5;
            if i > 0 {
                values.push_str(", ");
            }
            values.push_str(&format!(
                "($1, ${n}, ${}, ${}, ${}, ${}, 'pending')",
                n + 1,
                n + 2,
                n + 3,
                n + 4
            ));
            args.extend([
                Arg::from(&r.client_ref),
                Arg::from(&r.recipient),
                Arg::from(&r.template),
                Arg::from(&r.language),
                Arg::from(&r.message),
            ]);
        }
        added += c
            .exec(
                &format!(
                    "INSERT INTO campaign_rows (campaign, client_ref, recipient, template, language, message, state)
                     VALUES {values} ON CONFLICT (campaign, client_ref) DO NOTHING"
                ),
                &args,
            )
            .map_err(sql("loading campaign rows"))?;
    }
    Ok(added)
}

/// The campaign's definition and state.
pub fn spec(c: &mut dyn Conn, name: &str) -> Result<Option<(CampaignSpec, CampaignState)>> {
    let row = c
        .row(
            "SELECT name, profile, provider, template, language, state FROM campaigns WHERE name = $1",
            args![name],
        )
        .map_err(sql("reading a campaign"))?;
    Ok(row.map(|r| {
        (
            CampaignSpec {
                name: r.text(0),
                profile: r.text(1),
                provider: r.text(2),
                template: r.text(3),
                language: r.text(4),
            },
            CampaignState::parse(&r.text(5)),
        )
    }))
}

fn unknown(name: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("no campaign {name:?} in the store (create it with `wabakit campaign create`)"),
    )
}

/// Pause, resume or cancel. Cancelling cancels every row not yet started.
pub fn set_state(c: &mut dyn Conn, name: &str, to: CampaignState, now: i64) -> Result<()> {
    let (_, was) = spec(c, name)?.ok_or_else(|| unknown(name))?;
    if was == CampaignState::Cancelled && to != CampaignState::Cancelled {
        return Err(Error::new(
            ErrorKind::Validation,
            format!("campaign {name:?} is cancelled; create another to send again"),
        ));
    }
    c.exec(
        "UPDATE campaigns SET state = $2, updated_at = $3 WHERE name = $1",
        args![name, to.as_str(), now],
    )
    .map_err(sql("changing a campaign"))?;
    if to == CampaignState::Cancelled {
        c.exec(
            "UPDATE campaign_rows SET state = 'cancelled', worker = NULL, lease_until = NULL, finished_at = $2
             WHERE campaign = $1 AND state IN ('pending', 'claimed')",
            args![name, now],
        )
        .map_err(sql("cancelling a campaign"))?;
    }
    Ok(())
}

/// Leases that ran out: claimed rows go back to pending; started rows become uncertain, with a
/// message record a receipt can settle. How many of each.
fn expire(c: &mut dyn Conn, spec: &CampaignSpec, now: i64) -> Result<(u64, u64)> {
    let back = c
        .exec(
            "UPDATE campaign_rows SET state = 'pending', worker = NULL, lease_until = NULL
             WHERE campaign = $1 AND state = 'claimed' AND lease_until < $2",
            args![&spec.name, now],
        )
        .map_err(sql("expiring leases"))?;
    let lost = c
        .rows(
            "UPDATE campaign_rows SET state = 'uncertain', worker = NULL, lease_until = NULL, finished_at = $2,
                    error_kind = 'transport', error_message = 'its worker stopped after the send was started: it may have been delivered'
             WHERE campaign = $1 AND state = 'started' AND lease_until < $2
             RETURNING id, client_ref, recipient, template, language, started_at",
            args![&spec.name, now],
        )
        .map_err(sql("expiring leases"))?;
    for r in &lost {
        let mut record = SendRecord::new(
            &spec.provider,
            &spec.profile,
            r.text(2),
            r.text(3),
            r.text(4),
        )
        .with_client_ref(r.text(1))
        .with_campaign(&spec.name)
        .with_outcome(Outcome::Uncertain {
            kind: ErrorKind::Transport,
            message: "its worker stopped after the send was started: it may have been delivered"
                .into(),
        });
        record.at_millis = r.opt_int(5).unwrap_or(now) as u64;
        crate::sends::record(c, &record)?;
        // A receipt that came while the row was started settles it now.
        settle(c, &spec.provider, &r.text(1))?;
    }
    Ok((back, lost.len() as u64))
}

/// How a claim goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimHow {
    /// Mark the rows started at once: for a worker that sends them without waiting for a
    /// permit (one statement for the batch instead of one per row).
    pub start: bool,
    /// First put back what expired leases held (a worker does it every so often, not at
    /// every claim: the sweep reads every held row).
    pub sweep: bool,
    /// Only rows after this id: a worker passes the last id it claimed, so that the index is
    /// entered past the rows already taken (whose old entries stay until a vacuum and would
    /// be walked at every claim), and 0 when that found too few (rows put back lie before).
    pub after: i64,
}

/// Claim up to `n` pending rows for `worker`, under a lease until `lease_until`.
pub fn claim(
    c: &mut dyn Conn,
    name: &str,
    worker: &str,
    n: u32,
    (now, lease_until): (i64, i64),
    how: ClaimHow,
) -> Result<Claim> {
    if how.sweep {
        let (spec, _) = spec(c, name)?.ok_or_else(|| unknown(name))?;
        expire(c, &spec, now)?;
    }
    let start = how.start;
    let pick = match c.dialect() {
        Dialect::Postgres => "SELECT id FROM campaign_rows WHERE campaign = $1 AND state = 'pending' AND id > $5 ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED",
        Dialect::Sqlite => "SELECT id FROM campaign_rows WHERE campaign = $1 AND state = 'pending' AND id > $5 ORDER BY id LIMIT $4",
    };
    let (set, started_at) = if start {
        (
            "state = 'started', started_at = $6, attempts = attempts + 1",
            Some(now),
        )
    } else {
        ("state = 'claimed'", None)
    };
    // Only while the campaign runs (read in the same statement: one round trip a claim).
    let q = format!(
        "UPDATE campaign_rows SET {set}, worker = $2, lease_until = $3
         WHERE id IN ({pick}) AND EXISTS (SELECT 1 FROM campaigns WHERE name = $1 AND state = 'running')
         RETURNING id, client_ref, message"
    );
    let base = args![name, worker, lease_until, i64::from(n), how.after];
    let with_now = args![name, worker, lease_until, i64::from(n), how.after, now];
    let mut rows: Vec<ClaimedRow> = if n == 0 {
        Vec::new()
    } else {
        c.rows(&q, if started_at.is_some() { with_now } else { base })
            .map_err(sql("claiming campaign rows"))?
            .into_iter()
            .map(|r| ClaimedRow {
                id: r.int(0),
                started: start,
                client_ref: r.text(1),
                message: r.text(2),
            })
            .collect()
    };
    rows.sort_by_key(|r| r.id);
    let state = if rows.is_empty() {
        spec(c, name)?.ok_or_else(|| unknown(name))?.1
    } else {
        CampaignState::Running
    };
    // Open rows: those just claimed, else any pending or another's (a probe of the index,
    // not a count, which would read every row at every claim). The worker's own held rows
    // end with its sends.
    let open = !rows.is_empty()
        || c.row(
            "SELECT id FROM campaign_rows WHERE campaign = $1 AND state IN ('pending', 'claimed', 'started')
               AND (state = 'pending' OR worker <> $2) LIMIT 1",
            args![name, worker],
        )
        .map_err(sql("claiming campaign rows"))?
        .is_some();
    Ok(Claim { state, open, rows })
}

/// Mark a held row started, before its request leaves; false when the worker no longer holds
/// it (its lease ran out and another took it, or the campaign was cancelled).
pub fn start(c: &mut dyn Conn, id: i64, worker: &str, now: i64, lease_until: i64) -> Result<bool> {
    let n = c
        .exec(
            "UPDATE campaign_rows SET state = 'started', started_at = $3, lease_until = $4, attempts = attempts + 1
             WHERE id = $1 AND worker = $2 AND state = 'claimed'
               AND (SELECT state FROM campaigns WHERE name = campaign_rows.campaign) <> 'cancelled'",
            args![id, worker, now, lease_until],
        )
        .map_err(sql("starting a campaign row"))?;
    Ok(n == 1)
}

/// Record how a started row's send ended: the row, and the message's record.
pub fn finish(c: &mut dyn Conn, id: i64, worker: &str, o: &RowOutcome, now: i64) -> Result<()> {
    let r = &o.record;
    let (state, (kind, code, message)) = (r.outcome.as_str(), r.outcome.error_columns());
    let set = "state = $3, worker = NULL, lease_until = NULL, finished_at = $4, message_id = $5,
               error_kind = $6, error_code = $7, error_message = $8";
    let n = c
        .exec(
            &format!("UPDATE campaign_rows SET {set} WHERE id = $1 AND worker = $2 AND state = 'started'"),
            args![id, worker, state, now, &r.message_id, kind, code, message],
        )
        .map_err(sql("finishing a campaign row"))?;
    if n == 0 {
        // Not started by this worker any more: made uncertain because its lease ran out while
        // the request was under way (a worker slowed down, not dead); the answer that came
        // says more, unless it too is "uncertain". Else cancelled under it, or settled by a
        // receipt: the record there stands.
        if state == "uncertain" {
            return Ok(());
        }
        let n = c
            .exec(
                &format!("UPDATE campaign_rows SET {set} WHERE id = $1 AND state = 'uncertain' AND settled = 0 AND (worker IS NULL OR worker = $2)"),
                args![id, worker, state, now, &r.message_id, kind, code, message],
            )
            .map_err(sql("finishing a campaign row"))?;
        if n == 0 {
            return Ok(());
        }
        // The record the lease's expiry made goes; this one knows.
        c.exec(
            "DELETE FROM messages WHERE provider = $1 AND campaign = $2 AND client_ref = $3
               AND outcome = 'uncertain' AND status_rank = 0 AND message_id IS NULL",
            args![&r.provider, &r.campaign, &r.client_ref],
        )
        .map_err(sql("finishing a campaign row"))?;
    }
    crate::sends::record(c, r)?;
    if let (Outcome::Uncertain { .. }, Some(cref)) = (&r.outcome, &r.client_ref) {
        settle(c, &r.provider, cref)?;
    }
    Ok(())
}

/// Record how many started rows' sends ended, in a few statements: one update of the rows,
/// the messages' records in one insert. A row this worker no longer holds goes the way of
/// [`finish`].
pub fn finish_many(
    c: &mut dyn Conn,
    worker: &str,
    done: &[(i64, RowOutcome)],
    now: i64,
) -> Result<()> {
    if done.is_empty() {
        return Ok(());
    }
    let mut args: Vec<Arg> = vec![worker.into(), now.into()];
    let mut values = String::new();
    for (i, (id, o)) in done.iter().enumerate() {
        let outcome = &o.record.outcome;
        let (state, (kind, code, message)) = (outcome.as_str(), outcome.error_columns());
        let n = 3 + i * 6;
        if i > 0 {
            values.push_str(", ");
        }
        values.push_str(&format!(
            "(CAST(${n} AS BIGINT), CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT))",
            n + 1, n + 2, n + 3, n + 4, n + 5
        ));
        args.extend([
            Arg::from(*id),
            Arg::from(state),
            Arg::from(&o.record.message_id),
            Arg::from(kind),
            Arg::from(code),
            Arg::from(message),
        ]);
    }
    let updated = c
        .rows(
            &format!(
                "UPDATE campaign_rows SET state = v.column2, worker = NULL, lease_until = NULL, finished_at = $2,
                        message_id = v.column3, error_kind = v.column4, error_code = v.column5, error_message = v.column6
                 FROM (VALUES {values}) AS v
                 WHERE campaign_rows.id = v.column1 AND campaign_rows.worker = $1 AND campaign_rows.state = 'started'
                 RETURNING campaign_rows.id"
            ),
            &args,
        )
        .map_err(sql("finishing campaign rows"))?;
    let updated: std::collections::HashSet<i64> = updated.iter().map(|r| r.int(0)).collect();
    let records: Vec<&SendRecord> = done
        .iter()
        .filter(|(id, _)| updated.contains(id))
        .map(|(_, o)| &o.record)
        .collect();
    crate::sends::record_many(c, &records)?;
    for (id, o) in done {
        if !updated.contains(id) {
            finish(c, *id, worker, o, now)?;
        } else if let (Outcome::Uncertain { .. }, Some(cref)) =
            (&o.record.outcome, &o.record.client_ref)
        {
            settle(c, &o.record.provider, cref)?;
        }
    }
    Ok(())
}

/// Keep a worker's leases: its rows stay its own until `lease_until`.
pub fn renew(c: &mut dyn Conn, name: &str, worker: &str, lease_until: i64) -> Result<u64> {
    c.exec(
        "UPDATE campaign_rows SET lease_until = $3
         WHERE campaign = $1 AND state IN ('claimed', 'started') AND worker = $2",
        args![name, worker, lease_until],
    )
    .map_err(sql("renewing leases"))
}

/// Give back a worker's claimed rows not started (on pause, or when it stops).
pub fn release(c: &mut dyn Conn, name: &str, worker: &str) -> Result<u64> {
    c.exec(
        "UPDATE campaign_rows SET state = 'pending', worker = NULL, lease_until = NULL
         WHERE campaign = $1 AND state = 'claimed' AND worker = $2",
        args![name, worker],
    )
    .map_err(sql("releasing campaign rows"))
}

/// An uncertain campaign row whose message a receipt (for its client_ref) has shown sent: it
/// is sent, and settled.
pub(crate) fn settle(c: &mut dyn Conn, provider: &str, client_ref: &str) -> Result<()> {
    // The message the receipt moved: sent, delivered or read makes the row sent; failed (the
    // provider took it, then could not deliver it) makes it failed.
    let of = "FROM messages m WHERE m.provider = $1 AND m.client_ref = $2
              AND m.campaign = campaign_rows.campaign AND m.status_rank BETWEEN 2 AND 5";
    c.exec(
        &format!(
            "UPDATE campaign_rows SET settled = 1,
                state = (SELECT CASE WHEN m.status_rank = 5 THEN 'failed' ELSE 'sent' END {of} ORDER BY m.id DESC LIMIT 1),
                message_id = (SELECT m.message_id {of} ORDER BY m.id DESC LIMIT 1)
             WHERE (campaign, client_ref) IN (SELECT m.campaign, m.client_ref FROM messages m
                    WHERE m.provider = $1 AND m.client_ref = $2 AND m.campaign IS NOT NULL)
               AND state = 'uncertain' AND EXISTS (SELECT 1 {of})"
        ),
        args![provider, client_ref],
    )
    .map(drop)
    .map_err(sql("settling a campaign row"))
}

/// Put the campaign's rows that are still uncertain back to pending: they will be sent again
/// (a duplicate for any the provider did deliver). How many.
pub fn retry_uncertain(c: &mut dyn Conn, name: &str) -> Result<u64> {
    let (spec, state) = spec(c, name)?.ok_or_else(|| unknown(name))?;
    if state == CampaignState::Cancelled {
        return Err(Error::new(
            ErrorKind::Validation,
            format!("campaign {name:?} is cancelled"),
        ));
    }
    // Their message records go too: the new send records its own.
    c.exec(
        "DELETE FROM messages WHERE provider = $1 AND campaign = $2 AND outcome = 'uncertain' AND status_rank = 0
           AND client_ref IN (SELECT client_ref FROM campaign_rows WHERE campaign = $2 AND state = 'uncertain')",
        args![&spec.provider, name],
    )
    .map_err(sql("retrying uncertain rows"))?;
    c.exec(
        "UPDATE campaign_rows SET state = 'pending', worker = NULL, lease_until = NULL, finished_at = NULL,
                error_kind = NULL, error_code = NULL, error_message = NULL
         WHERE campaign = $1 AND state = 'uncertain'",
        args![name],
    )
    .map_err(sql("retrying uncertain rows"))
}

/// Progress: rows by state, the rate of the last minute, and an estimate of the time left.
pub fn status(c: &mut dyn Conn, name: &str, now: i64) -> Result<CampaignStatus> {
    let (spec, state) = spec(c, name)?.ok_or_else(|| unknown(name))?;
    let s_provider = spec.provider.clone();
    let mut s = CampaignStatus {
        name: spec.name,
        state: state.as_str().to_owned(),
        profile: spec.profile,
        template: spec.template,
        language: spec.language,
        ..CampaignStatus::default()
    };
    let rows = c
        .rows(
            "SELECT state, COUNT(*), CAST(SUM(settled) AS BIGINT) FROM campaign_rows WHERE campaign = $1 GROUP BY state",
            args![name],
        )
        .map_err(sql("reading a campaign"))?;
    for r in rows {
        let n = r.int(1) as u64;
        s.total += n;
        match r.text(0).as_str() {
            "pending" => s.pending = n,
            "claimed" => s.claimed = n,
            "started" => s.started = n,
            "sent" => {
                s.sent = n;
                s.settled = r.int(2) as u64;
            }
            "failed" => s.failed = n,
            "uncertain" => s.uncertain = n,
            "cancelled" => s.cancelled = n,
            _ => {}
        }
    }
    // Messages recorded in the last minute, over the part of it the campaign was sending
    // (read from the messages' index: campaign rows have no index on their finish time).
    let since = now - 60_000;
    let recent = c
        .row(
            "SELECT COUNT(*), MIN(sent_at) FROM messages WHERE campaign = $1 AND provider = $3 AND sent_at >= $2",
            args![name, since, &s_provider],
        )
        .map_err(sql("reading a campaign"))?
        .unwrap_or(crate::db::Row(Vec::new()));
    let window = now - recent.opt_int(1).unwrap_or(since).max(since);
    s.rate = recent.int(0) as f64 * 1000.0 / window.max(1000) as f64;
    let open = s.pending + s.claimed + s.started;
    s.eta_seconds = match (open, s.rate > 0.0) {
        (0, _) => Some(0),
        (_, true) => Some((open as f64 / s.rate).ceil() as u64),
        _ => None,
    };
    Ok(s)
}
