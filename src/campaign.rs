//! Campaigns: one template to many recipients, as rows in the store that any number of
//! workers, in any number of processes on any number of machines (PostgreSQL), claim and send.
//!
//! At most once: each row is marked started, and that committed, before its request leaves. A
//! row whose worker died between the start and the answer becomes "uncertain" when its lease
//! runs out, and is never sent again by itself; a status receipt for its client_ref settles it;
//! [`Campaign::retry_uncertain`] sends what is still uncertain again, for those who prefer a
//! duplicate to a loss.
//!
//! One rate for all workers of a profile: permits come from a row in the store (a few at a
//! time), and a throttling answer holds that row back, which slows every worker.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> wabakit::Result<()> {
//! use wabakit::campaign::{Campaign, RunOptions};
//! use wabakit::store::{CampaignSpec, Store};
//! use wabakit::{Client, MemoryProvider, Template, TemplateMessage};
//! use std::sync::Arc;
//!
//! let store = Store::open("sqlite::memory:")?;
//! let client = Client::with_provider(Arc::new(MemoryProvider::new()));
//! client.create_template(&Template::from_file("examples/templates/order_update.yaml")?).await?;
//! let spec = CampaignSpec {
//!     name: "spring".into(), profile: "memory".into(), provider: "memory".into(),
//!     template: "order_update".into(), language: "en_US".into(),
//! };
//! let rows = (1..=3).map(|i| {
//!     let m = TemplateMessage::from_json(&format!(
//!         r#"{{"to": "+86136000097{i:02}", "template": "order_update", "language": "en_US", "body": ["Ana", "today"]}}"#
//!     )).map_err(|p| p[0].to_string());
//!     (i, m)
//! });
//! let loaded = Campaign::create(&store, spec, rows).await?;
//! assert_eq!(loaded.added, 3);
//! let campaign = Campaign::new(store, "spring");
//! campaign.run(&client, RunOptions::default(), std::future::pending()).await?;
//! let status = campaign.status().await?;
//! assert_eq!((status.sent, status.pending), (3, 0));
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, Mutex};
use wabakit_core::*;
use wabakit_store::{
    CampaignSpec, CampaignState, CampaignStatus, ClaimedRow, NewRow, Outcome, RowOutcome,
    SendRecord, Store,
};

use crate::bulk::ClientRefs;
use crate::Client;

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Sends under way at once in this worker.
    pub concurrency: usize,
    /// Messages per second for all workers of the profile together; `None`: no limit.
    pub rate: Option<u32>,
    /// How long a worker holds its rows without renewing (it renews every third of it): a
    /// worker that dies gives its rows up after this.
    pub lease: Duration,
    /// This worker's name in the store (default: host, process id and a random part).
    pub worker: Option<String>,
    /// Attempts at a row whose send certainly did not act (throttled, or refused before
    /// acting), before it fails.
    pub max_attempts: u32,
    /// How often a worker with nothing to claim looks again while other workers hold rows.
    pub poll: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 64,
            rate: None,
            lease: Duration::from_secs(30),
            worker: None,
            max_attempts: 6,
            poll: Duration::from_millis(500),
        }
    }
}

/// What one worker's run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Rows it sent.
    pub sent: u64,
    /// Rows that failed.
    pub failed: u64,
    /// Rows whose outcome it could not know.
    pub uncertain: u64,
    /// Rows it held but did not start (the campaign was cancelled, or its lease was lost).
    pub skipped: u64,
    /// The run ended before the campaign did: paused, cancelled, or told to stop.
    pub stopped: bool,
}

/// What loading rows did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Rows added.
    pub added: u64,
    /// Rows the campaign had already (a file loaded again).
    pub already: u64,
    /// Rows that could not be read, by row number, with why.
    pub invalid: Vec<(u64, String)>,
}

/// A campaign in a store.
#[derive(Clone, Debug)]
pub struct Campaign {
    store: Store,
    name: String,
}

/// Rows loaded per transaction.
const LOAD_BATCH: usize = 500;

/// Finished rows recorded per transaction at most.
const FINISH_BATCH: usize = 256;

