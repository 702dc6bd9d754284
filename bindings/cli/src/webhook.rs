//! `webhook parse|verify`: a webhook or receipt body (and its headers) → neutral events, through
//! the registry: each provider parses (and verifies) its own callbacks.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use wabakit::raw::CallbackCheck;

use crate::commands::Outcome;

#[derive(Subcommand)]
pub enum Command {
    /// Print the events of a body as JSON lines (verifying its signature when --secret is given).
    Parse {
        /// The provider's registry name.
        #[arg(long)]
        provider: String,
        /// The body, as received.
        file: PathBuf,
        /// A header as received, `name: value` (repeat).
        #[arg(long = "header")]
        headers: Vec<String>,
        #[arg(long)]
        secret: Option<String>,
        #[command(flatten)]
        age: Age,
    },
    /// Check a callback's signature: exit 0 when valid, 1 when not.
    Verify {
        #[arg(long)]
        provider: String,
        file: PathBuf,
        #[arg(long = "header")]
        headers: Vec<String>,
        #[arg(long)]
        secret: String,
        /// Kept for scripts: the timestamp is checked unless --any-age says otherwise.
        #[arg(long, hide = true)]
        fresh: bool,
        #[command(flatten)]
        age: Age,
    },
}

/// How old a signed callback may be: where the vendor signs a timestamp (NXCloud), one further
/// from now than the window is refused as a replay, unless told otherwise.
#[derive(clap::Args)]
pub struct Age {
    /// The window, in seconds (the provider's default: NXCloud 60).
    #[arg(long, value_name = "SECONDS")]
    window: Option<u64>,
    /// Accept a callback of any age (an old body kept for a test, say).
    #[arg(long)]
    any_age: bool,
}

impl Age {
    fn check<'a>(&self, secret: Option<&'a str>) -> CallbackCheck<'a> {
        CallbackCheck {
            secret,
            now_millis: (!self.any_age).then(|| wabakit::Clock::unix_millis(&wabakit::SystemClock)),
            window_millis: self.window.map(|s| s * 1000),
        }
    }
}

fn headers(raw: &[String]) -> Vec<(String, String)> {
    raw.iter()
        .filter_map(|h| h.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

fn events(
    provider: &str,
    file: &PathBuf,
    raw: &[String],
    check: &CallbackCheck,
) -> Result<wabakit::Result<Vec<wabakit::Event>>, String> {
    let reg = wabakit::registry::find(provider).map_err(|e| e.message().to_owned())?;
    let body = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok((reg.callbacks)(&headers(raw), &body, check))
}

pub fn run(cmd: Command) -> Outcome {
    match cmd {
        Command::Parse {
            provider,
            file,
            headers: raw,
            secret,
            age,
        } => {
            let check = age.check(secret.as_deref());
            let events = events(&provider, &file, &raw, &check)?.map_err(|e| e.to_string())?;
            // Text: one JSON line per event (as the events arrive in the body); json: one document.
            if crate::output::json() {
                println!("{}", serde_json::json!({"events": events}));
            } else {
                for e in &events {
                    println!("{}", serde_json::to_string(e).unwrap_or_default());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            provider,
            file,
            headers: raw,
            secret,
            fresh: _,
            age,
        } => {
            let check = age.check(Some(&secret));
            let outcome = events(&provider, &file, &raw, &check)?;
            let error = outcome.as_ref().err().map(|e| e.message().to_owned());
            crate::output::emit(
                serde_json::json!({"valid": error.is_none(), "error": error}),
                || {
                    error
                        .as_ref()
                        .map_or("valid".into(), |e| format!("invalid: {e}"))
                },
            );
            Ok(ExitCode::from(u8::from(error.is_some())))
        }
    }
}
