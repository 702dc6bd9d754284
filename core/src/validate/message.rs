//! A message on its own (recipient, parameter text) and against its template (counts and
//! types of header, body, button and card parameters).

use super::rules::{self, Rule};
use crate::model::*;
use crate::path::At;
use crate::placeholder::scan;
use crate::problem::Problems;

/// Country code + digits, from a number written for people (`+86 136-0000 (9759)`, `0086…`).
pub fn normalize_phone(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s
        .strip_prefix('+')
        .or_else(|| s.strip_prefix("00"))
        .unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '(' | ')' | '.' => {}
            _ => return None,
        }
    }
    rules::MESSAGE_TO
        .limit
        .allows(out.len() as i64)
        .then_some(out)
}

/// The message's recipient as the vendors take it (country code and digits), or the
/// `message.to` validation error: the one phone-number check every provider's mapping uses.
pub fn recipient(m: &TemplateMessage) -> crate::error::Result<String> {
    normalize_phone(&m.to).ok_or_else(|| {
        crate::error::Error::validation(vec![crate::problem::Problem::new(
            &"to".into(),
            rules::MESSAGE_TO.id,
            not_a_phone(&m.to),
        )])
    })
}

/// The number itself is masked (it is personal data, and errors end up in logs).
fn not_a_phone(to: &str) -> String {
    format!(
        "{:?} is not a phone number: country code and 7–15 digits",
        crate::privacy::recipient(to)
    )
}

fn push(p: &mut Problems, path: &At, rule: &'static Rule, msg: impl Into<String>) {
    p.push(&path.owned(), rule.id, msg);
}

pub(super) fn check(m: &TemplateMessage, t: Option<&Template>, p: &mut Problems) {
    if normalize_phone(&m.to).is_none() {
        push(p, &"to".into(), &rules::MESSAGE_TO, not_a_phone(&m.to));
    }
    if m.template.trim().is_empty() {
        push(
            p,
            &"template".into(),
            &rules::MESSAGE_TEMPLATE,
            "name the template to send",
        );
    }
    if m.language.trim().is_empty() {
        push(
            p,
            &"language".into(),
            &rules::MESSAGE_TEMPLATE,
            "give the template's language",
        );
    }
    if let Some(r) = &m.client_ref {
        let n = r.chars().count() as i64;
        if !rules::MESSAGE_CLIENT_REF.limit.allows(n) || r.chars().any(char::is_control) {
            push(
                p,
                &"client_ref".into(),
                &rules::MESSAGE_CLIENT_REF,
                "must be 1–128 characters without control characters",
            );
        }
    }
    param_texts(&At::Root, m.header.as_ref(), &m.body, &m.buttons, p);
    for (i, c) in m.cards.iter().enumerate() {
        param_texts(
            &At::from("cards").index(i),
            c.header.as_ref(),
            &c.body,
            &c.buttons,
            p,
        );
    }
    let Some(t) = t else { return };
    if t.language != m.language {
        push(
            p,
            &"language".into(),
            &rules::MESSAGE_LANGUAGE,
            format!("the template is in {:?}, not {:?}", t.language, m.language),
        );
    }
    let header = t.components.iter().find_map(|c| match c {
        Component::Header(h) => Some(h),
        _ => None,
    });
    header_against(&At::from("header"), header, m.header.as_ref(), p);
    let body = t.components.iter().find_map(|c| match c {
        Component::Body(b) => Some(b),
        _ => None,
    });
    body_against(&At::from("body"), body, &m.body, t, p);
    let buttons: &[Button] = t
        .components
        .iter()
        .find_map(|c| match c {
            Component::Buttons(b) => Some(b.buttons.as_slice()),
            _ => None,
        })
        .unwrap_or_default();
    buttons_against(&At::from("buttons"), buttons, &m.buttons, p);
    let carousel = t.components.iter().find_map(|c| match c {
        Component::Carousel(c) => Some(c),
        _ => None,
    });
    cards_against(carousel, &m.cards, t, p);
}

