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

use serde::Serialize;

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

/// A Viber template's kind, cams' Viber `Category` (seed 003): `viber_category` when given,
/// else the one its components make: the header's media (none, image, video, document), body
/// text or none, a button or none. None when no kind fits (a text header, a document with text).
pub fn viber_category(t: &Template) -> Option<ViberCategory> {
    use ViberCategory::*;
    if let Some(v) = t.viber_category {
        return Some(v);
    }
    let media = header_of(t).map(|h| h.format);
    let text = body_of(t)
        .and_then(|b| b.text.as_deref())
        .is_some_and(|s| !s.trim().is_empty());
    let button = !buttons_of(t).is_empty();
    Some(match (media, text, button) {
        (None, true, false) => Text,
        (None, true, true) => TextButton,
        (Some(HeaderFormat::Image), false, false) => Image,
        (Some(HeaderFormat::Image), true, false) => TextImage,
        (Some(HeaderFormat::Image), true, true) => TextImageButton,
        (Some(HeaderFormat::Video), false, false) => Video,
        (Some(HeaderFormat::Video), true, false) => TextVideo,
        (Some(HeaderFormat::Video), true, true) => TextVideoButton,
        (Some(HeaderFormat::Document), false, false) => Document,
        _ => return None,
    })
}

/// `Components`: the template's components in cams' model, as the compact JSON string sent.
pub fn components(t: &Template) -> String {
    // Sized for a typical template at once, rather than grown from serde_json's 128 bytes.
    let mut out = Vec::with_capacity(1024);
    serde_json::to_writer(&mut out, &Comps(&t.components)).expect("plain structs always serialize");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Components serialized one by one as they are mapped, without a list of them first.
struct Comps<'a>(&'a [Component]);

impl Serialize for Comps<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(component))
    }
}

/// Values by variable, sent as a JSON object whose keys are in string order (`"1"`, `"10"`,
/// `"2"`, `"couponCode"`), as the SDK's map sends them: numbered template variables, and named
/// coupon-code variables (`$(couponCode)`, seed 003). A handful of entries: a list, not a map.
#[derive(Default)]
struct Numbered<'a>(Vec<(Key<'a>, &'a str)>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key<'a> {
    Number(usize),
    Name(&'a str),
}

impl Key<'_> {
    fn cmp_as_text(&self, other: &Self) -> std::cmp::Ordering {
        let (mut a, mut b) = (itoa::Buffer::new(), itoa::Buffer::new());
        let x: &str = match self {
            Key::Number(n) => a.format(*n),
            Key::Name(s) => s,
        };
        let y: &str = match other {
            Key::Number(n) => b.format(*n),
            Key::Name(s) => s,
        };
        x.cmp(y)
    }
}

impl Serialize for Key<'_> {
    /// serde_json writes numbers as strings, as object keys must be.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Key::Number(n) => n.serialize(s),
            Key::Name(x) => x.serialize(s),
        }
    }
}

impl<'a> Numbered<'a> {
    fn get(&self, n: usize) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(k, _)| *k == Key::Number(n))
            .map(|(_, v)| *v)
    }

    /// `n` must not be there yet.
    fn insert(&mut self, n: usize, value: &'a str) {
        self.0.push((Key::Number(n), value));
    }

    fn insert_named(&mut self, name: &'a str, value: &'a str) {
        self.0.push((Key::Name(name), value));
    }

    /// The JSON object, or nothing when there are no values.
    fn json(mut self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        self.0.sort_by(|a, b| a.0.cmp_as_text(&b.0));
        Some(serde_json::to_string(&self).expect("numbers and strings serialize"))
    }
}

impl Serialize for Numbered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

// The shapes below serialize straight to the bytes the SDK sends: fields are declared in
// alphabetical order (the SDK's key order), and the lists it always sends are always set. This
// runs on every create and modify, so it builds no intermediate `Value` tree.

/// A component, top-level or inside a card (cards have no `Cards`).
#[derive(Default, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Comp<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    add_secret_recommendation: Option<bool>,
    buttons: Vec<Btn<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cards: Option<Vec<CardOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_expiration_minutes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    has_expiration: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumb_url: Option<&'a str>,
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// A button, top-level or on a card (card buttons have no `SupportedApps`).
#[derive(Default, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Btn<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    autofill_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coupon_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_action: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_opt_out: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    navigate_screen: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    package_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature_hash: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supported_apps: Option<Vec<App<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url_type: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct App<'a> {
    package_name: &'a str,
    signature_hash: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CardOut<'a> {
    card_components: Vec<Comp<'a>>,
}

