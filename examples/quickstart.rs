//! The quickstart: validate a template, create it, see it reviewed, update it, send a message,
//! then receive what became of it.
//!
//! `cargo run --example quickstart` runs it against the in-memory provider and against every
//! provider's embedded fake server (its sandbox) on 127.0.0.1, the same code for each; no
//! credentials, no network beyond loopback. The sandboxes push their callbacks (reviews, the
//! message's statuses) to a receipts server on 127.0.0.1 (what `wabakit serve` runs), which
//! keeps them in a message store; the quickstart ends with the store's report.

use std::path::Path;
use std::time::{Duration, Instant};

use wabakit::raw::{Reviewable, Sandbox, SandboxOptions};
use wabakit::receiver::Receiver;
use wabakit::store::Store;
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

/// Wait (polling the store, at most 10 s) until `done` holds.
async fn until<F, Fut>(
    what: &str,
    mut done: F,
) -> std::result::Result<(), Box<dyn std::error::Error>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let start = Instant::now();
    while !done().await? {
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("no {what} within 10 s").into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}

/// The story on one provider's sandbox, through a client built from the profile the sandbox
/// hands back and recording its sends in `store`; then what the receiver kept of its callbacks
/// (the reviews, the message sent and delivered), verified where the vendor signs them.
async fn on_sandbox(
    sandbox: &dyn Sandbox,
    store: &Store,
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let name = sandbox.provider();
    println!("[{name}] sandbox listening on {}", sandbox.url());
    let profile = serde_json::Value::Object(sandbox.profile());
    let client = Client::from_profile(name, &profile, &ProcessEnv)?.with_store(store.clone());
    let receipt = run(client.provider(), sandbox).await?;
    let id = receipt.message_id.clone();
    until("delivery", || {
        let (store, id) = (store.clone(), id.clone());
        async move {
            let h = store.history(&id).await?;
            Ok(h.is_some_and(|h| matches!(h.message.status.as_str(), "delivered" | "read")))
        }
    })
    .await?;
    // (A provider may report `read` too, a moment later: the store keeps whatever comes. The two
    // reviews' webhooks are posted within the same second and may arrive in either order, so
    // the template's row is not what this waits on.)
    println!("[{name}] receiver: message {id} delivered");
    Ok(())
}

/// Every sandbox this build has, pushing its callbacks to one receiver on 127.0.0.1 with an
/// in-memory store, the same code for each; then the store's report.
async fn on_sandboxes() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let store = Store::open("sqlite::memory:")?;
    // The receiver's address first: each sandbox is told its profile's endpoint.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let mut receiver = Receiver::new(store.clone());
    let mut sandboxes = Vec::new();
    for reg in wabakit::PROVIDERS {
        let Some(start) = reg.sandbox else { continue };
        let sandbox = start(SandboxOptions {
            instant_review: false,
            callback_url: Some(format!("{base}/callbacks/{}", reg.name)),
        })
        .await?;
        let profile = serde_json::Value::Object(sandbox.profile());
        receiver =
            receiver.with_profile(reg.name, registry::build(reg.name, &profile, &ProcessEnv)?);
        sandboxes.push(sandbox);
    }
    println!("[receiver] listening on {base}/callbacks/{{profile}}");
    tokio::spawn(receiver.serve(listener, std::future::pending()));
    for sandbox in &sandboxes {
        on_sandbox(sandbox.as_ref(), &store).await?;
    }
    let r = store.report(Default::default()).await?;
    println!(
        "[report] {} messages sent, {} delivered ({:.0}%), {} failed",
        r.sent,
        r.delivered,
        r.delivery_rate * 100.0,
        r.failures.iter().map(|f| f.count).sum::<u64>()
    );
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
    if let Err(e) = on_sandboxes().await {
        eprintln!("quickstart failed: {e}");
        std::process::exit(1);
    }
}