/// Parameter text rules that hold wherever the parameter is.
fn param_texts(
    at: &At,
    header: Option<&HeaderParam>,
    body: &Params,
    buttons: &[ButtonParam],
    p: &mut Problems,
) {
    let hp = at.key("header");
    match header {
        Some(HeaderParam::Text { text }) => param_text(&hp.key("text"), text, p),
        Some(h) => {
            if let Some(Media::Link(link)) = h.media() {
                let l = link.to_ascii_lowercase();
                if !(l.starts_with("https://") || l.starts_with("http://")) {
                    push(
                        p,
                        &hp.key("link"),
                        &rules::MESSAGE_MEDIA_LINK,
                        "a media link must start with https:// or http://",
                    );
                }
            }
        }
        None => {}
    }
    let bp = at.key("body");
    for (i, (name, v)) in body.iter().enumerate() {
        let path = match name {
            Some(k) => bp.key(k),
            None => bp.index(i),
        };
        body_value(&path, v, p);
    }
    for (i, b) in buttons.iter().enumerate() {
        let buttons_at = at.key("buttons");
        let path = buttons_at.index(i);
        match &b.value {
            ButtonValue::Url { text } => param_text(&path.key("text"), text, p),
            ButtonValue::CopyCode { coupon_code } => {
                param_text(&path.key("coupon_code"), coupon_code, p)
            }
            ButtonValue::QuickReply { payload } => param_text(&path.key("payload"), payload, p),
            ButtonValue::Flow { .. } => {}
        }
    }
}

/// A body value's text (a typed value's fallback is what WhatsApp shows), and a currency's
/// code and amount.
fn body_value(path: &At, v: &BodyValue, p: &mut Problems) {
    match v {
        BodyValue::Text(t) => param_text(path, t, p),
        BodyValue::Currency(c) => {
            param_text(&path.key("fallback_value"), &c.fallback_value, p);
            if !(c.code.len() == 3 && c.code.bytes().all(|b| b.is_ascii_uppercase())) {
                push(
                    p,
                    &path.key("code"),
                    &rules::MESSAGE_PARAM_CURRENCY,
                    format!(
                        "{:?} is not an ISO 4217 currency code (three capital letters, like USD)",
                        c.code
                    ),
                );
            }
            if c.amount_1000 < 0 {
                push(
                    p,
                    &path.key("amount_1000"),
                    &rules::MESSAGE_PARAM_CURRENCY,
                    "the amount cannot be negative",
                );
            }
        }
        BodyValue::DateTime(d) => param_text(&path.key("fallback_value"), &d.fallback_value, p),
    }
}

fn param_text(path: &At, s: &str, p: &mut Problems) {
    if s.trim().is_empty() {
        push(
            p,
            path,
            &rules::MESSAGE_PARAM_TEXT,
            "a parameter value cannot be empty",
        );
    } else if s.contains(['\n', '\t']) || s.contains("     ") {
        push(
            p,
            path,
            &rules::MESSAGE_PARAM_TEXT,
            "a parameter value cannot contain new lines, tabs or more than 4 spaces in a row",
        );
    }
}

fn header_against(at: &At, h: Option<&Header>, given: Option<&HeaderParam>, p: &mut Problems) {
    let wanted: Option<&str> = match h {
        None => None,
        Some(h) => match h.format {
            HeaderFormat::Text if h.text.as_deref().is_some_and(|t| !scan(t).found.is_empty()) => {
                Some("text")
            }
            HeaderFormat::Text => None,
            HeaderFormat::Image => Some("image"),
            HeaderFormat::Video => Some("video"),
            HeaderFormat::Document => Some("document"),
            HeaderFormat::Location => Some("location"),
        },
    };
    match (wanted, given) {
        (None, Some(_)) => push(
            p,
            at,
            &rules::MESSAGE_HEADER,
            "the template's header takes no parameter; remove it",
        ),
        (Some(w), None) => push(
            p,
            at,
            &rules::MESSAGE_HEADER,
            format!("the template's header needs a {w} parameter"),
        ),
        (Some(w), Some(g)) if g.type_name() != w => push(
            p,
            &at.key("type"),
            &rules::MESSAGE_HEADER,
            format!(
                "the template's header needs a {w} parameter, not {}",
                g.type_name()
            ),
        ),
        _ => {}
    }
}

fn body_against(at: &At, b: Option<&Body>, given: &Params, t: &Template, p: &mut Problems) {
    let s = scan(b.and_then(|b| b.text.as_deref()).unwrap_or(""));
    if t.is_authentication() {
        // WhatsApp writes the body of authentication templates around one value: the code.
        if given.len() != 1 {
            push(
                p,
                at,
                &rules::MESSAGE_BODY,
                format!(
                    "an AUTHENTICATION template takes one body value, the code (found {})",
                    given.len()
                ),
            );
        }
        return;
    }
    if t.parameter_format == Some(ParameterFormat::Named) {
        let names = s.named();
        match given {
            Params::Named(n) => {
                for name in &names {
                    if !n.0.iter().any(|(k, _)| k == name) {
                        push(
                            p,
                            at,
                            &rules::MESSAGE_BODY,
                            format!("missing the value of {{{{{name}}}}}"),
                        );
                    }
                }
                for (k, _) in &n.0 {
                    if !names.contains(&k.as_str()) {
                        push(
                            p,
                            &at.key(k),
                            &rules::MESSAGE_BODY,
                            format!("the template has no variable {{{{{k}}}}}"),
                        );
                    }
                }
            }
            Params::Positional(v) if v.is_empty() && names.is_empty() => {}
            Params::Positional(_) => push(
                p,
                at,
                &rules::MESSAGE_BODY,
                "the template uses named variables; give the body as {\"name\": \"value\"}",
            ),
        }
        return;
    }
    let want = s.positional().len();
    match given {
        Params::Positional(v) if v.len() != want => push(
            p,
            at,
            &rules::MESSAGE_BODY,
            format!(
                "the template's body has {want} variable(s); the message gives {} value(s)",
                v.len()
            ),
        ),
        Params::Named(n) if !n.0.is_empty() || want > 0 => push(
            p,
            at,
            &rules::MESSAGE_BODY,
            format!(
                "the template's body has {want} numbered variable(s); give the values as a list"
            ),
        ),
        _ => {}
    }
}

