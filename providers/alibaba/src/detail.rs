//! GetChatappTemplateDetail's template back in the neutral shape: `Components` (cams' model,
//! spec §9), `Example` (one set of variables per template), and the template's own fields, so
//! that `get_template` answers the template's body on cams as on NXCloud.
//!
//! The reverse of `mapping`: what cams does not keep (an upload handle; the examples of a card)
//! is not there to read back. Read leniently: a detail this cannot read as a neutral document
//! leaves `TemplateInfo::template` empty rather than failing the call.

use serde_json::{json, Map, Value};
use wabakit_core::{placeholder, Template, ViberCategory};

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Copy `from[k]` to `to[name]` where it is set.
fn copy(to: &mut Map<String, Value>, name: &str, from: &Value, k: &str) {
    if let Some(x) = from.get(k).filter(|x| !x.is_null() && *x != "") {
        to.insert(name.into(), x.clone());
    }
}

/// The template of a GetChatappTemplateDetail `Data`.
pub fn template(data: &Value) -> Option<Template> {
    let example: Map<String, Value> = match data.get("Example") {
        Some(Value::Object(m)) => m.clone(),
        // Sent as a JSON string; some answers keep it so.
        Some(Value::String(t)) => serde_json::from_str(t).ok()?,
        _ => Map::new(),
    };
    let var = |n: u32| example.get(&n.to_string()).and_then(Value::as_str);
    let viber = s(data, "TemplateType").is_some_and(|t| t.eq_ignore_ascii_case("VIBER"));
    let category = s(data, "Category").unwrap_or_default();
    let auth = category.eq_ignore_ascii_case("AUTHENTICATION");
    let components: Vec<Value> = data
        .get("Components")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(|c| component(c, &var, auth))
        .collect();
    let mut doc = Map::new();
    doc.insert(
        "name".into(),
        json!(s(data, "Name").or_else(|| s(data, "TemplateName"))?),
    );
    doc.insert("language".into(), json!(s(data, "Language")?));
    if viber {
        doc.insert("channel".into(), json!("viber"));
        if ViberCategory::ALL
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(category))
        {
            doc.insert(
                "viber_category".into(),
                json!(category.to_ascii_lowercase()),
            );
        }
    } else if !category.is_empty() {
        doc.insert("category".into(), json!(category));
    }
    copy(
        &mut doc,
        "message_send_ttl_seconds",
        data,
        "MessageSendTtlSeconds",
    );
    copy(
        &mut doc,
        "category_change_paused",
        data,
        "CategoryChangePaused",
    );
    doc.insert("components".into(), Value::Array(components));
    Template::from_value(&Value::Object(doc)).ok()
}

/// The example values of the variables of `text`, in order: cams' one set, by number.
fn examples<'e>(text: &str, var: &impl Fn(u32) -> Option<&'e str>) -> Option<Vec<&'e str>> {
    let mut numbers: Vec<u32> = placeholder::scan(text)
        .found
        .iter()
        .filter_map(|p| match p {
            placeholder::Placeholder::Positional(n) => Some(*n),
            placeholder::Placeholder::Named(_) => None,
        })
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    (!numbers.is_empty()).then(|| {
        numbers
            .iter()
            .map(|n| var(*n).unwrap_or_default())
            .collect()
    })
}

