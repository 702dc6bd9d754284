//! `send-bulk`: one template to many recipients, from CSV or JSONL.
//!
//! The journal is the store (`[store] url`, by default `sqlite://wabakit.db`): the rows are
//! those of a campaign (`--campaign`, by default named for the input file), loaded as they are
//! read and sent as they are loaded, each marked started, and that committed, before its
//! request leaves. `--resume` goes on with the same campaign: the rows it has finished are not
//! sent again, and a row an earlier run started and never finished (the process died
//! mid-send) may have been delivered, so it is marked so, never sent again by itself (`wabakit
//! campaign retry NAME --uncertain` does). Ctrl-C stops taking rows (also while the input, a
//! pipe say, is waiting for its next one), waits for the sends under way, and records them.
//! `--results` is an export of the campaign's rows, written whole at the end of each run.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::mpsc;
use wabakit::campaign::{Campaign, RunOptions};
use wabakit::store::{CampaignSpec, Store};
use wabakit::*;

use crate::commands::{client, Outcome};
pub(crate) use wabakit::rows::{message_of, Input};

#[derive(clap::Args)]
pub struct Args {
    /// Recipients: `.csv` (columns to, client_ref, body.1, body.2 …, header.text,
    /// button.N.url|copy_code|quick_reply) or `.jsonl` (one message document per line).
    #[arg(long)]
    input: PathBuf,
    /// The template to send (rows may name their own in JSONL).
    #[arg(long)]
    template: Option<String>,
    #[arg(long)]
    language: Option<String>,
    /// The campaign in the store that journals this run (default: `bulk-` and the input
    /// file's name); `wabakit campaign status NAME` shows it.
    #[arg(long)]
    campaign: Option<String>,
    /// The JSONL export of the campaign's rows, written at the end of each run.
    #[arg(long, default_value = "results.jsonl")]
    results: PathBuf,
    /// Go on with the campaign an earlier run of the same input began.
    #[arg(long)]
    resume: bool,
    /// Sends under way at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Seconds this run holds its rows without renewing: after a crash, a resumed run waits
    /// this long before it marks the rows the dead run had started.
    #[arg(long, default_value_t = 30)]
    lease: u64,
    /// The input's format, when its extension (`.csv`, `.jsonl`) does not say.
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// No progress (a bar on a terminal, else a line every few seconds).
    #[arg(long, short)]
    quiet: bool,
}

/// What an input file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputFormat {
    /// A header line (to, client_ref, body.1 …), then a row per message.
    Csv,
    /// One message document per line.
    Jsonl,
}

impl From<InputFormat> for wabakit::rows::Format {
    fn from(f: InputFormat) -> Self {
        match f {
            InputFormat::Csv => wabakit::rows::Format::Csv,
            InputFormat::Jsonl => wabakit::rows::Format::Jsonl,
        }
    }
}

/// The exit codes of `send-bulk` (documented in the README): every row sent; some row failed,
/// was invalid or may have been delivered; (2) a usage or config error, before any row; (130)
/// interrupted.
const SOME_NOT_SENT: u8 = 1;

/// Messages of the template are checked against it before they are sent (a missing body value
/// is refused here, not by the vendor): the store's copy, else the provider's answer, asked
/// once; a template that is not there stops the run before its first row.
pub(crate) async fn know_template(
    c: &Client,
    template: &str,
    language: &str,
) -> std::result::Result<(), String> {
    c.know_template(template, language)
        .await
        .map_err(|e| format!("template {template} ({language}): {e}; nothing was sent"))
}