fn sample_url(h: &Header) -> Option<&str> {
    h.example
        .as_ref()
        .and_then(|e| e.custom_header_handle_url.as_deref())
}

fn component(c: &Component) -> Comp<'_> {
    let mut m = Comp {
        kind: c.kind().as_str(),
        cards: Some(Vec::new()),
        ..Comp::default()
    };
    match c {
        Component::Header(h) => {
            m.format = Some(h.format.as_str());
            m.text = h.text.as_deref();
            m.url = sample_url(h);
            m.caption = h.caption.as_deref();
            m.file_name = h.filename.as_deref();
            m.thumb_url = h.thumb_url.as_deref();
            m.file_type = h.file_type.as_deref();
            m.duration = h.duration;
        }
        Component::Body(b) => {
            m.text = b.text.as_deref();
            m.add_secret_recommendation = b.add_security_recommendation;
        }
        Component::Footer(f) => {
            m.text = f.text.as_deref();
            m.code_expiration_minutes = f.code_expiration_minutes;
        }
        Component::Buttons(b) => m.buttons = b.buttons.iter().map(button).collect(),
        Component::Carousel(c) => m.cards = Some(c.cards.iter().map(card).collect()),
        Component::LimitedTimeOffer(o) => {
            m.text = Some(&o.limited_time_offer.text);
            m.has_expiration = o.limited_time_offer.has_expiration;
        }
    }
    m
}

fn button(b: &Button) -> Btn<'_> {
    let mut m = Btn {
        supported_apps: Some(Vec::new()),
        text: b.text(),
        ..Btn::default()
    };
    m.kind = match b {
        Button::QuickReply(q) => {
            m.is_opt_out = q.is_opt_out;
            "QUICK_REPLY"
        }
        Button::Url(u) => {
            m.url = Some(&u.url);
            m.url_type = u.is_dynamic().then_some("dynamic");
            "URL"
        }
        Button::PhoneNumber(p) => {
            m.phone_number = Some(&p.phone_number);
            "PHONE_NUMBER"
        }
        Button::CopyCode(c) => {
            m.coupon_code = Some(&c.example);
            "COPY_CODE"
        }
        Button::Otp(o) => {
            m.autofill_text = o.autofill_text.as_deref();
            let apps: Vec<App> = match (&o.supported_apps, &o.package_name, &o.signature_hash) {
                (Some(apps), _, _) => apps
                    .iter()
                    .map(|a| App {
                        package_name: &a.package_name,
                        signature_hash: &a.signature_hash,
                    })
                    .collect(),
                (None, Some(p), Some(h)) => vec![App {
                    package_name: p,
                    signature_hash: h,
                }],
                _ => Vec::new(),
            };
            // Seed 003 requires ONE_TAP's button-level PackageName and SignatureHash; the 5.3.1
            // SDK calls them deprecated for SupportedApps. One app: both forms; several: only
            // SupportedApps, which alone can name them.
            if let [one] = apps.as_slice() {
                m.package_name = Some(one.package_name);
                m.signature_hash = Some(one.signature_hash);
            }
            m.supported_apps = Some(apps);
            match o.otp_type {
                OtpType::CopyCode => "COPY_CODE",
                OtpType::OneTap => "ONE_TAP",
                OtpType::ZeroTap => "ZERO_TAP",
            }
        }
        Button::Flow(f) => {
            m.flow_id = f.flow_id.as_deref();
            m.navigate_screen = f.navigate_screen.as_deref();
            m.flow_action = f.flow_action.map(|a| match a {
                FlowAction::Navigate => "NAVIGATE",
                FlowAction::DataExchange => "DATA_EXCHANGE",
            });
            "FLOW"
        }
        Button::Catalog(_) => "CATALOG",
        Button::Mpm(_) => "MPM",
    };
    m
}

fn card(c: &Card) -> CardOut<'_> {
    let card_components = c
        .components
        .iter()
        .map(|comp| {
            let mut m = Comp {
                kind: comp.kind().as_str(),
                ..Comp::default()
            };
            match comp {
                Component::Header(h) => {
                    m.format = Some(h.format.as_str());
                    m.url = sample_url(h);
                }
                Component::Body(b) => m.text = b.text.as_deref(),
                Component::Buttons(b) => {
                    m.buttons = b
                        .buttons
                        .iter()
                        .map(|btn| {
                            let mut bm = Btn {
                                kind: btn.kind().as_str(),
                                text: btn.text(),
                                ..Btn::default()
                            };
                            match btn {
                                Button::Url(u) => {
                                    bm.url = Some(&u.url);
                                    bm.url_type = u.is_dynamic().then_some("dynamic");
                                }
                                Button::PhoneNumber(p) => bm.phone_number = Some(&p.phone_number),
                                _ => {}
                            }
                            bm
                        })
                        .collect();
                }
                _ => {}
            }
            m
        })
        .collect();
    CardOut { card_components }
}

