//! `send-bulk`: one template to many recipients, from CSV or JSONL, with a JSONL results file.
//!
//! The results file is a journal: a `started` line is written (and flushed) before a row is
//! sent, a final line when its outcome is known. `--resume` skips every row the file names; a row
//! that was started but has no final line (the process died mid-send) may have been delivered,
//! so it is recorded as such and not sent again. Ctrl-C stops taking rows (also while the input,
//! a pipe say, is waiting for its next one), waits for the sends under way, and records them.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};
use wabakit::*;

use crate::commands::{client, Outcome};
pub(crate) use wabakit::rows::{row_doc, Input};

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
    /// The JSONL results file (a journal: see `--resume`).
    #[arg(long, default_value = "results.jsonl")]
    results: PathBuf,
    /// Skip the rows the results file already holds.
    #[arg(long)]
    resume: bool,
    /// Sends under way at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
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

/// Takes the input's rows as the sends ask for them: skips the rows an earlier run did,
/// records the invalid ones, and journals each message as `started` before it is sent.
struct Taker {
    rows: mpsc::Receiver<(u64, std::result::Result<Value, String>)>,
    stop: watch::Receiver<bool>,
    skip: HashSet<u64>,
    journal: Arc<Journal>,
    rows_of: Arc<Mutex<HashMap<u64, u64>>>,
    skipped_bad: Arc<AtomicU64>,
    /// Position of the next message among those sent.
    index: u64,
    /// The client_ref of every row taken (and of an earlier run's rows), by row.
    client_refs: wabakit::bulk::ClientRefs,
    template: Option<String>,
    language: Option<String>,
}

impl Taker {
    async fn next(&mut self) -> Option<TemplateMessage> {
        loop {
            if *self.stop.borrow() {
                return None;
            }
            let (row, r) = tokio::select! {
                biased;
                _ = self.stop.changed() => return None,
                next = self.rows.recv() => next?,
            };
            if self.skip.contains(&row) {
                continue;
            }
            let doc = r.map(|v| row_doc(v, self.template.as_deref(), self.language.as_deref()));
            let parsed = doc.and_then(|d| {
                TemplateMessage::from_value(&d).map_err(|p| {
                    p.iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                })
            });
            let repeated = parsed.as_ref().ok().and_then(|m| {
                let r = m.client_ref.as_deref()?;
                let first = self.client_refs.first_of(r, row)?;
                Some(wabakit::bulk::ClientRefs::problem(r, &format!("row {first}")).to_string())
            });
            let parsed = match repeated {
                Some(why) => Err(why),
                None => parsed,
            };
            match parsed {
                Ok(m) => {
                    self.journal.line(
                        &json!({"row": row, "status": "started", "client_ref": m.client_ref, "to": m.to}),
                    );
                    self.rows_of
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(self.index, row);
                    self.index += 1;
                    return Some(m);
                }
                Err(why) => {
                    self.skipped_bad.fetch_add(1, Ordering::SeqCst);
                    self.journal.line(&json!({"row": row, "status": "invalid", "error": {"kind": "validation", "message": why}}));
                }
            }
        }
    }
}

/// Writes whole lines, each flushed before the next.
struct Journal(Mutex<File>);

impl Journal {
    fn line(&self, v: &Value) {
        let mut f = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut s = v.to_string();
        s.push('\n');
        // A journal that cannot be written must not let sends go on unrecorded.
        if let Err(e) = f.write_all(s.as_bytes()).and_then(|_| f.flush()) {
            eprintln!("wabakit: cannot write the results file: {e}");
            std::process::exit(2);
        }
    }
}

/// Rows the results file already holds: finished ones, and ones only started (with their
/// started line, for its client_ref and recipient); and the client_refs of the rows it started.
fn previous(path: &Path) -> (HashSet<u64>, HashMap<u64, Value>, wabakit::bulk::ClientRefs) {
    let (mut done, mut started) = (HashSet::new(), HashMap::new());
    let mut refs = wabakit::bulk::ClientRefs::default();
    let Ok(f) = File::open(path) else {
        return (done, started, refs);
    };
    for line in BufReader::new(f).lines().map_while(|l| l.ok()) {
        // A line cut short by a crash is not a record.
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let Some(row) = v.get("row").and_then(Value::as_u64) else {
            continue;
        };
        if v.get("status").and_then(Value::as_str) == Some("started") {
            if let Some(r) = v.get("client_ref").and_then(Value::as_str) {
                refs.first_of(r, row);
            }
            started.insert(row, v);
        } else {
            done.insert(row);
        }
    }
    started.retain(|r, _| !done.contains(r));
    (done, started, refs)
}

fn error_json(e: &Error) -> Value {
    json!({"kind": e.kind().as_str(), "code": e.code(), "message": e.message(), "delivery": e.delivery(), "request_id": e.request_id()})
}

