//! The quickstart: validate a template, create it, see it reviewed, update it, send a message.
//!
//! `cargo run --example quickstart` runs it against the in-memory provider and against the
//! embedded fake NXCloud and Alibaba ChatApp servers on 127.0.0.1; no credentials, no network
//! beyond loopback.

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
    let reason = info.reason.map(|r| format!(" ({r})")).unwrap_or_default();
    println!(
        "[{}] review: {} is {}{reason}",
        provider.name(),
        info.name,
        info.status
    );
    Ok(())
}

/// Finish a template's review in the sandbox: approved, or rejected as `INVALID_FORMAT`.
fn finish_review(
    sandbox: &dyn fake::Reviewable,
    t: &Template,
    approve: bool,
) -> std::result::Result<(), String> {
    let done = if approve {
        sandbox.approve(&t.name, &t.language)
    } else {
        sandbox.reject(&t.name, &t.language, "INVALID_FORMAT")
    };
    done.then_some(())
        .ok_or_else(|| format!("no template {} to review", t.name))
}

/// Create a template; review rejects it; fix and resubmit (an update, which every provider allows
/// for a rejected template); review approves it; send a message.
async fn run(
    provider: &dyn Provider,
    sandbox: &dyn fake::Reviewable,
) -> std::result::Result<(), Box<dyn std::error::Error>> {
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
    finish_review(sandbox, &template, false)?;
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
    finish_review(sandbox, &edited, true)?;
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

fn print_event(provider: &str, event: &Event) {
    match &event.body {
        EventBody::TemplateStatus {
            name,
            template_id,
            status,
            ..
        } => {
            let who = name
                .clone()
                .or_else(|| template_id.as_ref().map(|i| format!("id {i}")))
                .unwrap_or_default();
            println!("[{provider}] event: template {who} is now {status}");
        }
        EventBody::MessageStatus {
            message_id, status, ..
        } => println!(
            "[{provider}] event: message {message_id} is now {}",
            status.as_str()
        ),
        _ => {}
    }
}

/// Template events first (the reviews came first), then the message's.
fn print_events(provider: &str, mut events: Vec<Event>) {
    events.sort_by_key(|e| !matches!(e.body, EventBody::TemplateStatus { .. }));
    for e in &events {
        print_event(provider, e);
    }
}

async fn nxcloud() -> std::result::Result<(), Box<dyn std::error::Error>> {
    use wabakit::nxcloud::fake::{FakeNxcloud, FakeOptions};
    let (hook_url, mut hooks) = wabakit::fake::callback_receiver().await?;
    let fake = FakeNxcloud::start(FakeOptions {
        webhook_url: Some(hook_url),
        webhook_secret: Some("quickstart-webhook-secret".into()),
        ..FakeOptions::default()
    })
    .await?;
    println!("[nxcloud] fake NXCloud listening on {}", fake.url());
    let mut cfg = fake.client_config();
    cfg.webhook_secret = Some(Secret::new("quickstart-webhook-secret"));
    let client = wabakit::nxcloud::NxcloudProvider::new(cfg)?;
    run(&client, &fake).await?;
    // Review finished twice (rejected, then approved), and the message went out and reached
    // the phone: four signed webhooks.
    let mut events = Vec::new();
    for (headers, body) in wabakit::fake::next_callbacks(&mut hooks, 4).await? {
        events.extend(client.parse_callback(&headers, &body)?);
    }
    print_events("nxcloud", events);
    Ok(())
}

async fn alibaba() -> std::result::Result<(), Box<dyn std::error::Error>> {
    use wabakit::alibaba::fake::{FakeCams, FakeOptions};
    let (receipt_url, mut receipts) = wabakit::fake::callback_receiver().await?;
    let fake = FakeCams::start(FakeOptions {
        receipt_url: Some(receipt_url),
        ..FakeOptions::default()
    })
    .await?;
    println!("[alibaba] fake ChatApp listening on {}", fake.url());
    let client = wabakit::alibaba::AlibabaProvider::new(fake.client_config())?;
    run(&client, &fake).await?;
    // Review finished twice (rejected, then approved): two ChatAppAudit receipts; the message
    // went out and reached the phone: two ChatAppStatus receipts.
    let mut events = Vec::new();
    for (headers, body) in wabakit::fake::next_callbacks(&mut receipts, 4).await? {
        events.extend(client.parse_callback(&headers, &body)?);
    }
    print_events("alibaba", events);
    Ok(())
}

#[tokio::main]
async fn main() {
    let memory = MemoryProvider::new().with_review(Review::Manual);
    if let Err(e) = run(&memory, &memory).await {
        eprintln!("quickstart (memory) failed: {e}");
        std::process::exit(1);
    }
    for event in memory.take_events() {
        print_event("memory", &event);
    }
    if let Err(e) = nxcloud().await {
        eprintln!("quickstart (nxcloud) failed: {e}");
        std::process::exit(1);
    }
    if let Err(e) = alibaba().await {
        eprintln!("quickstart (alibaba) failed: {e}");
        std::process::exit(1);
    }
}