impl Campaign {
    /// The campaign `name` in `store`.
    pub fn new(store: Store, name: impl Into<String>) -> Campaign {
        Campaign {
            store,
            name: name.into(),
        }
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Create the campaign (or find it as created before, the same) and load its rows, each
    /// with its row number: a row is keyed by its client_ref, or `NAME-ROW` when it has none,
    /// so loading the same rows again adds nothing.
    pub async fn create(
        store: &Store,
        spec: CampaignSpec,
        rows: impl IntoIterator<Item = (u64, std::result::Result<TemplateMessage, String>)>,
    ) -> Result<Loaded> {
        let name = spec.name.clone();
        store.create_campaign(spec).await?;
        let mut loaded = Loaded::default();
        let mut refs = ClientRefs::default();
        let mut batch = Vec::with_capacity(LOAD_BATCH);
        for (row, m) in rows {
            let mut m = match m {
                Ok(m) => m,
                Err(why) => {
                    loaded.invalid.push((row, why));
                    continue;
                }
            };
            let cref = m
                .client_ref
                .get_or_insert_with(|| format!("{name}-{row}"))
                .clone();
            if let Some(first) = refs.first_of(&cref, row) {
                let why = ClientRefs::problem(&cref, &format!("row {first}")).to_string();
                loaded.invalid.push((row, why));
                continue;
            }
            batch.push(NewRow {
                client_ref: cref,
                recipient: m.to.clone(),
                template: m.template.clone(),
                language: m.language.clone(),
                message: m.to_value().to_string(),
            });
            if batch.len() == LOAD_BATCH {
                let n = batch.len() as u64;
                let added = store
                    .add_campaign_rows(&name, std::mem::take(&mut batch))
                    .await?;
                loaded.added += added;
                loaded.already += n - added;
            }
        }
        if !batch.is_empty() {
            let n = batch.len() as u64;
            let added = store.add_campaign_rows(&name, batch).await?;
            loaded.added += added;
            loaded.already += n - added;
        }
        Ok(loaded)
    }

    /// Progress: rows by state, rate, time left.
    pub async fn status(&self) -> Result<CampaignStatus> {
        self.store.campaign_status(&self.name).await
    }

    /// Workers take no new rows until [`Campaign::resume`].
    pub async fn pause(&self) -> Result<()> {
        self.store
            .set_campaign_state(&self.name, CampaignState::Paused)
            .await
    }

    /// Workers take rows again.
    pub async fn resume(&self) -> Result<()> {
        self.store
            .set_campaign_state(&self.name, CampaignState::Running)
            .await
    }

    /// Cancel every row not yet started; nothing more is sent.
    pub async fn cancel(&self) -> Result<()> {
        self.store
            .set_campaign_state(&self.name, CampaignState::Cancelled)
            .await
    }

    /// Put the rows still uncertain back, to be sent again (a duplicate for any the provider
    /// did deliver); how many.
    pub async fn retry_uncertain(&self) -> Result<u64> {
        self.store.retry_uncertain(&self.name).await
    }

    /// Work on the campaign until no row is left open, it is paused or cancelled, or `stop`
    /// completes (then no new row is started; sends under way finish and are recorded; rows
    /// held and not started are given back).
    ///
    /// `client` sends through its profile; its own retries and rate limit are best off
    /// ([`worker_profile`]): the run retries what certainly was not acted on, and keeps to
    /// `options.rate` with every other worker.
    pub async fn run(
        &self,
        client: &Client,
        options: RunOptions,
        stop: impl Future<Output = ()> + Send,
    ) -> Result<RunSummary> {
        let (spec, _) = self.store.campaign(&self.name).await?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("no campaign {:?} in the store", self.name),
            )
        })?;
        let worker = options.worker.clone().unwrap_or_else(worker_name);
        let lease = options.lease.as_millis() as i64;
        let permits = options
            .rate
            .map(|r| Permits::new(self.store.clone(), format!("send:{}", spec.profile), r));
        // Finished rows, written in batches as they come (a statement per batch, not per row).
        let (done, mut finished) = mpsc::unbounded_channel::<(i64, RowOutcome)>();
        let recorder = {
            // On PostgreSQL the recorder has a connection of its own, so that recording what
            // finished and claiming what is next go on at the same time.
            let store = match self.store.url() {
                wabakit_store::StoreUrl::Postgres(_) => {
                    Store::open(&self.store.url().connect_url())?
                }
                _ => self.store.clone(),
            };
            let worker = worker.clone();
            tokio::spawn(async move {
                while let Some(first) = finished.recv().await {
                    let mut batch = vec![first];
                    while batch.len() < FINISH_BATCH {
                        match finished.try_recv() {
                            Ok(d) => batch.push(d),
                            Err(_) => break,
                        }
                    }
                    if let Err(e) = store.finish_rows(&worker, batch).await {
                        // The rows stay started: uncertain once the lease runs out.
                        tracing::error!(error = %e, "campaign: finished rows could not be recorded");
                    }
                }
            })
        };
        let start_on_claim = options.rate.is_none();
        let ctx = Arc::new(Ctx {
            store: self.store.clone(),
            done,
            provider: client.unrecorded(),
            spec,
            worker: worker.clone(),
            lease,
            permits,
            max_attempts: options.max_attempts.max(1),
        });
        let concurrency = options.concurrency.max(1);
        let (tx, rx) = mpsc::channel::<ClaimedRow>(concurrency);
        let rx = Arc::new(Mutex::new(rx));
        let mut senders = tokio::task::JoinSet::new();
        for _ in 0..concurrency {
            let (ctx, rx) = (ctx.clone(), rx.clone());
            senders.spawn(async move {
                let mut s = RunSummary::default();
                loop {
                    let next = rx.lock().await.recv().await;
                    let Some(row) = next else { break };
                    ctx.send_row(row, &mut s).await;
                }
                s
            });
        }
        // Leases renewed while the run lasts.
        let renewing = {
            let (store, worker) = (self.store.clone(), worker.clone());
            let name = self.name.clone();
            tokio::spawn(async move {
                let every = Duration::from_millis((lease / 3).max(1) as u64);
                loop {
                    tokio::time::sleep(every).await;
                    if let Err(e) = store.renew_leases(&name, &worker, lease).await {
                        tracing::warn!(error = %e, "campaign: cannot renew leases");
                    }
                }
            })
        };
        let claimed = self.claim(
            &worker,
            concurrency,
            lease,
            options.poll,
            start_on_claim,
            tx,
            stop,
        );
        let claimed = claimed.await;
        let mut summary = RunSummary::default();
        while let Some(s) = senders.join_next().await {
            let s =
                s.map_err(|e| Error::new(ErrorKind::Store, format!("a send task failed: {e}")))?;
            summary.sent += s.sent;
            summary.failed += s.failed;
            summary.uncertain += s.uncertain;
            summary.skipped += s.skipped;
        }
        // Every outcome recorded before the run ends (the last sender to it goes here).
        drop(ctx);
        recorder
            .await
            .map_err(|e| Error::new(ErrorKind::Store, format!("the recorder failed: {e}")))?;
        renewing.abort();
        // What was claimed and not started goes back (a stop, a pause).
        self.store.release_rows(&self.name, &worker).await?;
        summary.stopped = claimed?;
        Ok(summary)
    }

    /// Claim rows as the senders take them, until none is open; true when stopped before.
    /// Without a rate limit, rows are claimed started (the senders send them at once).
    #[allow(clippy::too_many_arguments)]
    async fn claim(
        &self,
        worker: &str,
        n: usize,
        lease: i64,
        poll: Duration,
        start: bool,
        tx: mpsc::Sender<ClaimedRow>,
        stop: impl Future<Output = ()> + Send,
    ) -> Result<bool> {
        tokio::pin!(stop);
        // Expired leases are swept at the first claim, then every third of a lease, and
        // whenever nothing was left to claim (the open rows may be a dead worker's).
        let every = Duration::from_millis((lease / 3).max(1) as u64);
        let mut swept: Option<std::time::Instant> = None;
        let mut after = 0;
        loop {
            // Wait for room first: rows are claimed only when a sender can take them.
            let room = tokio::select! {
                biased;
                _ = &mut stop => return Ok(true),
                room = tx.reserve() => room,
            };
            drop(room);
            let sweep = swept.is_none_or(|t| t.elapsed() >= every);
            if sweep {
                swept = Some(std::time::Instant::now());
            }
            let how = wabakit_store::ClaimHow {
                start,
                sweep,
                after: if sweep { 0 } else { after },
            };
            let c = self
                .store
                .claim_rows(&self.name, worker, n as u32, lease, how)
                .await?;
            if c.state != CampaignState::Running {
                return Ok(true);
            }
            // Next time past these, unless too few were left there.
            after = match c.rows.last() {
                Some(last) if c.rows.len() == n => last.id,
                _ => 0,
            };
            if c.rows.is_empty() {
                if how.after > 0 {
                    continue;
                }
                if !c.open {
                    return Ok(false);
                }
                // Other workers (or this one's senders) hold what is open: look again soon,
                // sweeping.
                swept = None;
                tokio::select! {
                    biased;
                    _ = &mut stop => return Ok(true),
                    _ = tokio::time::sleep(poll) => continue,
                }
            }
            for row in c.rows {
                if tx.send(row).await.is_err() {
                    return Ok(true);
                }
            }
        }
    }
}