pub async fn run(config: &Path, profile: Option<&str>, args: Args) -> Outcome {
    let c = client(config, profile)?;
    // The template, asked for once: the provider keeps what it answered, so every message is
    // checked against it before it is sent (a missing body value is refused here, not by the
    // vendor), and a template that is not there stops the run before its first row.
    if let (Some(name), Some(language)) = (&args.template, &args.language) {
        let q = TemplateQuery {
            name: Some(name.clone()),
            language: Some(language.clone()),
            ..Default::default()
        };
        if let Err(e) = c.get_template(&q).await {
            return Err(format!(
                "template {name} ({language}): {e}; nothing was sent"
            ));
        }
    }
    let (done, interrupted, client_refs) = if args.resume {
        previous(&args.results)
    } else {
        Default::default()
    };
    if !args.resume
        && args.results.exists()
        && std::fs::metadata(&args.results)
            .map(|m| m.len() > 0)
            .unwrap_or(false)
    {
        return Err(format!(
            "{} exists: pass --resume to continue it, or choose another --results file",
            args.results.display()
        ));
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.results)
        .map_err(|e| format!("{}: {e}", args.results.display()))?;
    // A line cut short by a crash gets its end, so the next record starts a line of its own.
    let cut = std::fs::read(&args.results)
        .map(|b| b.last().is_some_and(|c| *c != b'\n'))
        .unwrap_or(false);
    let journal = Arc::new(Journal(Mutex::new(file)));
    if cut {
        let mut f = journal.0.lock().unwrap_or_else(|e| e.into_inner());
        f.write_all(b"\n")
            .map_err(|e| format!("{}: {e}", args.results.display()))?;
    }
    let input = Input::open(&args.input, args.format.map(Into::into))?;
    input.require(
        &args.input,
        args.template.as_deref(),
        args.language.as_deref(),
    )?;
    // Rows an earlier run started and never finished: may have been delivered, never resent.
    let mut rows_interrupted: Vec<(&u64, &Value)> = interrupted.iter().collect();
    rows_interrupted.sort_by_key(|(row, _)| **row);
    for (row, started) in rows_interrupted {
        journal.line(&json!({"row": row, "status": "may_have_been_delivered", "to": started.get("to"), "client_ref": started.get("client_ref"), "error": {"message": "an earlier run stopped while this row was being sent"}}));
    }
    let marked = interrupted.len() as u64;
    // Set by Ctrl-C: no row is taken after it, not even one the input is still waiting for.
    let stop = Arc::new(watch::Sender::new(false));
    {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("\nwabakit: stopping: finishing the sends under way");
                stop.send_replace(true);
            }
        });
    }
    // index (position among sent messages) → input row
    let rows_of: Arc<Mutex<HashMap<u64, u64>>> = Arc::default();
    let skipped_bad = Arc::new(AtomicU64::new(0));
    // What is left to do: the file's rows less those an earlier run did.
    let total = input
        .total(&args.input)
        .map(|t| t.saturating_sub((done.len() + interrupted.len()) as u64));
    let mut progress = crate::progress::Progress::new("send-bulk", total, args.quiet);
    let input = input.rows;
    // Rows are read on a thread of their own: a pipe or a terminal may keep a read waiting,
    // which must hold up neither the sends nor Ctrl-C. Reading runs at most a few rows ahead.
    let (row_tx, row_rx) = mpsc::channel(2 * args.concurrency.max(1));
    std::thread::spawn(move || {
        for (row, r) in input.enumerate() {
            if row_tx.blocking_send((row as u64, r)).is_err() {
                break;
            }
        }
    });
    let taker = Taker {
        rows: row_rx,
        stop: stop.subscribe(),
        skip: done.iter().chain(interrupted.keys()).copied().collect(),
        journal: journal.clone(),
        rows_of: rows_of.clone(),
        skipped_bad: skipped_bad.clone(),
        index: 0,
        client_refs,
        template: args.template.clone(),
        language: args.language.clone(),
    };
    let messages = futures_util::stream::unfold(taker, |mut t| async move {
        let m = t.next().await?;
        Some((m, t))
    });
    let mut outcomes = c.send_many_stream(messages, args.concurrency);
    let (mut sent, mut failed, mut maybe) = (0u64, 0u64, 0u64);
    let counts = |sent, failed, uncertain| crate::progress::Counts {
        sent,
        failed,
        uncertain,
        invalid: skipped_bad.load(Ordering::SeqCst),
    };
    while let Some(o) = outcomes.recv().await {
        let row = rows_of
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&o.index)
            .unwrap_or(u64::MAX);
        let line = match &o.result {
            Ok(r) => {
                sent += 1;
                json!({"row": row, "status": "sent", "to": o.to, "client_ref": o.client_ref, "message_id": r.message_id})
            }
            Err(e) => {
                let status = if e.not_sent() {
                    "failed"
                } else {
                    "may_have_been_delivered"
                };
                if e.not_sent() {
                    failed += 1;
                } else {
                    maybe += 1;
                }
                json!({"row": row, "status": status, "to": o.to, "client_ref": o.client_ref, "error": error_json(e)})
            }
        };
        journal.line(&line);
        progress.update(&counts(sent, failed, maybe));
    }
    progress.finish(&counts(sent, failed, maybe));
    let invalid = skipped_bad.load(Ordering::SeqCst);
    let earlier = if marked > 0 {
        format!(" (and {marked} an earlier run had started, marked may have been delivered)")
    } else {
        String::new()
    };
    let summary = format!(
        "sent {sent}, failed {failed}, may have been delivered {maybe}{earlier}, invalid rows {invalid}, skipped (already in {}) {}",
        args.results.display(),
        done.len()
    );
    // The summary is for people (stderr); under --output json it is also the result (stdout).
    eprintln!("{summary}");
    if crate::output::json() {
        let doc = json!({"sent": sent, "failed": failed, "may_have_been_delivered": maybe, "marked_uncertain": marked, "invalid": invalid, "skipped": done.len(), "results": args.results, "interrupted": *stop.borrow()});
        println!("{doc}");
    }
    Ok(if *stop.borrow() {
        ExitCode::from(130)
    } else if failed + maybe + invalid + marked > 0 {
        ExitCode::from(SOME_NOT_SENT)
    } else {
        ExitCode::SUCCESS
    })
}
