#![warn(missing_docs)]
//! wabakit's message store: every send, every callback event as received, each message's
//! fate and each template's review, in SQLite (`[store] url = "sqlite://wabakit.db"`, the
//! embedded default) or PostgreSQL (`postgres://user@host/db`, shared by any number of
//! senders and receivers on any number of machines). A message's status only moves forward (accepted → sent → delivered →
//! read; failed is final); a redelivered event changes nothing (each event's key is unique in
//! the table, so the dedupe is the insert itself); an event for a message not recorded yet is
//! kept, and joins the message when its send is recorded.
//!
//! In each process, all writes go through one writer thread that commits whatever is waiting as one transaction
//! (a group commit: one sync to disk for many callers), and each caller's answer is given only
//! after its transaction is committed. A caller's statements run in a savepoint of their own, so
//! one caller's failure does not undo another's work in the same group.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> wabakit_core::Result<()> {
//! use wabakit_store::{Outcome, SendRecord, Store};
//!
//! let store = Store::open("sqlite::memory:")?;
//! store
//!     .record_send(SendRecord::new("meta", "prod", "8613600009759", "order_update", "en_US")
//!         .with_message_id("wamid.1")
//!         .with_client_ref("order-1234")
//!         .with_outcome(Outcome::Sent))
//!     .await?;
//! let h = store.history("order-1234").await?.expect("recorded");
//! assert_eq!(h.message.status, "sent");
//! # Ok(()) }
//! ```

mod campaigns;
mod db;
mod events;
mod limits;
mod records;
mod report;
mod schema;
mod sends;
mod templates;
#[doc(hidden)]
pub mod testing;
mod url;
mod writer;

pub use campaigns::{
    check_name as check_campaign_name, CampaignRow, CampaignSpec, CampaignState, CampaignStatus,
    Claim, ClaimHow, ClaimedRow, NewRow, RowOutcome,
};
pub use limits::interval_us;
pub use records::{EventRow, History, MessageRow, Outcome, SendRecord, TemplateRow};
pub use report::{Failure, Latency, Report, ReportFilter};
pub use schema::{MIGRATIONS, SCHEMA_VERSION};
pub use templates::SavedTemplate;
pub use url::{PgUrl, StoreUrl, Sync, DEFAULT_URL};

use wabakit_core::{Error, ErrorKind, Event, Result};

use writer::Writer;

/// What a batch of callback events did to the store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Events seen for the first time, now kept.
    pub new: usize,
    /// Events already kept (a redelivery): nothing changed.
    pub duplicates: usize,
}

/// A store, open. Cheap to clone: clones share the writer.
#[derive(Clone, Debug)]
pub struct Store {
    writer: Writer,
    url: StoreUrl,
}

impl Store {
    /// Open (and create, and migrate to the current schema) the store at `url`:
    /// `sqlite://PATH` (relative to the working directory, or absolute with
    /// `sqlite:///abs/path`), or `sqlite::memory:` for a store that lives as long as this value.
    /// A query may set `sync=full` (the default: a committed event survives a power cut) or
    /// `sync=normal` (it survives a crash of the process, not of the machine).
    pub fn open(url: &str) -> Result<Store> {
        let url = StoreUrl::parse(url)?;
        let writer = Writer::start(&url)?;
        Ok(Store { writer, url })
    }

    /// Where it is.
    pub fn url(&self) -> &StoreUrl {
        &self.url
    }

    /// The schema version the store is at (after [`Store::open`], [`SCHEMA_VERSION`]).
    pub async fn schema_version(&self) -> Result<u32> {
        self.writer.run(schema::version).await
    }

    /// Record one send: what was sent through which provider and profile, and how it ended.
    /// Events that arrived for it before (by message id, or by client_ref) are applied now.
    pub async fn record_send(&self, r: SendRecord) -> Result<()> {
        self.writer.run(move |tx| sends::record(tx, &r)).await
    }

    /// Record the sends of a batch in one transaction (a bulk send's outcomes as they come).
    pub async fn record_sends(&self, rs: Vec<SendRecord>) -> Result<()> {
        self.writer
            .run(move |tx| rs.iter().try_for_each(|r| sends::record(tx, r)))
            .await
    }