/// What every send task of a run shares.
struct Ctx {
    store: Store,
    /// Finished rows go to the recorder, which writes them in batches.
    done: mpsc::UnboundedSender<(i64, RowOutcome)>,
    provider: Arc<dyn Provider>,
    spec: CampaignSpec,
    worker: String,
    lease: i64,
    permits: Option<Permits>,
    max_attempts: u32,
}

impl Ctx {
    async fn send_row(&self, row: ClaimedRow, s: &mut RunSummary) {
        if let Err(e) = self.try_send_row(row, s).await {
            // The store failed: the row stays as the store has it (claimed rows go back, a
            // started one becomes uncertain when its lease runs out).
            tracing::error!(error = %e, campaign = %self.spec.name, "campaign: a row could not be recorded");
        }
    }

    async fn try_send_row(&self, row: ClaimedRow, s: &mut RunSummary) -> Result<()> {
        let m = serde_json::from_str::<serde_json::Value>(&row.message)
            .map_err(|e| e.to_string())
            .and_then(|v| {
                TemplateMessage::from_value(&v).map_err(|p| {
                    p.iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                })
            });
        let mut started = row.started;
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            if let Some(p) = &self.permits {
                p.acquire().await?;
            }
            if !started {
                if !self
                    .store
                    .start_row(row.id, &self.worker, self.lease)
                    .await?
                {
                    s.skipped += 1;
                    return Ok(());
                }
                started = true;
            }
            let m = match &m {
                Ok(m) => m,
                Err(why) => break Err(Error::new(ErrorKind::Validation, why.clone())),
            };
            let r = self.provider.send(m).await;
            match &r {
                Err(e) if e.retryable() && attempt < self.max_attempts => {
                    let wait = e
                        .retry_after()
                        .unwrap_or_else(|| Duration::from_millis(20 << attempt.min(6)));
                    if e.kind() == ErrorKind::RateLimited {
                        // Every worker waits, not only this one.
                        if let Some(p) = &self.permits {
                            p.hold(e.retry_after().unwrap_or(Duration::from_secs(1)))
                                .await?;
                        }
                    }
                    tokio::time::sleep(wait).await;
                }
                _ => break r,
            }
        };
        let mut record = match &m {
            Ok(m) => SendRecord::of(&self.spec.provider, &self.spec.profile, m, &result),
            Err(_) => SendRecord::new(
                &self.spec.provider,
                &self.spec.profile,
                "",
                &self.spec.template,
                &self.spec.language,
            )
            .with_client_ref(&row.client_ref)
            .with_outcome(Outcome::of(&result)),
        };
        record.campaign = Some(self.spec.name.clone());
        match &record.outcome {
            Outcome::Sent => s.sent += 1,
            Outcome::Failed { .. } => s.failed += 1,
            Outcome::Uncertain { .. } => s.uncertain += 1,
        }
        // To the recorder; if it has stopped, the row stays started (uncertain in the end).
        let _ = self.done.send((row.id, RowOutcome { record }));
        Ok(())
    }
}

