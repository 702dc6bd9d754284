//! validate, render, template *, send.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Subcommand;
use wabakit::*;

use crate::output;

pub type Outcome = std::result::Result<ExitCode, String>;

/// The client of `profile` in `config`; with no such file, one profile of `WABAKIT_<KEY>`
/// variables when there are some (as `Client::from_env`: `WABAKIT_PROVIDER=meta`,
/// `WABAKIT_ACCESS_TOKEN=…`), for services configured by their environment alone.
pub fn client(config: &Path, profile: Option<&str>) -> std::result::Result<Client, String> {
    let from_env = !config.exists() && std::env::vars().any(|(k, _)| Client::is_profile_var(&k));
    if from_env {
        return Client::from_env().map_err(|e| e.to_string());
    }
    Client::from_config(config, profile).map_err(|e| e.to_string())
}

/// A template or message file (no more of it than a document may be).
fn read(path: &Path) -> std::result::Result<String, String> {
    wabakit::parse::read_limited(path).map_err(|e| match e {
        wabakit::parse::Limited::Io(e) => format!("{}: {e}", path.display()),
        wabakit::parse::Limited::TooLarge(n) => {
            format!(
                "{}: {}",
                path.display(),
                wabakit::parse::limits::too_large(n)
            )
        }
    })
}

fn problems_text(path: &Path, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {p}", path.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn load_template(path: &Path) -> std::result::Result<Template, String> {
    let text = read(path)?;
    Template::from_text(&text, Format::from_path(path).unwrap_or(Format::Json))
        .map_err(|p| problems_text(path, &p))
}

pub fn load_message(path: &Path) -> std::result::Result<TemplateMessage, String> {
    let text = read(path)?;
    TemplateMessage::from_text(&text, Format::from_path(path).unwrap_or(Format::Json))
        .map_err(|p| problems_text(path, &p))
}

