//! `sandbox` (both fake servers, and a config that uses them) and `demo`.

use std::path::PathBuf;
use std::process::ExitCode;

use wabakit::alibaba::fake::{FakeCams, FakeOptions as CamsOptions};
use wabakit::nxcloud::fake::{FakeNxcloud, FakeOptions as NxOptions};
use wabakit::*;

use crate::commands::Outcome;

/// A config with a profile per fake server (their credentials are the fakes' own, not secrets).
fn config(nx: &FakeNxcloud, cams: &FakeCams) -> String {
    let (n, c) = (nx.options(), cams.options());
    format!(
        "default_profile = \"nxcloud\"\n\n[profiles.nxcloud]\nprovider = \"nxcloud\"\naccess_key = \"{}\"\naccess_secret = \"{}\"\napp_key = \"{}\"\nbusiness_phone = \"{}\"\nendpoint = \"{}\"\n\n[profiles.alibaba]\nprovider = \"alibaba\"\naccess_key_id = \"{}\"\naccess_key_secret = \"{}\"\ncust_space_id = \"{}\"\nfrom = \"{}\"\nendpoint = \"{}\"\n\n[profiles.local]\nprovider = \"memory\"\n",
        n.access_key, n.access_secret, n.app_key, n.business_phone, nx.url(),
        c.access_key_id, c.access_key_secret, c.cust_space_id, c.from, cams.url()
    )
}

async fn start(instant: bool) -> std::result::Result<(FakeNxcloud, FakeCams), String> {
    let nx = FakeNxcloud::start(NxOptions {
        instant_review: instant,
        ..Default::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    let cams = FakeCams::start(CamsOptions {
        instant_review: instant,
        ..Default::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok((nx, cams))
}

pub async fn sandbox(write: Option<PathBuf>) -> Outcome {
    let (nx, cams) = start(true).await?;
    let text = config(&nx, &cams);
    if let Some(path) = &write {
        std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    println!("{text}");
    eprintln!("fake NXCloud on {}, fake Alibaba ChatApp on {} (templates are approved at once); Ctrl-C stops them", nx.url(), cams.url());
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

const TEMPLATE: &str = r#"{"name": "order_update", "language": "en_US", "category": "UTILITY",
  "components": [{"type": "BODY", "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
                 {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Track"}]}]}"#;
const MESSAGE: &str = r#"{"to": "+86 136 0000 9759", "template": "order_update", "language": "en_US",
  "body": ["Ana", "today"], "client_ref": "demo-1"}"#;

/// Create, rejected, fixed, approved, sent: on each fake, chosen by profile.
pub async fn demo() -> Outcome {
    let (nx, cams) = start(false).await?;
    let text = config(&nx, &cams);
    let template = Template::from_json(TEMPLATE).map_err(|p| format!("{p:?}"))?;
    let message = TemplateMessage::from_json(MESSAGE).map_err(|p| format!("{p:?}"))?;
    for profile in ["nxcloud", "alibaba"] {
        let c = Client::from_toml(&text, Some(profile), &ProcessEnv).map_err(|e| e.to_string())?;
        let review = |approve: bool| match (profile, approve) {
            ("nxcloud", true) => nx.approve(&template.name, &template.language),
            ("nxcloud", false) => nx.reject(&template.name, &template.language, "INVALID_FORMAT"),
            (_, true) => cams.approve(&template.name, &template.language),
            (_, false) => cams.reject(&template.name, &template.language, "INVALID_FORMAT"),
        };
        let e = |e: Error| e.to_string();
        let r = c.create_template(&template).await.map_err(e)?;
        let id = r.id().cloned().ok_or("no template id")?;
        println!("[{profile}] created {} ({id})", template.name);
        review(false);
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
        review(true);
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