/// Permits of the shared limit, taken a few at a time (about 50 ms of them) and spent each at
/// its moment.
struct Permits {
    store: Store,
    key: String,
    rate: u32,
    batch: u32,
    queue: Mutex<VecDeque<i64>>,
}

impl Permits {
    fn new(store: Store, key: String, rate: u32) -> Permits {
        let rate = rate.max(1);
        Permits {
            store,
            key,
            rate,
            batch: (rate / 20).clamp(1, 50),
            queue: Mutex::new(VecDeque::new()),
        }
    }

    async fn acquire(&self) -> Result<()> {
        let at = {
            let mut q = self.queue.lock().await;
            if q.is_empty() {
                let first = self
                    .store
                    .take_permits(&self.key, self.rate, self.batch)
                    .await?;
                let step = wabakit_store::interval_us(self.rate);
                q.extend((0..i64::from(self.batch)).map(|i| first + i * step));
            }
            q.pop_front().unwrap_or_default()
        };
        let wait = at - now_us();
        if wait > 0 {
            tokio::time::sleep(Duration::from_micros(wait as u64)).await;
        }
        Ok(())
    }

    /// The provider asked to wait: no worker gets a permit for `d`; this one's own permits
    /// before then are dropped.
    async fn hold(&self, d: Duration) -> Result<()> {
        let until = now_us() + d.as_micros() as i64;
        self.store.hold_permits(&self.key, until).await?;
        self.queue.lock().await.retain(|t| *t >= until);
        Ok(())
    }
}

fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

/// A name for this worker: its host, process id and a random part.
fn worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "host".into());
    let nonce = RandomNonces.next();
    format!(
        "{host}-{}-{}",
        std::process::id(),
        &nonce[..nonce.len().min(8)]
    )
}

/// A profile as a campaign worker uses it: the run retries and limits itself, so the
/// provider's own retries (`max_attempts = 1`) and rate limit (`rate_limit = false`) are off.
pub fn worker_profile(profile: &serde_json::Value) -> serde_json::Value {
    let mut p = profile.clone();
    if let Some(t) = p.as_object_mut() {
        t.insert("max_attempts".into(), 1.into());
        t.insert("rate_limit".into(), false.into());
    }
    p
}
