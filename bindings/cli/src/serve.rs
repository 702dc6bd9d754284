//! `serve`, `status`, `report`: the receipts server, and what the store knows.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;
use wabakit::config::{ConfigFile, ProcessEnv};
use wabakit::receiver::Receiver;
use wabakit::store::{ReportFilter, Store};

use crate::commands::Outcome;

/// Run the receipts server: `/callbacks/{profile}` for every profile of the config, the store
/// its `[store]` names, until Ctrl-C.
pub async fn serve(config: &Path, listen: &str) -> Outcome {
    serving(config, listen).await.map_err(|e| e.to_string())
}

async fn serving(config: &Path, listen: &str) -> wabakit::Result<ExitCode> {
    let file = ConfigFile::load(config)?;
    let receiver = Receiver::from_config(&file, &ProcessEnv)?;
    let profiles = receiver.profiles().join(", ");
    let store = receiver.store().url().to_string();
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| wabakit::Error::config(format!("--listen {listen}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| wabakit::Error::config(format!("--listen {listen}: {e}")))?;
    // The first line names the address (with --listen 127.0.0.1:0, the port picked).
    crate::output::emit(
        serde_json::json!({"listening": format!("http://{addr}"), "profiles": profiles, "store": store}),
        || format!("listening on http://{addr}\nprofiles: {profiles}; store: {store}"),
    );
    let _ = std::io::stdout().flush();
    receiver
        .serve(listener, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    Ok(ExitCode::SUCCESS)
}

/// The store a config names (`[store] url`), or the embedded default.
fn store(config: &Path) -> wabakit::Result<Store> {
    let url = match ConfigFile::load(config) {
        Ok(f) => f.store,
        // No config file: the default store in the working directory.
        Err(_) if !config.exists() => None,
        Err(e) => return Err(e),
    };
    Store::open(url.as_deref().unwrap_or(wabakit::store::DEFAULT_URL))
}

/// How `report` prints.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// Aligned text.
    Table,
    /// One JSON document.
    Json,
    /// CSV rows: section, key, value.
    Csv,
}

/// A message's history, by message id or client_ref.
pub async fn status(config: &Path, id: &str, json: bool) -> Outcome {
    history(config, id, json).await.map_err(|e| e.to_string())
}

async fn history(config: &Path, id: &str, json: bool) -> wabakit::Result<ExitCode> {
    let Some(h) = store(config)?.history(id).await? else {
        eprintln!("wabakit: no message {id:?} in the store");
        return Ok(ExitCode::from(1));
    };
    if json {
        crate::output::document(&h);
        return Ok(ExitCode::SUCCESS);
    }
    let m = &h.message;
    println!(
        "{} {} via {}/{}: {} (sent {})",
        m.message_id.as_deref().unwrap_or("(no message id)"),
        m.client_ref
            .as_deref()
            .map(|r| format!("[{r}]"))
            .unwrap_or_default(),
        m.provider,
        m.profile,
        m.status,
        millis(m.sent_at)
    );
    if let (Some(code), Some(msg)) = (&m.error_code, &m.error_message) {
        println!("  error {code}: {msg}");
    }
    for e in &h.events {
        println!(
            "  {} {} {}",
            millis(e.received_at),
            e.kind,
            e.status.as_deref().unwrap_or("")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn millis(ms: i64) -> String {
    let t = std::time::UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

/// `--since`: an RFC 3339 time, or a duration back from now (`24h`, `7d`).
fn since(s: &str) -> wabakit::Result<i64> {
    if let Ok(t) = humantime::parse_rfc3339_weak(s) {
        let ms = t
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        return Ok(ms);
    }
    let back = humantime::parse_duration(s).map_err(|_| {
        wabakit::Error::config(format!(
            "--since {s:?}: write a time (2026-12-01T00:00:00Z) or a duration back from now (24h)"
        ))
    })?;
    let now = wabakit::Clock::unix_millis(&wabakit::SystemClock) as i64;
    Ok(now - back.as_millis() as i64)
}

/// Counts, rates, failures and latency of the messages a filter names.
pub async fn report(
    config: &Path,
    campaign: Option<String>,
    since_arg: Option<String>,
    format: Format,
) -> Outcome {
    reporting(config, campaign, since_arg, format)
        .await
        .map_err(|e| e.to_string())
}

async fn reporting(
    config: &Path,
    campaign: Option<String>,
    since_arg: Option<String>,
    format: Format,
) -> wabakit::Result<ExitCode> {
    let filter = ReportFilter {
        campaign,
        since_millis: since_arg.as_deref().map(since).transpose()?,
        provider: None,
    };
    let r = store(config)?.report(filter).await?;
    match format {
        Format::Json => crate::output::document(&r),
        Format::Csv => {
            println!("section,key,value");
            for (s, n) in &r.by_status {
                println!("status,{s},{n}");
            }
            println!(
                "rate,delivery,{:.4}\nrate,read,{:.4}",
                r.delivery_rate, r.read_rate
            );
            for f in &r.failures {
                println!(
                    "failure,{}:{},{}",
                    f.provider,
                    f.code.as_deref().unwrap_or(""),
                    f.count
                );
            }
            for (k, v) in [
                ("p50", r.latency.p50),
                ("p90", r.latency.p90),
                ("p99", r.latency.p99),
            ] {
                println!(
                    "latency_ms,{k},{}",
                    v.map(|v| v.to_string()).unwrap_or_default()
                );
            }
        }
        Format::Table => {
            println!("messages  {}", r.total);
            for (s, n) in &r.by_status {
                println!("  {s:<10} {n}");
            }
            println!(
                "delivered {:.1}%   read {:.1}%   (of {} sent)",
                r.delivery_rate * 100.0,
                r.read_rate * 100.0,
                r.sent
            );
            for f in &r.failures {
                println!(
                    "failed    {} {} ×{}: {}",
                    f.provider,
                    f.code.as_deref().unwrap_or("-"),
                    f.count,
                    f.message.as_deref().unwrap_or("")
                );
            }
            let ms = |v: Option<i64>| v.map_or("-".to_owned(), |v| format!("{v} ms"));
            println!(
                "sent → delivered  p50 {}  p90 {}  p99 {}  ({} messages)",
                ms(r.latency.p50),
                ms(r.latency.p90),
                ms(r.latency.p99),
                r.latency.count
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