/// `Example`: a sample value per variable: the body's, else the header's or a URL's for `1`.
/// Keys in string order (`"1"`, `"10"`, `"2"`), as the SDK's map sends them.
pub fn example(t: &Template) -> Option<String> {
    let mut m = Numbered::default();
    if let Some(row) = body_of(t)
        .and_then(|b| b.example.as_ref())
        .and_then(|e| e.body_text.as_ref())
        .and_then(|r| r.first())
    {
        for (i, v) in row.iter().enumerate() {
            m.insert(i + 1, v);
        }
    }
    if m.get(1).is_none() {
        let header = header_of(t)
            .and_then(|h| h.example.as_ref())
            .and_then(|e| e.header_text.as_ref())
            .and_then(|x| x.first());
        let url = buttons_of(t).iter().find_map(|b| match b {
            Button::Url(u) => url_variable_example(u),
            _ => None,
        });
        if let Some(v) = header.or(url) {
            m.insert(1, v);
        }
    }
    m.json()
}

/// The part of a dynamic URL's sample that stands for its `{{1}}`.
pub fn url_variable_example(u: &UrlButton) -> Option<&str> {
    if !u.is_dynamic() {
        return None;
    }
    let ex = u.example.as_ref()?.first()?;
    Some(
        ex.strip_prefix(u.url.trim_end_matches("{{1}}"))
            .unwrap_or(ex),
    )
}

/// `TemplateParams` and `Payload` of a message, `template` being the message's template where
/// it is known (a coupon code variable is filled by its name, which only the template gives).
/// Both as the compact JSON strings sent; `TemplateParams` keys in string order, as the SDK's
/// map sends them.
pub fn message_params<'m>(
    m: &'m TemplateMessage,
    template: Option<&'m Template>,
) -> Result<(Option<String>, Option<String>)> {
    // Text body values only: cams' TemplateParams map variables to strings.
    let mut unsupported = raw::typed_values_unsupported(m, "cams' pages");
    let mut params = Numbered::default();
    match &m.body {
        Params::Positional(v) => {
            for (i, x) in v.iter().enumerate() {
                params.insert(i + 1, x.text());
            }
        }
        Params::Named(_) => unsupported.push(Problem::new(
            &"body".into(),
            rules::UNSUPPORTED_FIELD.id,
            "cams takes numbered variables only",
        )),
    }
    // A header or URL value is variable 1 of the template's one set of variables.
    let mut shared = |path: FieldPath, what: &str, value: &'m str, problems: &mut Vec<Problem>| {
        match params.get(1) {
        None => {
            params.insert(1, value);
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
            FieldPath::from("header").key("text"),
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
    let mut coupons: Vec<(&str, &str)> = Vec::new();
    for (i, b) in buttons {
        let at = FieldPath::from("buttons").index(i);
        match &b.value {
            ButtonValue::Url { text } => shared(at.key("text"), "URL", text, &mut unsupported),
            ButtonValue::QuickReply { payload } => payloads.push(payload),
            ButtonValue::CopyCode { coupon_code } => match coupon_name(template, b.index) {
                Ok(name) => coupons.push((name, coupon_code.as_str())),
                Err(why) => unsupported.push(Problem::new(&at, rules::UNSUPPORTED_FIELD.id, why)),
            },
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
    for (name, code) in coupons {
        params.insert_named(name, code);
    }
    let params = params.json();
    // Lists of strings always serialize.
    let payload = (!payloads.is_empty())
        .then(|| serde_json::to_string(&payloads).expect("a list of strings serializes"));
    Ok((params, payload))
}

/// The variable a message's coupon code fills: the name in `$(name)` of the template's
/// COPY_CODE button at `index` (seed 003: "可以传入变量如$(couponCode),在发送时再传入优惠码").
fn coupon_name(template: Option<&Template>, index: u32) -> std::result::Result<&str, String> {
    let Some(t) = template else {
        return Err("cams fills a coupon code by the variable its template names ($(couponCode)); this client does not know the template: create, update or get it first".into());
    };
    match buttons_of(t).get(index as usize) {
        Some(Button::CopyCode(c)) => placeholder::coupon_variable(&c.example).ok_or_else(|| {
            format!(
                "the template's coupon code is fixed ({:?}); cams fills only a variable such as $(couponCode)",
                c.example
            )
        }),
        _ => Err(format!("the template has no COPY_CODE button at index {index}")),
    }
}
