//! The quickstart: validate a template, create it, see it reviewed, update it, send a message.
//!
//! `cargo run --example quickstart` runs it against the in-memory provider and against every
//! provider's embedded fake server (its sandbox) on 127.0.0.1, the same code for each; no
//! credentials, no network beyond loopback.

use std::path::Path;

use wabakit::raw::{Reviewable, SandboxOptions, StartSandbox};
use wabakit::*;

fn load_template(path: &Path) -> std::result::Result<Template, String> {
    Template::from_file(path).map_err(|problems| {
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
    sandbox: &(impl Reviewable + ?Sized),
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
    sandbox: &(impl Reviewable + ?Sized),
) -> std::result::Result<Receipt, Box<dyn std::error::Error>> {
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

    let message = TemplateMessage::from_file(dir.join("messages/order_update.json"))?;
    let receipt = provider.send(&message).await?;
    println!(
        "[{}] send to {}: message id {} (client_ref {})",
        provider.name(),
        message.to,
        receipt.message_id,
        receipt.client_ref.as_deref().unwrap_or("-")
    );
    Ok(receipt)
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

/// Whether `e` says that message `id` reached the phone.
fn delivered(e: &Event, id: &str) -> bool {
    matches!(&e.body, EventBody::MessageStatus { message_id, status: MessageStatus::Delivered, .. } if message_id == id)
}

/// The story on one provider's sandbox, through a client built from the profile the sandbox
/// hands back; then its callbacks (the reviews, the message sent and delivered), received over
/// HTTP as a user's endpoint receives them and parsed (verified, where the vendor signs them)
/// by that client.
async fn on_sandbox(start: StartSandbox) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let (url, mut received) = wabakit::fake::callback_receiver().await?;
    let sandbox = start(SandboxOptions {
        instant_review: false,
        callback_url: Some(url),
    })
    .await?;
    let name = sandbox.provider();
    println!("[{name}] sandbox listening on {}", sandbox.url());
    let profile = serde_json::Value::Object(sandbox.profile());
    let client = Client::from_profile(name, &profile, &ProcessEnv)?;
    let receipt = run(client.provider(), sandbox.as_ref()).await?;
    // Until both reviews (rejected, approved) and the delivery have been heard of: callbacks
    // are posted as they happen, and need not arrive in that order.
    let mut events: Vec<Event> = Vec::new();
    let reviews = |events: &[Event]| {
        events
            .iter()
            .filter(|e| matches!(e.body, EventBody::TemplateStatus { .. }))
            .count()
    };
    while reviews(&events) < 2 || !events.iter().any(|e| delivered(e, &receipt.message_id)) {
        for (headers, body) in wabakit::fake::next_callbacks(&mut received, 1).await? {
            events.extend(client.provider().parse_callback(&headers, &body)?);
        }
    }
    print_events(name, events);
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
    // Every provider this build has, the same code for each.
    for reg in wabakit::PROVIDERS {
        if let Some(start) = reg.sandbox {
            if let Err(e) = on_sandbox(start).await {
                eprintln!("quickstart ({}) failed: {e}", reg.name);
                std::process::exit(1);
            }
        }
    }
}
