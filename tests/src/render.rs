//! One request path: for every operation, `render(op)` at a pinned clock value and nonce is,
//! byte for byte, the request the provider's fake received when the same operation ran at the
//! same clock value and nonce.

use std::sync::Arc;

use serde_json::Value;
use wabakit_core::raw::{ProfileReader, RecordedRequest, Registration, Sandbox, SandboxOptions};
use wabakit_core::*;

use crate::fixtures::{order_message, order_update, order_update_edited};

/// Headers the HTTP client adds on its own: the rest of what arrived must be what was rendered.
const TRANSPORT_HEADERS: [&str; 3] = ["host", "content-length", "accept"];

fn no_env(_: &str) -> Option<String> {
    None
}

/// Run `op` as the provider's own operation; what it answered, in short.
async fn run(p: &dyn Provider, op: &Operation) -> Result<String> {
    Ok(match op {
        Operation::CreateTemplate(t) => format!("{:?}", p.create_template(t).await?.state),
        Operation::UpdateTemplate(id, t) => format!("{:?}", p.update_template(id, t).await?.state),
        Operation::GetTemplate(q) => p.get_template(q).await?.status.to_string(),
        Operation::ListTemplates(q) => format!("{} items", p.list_templates(q).await?.items.len()),
        Operation::DeleteTemplate(q) => format!("{:?}", p.delete_template(q).await?),
        Operation::Send(m) => p.send(m).await?.message_id,
        other => {
            return Err(Error::config(format!(
                "no scenario step for {}",
                other.name()
            )))
        }
    })
}

/// Where the rendered request and the received one differ, if they do.
fn differences(base: &str, rendered: &HttpRequest, got: &RecordedRequest) -> Vec<String> {
    let mut out = Vec::new();
    if rendered.method != got.method {
        out.push(format!(
            "method: rendered {}, sent {}",
            rendered.method, got.method
        ));
    }
    let url = format!("{base}{}", got.target);
    if rendered.url != url {
        out.push(format!("url: rendered {}, sent {url}", rendered.url));
    }
    for (k, v) in &rendered.headers {
        match got.header(k) {
            Some(g) if g == v => {}
            other => out.push(format!("header {k}: rendered {v:?}, sent {other:?}")),
        }
    }
    for (k, v) in &got.headers {
        let rendered_it = rendered.header(k).is_some();
        if !rendered_it && !TRANSPORT_HEADERS.contains(&k.as_str()) {
            out.push(format!("header {k}: sent {v:?}, not rendered"));
        }
    }
    if rendered.body != got.body {
        out.push(format!(
            "body: rendered {:?}, sent {:?}",
            String::from_utf8_lossy(&rendered.body),
            String::from_utf8_lossy(&got.body)
        ));
    }
    out
}

/// The check for one registered provider with a sandbox; `Ok` names the operations checked.
pub async fn render_matches_recorded(
    reg: &Registration,
) -> std::result::Result<Vec<String>, String> {
    let start = reg
        .sandbox
        .ok_or_else(|| format!("{} has no sandbox", reg.name))?;
    let sandbox: Box<dyn Sandbox> = start(SandboxOptions::default())
        .await
        .map_err(|e| format!("{}: sandbox: {e}", reg.name))?;
    let profile = Value::Object(sandbox.profile());
    let base_ms = SystemClock.unix_millis();
    let clock = Arc::new(FixedClock::new(base_ms));
    let nonce = Arc::new(FixedNonce::new(""));
    let mut r = ProfileReader::new("render", &profile, &no_env)
        .map_err(|e| e.to_string())?
        .with_clock(clock.clone(), nonce.clone());
    let named = r.req_str("provider");
    if named.as_deref() != Some(reg.name) {
        return Err(format!(
            "{}: the sandbox's profile names {named:?}",
            reg.name
        ));
    }
    let provider = (reg.build)(&mut r);
    r.finish().map_err(|e| e.to_string())?;
    let p = provider.ok_or("the sandbox's profile builds no provider")?;

    let name = "render_check";
    let lang = "en_US";
    let mut checked = Vec::new();
    // The operations to check; after some, the sandbox acts (a review) and more are queued.
    let mut ops: Vec<Operation> = vec![Operation::CreateTemplate(order_update(name))];
    let mut i = 0;
    while i < ops.len() {
        let op = ops[i].clone();
        let step = i as u64 + 1;
        let at = Pinned {
            unix_millis: base_ms + step * 1000,
            nonce: format!("{step:032x}"),
        };
        clock.set(at.unix_millis);
        nonce.set(at.nonce.clone());
        let rendered = p
            .render(&op, &at)
            .map_err(|e| format!("{}: render {}: {e}", reg.name, op.name()))?;
        let before = sandbox.requests().len();
        let answer = run(p.as_ref(), &op)
            .await
            .map_err(|e| format!("{}: {}: {e}", reg.name, op.name()))?;
        let got = sandbox.requests();
        let first = got
            .get(before)
            .ok_or_else(|| format!("{}: {} sent nothing", reg.name, op.name()))?;
        let diff = differences(&sandbox.url(), &rendered, first);
        if !diff.is_empty() {
            return Err(format!(
                "{}: {} (step {step}): render and request differ:\n  {}",
                reg.name,
                op.name(),
                diff.join("\n  ")
            ));
        }
        checked.push(format!("{} ({answer})", op.name()));
        // The next operations, once this one's outcome is known.
        match &op {
            Operation::CreateTemplate(_) => {
                sandbox.reject(name, lang, "INVALID_FORMAT");
                // A step of its own, unchecked: its nonce must be fresh too.
                nonce.set(format!("{:032x}", 1000 + step));
                let id = p
                    .get_template(&TemplateQuery::by_name(name, lang))
                    .await
                    .map_err(|e| e.to_string())?
                    .id;
                ops.push(Operation::GetTemplate(TemplateQuery::by_name(name, lang)));
                ops.push(Operation::ListTemplates(ListQuery {
                    name: Some(name.into()),
                    limit: 10,
                    ..Default::default()
                }));
                ops.push(Operation::UpdateTemplate(
                    id.clone(),
                    order_update_edited(name),
                ));
                ops.push(Operation::Send(order_message(name)));
                // By id alone: a provider that must look something up renders the lookup.
                ops.push(Operation::GetTemplate(TemplateQuery {
                    id: Some(id),
                    ..Default::default()
                }));
                ops.push(Operation::DeleteTemplate(TemplateQuery::by_name(
                    name, lang,
                )));
            }
            Operation::UpdateTemplate(..) => {
                sandbox.approve(name, lang);
                // A message the known template refuses: the dry run refuses it as the send
                // does, with the same problems, and nothing goes out.
                let mut bad = order_message(name);
                bad.body = Params::Positional(vec!["Ana".into()]);
                let sent_before = sandbox.requests().len();
                let rendered = p.render(&Operation::Send(bad.clone()), &at);
                let sent = p.send(&bad).await;
                match (rendered, sent) {
                    (Err(r), Err(s))
                        if r.kind() == ErrorKind::Validation && r.problems() == s.problems() => {}
                    (r, s) => {
                        return Err(format!(
                            "{}: a message its template refuses: render {r:?}, send {s:?}",
                            reg.name
                        ))
                    }
                }
                if sandbox.requests().len() != sent_before {
                    return Err(format!("{}: a refused message went out", reg.name));
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(checked)
}
