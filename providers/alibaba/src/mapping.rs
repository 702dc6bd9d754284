//! Neutral documents → cams API parameters.
//!
//! Complex parameters are compact JSON strings (`Components`, `Example`, `TemplateParams`,
//! `Payload`). Objects serialize with their keys in alphabetical order, which is the official
//! SDK's order, and list fields the SDK always sends (`Buttons`, `Cards`, `SupportedApps`) are
//! sent too, so a template yields the very bytes the SDK would.
//!
//! Variables: cams keeps one set of variables per template (in its own captured example a URL's
//! `{{1}}` and the body's `{{1}}` share one `Example` entry), while Meta numbers them per
//! component. Template text is sent as written (WhatsApp's review wants a URL's variable to be
//! `{{1}}`), and a message's header or URL value must be the body value of the same number;
//! anything cams cannot express is reported as unsupported, never dropped.

use serde_json::{json, Map, Value};
use wabakit_core::*;

fn body_of(t: &Template) -> Option<&Body> {
    t.components.iter().find_map(|c| match c {
        Component::Body(b) => Some(b),
        _ => None,
    })
}

fn header_of(t: &Template) -> Option<&Header> {
    t.components.iter().find_map(|c| match c {
        Component::Header(h) => Some(h),
        _ => None,
    })
}

fn buttons_of(t: &Template) -> &[Button] {
    t.components
        .iter()
        .find_map(|c| match c {
            Component::Buttons(b) => Some(b.buttons.as_slice()),
            _ => None,
        })
        .unwrap_or_default()
}

/// `Components`: the template's components in cams' model.
pub fn components(t: &Template) -> Value {
    let out: Vec<Value> = t
        .components
        .iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("Buttons".into(), json!([]));
            m.insert("Cards".into(), json!([]));
            m.insert("Type".into(), json!(c.kind().as_str()));
            match c {
                Component::Header(h) => header(&mut m, h),
                Component::Body(b) => {
                    put(&mut m, "Text", b.text.as_deref());
                    if let Some(a) = b.add_security_recommendation {
                        m.insert("AddSecretRecommendation".into(), json!(a));
                    }
                }
                Component::Footer(f) => {
                    put(&mut m, "Text", f.text.as_deref());
                    if let Some(x) = f.code_expiration_minutes {
                        m.insert("CodeExpirationMinutes".into(), json!(x));
                    }
                }
                Component::Buttons(b) => {
                    let list: Vec<Value> = b.buttons.iter().map(button).collect();
                    m.insert("Buttons".into(), Value::Array(list));
                }
                Component::Carousel(c) => {
                    let cards: Vec<Value> = c.cards.iter().map(card).collect();
                    m.insert("Cards".into(), Value::Array(cards));
                }
                Component::LimitedTimeOffer(o) => {
                    m.insert("Text".into(), json!(o.limited_time_offer.text));
                    if let Some(e) = o.limited_time_offer.has_expiration {
                        m.insert("HasExpiration".into(), json!(e));
                    }
                }
            }
            Value::Object(m)
        })
        .collect();
    Value::Array(out)
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<&str>) {
    if let Some(v) = v {
        m.insert(k.into(), json!(v));
    }
}

fn header(m: &mut Map<String, Value>, h: &Header) {
    m.insert("Format".into(), json!(h.format.as_str()));
    put(m, "Text", h.text.as_deref());
    put(
        m,
        "Url",
        h.example
            .as_ref()
            .and_then(|e| e.custom_header_handle_url.as_deref()),
    );
    put(m, "Caption", h.caption.as_deref());
    put(m, "FileName", h.filename.as_deref());
    put(m, "ThumbUrl", h.thumb_url.as_deref());
    put(m, "FileType", h.file_type.as_deref());
    if let Some(d) = h.duration {
        m.insert("Duration".into(), json!(d));
    }
}

fn button(b: &Button) -> Value {
    let mut m = Map::new();
    m.insert("SupportedApps".into(), json!([]));
    let kind = match b {
        Button::QuickReply(q) => {
            if let Some(o) = q.is_opt_out {
                m.insert("IsOptOut".into(), json!(o));
            }
            "QUICK_REPLY"
        }
        Button::Url(u) => {
            m.insert("Url".into(), json!(u.url));
            if u.is_dynamic() {
                m.insert("UrlType".into(), json!("dynamic"));
            }
            "URL"
        }
        Button::PhoneNumber(p) => {
            m.insert("PhoneNumber".into(), json!(p.phone_number));
            "PHONE_NUMBER"
        }
        Button::CopyCode(c) => {
            m.insert("CouponCode".into(), json!(c.example));
            "COPY_CODE"
        }
        Button::Otp(o) => {
            put(&mut m, "AutofillText", o.autofill_text.as_deref());
            let apps: Vec<Value> = o
                .apps()
                .iter()
                .map(|a| json!({"PackageName": a.package_name, "SignatureHash": a.signature_hash}))
                .collect();
            m.insert("SupportedApps".into(), Value::Array(apps));
            match o.otp_type {
                OtpType::CopyCode => "COPY_CODE",
                OtpType::OneTap => "ONE_TAP",
                OtpType::ZeroTap => "ZERO_TAP",
            }
        }
        Button::Flow(f) => {
            put(&mut m, "FlowId", f.flow_id.as_deref());
            put(&mut m, "NavigateScreen", f.navigate_screen.as_deref());
            if let Some(a) = f.flow_action {
                m.insert(
                    "FlowAction".into(),
                    json!(match a {
                        FlowAction::Navigate => "NAVIGATE",
                        FlowAction::DataExchange => "DATA_EXCHANGE",
                    }),
                );
            }
            "FLOW"
        }
        Button::Catalog(_) => "CATALOG",
        Button::Mpm(_) => "MPM",
    };
    put(&mut m, "Text", b.text());
    m.insert("Type".into(), json!(kind));
    Value::Object(m)
}