fn component<'e>(c: &Value, var: &impl Fn(u32) -> Option<&'e str>, auth: bool) -> Option<Value> {
    let kind = s(c, "Type")?.to_ascii_uppercase();
    let mut out = Map::new();
    out.insert("type".into(), json!(kind));
    match kind.as_str() {
        "HEADER" => {
            let format = s(c, "Format").unwrap_or("TEXT").to_ascii_uppercase();
            out.insert("format".into(), json!(format));
            if format == "TEXT" {
                copy(&mut out, "text", c, "Text");
                if let Some(ex) = s(c, "Text").and_then(|t| examples(t, var)) {
                    out.insert("example".into(), json!({"header_text": ex}));
                }
            } else if let Some(url) = s(c, "Url") {
                out.insert("example".into(), json!({"custom_header_handle_url": url}));
            }
            for (name, k) in [
                ("caption", "Caption"),
                ("filename", "FileName"),
                ("thumb_url", "ThumbUrl"),
                ("duration", "Duration"),
                ("file_type", "FileType"),
            ] {
                copy(&mut out, name, c, k);
            }
        }
        "BODY" => {
            copy(&mut out, "text", c, "Text");
            copy(
                &mut out,
                "add_security_recommendation",
                c,
                "AddSecretRecommendation",
            );
            if let Some(ex) = s(c, "Text").and_then(|t| examples(t, var)) {
                out.insert("example".into(), json!({"body_text": [ex]}));
            }
        }
        "FOOTER" => {
            copy(&mut out, "text", c, "Text");
            copy(
                &mut out,
                "code_expiration_minutes",
                c,
                "CodeExpirationMinutes",
            );
        }
        "BUTTONS" => {
            let buttons: Vec<Value> = c
                .get("Buttons")
                .and_then(Value::as_array)?
                .iter()
                .filter_map(|b| button(b, var, auth))
                .collect();
            out.insert("buttons".into(), Value::Array(buttons));
        }
        "CAROUSEL" => {
            let cards: Vec<Value> = c
                .get("Cards")
                .and_then(Value::as_array)?
                .iter()
                .map(|card| {
                    let comps: Vec<Value> = card
                        .get("CardComponents")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|cc| component(cc, var, false))
                                .collect()
                        })
                        .unwrap_or_default();
                    json!({"components": comps})
                })
                .collect();
            out.insert("cards".into(), Value::Array(cards));
        }
        "LIMITED_TIME_OFFER" => {
            let mut offer = Map::new();
            copy(&mut offer, "text", c, "Text");
            copy(&mut offer, "has_expiration", c, "HasExpiration");
            out.insert("limited_time_offer".into(), Value::Object(offer));
        }
        _ => return None,
    }
    Some(Value::Object(out))
}

fn button<'e>(b: &Value, var: &impl Fn(u32) -> Option<&'e str>, auth: bool) -> Option<Value> {
    let kind = s(b, "Type")?.to_ascii_uppercase();
    let mut out = Map::new();
    copy(&mut out, "text", b, "Text");
    match kind.as_str() {
        // In an AUTHENTICATION template a COPY_CODE button is the OTP one (seed 003).
        "COPY_CODE" if auth => {
            out.insert("type".into(), json!("OTP"));
            out.insert("otp_type".into(), json!("COPY_CODE"));
        }
        "ONE_TAP" | "ZERO_TAP" => {
            out.insert("type".into(), json!("OTP"));
            out.insert("otp_type".into(), json!(kind));
            copy(&mut out, "autofill_text", b, "AutofillText");
            let apps: Vec<Value> = b
                .get("SupportedApps")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|x| json!({"package_name": x.get("PackageName"), "signature_hash": x.get("SignatureHash")}))
                        .collect()
                })
                .unwrap_or_default();
            if !apps.is_empty() {
                out.insert("supported_apps".into(), Value::Array(apps));
            } else {
                copy(&mut out, "package_name", b, "PackageName");
                copy(&mut out, "signature_hash", b, "SignatureHash");
            }
        }
        "COPY_CODE" => {
            out.insert("type".into(), json!("COPY_CODE"));
            copy(&mut out, "example", b, "CouponCode");
        }
        "URL" => {
            out.insert("type".into(), json!("URL"));
            copy(&mut out, "url", b, "Url");
            if let Some(url) = s(b, "Url").filter(|u| u.ends_with("{{1}}")) {
                let sample = var(1).unwrap_or_default();
                out.insert(
                    "example".into(),
                    json!([format!("{}{sample}", url.trim_end_matches("{{1}}"))]),
                );
            }
        }
        "PHONE_NUMBER" => {
            out.insert("type".into(), json!("PHONE_NUMBER"));
            copy(&mut out, "phone_number", b, "PhoneNumber");
        }
        "QUICK_REPLY" => {
            out.insert("type".into(), json!("QUICK_REPLY"));
            copy(&mut out, "is_opt_out", b, "IsOptOut");
        }
        "FLOW" => {
            out.insert("type".into(), json!("FLOW"));
            copy(&mut out, "flow_id", b, "FlowId");
            copy(&mut out, "navigate_screen", b, "NavigateScreen");
            if let Some(a) = s(b, "FlowAction") {
                out.insert("flow_action".into(), json!(a.to_ascii_lowercase()));
            }
        }
        "CATALOG" | "MPM" => {
            out.insert("type".into(), json!(kind));
        }
        _ => return None,
    }
    Some(Value::Object(out))
}
