//! `webhook parse|verify`: a webhook or receipt body (and its headers) → neutral events.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use wabakit::alibaba::receipts;
use wabakit::nxcloud::webhook as nx;

use crate::commands::Outcome;

#[derive(Subcommand)]
pub enum Command {
    /// Print the events of a body as JSON lines (verifying NXCloud's signature when --secret is given).
    Parse {
        #[arg(long)]
        provider: String,
        /// The body, as received.
        file: PathBuf,
        /// A header as received, `name: value` (repeat).
        #[arg(long = "header")]
        headers: Vec<String>,
        #[arg(long)]
        secret: Option<String>,
    },
    /// Check an NXCloud callback's signature: exit 0 when valid, 1 when not.
    Verify {
        file: PathBuf,
        #[arg(long = "header")]
        headers: Vec<String>,
        #[arg(long)]
        secret: String,
        /// Also require `ts` within 60 s of now.
        #[arg(long)]
        fresh: bool,
    },
}

fn headers(raw: &[String]) -> Vec<(String, String)> {
    raw.iter()
        .filter_map(|h| h.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

fn verify(h: &[(String, String)], body: &[u8], secret: &str, fresh: bool) -> wabakit::Result<()> {
    let now = fresh.then(|| wabakit::Clock::unix_millis(&wabakit::SystemClock));
    nx::verify(
        h,
        body,
        &nx::Verify {
            secret,
            access_key: None,
            now_millis: now,
        },
    )
}

pub fn run(cmd: Command) -> Outcome {
    match cmd {
        Command::Parse {
            provider,
            file,
            headers: raw,
            secret,
        } => {
            let body = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let events = match provider.as_str() {
                "nxcloud" => {
                    if let Some(s) = &secret {
                        verify(&headers(&raw), &body, s, false).map_err(|e| e.to_string())?;
                    }
                    nx::parse(&body)
                }
                "alibaba" => receipts::parse(&body),
                other => return Err(format!("unknown provider {other:?} (nxcloud, alibaba)")),
            }
            .map_err(|e| e.to_string())?;
            for e in events {
                println!("{}", serde_json::to_string(&e).unwrap_or_default());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            file,
            headers: raw,
            secret,
            fresh,
        } => {
            let body = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            match verify(&headers(&raw), &body, &secret, fresh) {
                Ok(()) => {
                    println!("valid");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("invalid: {}", e.message());
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