fn card(c: &Card) -> Value {
    let comps: Vec<Value> = c
        .components
        .iter()
        .map(|comp| {
            let mut m = Map::new();
            m.insert("Buttons".into(), json!([]));
            m.insert("Type".into(), json!(comp.kind().as_str()));
            match comp {
                Component::Header(h) => {
                    m.insert("Format".into(), json!(h.format.as_str()));
                    put(
                        &mut m,
                        "Url",
                        h.example
                            .as_ref()
                            .and_then(|e| e.custom_header_handle_url.as_deref()),
                    );
                }
                Component::Body(b) => put(&mut m, "Text", b.text.as_deref()),
                Component::Buttons(b) => {
                    let list: Vec<Value> = b
                        .buttons
                        .iter()
                        .map(|btn| {
                            let mut bm = Map::new();
                            bm.insert("Type".into(), json!(btn.kind().as_str()));
                            put(&mut bm, "Text", btn.text());
                            match btn {
                                Button::Url(u) => {
                                    bm.insert("Url".into(), json!(u.url));
                                    if u.is_dynamic() {
                                        bm.insert("UrlType".into(), json!("dynamic"));
                                    }
                                }
                                Button::PhoneNumber(p) => {
                                    bm.insert("PhoneNumber".into(), json!(p.phone_number));
                                }
                                _ => {}
                            }
                            Value::Object(bm)
                        })
                        .collect();
                    m.insert("Buttons".into(), Value::Array(list));
                }
                _ => {}
            }
            Value::Object(m)
        })
        .collect();
    json!({"CardComponents": comps})
}

/// `Example`: a sample value per variable: the body's, else the header's or a URL's for `1`.
pub fn example(t: &Template) -> Option<Value> {
    let mut m = Map::new();
    if let Some(row) = body_of(t)
        .and_then(|b| b.example.as_ref())
        .and_then(|e| e.body_text.as_ref())
        .and_then(|r| r.first())
    {
        for (i, v) in row.iter().enumerate() {
            m.insert((i + 1).to_string(), json!(v));
        }
    }
    if !m.contains_key("1") {
        let header = header_of(t)
            .and_then(|h| h.example.as_ref())
            .and_then(|e| e.header_text.as_ref())
            .and_then(|x| x.first());
        let url = buttons_of(t).iter().find_map(|b| match b {
            Button::Url(u) if u.is_dynamic() => {
                u.example.as_ref().and_then(|e| e.first()).map(|ex| {
                    // The part of the sample URL that stands for the variable.
                    ex.strip_prefix(u.url.trim_end_matches("{{1}}"))
                        .unwrap_or(ex)
                })
            }
            _ => None,
        });
        if let Some(v) = header.or(url) {
            m.insert("1".into(), json!(v));
        }
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// `TemplateParams` and `Payload` of a message.
pub fn message_params(m: &TemplateMessage) -> Result<(Option<Value>, Option<Value>)> {
    let mut unsupported = Vec::new();
    let mut params = Map::new();
    match &m.body {
        Params::Positional(v) => {
            for (i, x) in v.iter().enumerate() {
                params.insert((i + 1).to_string(), json!(x));
            }
        }
        Params::Named(_) => unsupported.push(Problem::new(
            &"body".into(),
            rules::UNSUPPORTED_FIELD.id,
            "cams takes numbered variables only",
        )),
    }
    // A header or URL value is variable 1 of the template's one set of variables.
    let mut shared = |path: Path, what: &str, value: &str, problems: &mut Vec<Problem>| {
        match params.get("1").and_then(Value::as_str) {
        None => {
            params.insert("1".into(), json!(value));
        }
        Some(v) if v == value => {}
        Some(v) => problems.push(Problem::new(
            &path,
            rules::UNSUPPORTED_FIELD.id,
            format!("cams gives a template one set of variables: the {what}'s {{{{1}}}} is the body's {{{{1}}}} ({v:?}), not {value:?}"),
        )),
    }
    };
    match &m.header {
        None => {}
        Some(HeaderParam::Text { text }) => shared(
            Path::from("header").key("text"),
            "header",
            text,
            &mut unsupported,
        ),
        Some(_) => unsupported.push(Problem::new(
            &"header".into(),
            rules::UNSUPPORTED_FIELD.id,
            "cams templates carry their header media; a message cannot replace it",
        )),
    }
    let mut buttons: Vec<(usize, &ButtonParam)> = m.buttons.iter().enumerate().collect();
    buttons.sort_by_key(|(_, b)| b.index);
    let mut payloads: Vec<&str> = Vec::new();
    for (i, b) in buttons {
        let at = Path::from("buttons").index(i);
        match &b.value {
            ButtonValue::Url { text } => shared(at.key("text"), "URL", text, &mut unsupported),
            ButtonValue::QuickReply { payload } => payloads.push(payload),
            other => unsupported.push(Problem::new(
                &at,
                rules::UNSUPPORTED_FIELD.id,
                format!(
                    "cams takes no {} button parameter in a template message",
                    other.type_name()
                ),
            )),
        }
    }
    if !m.cards.is_empty() {
        unsupported.push(Problem::new(
            &"cards".into(),
            rules::UNSUPPORTED_FIELD.id,
            "cams takes no carousel card parameters",
        ));
    }
    if !unsupported.is_empty() {
        return Err(Error::validation(unsupported).with_provider("alibaba"));
    }
    let params = (!params.is_empty()).then_some(Value::Object(params));
    let payload = (!payloads.is_empty()).then(|| json!(payloads));
    Ok((params, payload))
}
