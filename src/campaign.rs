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

use futures_util::{FutureExt, Stream, StreamExt};
use tokio::sync::{mpsc, watch, Mutex};
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

/// Rows on their way into a campaign: keyed (a row without a client_ref gets `NAME-ROW`),
/// refused when a client_ref repeats, and written a batch at a time.
struct Loader {
    store: Store,
    name: String,
    refs: ClientRefs,
    batch: Vec<NewRow>,
    loaded: Loaded,
}

impl Loader {
    fn new(store: Store, name: String) -> Loader {
        Loader {
            store,
            name,
            refs: ClientRefs::default(),
            batch: Vec::with_capacity(LOAD_BATCH),
            loaded: Loaded::default(),
        }
    }

    /// Take one row; true when a batch is full (then [`Loader::flush`] it).
    fn push(&mut self, row: u64, m: std::result::Result<TemplateMessage, String>) -> bool {
        let mut m = match m {
            Ok(m) => m,
            Err(why) => {
                self.loaded.invalid.push((row, why));
                return false;
            }
        };
        let name = &self.name;
        let cref = m
            .client_ref
            .get_or_insert_with(|| format!("{name}-{row}"))
            .clone();
        if let Some(first) = self.refs.first_of(&cref, row) {
            let why = ClientRefs::problem(&cref, &format!("row {first}")).to_string();
            self.loaded.invalid.push((row, why));
            return false;
        }
        self.batch.push(NewRow {
            client_ref: cref,
            recipient: m.to.clone(),
            template: m.template.clone(),
            language: m.language.clone(),
            message: m.to_value().to_string(),
        });
        self.batch.len() == LOAD_BATCH
    }