/// `bulk-` and the input's file name, as a campaign name may be.
fn default_campaign(input: &Path) -> String {
    let file = input
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = format!("bulk-{file}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    name
}

pub async fn run(config: &Path, profile: Option<&str>, args: Args) -> Outcome {
    let c = client(config, profile)?;
    // The client's own store when the config has one, else the default file.
    let store = match c.store() {
        Some(s) => s.clone(),
        None => Store::open(wabakit::store::DEFAULT_URL).map_err(|e| e.to_string())?,
    };
    let input = Input::open(&args.input, args.format.map(Into::into))?;
    input.require(
        &args.input,
        args.template.as_deref(),
        args.language.as_deref(),
    )?;
    if let (Some(template), Some(language)) = (&args.template, &args.language) {
        know_template(&c, template, language).await?;
    }
    let name = args
        .campaign
        .clone()
        .unwrap_or_else(|| default_campaign(&args.input));
    wabakit::store::check_campaign_name(&name).map_err(|e| e.to_string())?;
    let before = match store.campaign(&name).await.map_err(|e| e.to_string())? {
        Some(_) => Some(
            store
                .campaign_status(&name)
                .await
                .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    if let (false, Some(b)) = (args.resume, &before) {
        if b.total > 0 {
            return Err(format!(
                "campaign {name} is in the store already ({} rows, {} finished): pass --resume to go on with it, or name another with --campaign",
                b.total,
                b.done()
            ));
        }
    }
    let spec = CampaignSpec {
        name: name.clone(),
        profile: c.profile().to_owned(),
        provider: c.provider().name().to_owned(),
        template: args.template.clone().unwrap_or_default(),
        language: args.language.clone().unwrap_or_default(),
    };
    store
        .create_campaign(spec)
        .await
        .map_err(|e| e.to_string())?;
    let before = match before {
        Some(b) => b,
        None => store
            .campaign_status(&name)
            .await
            .map_err(|e| e.to_string())?,
    };
    // Set by Ctrl-C: no row is taken after it, not even one the input is still waiting for.
    let stop = async {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nwabakit: stopping: finishing the sends under way");
        } else {
            std::future::pending::<()>().await
        }
    };
    let total = input.total(&args.input);
    let mut progress =
        crate::progress::Progress::new("send-bulk", total, args.quiet).from(before.done());
    // Rows are read on a thread of their own: a pipe or a terminal may keep a read waiting,
    // which must hold up neither the sends nor Ctrl-C. Reading runs at most a few rows ahead.
    let (template, language) = (args.template.clone(), args.language.clone());
    let (row_tx, row_rx) = mpsc::channel(2 * args.concurrency.max(1));
    let rows = input.rows;
    std::thread::spawn(move || {
        for (i, r) in rows.enumerate() {
            let m = message_of(r, template.as_deref(), language.as_deref());
            if row_tx.blocking_send((i as u64 + 1, m)).is_err() {
                break;
            }
        }
    });
    let rows =
        futures_util::stream::unfold(
            row_rx,
            |mut rx| async move { rx.recv().await.map(|r| (r, rx)) },
        );
    // The client retries and keeps the profile's rate itself (one process): the run neither
    // retries nor limits again.
    let options = RunOptions {
        concurrency: args.concurrency,
        rate: None,
        lease: Duration::from_secs(args.lease.max(1)),
        max_attempts: 1,
        ..RunOptions::default()
    };
    let campaign = Campaign::new(store.clone(), &name);
    let (s, loaded) = {
        let run = campaign.run_loading(&c, options, rows, stop);
        let watch = crate::campaign::watch(&store, &name, &mut progress);
        tokio::pin!(run, watch);
        tokio::select! {
            r = &mut run => r.map_err(|e| e.to_string())?,
            Err(e) = &mut watch => return Err(e.to_string()),
        }
    };
    let after = store
        .campaign_status(&name)
        .await
        .map_err(|e| e.to_string())?;
    let invalid = loaded.invalid.len() as u64;
    let mut counts = crate::campaign::counts(&after);
    counts.invalid = invalid;
    progress.finish(&counts);
    // Rows an earlier run started and never finished, marked uncertain by this one.
    let marked = after
        .uncertain
        .saturating_sub(before.uncertain + s.uncertain);
    export(&store, &name, &loaded.invalid, &args.results).await?;
    let earlier = if marked > 0 {
        format!(" (and {marked} an earlier run had started, marked may have been delivered)")
    } else {
        String::new()
    };
    let summary = format!(
        "sent {}, failed {}, may have been delivered {}{earlier}, invalid rows {invalid}, skipped (done by an earlier run) {}; campaign {name}: {} rows, results in {}",
        s.sent,
        s.failed,
        s.uncertain,
        before.done(),
        after.total,
        args.results.display(),
    );
    // The summary is for people (stderr); under --output json it is also the result (stdout).
    eprintln!("{summary}");
    if crate::output::json() {
        let doc = json!({"campaign": name, "sent": s.sent, "failed": s.failed, "may_have_been_delivered": s.uncertain, "marked_uncertain": marked, "invalid": invalid, "skipped": before.done(), "results": args.results, "interrupted": s.stopped});
        println!("{doc}");
    }
    Ok(if s.stopped {
        ExitCode::from(130)
    } else if s.failed + s.uncertain + invalid + marked > 0 {
        ExitCode::from(SOME_NOT_SENT)
    } else {
        ExitCode::SUCCESS
    })
}

/// The campaign's rows as JSONL, each with its fate (a status receipt that settled an
/// uncertain row shows as `sent`), after the rows of this run's input that could not be read.
async fn export(
    store: &Store,
    name: &str,
    invalid: &[(u64, String)],
    path: &Path,
) -> std::result::Result<(), String> {
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut out = BufWriter::new(File::create(path).map_err(fail)?);
    let mut line = |v: Value| writeln!(out, "{v}").map_err(fail);
    for (row, why) in invalid {
        line(
            json!({"row": row, "status": "invalid", "error": {"kind": "validation", "message": why}}),
        )?;
    }
    let mut after = 0;
    loop {
        let rows = store
            .campaign_rows(name, after, 1000)
            .await
            .map_err(|e| e.to_string())?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in rows {
            let status = match r.state.as_str() {
                "uncertain" => "may_have_been_delivered",
                s => s,
            };
            let mut v = json!({"client_ref": r.client_ref, "to": r.recipient, "status": status});
            if let Some(id) = r.message_id {
                v["message_id"] = id.into();
            }
            if let Some(kind) = r.error_kind {
                v["error"] =
                    json!({"kind": kind, "code": r.error_code, "message": r.error_message});
            }
            line(v)?;
        }
    }
    out.flush().map_err(fail)
}