pub fn validate(files: &[PathBuf], profile: Option<(&PathBuf, Option<&str>)>) -> Outcome {
    if files.is_empty() {
        return Err("name at least one template file".into());
    }
    let client = match profile {
        Some((config, p)) => Some(client(config, p)?),
        None => None,
    };
    let mut bad = 0;
    let mut docs = Vec::new();
    for f in files {
        // A file too large to read is that file's problem; one that cannot be read stops here.
        let problems = match wabakit::parse::read_limited(f) {
            Err(wabakit::parse::Limited::TooLarge(n)) => vec![wabakit::parse::limits::too_large(n)],
            Err(wabakit::parse::Limited::Io(e)) => return Err(format!("{}: {e}", f.display())),
            Ok(text) => {
                match Template::from_text(&text, Format::from_path(f).unwrap_or(Format::Json)) {
                    Err(p) => p.into_problems(),
                    Ok(t) => match &client {
                        Some(c) => c.validate(&t),
                        None => t.validate(),
                    },
                }
            }
        };
        bad += usize::from(!problems.is_empty());
        if output::json() {
            docs.push(
                serde_json::json!({"file": f, "ok": problems.is_empty(), "problems": problems}),
            );
        } else if problems.is_empty() {
            println!("{}: ok", f.display());
        } else {
            println!("{}", problems_text(f, &problems));
        }
    }
    if output::json() {
        println!("{}", serde_json::json!({"files": docs}));
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn render(
    config: &Path,
    profile: Option<&str>,
    op: &str,
    file: Option<&Path>,
    id: Option<String>,
    ts: Option<u64>,
    nonce: Option<String>,
) -> Outcome {
    let c = client(config, profile)?;
    let kind = OperationKind::from_name(op).map_err(|e| e.message().to_owned())?;
    let need_file = || file.ok_or_else(|| format!("{op} needs a file"));
    let by_name = || {
        file.map(|f| TemplateQuery {
            name: Some(f.display().to_string()),
            ..Default::default()
        })
        .ok_or_else(|| format!("{op} needs a template name"))
    };
    let operation = match kind {
        OperationKind::CreateTemplate => Operation::CreateTemplate(load_template(need_file()?)?),
        OperationKind::UpdateTemplate => Operation::UpdateTemplate(
            TemplateId::new(id.ok_or("update_template needs --id")?),
            load_template(need_file()?)?,
        ),
        OperationKind::Send => Operation::Send(load_message(need_file()?)?),
        OperationKind::ListTemplates => Operation::ListTemplates(ListQuery::default()),
        OperationKind::GetTemplate => Operation::GetTemplate(by_name()?),
        OperationKind::DeleteTemplate => Operation::DeleteTemplate(by_name()?),
        other => return Err(format!("{other} cannot be rendered from the command line")),
    };
    let at = Pinned {
        unix_millis: ts.unwrap_or_else(|| SystemClock.unix_millis()),
        nonce: nonce.unwrap_or_else(|| "00000000000000000000000000000000".into()),
    };
    let req = c.render(&operation, &at).map_err(|e| e.to_string())?;
    output::emit(serde_json::to_value(&req).unwrap_or_default(), || {
        format!("{req}")
    });
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum TemplateCommand {
    /// Create a template from a file.
    Create { file: PathBuf },
    /// Update template ID from a file.
    Update { id: String, file: PathBuf },
    /// Show a template, by name (and language) or --id.
    Get {
        name: Option<String>,
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        id: Option<String>,
    },
    /// List templates, page by page.
    List {
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Delete a template, by name (and language) or --id.
    Delete {
        name: Option<String>,
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        id: Option<String>,
    },
    /// Wait until a template's review ends: from the store, where a receiver (`wabakit serve`)
    /// keeps the provider's template events, and by asking the provider now and then (so it
    /// ends without a receiver too). Exit 0 at the status asked for, 1 at another final one,
    /// 3 on timeout.
    Wait {
        name: String,
        #[arg(long)]
        language: String,
        /// The status to wait for: approved, rejected, or final (either, or paused, disabled …).
        #[arg(long, default_value = "approved")]
        until: String,
        /// Seconds between looks at the store.
        #[arg(long, default_value_t = 1.0)]
        interval: f64,
        /// Ask the provider every this many seconds.
        #[arg(long, default_value_t = 30.0)]
        poll: f64,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 3600.0)]
        timeout: f64,
    },
}

fn query(name: Option<String>, language: Option<String>, id: Option<String>) -> TemplateQuery {
    TemplateQuery {
        id: id.map(TemplateId::new),
        name,
        language,
    }
}

pub async fn template(config: &Path, profile: Option<&str>, cmd: TemplateCommand) -> Outcome {
    let c = client(config, profile)?;
    match cmd {
        TemplateCommand::Wait {
            name,
            language,
            until,
            interval,
            poll,
            timeout,
        } => {
            let w = Wait {
                until: until.to_ascii_uppercase(),
                interval: Duration::from_secs_f64(interval.max(0.01)),
                poll: Duration::from_secs_f64(poll.max(0.01)),
                timeout: Duration::from_secs_f64(timeout.max(0.0)),
            };
            return wait(&c, &name, &language, &w).await;
        }
        TemplateCommand::Create { file } => output::document(
            &c.create_template(&load_template(&file)?)
                .await
                .map_err(|e| e.to_string())?,
        ),
        TemplateCommand::Update { id, file } => output::document(
            &c.update_template(&TemplateId::new(id), &load_template(&file)?)
                .await
                .map_err(|e| e.to_string())?,
        ),
        TemplateCommand::Get { name, language, id } => output::document(
            &c.get_template(&query(name, language, id))
                .await
                .map_err(|e| e.to_string())?,
        ),
        TemplateCommand::List {
            name,
            limit,
            cursor,
        } => output::document(
            &c.list_templates(&ListQuery {
                name,
                limit,
                cursor,
                ..Default::default()
            })
            .await
            .map_err(|e| e.to_string())?,
        ),
        TemplateCommand::Delete { name, language, id } => {
            let q = query(name, language, id);
            c.delete_template(&q).await.map_err(|e| e.to_string())?;
            output::emit(serde_json::json!({"deleted": q}), || "deleted".into());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn send(config: &Path, profile: Option<&str>, file: &Path) -> Outcome {
    let c = client(config, profile)?;
    let r = c
        .send(&load_message(file)?)
        .await
        .map_err(|e| e.to_string())?;
    output::document(&r);
    Ok(ExitCode::SUCCESS)
}

struct Wait {
    until: String,
    interval: Duration,
    poll: Duration,
    timeout: Duration,
}

/// Whether `status` ends the wait: the one asked for, or (for `final`) any final one.
fn reached(status: &TemplateStatus, until: &str) -> bool {
    match until {
        "FINAL" => status.is_final(),
        u => status.as_str() == u,
    }
}

async fn wait(c: &wabakit::Client, name: &str, language: &str, w: &Wait) -> Outcome {
    let start = Instant::now();
    let since = wabakit::Clock::unix_millis(&wabakit::SystemClock) as i64;
    let mut asked: Option<Instant> = None;
    loop {
        // The store first: a receiver keeps the review's events there as they come. Only news
        // counts: a row from before the wait may be older than an edit that reopened review.
        let mut status = match c.store() {
            Some(s) => s
                .template(c.provider().name(), name, language)
                .await
                .map_err(|e| e.to_string())?
                .filter(|t| t.updated_at >= since)
                .and_then(|t| t.status)
                .map(|s| TemplateStatus::parse(&s)),
            None => None,
        };
        if status.as_ref().is_none_or(|s| !s.is_final())
            && asked.is_none_or(|t| t.elapsed() >= w.poll)
        {
            asked = Some(Instant::now());
            let q = TemplateQuery::by_name(name, language);
            status = Some(c.get_template(&q).await.map_err(|e| e.to_string())?.status);
        }
        if let Some(s) = &status {
            let done = reached(s, &w.until);
            if done || s.is_final() {
                let doc = serde_json::json!({"name": name, "language": language, "status": s.as_str(), "reached": done});
                output::emit(doc, || match done {
                    true => format!("{name} ({language}): {s}"),
                    false => format!("{name} ({language}): {s}, not {}", w.until),
                });
                return Ok(ExitCode::from(if done { 0 } else { 1 }));
            }
        }
        if start.elapsed() >= w.timeout {
            let now = status.map_or("unknown".to_owned(), |s| s.to_string());
            eprintln!("wabakit: {name} ({language}) is still {now} after the timeout");
            return Ok(ExitCode::from(3));
        }
        tokio::time::sleep(w.interval).await;
    }
}
