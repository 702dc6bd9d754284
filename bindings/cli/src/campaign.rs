//! `campaign create|run|status|pause|resume|cancel|retry`: a campaign's rows in the store,
//! sent by any number of `campaign run` workers (on any number of machines, with a PostgreSQL
//! store), at most once per row, under one rate for the profile.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Subcommand;
use wabakit::campaign::{worker_profile, Campaign, RunOptions};
use wabakit::config::{ConfigFile, ProcessEnv};
use wabakit::store::{CampaignSpec, ReportFilter, Store};
use wabakit::{Client, OperationKind};

use crate::bulk::{message_of, Input, InputFormat};
use crate::commands::Outcome;
use crate::output;
use crate::progress::{Counts, Progress};

#[derive(Subcommand)]
pub enum Command {
    /// Create a campaign and load its rows; loading again adds only the rows it lacks (a row
    /// is keyed by its client_ref, or by its row number, from 1, when it has none).
    Create {
        name: String,
        /// `.csv` (columns to, client_ref, body.1 …, as send-bulk) or `.jsonl`.
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        template: String,
        #[arg(long)]
        language: String,
        /// The input's format, when its extension (`.csv`, `.jsonl`) does not say.
        #[arg(long, value_enum)]
        format: Option<InputFormat>,
    },
    /// Send the campaign's rows: run as many of these as you like, on as many machines as share
    /// the store; each row is sent at most once.
    Run {
        name: String,
        /// Sends under way at once in this worker.
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
        /// Messages per second for all workers of the profile together (default: the profile's
        /// send limit; 0: none).
        #[arg(long)]
        rate: Option<u32>,
        /// Seconds a worker holds its rows without renewing: a dead worker's rows are taken
        /// back (or made uncertain, if started) after this.
        #[arg(long, default_value_t = 30)]
        lease: u64,
        /// This worker's name in the store (default: host, pid and a random part).
        #[arg(long)]
        worker: Option<String>,
        /// No progress on stderr (a bar on a terminal, a line every few seconds otherwise,
        /// showing the whole campaign: every worker's rows).
        #[arg(long)]
        quiet: bool,
    },
    /// Progress: rows by state, delivery and read, rate and time left.
    Status {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Workers take no new rows until resumed.
    Pause { name: String },
    /// Workers take rows again.
    Resume { name: String },
    /// Cancel every row not yet started.
    Cancel { name: String },
    /// Send again the rows whose fate is unknown (a duplicate for any that was delivered).
    Retry {
        name: String,
        /// The rows to send again: those still "may have been delivered".
        #[arg(long, required = true)]
        uncertain: bool,
    },
}

fn load(config: &Path) -> wabakit::Result<ConfigFile> {
    ConfigFile::load(config)
}

fn store_of(file: &ConfigFile) -> wabakit::Result<Store> {
    Store::open(file.store.as_deref().unwrap_or(wabakit::store::DEFAULT_URL))
}

pub async fn run(config: &Path, profile: Option<&str>, c: Command) -> Outcome {
    command(config, profile, c).await.map_err(|e| e.to_string())
}

async fn command(config: &Path, profile: Option<&str>, c: Command) -> wabakit::Result<ExitCode> {
    let file = load(config)?;
    let store = store_of(&file)?;
    match c {
        Command::Create {
            name,
            input,
            template,
            format,
            language,
        } => {
            let (profile, table) = file.profile(profile)?;
            let provider = table
                .get("provider")
                .and_then(|p| p.as_str())
                .unwrap_or_default()
                .to_owned();
            let spec = CampaignSpec {
                name: name.clone(),
                profile,
                provider,
                template: template.clone(),
                language: language.clone(),
            };
            let input =
                Input::open(&input, format.map(Into::into)).map_err(wabakit::Error::config)?;
            let messages = input.rows.enumerate().map(|(i, r)| {
                let m = message_of(r, Some(&template), Some(&language));
                (i as u64 + 1, m)
            });
            let loaded = Campaign::create(&store, spec, messages).await?;
            for (row, why) in &loaded.invalid {
                eprintln!("row {row}: {why}");
            }
            let invalid: Vec<_> = loaded
                .invalid
                .iter()
                .map(|(row, why)| serde_json::json!({"row": row, "error": why.to_string()}))
                .collect();
            let doc = serde_json::json!({"campaign": name, "added": loaded.added, "already": loaded.already, "invalid": invalid});
            output::emit(doc, || {
                format!(
                    "campaign {name}: {} rows added, {} already there, {} invalid",
                    loaded.added,
                    loaded.already,
                    loaded.invalid.len()
                )
            });
            Ok(if loaded.invalid.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Run {
            name,
            concurrency,
            rate,
            lease,
            worker,
            quiet,
        } => {
            let campaign = Campaign::new(store.clone(), &name);
            let (spec, _) = store.campaign(&name).await?.ok_or_else(|| {
                wabakit::Error::config(format!("no campaign {name:?} in the store"))
            })?;
            // The campaign's own profile, whichever --profile says.
            let (_, table) = file.profile(Some(&spec.profile))?;
            let rate = match rate {
                Some(0) => None,
                Some(r) => Some(r),
                None => Client::from_profile(&spec.profile, table, &ProcessEnv)?
                    .provider()
                    .limit(OperationKind::Send),
            };
            let client = Client::from_profile(&spec.profile, &worker_profile(table), &ProcessEnv)?
                .with_store(store.clone());
            // (A send-bulk of JSONL rows naming their own templates made a campaign of none.)
            if !spec.template.is_empty() {
                crate::bulk::know_template(&client, &spec.template, &spec.language)
                    .await
                    .map_err(wabakit::Error::config)?;
            }
            let options = RunOptions {
                concurrency,
                rate,
                lease: Duration::from_secs(lease.max(1)),
                worker,
                ..RunOptions::default()
            };
            let stop = async {
                if tokio::signal::ctrl_c().await.is_ok() {
                    eprintln!("\nwabakit: stopping: finishing the sends under way");
                } else {
                    std::future::pending::<()>().await
                }
            };
            let mut progress = started(&store, &name, quiet).await?;
            let s = {
                let run = campaign.run(&client, options, stop);
                let watch = watch(&store, &name, &mut progress);
                tokio::pin!(run, watch);
                tokio::select! {
                    s = &mut run => s?,
                    Err(e) = &mut watch => return Err(e),
                }
            };
            progress.finish(&counts(&store.campaign_status(&name).await?));
            let doc = serde_json::json!({"campaign": name, "sent": s.sent, "failed": s.failed, "uncertain": s.uncertain, "stopped": s.stopped});
            output::emit(doc, || {
                format!(
                    "campaign {name}: this worker sent {}, failed {}, uncertain {}{}",
                    s.sent,
                    s.failed,
                    s.uncertain,
                    if s.stopped { " (stopped)" } else { "" }
                )
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { name, json } => {
            let s = store.campaign_status(&name).await?;
            let r = store
                .report(ReportFilter {
                    campaign: Some(name.clone()),
                    ..ReportFilter::default()
                })
                .await?;
            if json || output::json() {
                output::document(&serde_json::json!({"campaign": s, "messages": r}));
                return Ok(ExitCode::SUCCESS);
            }
            let done = s.done();
            let pct = if s.total == 0 {
                100.0
            } else {
                done as f64 * 100.0 / s.total as f64
            };
            println!(
                "campaign {} ({}), profile {}, template {} ({})",
                s.name, s.state, s.profile, s.template, s.language
            );
            println!("rows        {}   done {done} ({pct:.1}%)", s.total);
            for (k, v) in [
                ("pending", s.pending),
                ("claimed", s.claimed),
                ("started", s.started),
                ("sent", s.sent),
                ("failed", s.failed),
                ("uncertain", s.uncertain),
                ("cancelled", s.cancelled),
            ] {
                println!("  {k:<10} {v}");
            }
            if s.settled > 0 {
                println!("  (of the sent, {} settled by their receipts)", s.settled);
            }
            println!(
                "delivered   {} ({:.1}%)   read {} ({:.1}%)",
                r.delivered,
                r.delivery_rate * 100.0,
                r.read,
                r.read_rate * 100.0
            );
            let eta = s.eta_seconds.map_or("-".to_owned(), |e| {
                humantime::format_duration(Duration::from_secs(e)).to_string()
            });
            println!(
                "rate        {:.1}/s over the last minute   eta {eta}",
                s.rate
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Pause { name } => {
            Campaign::new(store, &name).pause().await?;
            state(&name, "paused");
            Ok(ExitCode::SUCCESS)
        }
        Command::Resume { name } => {
            Campaign::new(store, &name).resume().await?;
            state(&name, "running");
            Ok(ExitCode::SUCCESS)
        }
        Command::Cancel { name } => {
            Campaign::new(store, &name).cancel().await?;
            state(&name, "cancelled");
            Ok(ExitCode::SUCCESS)
        }
        Command::Retry { name, uncertain } => {
            debug_assert!(uncertain);
            let n = Campaign::new(store, &name).retry_uncertain().await?;
            output::emit(serde_json::json!({"campaign": name, "requeued": n}), || {
                format!("campaign {name}: {n} uncertain rows will be sent again")
            });
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn state(name: &str, state: &str) {
    output::emit(
        serde_json::json!({"campaign": name, "state": state}),
        || format!("campaign {name}: {state}"),
    );
}

/// The campaign's rows as progress counts (every worker's, from the store).
pub(crate) fn counts(s: &wabakit::store::CampaignStatus) -> Counts {
    Counts {
        sent: s.sent,
        failed: s.failed + s.cancelled,
        uncertain: s.uncertain,
        invalid: 0,
    }
}

/// The campaign's progress from where its rows stand now (other runs may have done some).
async fn started(store: &Store, name: &str, quiet: bool) -> wabakit::Result<Progress> {
    let s = store.campaign_status(name).await?;
    let done = s.done();
    Ok(Progress::new("campaign", Some(s.total), quiet).from(done))
}

/// Show the campaign's progress until the run ends (this future does not end by itself,
/// unless the store fails). Each look counts the campaign's rows: not more often than shown.
pub(crate) async fn watch(
    store: &Store,
    name: &str,
    progress: &mut Progress,
) -> wabakit::Result<()> {
    let Some(tick) = progress.interval() else {
        return std::future::pending().await;
    };
    loop {
        tokio::time::sleep(tick).await;
        let s = store.campaign_status(name).await?;
        progress.update(&counts(&s));
    }
}