/// Which parameter type a template button takes, and whether it must be given.
fn button_param_kind(b: &Button) -> Option<(&'static str, bool)> {
    match b {
        Button::Url(u) if u.is_dynamic() => Some(("url", true)),
        Button::Otp(_) => Some(("url", true)),
        Button::CopyCode(_) => Some(("copy_code", true)),
        Button::QuickReply(_) => Some(("quick_reply", false)),
        Button::Flow(_) => Some(("flow", false)),
        _ => None,
    }
}

fn buttons_against(at: &At, buttons: &[Button], given: &[ButtonParam], p: &mut Problems) {
    for (i, g) in given.iter().enumerate() {
        let gp = at.index(i);
        if given[..i].iter().any(|o| o.index == g.index) {
            push(
                p,
                &gp.key("index"),
                &rules::MESSAGE_BUTTONS,
                format!("button {} is given twice", g.index),
            );
            continue;
        }
        match buttons.get(g.index as usize) {
            None => push(
                p,
                &gp.key("index"),
                &rules::MESSAGE_BUTTONS,
                format!(
                    "the template has no button {} (it has {})",
                    g.index,
                    buttons.len()
                ),
            ),
            Some(b) => match button_param_kind(b) {
                None => push(
                    p,
                    &gp,
                    &rules::MESSAGE_BUTTONS,
                    format!(
                        "button {} ({}) takes no parameter",
                        g.index,
                        b.kind().as_str()
                    ),
                ),
                Some((want, _)) if want != g.value.type_name() => push(
                    p,
                    &gp.key("type"),
                    &rules::MESSAGE_BUTTONS,
                    format!(
                        "button {} ({}) takes a {want} parameter, not {}",
                        g.index,
                        b.kind().as_str(),
                        g.value.type_name()
                    ),
                ),
                _ => {}
            },
        }
    }
    for (j, b) in buttons.iter().enumerate() {
        if let Some((want, true)) = button_param_kind(b) {
            if !given.iter().any(|g| g.index as usize == j) {
                push(
                    p,
                    at,
                    &rules::MESSAGE_BUTTONS,
                    format!(
                        "button {j} ({}) needs a {want} parameter",
                        b.kind().as_str()
                    ),
                );
            }
        }
    }
}

fn cards_against(
    carousel: Option<&Carousel>,
    given: &[CardParams],
    t: &Template,
    p: &mut Problems,
) {
    let at = At::from("cards");
    let Some(c) = carousel else {
        if !given.is_empty() {
            push(
                p,
                &at,
                &rules::MESSAGE_CARDS,
                "the template has no carousel; remove the cards",
            );
        }
        return;
    };
    if given.len() != c.cards.len() {
        push(
            p,
            &at,
            &rules::MESSAGE_CARDS,
            format!(
                "the carousel has {} cards; the message gives {}",
                c.cards.len(),
                given.len()
            ),
        );
        return;
    }
    for (i, (card, g)) in c.cards.iter().zip(given).enumerate() {
        let cp = at.index(i);
        let find = |k: ComponentKind| card.component(k);
        let header = match find(ComponentKind::Header) {
            Some(Component::Header(h)) => Some(h),
            _ => None,
        };
        header_against(&cp.key("header"), header, g.header.as_ref(), p);
        let body = match find(ComponentKind::Body) {
            Some(Component::Body(b)) => Some(b),
            _ => None,
        };
        body_against(&cp.key("body"), body, &g.body, t, p);
        let buttons: &[Button] = match find(ComponentKind::Buttons) {
            Some(Component::Buttons(b)) => &b.buttons,
            _ => &[],
        };
        buttons_against(&cp.key("buttons"), buttons, &g.buttons, p);
    }
}
