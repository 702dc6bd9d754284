//! `wabakit`: validate templates, render signed requests, manage templates, send (one or in
//! bulk), parse and verify webhooks, and run the sandbox.

mod bulk;
mod campaign;
mod commands;
mod output;
mod progress;
mod sandbox;
mod serve;
mod webhook;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "wabakit",
    version,
    about = "One API for WhatsApp Business templates, whichever provider a profile names"
)]
struct Cli {
    /// The config file with the profiles.
    #[arg(
        long,
        global = true,
        env = "WABAKIT_CONFIG",
        default_value = "wabakit.toml"
    )]
    config: PathBuf,
    /// The profile to use (else the file's default_profile).
    #[arg(long, global = true, env = "WABAKIT_PROFILE")]
    profile: Option<String>,
    /// How log lines look on stderr: text, or json (one object per line, for services).
    /// Which lines: WABAKIT_LOG or RUST_LOG (`info`, `wabakit=debug`), warnings by default.
    #[arg(
        long,
        global = true,
        env = "WABAKIT_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
    /// Show recipients' numbers whole in errors and log lines (masked by default: +86 139 ****0001).
    #[arg(long, global = true)]
    show_recipients: bool,
    /// What results look like on stdout: text for people, or json (one document) for scripts.
    #[arg(long, global = true, value_enum, default_value = "text")]
    output: output::Output,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Log lines go to stderr, so that stdout stays the command's result for scripts.
fn init_logs(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("WABAKIT_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".into());
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|e| {
        eprintln!(
            "wabakit: WABAKIT_LOG/RUST_LOG {filter:?} is not a filter ({e}); logging warnings"
        );
        EnvFilter::new("warn")
    });
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().with_current_span(true).init(),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Check template files (JSON, YAML, TOML): every problem, with its path; non-zero exit on any.
    Validate {
        files: Vec<PathBuf>,
        /// Also check what the profile's provider can express.
        #[arg(long)]
        with_profile: bool,
    },
    /// Print the exact signed HTTP request of an operation, without sending it.
    Render {
        /// create_template, update_template, get_template, list_templates, delete_template or send.
        op: String,
        /// The template or message document (for get/delete: a template name).
        file: Option<PathBuf>,
        /// Template id (update_template).
        #[arg(long)]
        id: Option<String>,
        /// Clock value to sign with, in Unix milliseconds.
        #[arg(long)]
        ts: Option<u64>,
        /// Nonce to sign with (for providers whose signature takes one).
        #[arg(long)]
        nonce: Option<String>,
    },
    /// Manage templates.
    #[command(subcommand)]
    Template(commands::TemplateCommand),
    /// Send one template message (a message document).
    Send { file: PathBuf },
    /// Send a template to many recipients from a CSV or JSONL file.
    SendBulk(bulk::Args),
    /// Webhooks and receipts.
    #[command(subcommand)]
    Webhook(webhook::Command),
    /// Run every provider's fake server and print a config that uses them.
    Sandbox {
        /// Write the config here as well as printing it.
        #[arg(long)]
        write: Option<PathBuf>,
    },
    /// Run the quickstart story against the sandbox: create, review, update, send.
    Demo,
    /// Run the receipts server: /callbacks/{profile} for every profile, events kept in the store.
    Serve {
        /// Where to listen (127.0.0.1:0 picks a free port and prints it).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// A message's history in the store, by message id or client_ref.
    Status {
        id: String,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Campaigns: rows in the store, sent by any number of workers, at most once each.
    #[command(subcommand)]
    Campaign(campaign::Command),
    /// What became of the messages in the store: counts, rates, failures, latency.
    Report {
        /// Only this campaign's.
        #[arg(long)]
        campaign: Option<String>,
        /// Only those sent since: an RFC 3339 time, or a duration back from now (24h).
        #[arg(long)]
        since: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: serve::Format,
    },
    /// Print a completion script for a shell (`wabakit completions bash > /etc/bash_completion.d/wabakit`).
    Completions { shell: clap_complete::Shell },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    output::set(cli.output);
    wabakit::privacy::show_recipients(cli.show_recipients);
    let result = match cli.command {
        Command::Validate {
            files,
            with_profile,
        } => commands::validate(
            &files,
            with_profile.then_some((&cli.config, cli.profile.as_deref())),
        ),
        Command::Render {
            op,
            file,
            id,
            ts,
            nonce,
        } => commands::render(
            &cli.config,
            cli.profile.as_deref(),
            &op,
            file.as_deref(),
            id,
            ts,
            nonce,
        ),
        Command::Template(t) => commands::template(&cli.config, cli.profile.as_deref(), t).await,
        Command::Send { file } => commands::send(&cli.config, cli.profile.as_deref(), &file).await,
        Command::SendBulk(args) => bulk::run(&cli.config, cli.profile.as_deref(), args).await,
        Command::Webhook(w) => webhook::run(w),
        Command::Sandbox { write } => sandbox::sandbox(write).await,
        Command::Demo => sandbox::demo().await,
        Command::Serve { listen } => serve::serve(&cli.config, &listen).await,
        Command::Campaign(c) => campaign::run(&cli.config, cli.profile.as_deref(), c).await,
        Command::Status { id, json } => {
            serve::status(&cli.config, &id, json || output::json()).await
        }
        Command::Report {
            campaign,
            since,
            format,
        } => {
            let format = match cli.output {
                output::Output::Json => serve::Format::Json,
                output::Output::Text => format,
            };
            serve::report(&cli.config, campaign, since, format).await
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "wabakit",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wabakit: {e}");
            ExitCode::from(2)
        }
    }
}
