//! Templates as the Cloud API lists them (Meta spec §2.4: `{data: [template…], paging:
//! {cursors: {after}, next}}`), read into [`TemplateInfo`]. Meta's list and NXCloud's
//! getTemplate (which passes Meta's objects through) read them here.

use serde_json::{json, Value};

use crate::model::Template;
use crate::parse::reader::loose_text;
use crate::types::{TemplateId, TemplateInfo, TemplateStatus};

/// A template object (`id`, `name`, `language`, `status`, `category`, `components`,
/// `rejected_reason`, `quality_score` …), or `None` without an id and a name. Its content is
/// kept as a neutral document where it reads as one: Meta returns values the strict reader
/// refuses (an old category, a component type the model lacks), and then `template` is `None`
/// while the rest is still read.
pub fn template_info(v: &Value) -> Option<TemplateInfo> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    // Ids are strings in REST and numbers in webhooks.
    let id = loose_text(v.get("id"))?;
    let doc = json!({
        "name": v.get("name"), "language": v.get("language"), "category": v.get("category"),
        "parameter_format": v.get("parameter_format"),
        "message_send_ttl_seconds": v.get("message_send_ttl_seconds"), "components": v.get("components"),
    });
    let doc = match doc {
        // Absent fields are left out, not written as nulls the reader would refuse.
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    };
    Some(TemplateInfo {
        id: TemplateId(id),
        name: s("name")?,
        language: s("language").unwrap_or_default(),
        category: s("category").unwrap_or_default(),
        status: TemplateStatus::parse(&s("status").unwrap_or_default()),
        reason: s("rejected_reason").filter(|r| r != "NONE"),
        quality: v
            .pointer("/quality_score/score")
            .and_then(Value::as_str)
            .map(str::to_owned),
        template: Template::from_value(&doc).ok(),
    })
}

/// A page's templates (those that read), and the cursor of the next page: `cursors.after`
/// while `paging.next` says there is one.
pub fn template_page(data: &Value) -> (Vec<TemplateInfo>, Option<String>) {
    let items = data
        .get("data")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(template_info).collect())
        .unwrap_or_default();
    let paging = data.get("paging");
    let more = paging
        .and_then(|p| p.get("next"))
        .is_some_and(|n| !n.is_null());
    let next = more
        .then(|| {
            paging
                .and_then(|p| p.pointer("/cursors/after"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .flatten();
    (items, next)
}