    /// Record the events of one callback, received on `profile`'s endpoint: each is kept once;
    /// the messages and templates they name are brought up to date. Answer the vendor after
    /// this returns: the events are committed.
    pub async fn record_events(&self, profile: &str, events: Vec<Event>) -> Result<Applied> {
        let profile = profile.to_owned();
        let now = wabakit_core::Clock::unix_millis(&wabakit_core::SystemClock);
        let incoming = events::incoming(events)?;
        self.writer
            .run(move |tx| events::record(tx, &profile, &incoming, now))
            .await
    }

    /// Keep a callback (or one change of it) that could not be read, with why: nothing is lost,
    /// and the error can be looked at later.
    pub async fn record_unreadable(
        &self,
        provider: &str,
        profile: &str,
        raw: Vec<u8>,
        error: &Error,
    ) -> Result<()> {
        let (provider, profile, why) = (provider.to_owned(), profile.to_owned(), error.to_string());
        let now = wabakit_core::Clock::unix_millis(&wabakit_core::SystemClock);
        self.writer
            .run(move |tx| events::unreadable(tx, &provider, &profile, &raw, &why, now))
            .await
    }

    /// A message's record and every event of it, by message id or client_ref.
    pub async fn history(&self, id: &str) -> Result<Option<History>> {
        let id = id.to_owned();
        self.writer.run(move |tx| report::history(tx, &id)).await
    }

    /// Keep a template whole, as a library call created, updated or read it.
    pub async fn save_template(&self, t: SavedTemplate) -> Result<()> {
        let now = now_millis();
        self.writer
            .run(move |tx| templates::save(tx, &t, now))
            .await
    }

    /// Every template of `provider` the store keeps whole.
    pub async fn saved_templates(&self, provider: &str) -> Result<Vec<SavedTemplate>> {
        let provider = provider.to_owned();
        self.writer
            .run(move |tx| templates::saved(tx, &provider))
            .await
    }

    /// Forget a deleted template (by the provider's id, or by name in `language` or in every
    /// language); how many rows went.
    pub async fn forget_template(
        &self,
        provider: &str,
        id: Option<&str>,
        name: Option<&str>,
        language: Option<&str>,
    ) -> Result<u64> {
        let (p, id, name, language) = (
            provider.to_owned(),
            id.map(str::to_owned),
            name.map(str::to_owned),
            language.map(str::to_owned),
        );
        self.writer
            .run(move |tx| {
                templates::forget(tx, &p, id.as_deref(), name.as_deref(), language.as_deref())
            })
            .await
    }

    /// What the store knows of a template (its review, category, quality), by provider, name
    /// and language.
    pub async fn template(
        &self,
        provider: &str,
        name: &str,
        language: &str,
    ) -> Result<Option<TemplateRow>> {
        let (p, n, l) = (provider.to_owned(), name.to_owned(), language.to_owned());
        self.writer
            .run(move |tx| events::template(tx, &p, &n, &l))
            .await
    }

    /// Counts by status, delivery and read rates, failures by code, sent → delivered latency.
    pub async fn report(&self, filter: ReportFilter) -> Result<Report> {
        self.writer.run(move |tx| report::report(tx, &filter)).await
    }

    /// Create campaign `spec.name`, or find it as created before with the same profile,
    /// template and language; true when it is new.
    pub async fn create_campaign(&self, spec: CampaignSpec) -> Result<bool> {
        campaigns::check_name(&spec.name)?;
        let now = now_millis();
        self.writer
            .run(move |c| campaigns::create(c, &spec, now))
            .await
    }

    /// Load rows into a campaign, skipping those whose client_ref it has; how many were added.
    pub async fn add_campaign_rows(&self, campaign: &str, rows: Vec<NewRow>) -> Result<u64> {
        let campaign = campaign.to_owned();
        self.writer
            .run(move |c| campaigns::add_rows(c, &campaign, &rows))
            .await
    }

    /// A campaign's definition and state.
    pub async fn campaign(&self, name: &str) -> Result<Option<(CampaignSpec, CampaignState)>> {
        let name = name.to_owned();
        self.writer.run(move |c| campaigns::spec(c, &name)).await
    }

    /// Pause, resume or cancel a campaign (cancelling cancels every row not yet started).
    pub async fn set_campaign_state(&self, name: &str, state: CampaignState) -> Result<()> {
        let (name, now) = (name.to_owned(), now_millis());
        self.writer
            .run(move |c| campaigns::set_state(c, &name, state, now))
            .await
    }

