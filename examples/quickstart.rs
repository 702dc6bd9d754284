//! The quickstart: validate a template, create it, see it reviewed, update it, send a message.
//!
//! `cargo run --example quickstart` runs it against the in-memory provider; no credentials,
//! no network.

use std::path::Path;

use wabakit::*;

fn load_template(path: &Path) -> std::result::Result<Template, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let format = Format::from_path(path).unwrap_or(Format::Json);
    Template::from_text(&text, format).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        format!("{}:\n{}", path.display(), lines.join("\n"))
    })
}

async fn show_review(provider: &dyn Provider, id: &TemplateId) -> Result<()> {
    let info = provider
        .get_template(&TemplateQuery::by_id(id.as_str()))
        .await?;
    println!(
        "[{}] review: {} is {}",
        provider.name(),
        info.name,
        info.status
    );
    Ok(())
}

async fn run(provider: &dyn Provider) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let template = load_template(&dir.join("templates/order_update.yaml"))?;
    let problems = provider.validate(&template);
    println!(
        "[{}] validate {}: {} problem(s)",
        provider.name(),
        template.name,
        problems.len()
    );

    let created = provider.create_template(&template).await?;
    let id = created
        .id()
        .cloned()
        .ok_or("the provider gave no template id")?;
    println!(
        "[{}] create: id {id}, status {}",
        provider.name(),
        created.status().map(|s| s.as_str()).unwrap_or("pending")
    );

    show_review(provider, &id).await?;

    let mut edited = template.clone();
    if let Some(Component::Footer(f)) = edited
        .components
        .iter_mut()
        .find(|c| c.kind() == ComponentKind::Footer)
    {
        f.text = Some("Reply STOP to unsubscribe".into());
    }
    let updated = provider.update_template(&id, &edited).await?;
    println!(
        "[{}] update: status {}",
        provider.name(),
        updated.status().map(|s| s.as_str()).unwrap_or("pending")
    );
    show_review(provider, &id).await?;

    let text = std::fs::read_to_string(dir.join("messages/order_update.json"))?;
    let message = TemplateMessage::from_json(&text).map_err(|p| format!("{p:?}"))?;
    let receipt = provider.send(&message).await?;
    println!(
        "[{}] send to {}: message id {} (client_ref {})",
        provider.name(),
        message.to,
        receipt.message_id,
        receipt.client_ref.as_deref().unwrap_or("-")
    );
    Ok(())
}

#[tokio::main]
async fn main() {
    let memory = MemoryProvider::new();
    if let Err(e) = run(&memory).await {
        eprintln!("quickstart failed: {e}");
        std::process::exit(1);
    }
    for event in memory.take_events() {
        if let EventBody::TemplateStatus { name, status, .. } = &event.body {
            println!(
                "[memory] event: template {} is now {status}",
                name.as_deref().unwrap_or("?")
            );
        }
    }
}