    /// Write the rows taken so far.
    async fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let n = self.batch.len() as u64;
        let rows = std::mem::replace(&mut self.batch, Vec::with_capacity(LOAD_BATCH));
        let added = self.store.add_campaign_rows(&self.name, rows).await?;
        self.loaded.added += added;
        self.loaded.already += n - added;
        Ok(())
    }

    /// Load `rows` as they come: a batch is written when it is full or when the input has
    /// nothing more ready (a pipe's rows are sent as they arrive), and `loaded` is told each
    /// time; at the end it is told `true`.
    async fn stream(
        &mut self,
        rows: impl Stream<Item = (u64, std::result::Result<TemplateMessage, String>)>,
        loaded: &watch::Sender<bool>,
    ) -> Result<()> {
        tokio::pin!(rows);
        while let Some((row, m)) = rows.next().await {
            let mut full = self.push(row, m);
            let mut ended = false;
            while !full {
                match rows.next().now_or_never() {
                    Some(Some((row, m))) => full = self.push(row, m),
                    Some(None) => {
                        ended = true;
                        break;
                    }
                    None => break,
                }
            }
            self.flush().await?;
            loaded.send_modify(|_| {});
            if ended {
                break;
            }
        }
        loaded.send_replace(true);
        Ok(())
    }
}

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
        store.create_campaign(spec.clone()).await?;
        let mut loader = Loader::new(store.clone(), spec.name);
        for (row, m) in rows {
            if loader.push(row, m) {
                loader.flush().await?;
            }
        }
        loader.flush().await?;
        Ok(loader.loaded)
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
        self.work(client, options, stop, None).await
    }

    /// Load `rows` into the campaign (created before, [`Store::create_campaign`]) while
    /// working on it: rows are sent as they arrive (from a pipe, say), and the run ends when
    /// the input has ended and no row is left open, or as [`Campaign::run`] does. What `stop`
    /// interrupts is left as the store has it: rows not read yet are loaded by the next run
    /// of the same input (keyed as [`Campaign::create`] keys them), rows loaded and not sent
    /// are pending.
    pub async fn run_loading(
        &self,
        client: &Client,
        options: RunOptions,
        rows: impl Stream<Item = (u64, std::result::Result<TemplateMessage, String>)> + Send,
        stop: impl Future<Output = ()> + Send,
    ) -> Result<(RunSummary, Loaded)> {
        let (tell, told) = watch::channel(false);
        let mut loader = Loader::new(self.store.clone(), self.name.clone());
        let summary = {
            let load = loader.stream(rows, &tell);
            let run = self.work(client, options, stop, Some(told));
            tokio::pin!(load, run);
            let mut loading = true;
            loop {
                tokio::select! {
                    s = &mut run => break s?,
                    l = &mut load, if loading => {
                        l?;
                        loading = false;
                    }
                }
            }
        };
        Ok((summary, loader.loaded))
    }

    async fn work(
        &self,
        client: &Client,
        options: RunOptions,
        stop: impl Future<Output = ()> + Send,
        loading: Option<watch::Receiver<bool>>,
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
            client: client.clone(),
            learned: std::sync::Mutex::default(),
            looking: Mutex::new(()),
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
            loading,
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
        mut loading: Option<watch::Receiver<bool>>,
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
            // Rows loaded from here on wake the wait below.
            let ended = loading.as_mut().is_none_or(|l| *l.borrow_and_update());
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
                if !c.open && ended {
                    return Ok(false);
                }
                // Other workers (or this one's senders) hold what is open, or more rows are
                // being loaded: look again soon (sweeping), or when rows are loaded.
                if c.open {
                    swept = None;
                }
                let more = async {
                    match loading.as_mut() {
                        Some(l) if !ended => {
                            // An input that ended (or failed) wakes it too.
                            let _ = l.changed().await;
                        }
                        _ => std::future::pending().await,
                    }
                };
                tokio::select! {
                    biased;
                    _ = &mut stop => return Ok(true),
                    _ = more => continue,
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

/// Templates by name and language, with what their lookup found.
type Learned = std::collections::HashMap<String, std::collections::HashMap<String, Option<Error>>>;

/// What every send task of a run shares.
struct Ctx {
    /// The client whose provider sends (for what it knows of templates).
    client: Client,
    /// The templates the rows named (name → language), each looked up once: `Some` when the
    /// provider has none.
    learned: std::sync::Mutex<Learned>,
    /// Held while a template is looked up: one lookup per template, however many senders.
    looking: Mutex<()>,
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

    /// The message's template, learned once per run ([`Client::know_template`]: the store's
    /// copy, else the provider's), so that rows naming any template are checked before they
    /// are sent. One the provider does not have fails its rows unsent; a lookup that fails
    /// otherwise leaves the check to the provider.
    async fn learn(&self, m: &TemplateMessage) -> Option<Error> {
        let seen = || {
            let learned = self.learned.lock().unwrap_or_else(|e| e.into_inner());
            learned
                .get(m.template.as_str())
                .and_then(|l| l.get(m.language.as_str()))
                .cloned()
        };
        if let Some(known) = seen() {
            return known;
        }
        let _one = self.looking.lock().await;
        if let Some(known) = seen() {
            return known;
        }
        let missing = match self.client.know_template(&m.template, &m.language).await {
            Err(e) if e.kind() == ErrorKind::NotFound => Some(e),
            Err(e) => {
                tracing::warn!(error = %e, template = %m.template, "campaign: the template could not be looked up");
                None
            }
            Ok(()) => None,
        };
        self.learned
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(m.template.clone())
            .or_default()
            .insert(m.language.clone(), missing.clone());
        missing
    }

    async fn try_send_row(&self, row: ClaimedRow, s: &mut RunSummary) -> Result<()> {
        let m = serde_json::from_str::<serde_json::Value>(&row.message)
            .map_err(|e| e.to_string())
            .and_then(|v| crate::rows::message(&v));
        // The template is learned before a permit is taken: a permit taken while its sender
        // waits on the lookup is spent late, on top of the next moments' permits (the paced
        // drill saw 203.8/s in the window after a worker's start). A row that will not be sent
        // (unreadable, or its template refused) takes no permit.
        let mut refused = match &m {
            Ok(m) => self.learn(m).await,
            Err(_) => None,
        };
        let sendable = m.is_ok() && refused.is_none();
        let mut started = row.started;
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            if let (Some(p), true) = (&self.permits, sendable) {
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
            if let Some(e) = refused.take() {
                break Err(e);
            }
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