    /// Claim up to `n` of a campaign's pending rows for `worker`, under a lease of
    /// `lease_millis`; with `how.sweep`, rows of workers whose lease ran out are put back first
    /// (or made uncertain if they had been started); with `how.start`, the rows are started at
    /// once, for a worker that sends them without waiting (else [`Store::start_row`] each
    /// before its request).
    pub async fn claim_rows(
        &self,
        campaign: &str,
        worker: &str,
        n: u32,
        lease_millis: i64,
        how: ClaimHow,
    ) -> Result<Claim> {
        let (campaign, worker, now) = (campaign.to_owned(), worker.to_owned(), now_millis());
        self.writer
            .run(move |c| {
                let lease = (now, now + lease_millis);
                campaigns::claim(c, &campaign, &worker, n, lease, how)
            })
            .await
    }

    /// Mark a held row started (committed before its request leaves); false when `worker`
    /// no longer holds it.
    pub async fn start_row(&self, id: i64, worker: &str, lease_millis: i64) -> Result<bool> {
        let (worker, now) = (worker.to_owned(), now_millis());
        self.writer
            .run(move |c| campaigns::start(c, id, &worker, now, now + lease_millis))
            .await
    }

    /// Record how a started row's send ended (the row, and the message's record).
    pub async fn finish_row(&self, id: i64, worker: &str, outcome: RowOutcome) -> Result<()> {
        let (worker, now) = (worker.to_owned(), now_millis());
        self.writer
            .run(move |c| campaigns::finish(c, id, &worker, &outcome, now))
            .await
    }

    /// Record how several started rows' sends ended, in a few statements.
    pub async fn finish_rows(&self, worker: &str, done: Vec<(i64, RowOutcome)>) -> Result<()> {
        let (worker, now) = (worker.to_owned(), now_millis());
        self.writer
            .run(move |c| campaigns::finish_many(c, &worker, &done, now))
            .await
    }

    /// Keep `worker`'s leases on campaign `name`'s rows for another `lease_millis`.
    pub async fn renew_leases(&self, name: &str, worker: &str, lease_millis: i64) -> Result<u64> {
        let (name, worker) = (name.to_owned(), worker.to_owned());
        let until = now_millis() + lease_millis;
        self.writer
            .run(move |c| campaigns::renew(c, &name, &worker, until))
            .await
    }

    /// Give back `worker`'s claimed rows of campaign `name` that it has not started.
    pub async fn release_rows(&self, name: &str, worker: &str) -> Result<u64> {
        let (name, worker) = (name.to_owned(), worker.to_owned());
        self.writer
            .run(move |c| campaigns::release(c, &name, &worker))
            .await
    }

    /// Put a campaign's rows that are still uncertain back to pending, to be sent again;
    /// how many.
    pub async fn retry_uncertain(&self, campaign: &str) -> Result<u64> {
        let campaign = campaign.to_owned();
        self.writer
            .run(move |c| campaigns::retry_uncertain(c, &campaign))
            .await
    }

    /// Up to `limit` of a campaign's rows after row id `after` (0: from the first), in order.
    pub async fn campaign_rows(
        &self,
        campaign: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<CampaignRow>> {
        let campaign = campaign.to_owned();
        self.writer
            .run(move |c| campaigns::rows(c, &campaign, after, limit))
            .await
    }

    /// A campaign's progress.
    pub async fn campaign_status(&self, campaign: &str) -> Result<CampaignStatus> {
        let (campaign, now) = (campaign.to_owned(), now_millis());
        self.writer
            .run(move |c| campaigns::status(c, &campaign, now))
            .await
    }

    /// Take `n` permits of the shared limit `key` at `per_second`: when (Unix µs) the first
    /// may be spent, each next one [`interval_us`] later.
    pub async fn take_permits(&self, key: &str, per_second: u32, n: u32) -> Result<i64> {
        let key = key.to_owned();
        let now = now_millis() * 1000;
        self.writer
            .run(move |c| limits::take(c, &key, per_second, n, now))
            .await
    }

    /// Give no permit of `key` before `until_us` (Unix µs): the provider asked to wait.
    pub async fn hold_permits(&self, key: &str, until_us: i64) -> Result<()> {
        let key = key.to_owned();
        self.writer
            .run(move |c| limits::hold(c, &key, until_us))
            .await
    }
}

fn now_millis() -> i64 {
    wabakit_core::Clock::unix_millis(&wabakit_core::SystemClock) as i64
}

/// A store error, with what was being done.
pub(crate) fn store_error(doing: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Store, format!("store: {doing}: {e}"))
}
