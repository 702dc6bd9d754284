//! `sandbox` (every provider's fake server, and a config that uses them) and `demo`.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;
use wabakit::raw::{Sandbox, SandboxOptions};
use wabakit::*;

use crate::commands::Outcome;

/// Every compiled-in provider's sandbox, started.
async fn start(instant_review: bool) -> std::result::Result<Vec<Box<dyn Sandbox>>, String> {
    let options = SandboxOptions {
        instant_review,
        callback_url: None,
    };
    wabakit::registry::start_sandboxes(options)
        .await
        .map_err(|e| e.to_string())
}

/// A config with a profile per sandbox, named for its provider (their credentials are the
/// fakes' own, not secrets), and `local`, the in-memory provider.
fn config(sandboxes: &[Box<dyn Sandbox>]) -> std::result::Result<String, String> {
    let mut profiles = serde_json::Map::new();
    for s in sandboxes {
        profiles.insert(s.provider().to_owned(), Value::Object(s.profile()));
    }
    profiles.insert("local".into(), serde_json::json!({"provider": "memory"}));
    let mut top = serde_json::Map::new();
    if let Some(first) = sandboxes.first() {
        top.insert("default_profile".into(), first.provider().into());
    }
    top.insert("profiles".into(), Value::Object(profiles));
    toml::to_string(&Value::Object(top)).map_err(|e| e.to_string())
}

pub async fn sandbox(write: Option<PathBuf>) -> Outcome {
    // Listen for Ctrl-C before saying where the servers are (the first poll installs the
    // handler), so that a caller who reads the config and interrupts at once stops them cleanly.
    let mut stop = Box::pin(tokio::signal::ctrl_c());
    if let Some(r) = futures_util::FutureExt::now_or_never(&mut stop) {
        r.map_err(|e| e.to_string())?;
        return Ok(ExitCode::SUCCESS);
    }
    let sandboxes = start(true).await?;
    let text = config(&sandboxes)?;
    if let Some(path) = &write {
        // Written whole, then renamed: a reader never sees half a config.
        let part = path.with_extension("part");
        std::fs::write(&part, &text)
            .and_then(|()| std::fs::rename(&part, path))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    println!("{text}");
    for s in &sandboxes {
        eprintln!("fake {} on {}", s.provider(), s.url());
    }
    eprintln!("templates are approved at once; Ctrl-C stops the servers");
    stop.await.map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

const TEMPLATE: &str = r#"{"name": "order_update", "language": "en_US", "category": "UTILITY",
  "components": [{"type": "BODY", "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
                 {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Track"}]}]}"#;
const MESSAGE: &str = r#"{"to": "+86 136 0000 9759", "template": "order_update", "language": "en_US",
  "body": ["Ana", "today"], "client_ref": "demo-1"}"#;

/// Create, rejected, fixed, approved, sent: on each sandbox, chosen by profile.
pub async fn demo() -> Outcome {
    let sandboxes = start(false).await?;
    let text = config(&sandboxes)?;
    let template = Template::from_json(TEMPLATE).map_err(|p| format!("{p:?}"))?;
    let message = TemplateMessage::from_json(MESSAGE).map_err(|p| format!("{p:?}"))?;
    let (name, language) = (&template.name, &template.language);
    for s in &sandboxes {
        let profile = s.provider();
        let c = Client::from_toml(&text, Some(profile), &ProcessEnv).map_err(|e| e.to_string())?;
        let e = |e: Error| e.to_string();
        let r = c.create_template(&template).await.map_err(e)?;
        let id = r.id().cloned().ok_or("no template id")?;
        println!("[{profile}] created {name} ({id})");
        s.reject(name, language, "INVALID_FORMAT");
        let info = c
            .get_template(&TemplateQuery::by_id(id.as_str()))
            .await
            .map_err(e)?;
        println!(
            "[{profile}] review: {} ({})",
            info.status,
            info.reason.unwrap_or_default()
        );
        c.update_template(&id, &template).await.map_err(e)?;
        s.approve(name, language);
        let info = c
            .get_template(&TemplateQuery::by_id(id.as_str()))
            .await
            .map_err(e)?;
        println!("[{profile}] resubmitted; review: {}", info.status);
        let receipt = c.send(&message).await.map_err(e)?;
        println!("[{profile}] sent: message id {}", receipt.message_id);
    }
    Ok(ExitCode::SUCCESS)
}
