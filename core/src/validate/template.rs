//! Template-level checks: name, language, TTL, component set, category rules, and each
//! HEADER / BODY / FOOTER.

use super::rules;
use super::Checker;
use crate::model::*;
use crate::path::At;

impl Checker<'_> {
    pub(super) fn template(&mut self) {
        let t = self.t;
        self.name(&t.name);
        if t.category.is_none() && !self.update && t.channel == Channel::Whatsapp {
            self.push(
                &"category".into(),
                &rules::CATEGORY_REQUIRED,
                "a new WhatsApp template needs a category: MARKETING, UTILITY or AUTHENTICATION",
            );
        }
        if !rules::LANGUAGES.contains(&t.language.as_str()) {
            let hint = rules::LANGUAGES
                .iter()
                .find(|l| {
                    l.eq_ignore_ascii_case(&t.language)
                        || l.replace('_', "-").eq_ignore_ascii_case(&t.language)
                })
                .map(|l| format!("; did you mean {l:?}?"))
                .unwrap_or_default();
            self.push(
                &"language".into(),
                &rules::LANGUAGE_SUPPORTED,
                format!("{:?} is not a WhatsApp template language{hint}", t.language),
            );
        }
        self.ttl();
        self.overlay_fields();
        self.component_set();
        let comps = At::from("components");
        for (i, c) in t.components.iter().enumerate() {
            let at = comps.index(i);
            self.component(&at, c);
        }
        if self.category == Some(Category::Authentication) {
            self.authentication()
        } else {
            self.not_authentication()
        }
        if t.channel == Channel::Viber {
            self.viber();
        } else if t.viber_category.is_some() {
            self.push(
                &"viber_category".into(),
                &rules::VIBER_ONLY_FIELDS,
                "viber_category is only for Viber templates",
            );
        }
    }

    fn name(&mut self, name: &str) {
        let at = At::from("name");
        if name.is_empty() {
            self.push(&at, &rules::NAME_REQUIRED, "the template needs a name");
            return;
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            self.push(
                &at,
                &rules::NAME_CHARSET,
                format!("{name:?} may use only a–z, 0–9 and _"),
            );
        }
        self.length(&rules::NAME_LENGTH, &at, name);
    }

    fn ttl(&mut self) {
        // Without a category (an update keeping the template's), the provider judges the TTL.
        let (Some(ttl), Some(category)) = (self.t.message_send_ttl_seconds, self.category) else {
            return;
        };
        let rule = match category {
            Category::Authentication => &rules::TTL_AUTHENTICATION,
            Category::Utility => &rules::TTL_UTILITY,
            Category::Marketing => &rules::TTL_MARKETING,
        };
        let limit = self.limit(rule);
        if !limit.allows(ttl) {
            self.push(
                &"message_send_ttl_seconds".into(),
                rule,
                format!(
                    "{ttl} s is outside {} s for {} templates",
                    limit.describe(),
                    category.as_str()
                ),
            );
        }
    }

    /// What the provider cannot express at the template level.
    fn overlay_fields(&mut self) {
        let t = self.t;
        if !self.caps.channels.contains(&t.channel) {
            self.push(
                &"channel".into(),
                &rules::UNSUPPORTED_CHANNEL,
                format!(
                    "{} templates are not supported by this provider",
                    t.channel.as_str()
                ),
            );
        }
        if let Some(c) = t.category.filter(|c| !self.caps.categories.contains(c)) {
            self.push(
                &"category".into(),
                &rules::UNSUPPORTED_CATEGORY,
                format!(
                    "{} templates are not supported by this provider",
                    c.as_str()
                ),
            );
        }
        if t.parameter_format == Some(ParameterFormat::Named) && !self.caps.named_parameters {
            self.push(
                &"parameter_format".into(),
                &rules::UNSUPPORTED_FIELD,
                "named parameters are not supported by this provider",
            );
        }
        if t.message_send_ttl_seconds.is_some() && !self.caps.message_send_ttl {
            self.push(
                &"message_send_ttl_seconds".into(),
                &rules::UNSUPPORTED_FIELD,
                "message_send_ttl_seconds is not supported by this provider",
            );
        }
    }

    fn component_set(&mut self) {
        let comps = &self.t.components;
        let bodies = comps
            .iter()
            .filter(|c| c.kind() == ComponentKind::Body)
            .count();
        // A Viber image, video or document may stand alone (seed 003's Viber kinds `image`,
        // `video`, `document`).
        let media_alone = self.viber_media_header() && bodies == 0;
        if bodies != 1 && !media_alone {
            self.push(
                &"components".into(),
                &rules::COMPONENTS_BODY,
                format!("a template needs exactly one BODY (found {bodies})"),
            );
        }
        for (i, c) in comps.iter().enumerate() {
            let k = c.kind();
            if k != ComponentKind::Body && comps[..i].iter().any(|d| d.kind() == k) {
                self.push(
                    &At::from("components").index(i),
                    &rules::COMPONENTS_DUPLICATE,
                    format!("a second {} component", k.as_str()),
                );
            }
            if !self.caps.components.contains(&k) {
                self.push(
                    &At::from("components").index(i).key("type"),
                    &rules::UNSUPPORTED_COMPONENT,
                    format!(
                        "{} components are not supported by this provider",
                        k.as_str()
                    ),
                );
            }
        }
    }

    fn component(&mut self, at: &At, c: &Component) {
        match c {
            Component::Header(h) => self.header(at, h),
            Component::Body(b) => self.body(at, b, &rules::BODY_TEXT_LENGTH),
            Component::Footer(f) => self.footer(at, f),
            Component::Buttons(b) => self.button_set(at, &b.buttons),
            Component::Carousel(c) => self.carousel(at, c),
            Component::LimitedTimeOffer(o) => {
                self.length(
                    &rules::OFFER_TEXT_LENGTH,
                    &at.key("limited_time_offer").key("text"),
                    &o.limited_time_offer.text,
                );
                if self.known_not(Category::Marketing) {
                    self.push(
                        at,
                        &rules::OFFER_CATEGORY,
                        "LIMITED_TIME_OFFER is only allowed in MARKETING templates",
                    );
                }
                if self.t.component(ComponentKind::Footer).is_some() {
                    self.push(
                        at,
                        &rules::OFFER_CATEGORY,
                        "a LIMITED_TIME_OFFER template cannot have a FOOTER",
                    );
                }
            }
        }
    }

    pub(super) fn header(&mut self, at: &At, h: &Header) {
        self.media_details(at, h);
        if !self.caps.header_formats.contains(&h.format) {
            self.push(
                &at.key("format"),
                &rules::UNSUPPORTED_HEADER_FORMAT,
                format!(
                    "{} headers are not supported by this provider",
                    h.format.as_str()
                ),
            );
        }
        let ex = h.example.as_ref();
        if h.format != HeaderFormat::Text {
            if h.text.is_some() {
                self.push(
                    &at.key("text"),
                    &rules::HEADER_TEXT_FORBIDDEN,
                    format!("a {} header has no text", h.format.as_str()),
                );
            }
            if h.format.is_media() {
                self.media_sample(at, ex, &rules::HEADER_MEDIA_EXAMPLE);
            }
            return;
        }
        let text_path = at.key("text");
        let Some(text) = h.text.as_deref().filter(|s| !s.trim().is_empty()) else {
            self.push(
                &text_path,
                &rules::HEADER_TEXT_REQUIRED,
                "a TEXT header needs text",
            );
            return;
        };
        self.length(&rules::HEADER_TEXT_LENGTH, &text_path, text);
        let scan = self.variables(&text_path, text);
        let limit = self.limit(&rules::HEADER_VARIABLES);
        if !limit.allows(scan.found.len() as i64) {
            self.push(
                &text_path,
                &rules::HEADER_VARIABLES,
                format!(
                    "has {} variables; a header may have {}",
                    scan.found.len(),
                    limit.describe()
                ),
            );
        }
        let ex_path = at.key("example");
        if self.t.parameter_format == Some(ParameterFormat::Named) {
            let given = ex.and_then(|e| e.header_text_named_params.as_deref());
            self.named_examples(
                &ex_path.key("header_text_named_params"),
                &scan.named(),
                given,
                &rules::HEADER_EXAMPLE,
            );
            return;
        }
        let values = ex.and_then(|e| e.header_text.as_ref()).map(|v| v.values());
        match (values, scan.found.is_empty()) {
            (None, false) => self.push(
                &ex_path.key("header_text"),
                &rules::HEADER_EXAMPLE,
                "the header has a variable; give its example as header_text: [\"…\"]",
            ),
            (Some(v), false) if v.len() != 1 || v[0].trim().is_empty() => self.push(
                &ex_path.key("header_text"),
                &rules::HEADER_EXAMPLE,
                format!("give exactly one non-empty example value, not {}", v.len()),
            ),
            (Some(_), true) => self.push(
                &ex_path.key("header_text"),
                &rules::EXAMPLE_UNUSED,
                "the header has no variable; remove the example",
            ),
            _ => {}
        }
    }

    /// Caption, filename and Viber's media fields: where they belong, and whether the provider
    /// takes them.
    pub(super) fn media_details(&mut self, at: &At, h: &Header) {
        if h.caption.is_some() && !h.format.is_media() {
            self.push(
                &at.key("caption"),
                &rules::HEADER_MEDIA_DETAILS,
                "caption is only for IMAGE, VIDEO or DOCUMENT headers",
            );
        }
        if h.filename.is_some() && h.format != HeaderFormat::Document {
            self.push(
                &at.key("filename"),
                &rules::HEADER_MEDIA_DETAILS,
                "filename is only for DOCUMENT headers",
            );
        }
        if self.t.channel != Channel::Viber {
            for (field, set) in [
                ("thumb_url", h.thumb_url.is_some()),
                ("duration", h.duration.is_some()),
                ("file_type", h.file_type.is_some()),
            ] {
                if set {
                    self.push(
                        &at.key(field),
                        &rules::VIBER_ONLY_FIELDS,
                        format!("{field} is only for Viber templates"),
                    );
                }
            }
        }
        if let Some(d) = h.duration {
            let limit = self.limit(&rules::VIBER_DURATION);
            if !limit.allows(d) {
                self.push(
                    &at.key("duration"),
                    &rules::VIBER_DURATION,
                    format!("{d} s is outside {} s", limit.describe()),
                );
            }
        }
        if h.has_media_details() && !self.caps.header_media_details {
            self.push(
                at,
                &rules::UNSUPPORTED_FIELD,
                "this provider takes no caption, filename or Viber media details on headers",
            );
        }
    }

    /// A media header's sample: an upload handle or a public URL, as the provider can take it.
    pub(super) fn media_sample(
        &mut self,
        at: &At,
        ex: Option<&HeaderExample>,
        rule: &'static rules::Rule,
    ) {
        let handle = ex
            .and_then(|e| e.header_handle.as_ref())
            .and_then(|h| h.first())
            .filter(|s| !s.trim().is_empty());
        let url = ex
            .and_then(|e| e.custom_header_handle_url.as_deref())
            .filter(|s| !s.trim().is_empty());
        let ex_path = at.key("example");
        if handle.is_none() && url.is_none() {
            self.push(&ex_path, rule, "a media header needs a sample: example.header_handle (from an upload) or example.custom_header_handle_url");
            return;
        }
        // Each sample given is one the provider takes: with both given, the one it cannot
        // take would otherwise be dropped (or sent where its pages do not define it).
        let unusable = [
            (handle.is_some() && !self.caps.header_handle)
                .then_some(("header_handle", "upload handles")),
            (url.is_some() && !self.caps.header_url)
                .then_some(("custom_header_handle_url", "sample URLs")),
        ];
        for (field, what) in unusable.into_iter().flatten() {
            self.push(
                &ex_path.key(field),
                &rules::UNSUPPORTED_FIELD,
                format!("this provider takes no media {what} for header samples"),
            );
        }
    }

    pub(super) fn body(&mut self, at: &At, b: &Body, length_rule: &'static rules::Rule) {
        let text_path = at.key("text");
        let auth = self.category == Some(Category::Authentication);
        let Some(text) = b.text.as_deref() else {
            if !auth && !self.viber_media_header() {
                self.push(
                    &text_path,
                    &rules::BODY_TEXT_REQUIRED,
                    "the BODY needs text",
                );
            }
            return;
        };
        if auth {
            return; // reported once, by the AUTHENTICATION checks
        }
        if text.trim().is_empty() {
            self.push(
                &text_path,
                &rules::BODY_TEXT_REQUIRED,
                "the BODY needs text",
            );
            return;
        }
        self.length(length_rule, &text_path, text);
        let scan = self.variables(&text_path, text);
        if scan.at_start || scan.at_end {
            let which = if scan.at_start { "starts" } else { "ends" };
            self.push(
                &text_path,
                &rules::BODY_VARIABLE_AT_EDGE,
                format!("{which} with a variable; WhatsApp rejects that, add words around it"),
            );
        }
        self.body_example(at, &scan, b.example.as_ref());
    }

    fn footer(&mut self, at: &At, f: &Footer) {
        let text_path = at.key("text");
        let auth = self.category == Some(Category::Authentication);
        if let Some(m) = f.code_expiration_minutes {
            let limit = self.limit(&rules::AUTH_CODE_EXPIRATION);
            if auth && !limit.allows(m) {
                self.push(
                    &at.key("code_expiration_minutes"),
                    &rules::AUTH_CODE_EXPIRATION,
                    format!("{m} is outside {} minutes", limit.describe()),
                );
            }
        }
        if auth {
            return;
        }
        match f.text.as_deref() {
            Some(text) if !text.trim().is_empty() => {
                self.length(&rules::FOOTER_TEXT_LENGTH, &text_path, text);
                let s = crate::placeholder::scan(text);
                if !s.is_empty() {
                    self.push(
                        &text_path,
                        &rules::FOOTER_VARIABLES,
                        "a footer cannot have variables",
                    );
                }
            }
            _ => self.push(
                &text_path,
                &rules::FOOTER_TEXT_REQUIRED,
                "the FOOTER needs text",
            ),
        }
    }

    fn authentication(&mut self) {
        let mut otp_buttons = 0;
        // Where a missing OTP button is reported: the BUTTONS component, if there is one.
        let mut buttons_index = None;
        let comps = At::from("components");
        for (i, c) in self.t.components.iter().enumerate() {
            let at = comps.index(i);
            match c {
                Component::Header(_) => self.push(&at, &rules::AUTH_HEADER, "AUTHENTICATION templates cannot have a HEADER"),
                Component::Body(b) if b.text.is_some() => {
                    self.push(&at.key("text"), &rules::AUTH_TEXT, "leave out the text: WhatsApp writes the code message of AUTHENTICATION templates")
                }
                Component::Footer(f) if f.text.is_some() => {
                    self.push(&at.key("text"), &rules::AUTH_TEXT, "leave out the text: use code_expiration_minutes; WhatsApp writes the footer")
                }
                Component::Buttons(b) => {
                    buttons_index = Some(i);
                    let buttons_at = at.key("buttons");
                    for (j, btn) in b.buttons.iter().enumerate() {
                        if matches!(btn, Button::Otp(_)) {
                            otp_buttons += 1;
                        } else {
                            self.push(&buttons_at.index(j).key("type"), &rules::AUTH_BUTTONS, "AUTHENTICATION templates take only an OTP button");
                        }
                    }
                }
                Component::Carousel(_) | Component::LimitedTimeOffer(_) => {
                    self.push(&at, &rules::AUTH_COMPONENTS, format!("AUTHENTICATION templates cannot have {}", c.kind().as_str()))
                }
                _ => {}
            }
        }
        if otp_buttons != 1 {
            let at = buttons_index.map(|i| comps.index(i));
            let buttons = at.as_ref().map(|a| a.key("buttons"));
            self.push(
                buttons.as_ref().unwrap_or(&comps),
                &rules::AUTH_BUTTONS,
                format!(
                    "AUTHENTICATION templates need exactly one OTP button (found {otp_buttons})"
                ),
            );
        }
    }

    fn not_authentication(&mut self) {
        let comps = At::from("components");
        for (i, c) in self.t.components.iter().enumerate() {
            let at = comps.index(i);
            match c {
                Component::Body(b) if b.add_security_recommendation.is_some() => self.push(
                    &at.key("add_security_recommendation"),
                    &rules::AUTH_ONLY_FIELDS,
                    "add_security_recommendation is only for AUTHENTICATION templates",
                ),
                Component::Footer(f) if f.code_expiration_minutes.is_some() => self.push(
                    &at.key("code_expiration_minutes"),
                    &rules::AUTH_ONLY_FIELDS,
                    "code_expiration_minutes is only for AUTHENTICATION templates",
                ),
                Component::Buttons(b) => {
                    for (j, btn) in b.buttons.iter().enumerate() {
                        if matches!(btn, Button::Otp(_)) {
                            self.push(
                                &at.key("buttons").index(j).key("type"),
                                &rules::BUTTON_OTP_CATEGORY,
                                "OTP buttons are only for AUTHENTICATION templates",
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A Viber template whose header is an image, a video or a document: its body text is
    /// optional (cams' Viber kinds `image`, `video`, `document`, seed 003).
    fn viber_media_header(&self) -> bool {
        self.t.channel == Channel::Viber
            && self
                .t
                .components
                .iter()
                .any(|c| matches!(c, Component::Header(h) if h.format.is_media()))
    }

    fn viber(&mut self) {
        if self.t.category == Some(Category::Authentication) {
            self.push(
                &"category".into(),
                &rules::VIBER_CATEGORY,
                "Viber templates cannot be AUTHENTICATION templates",
            );
        }
        let comps = At::from("components");
        for (i, c) in self.t.components.iter().enumerate() {
            let at = comps.index(i);
            match c {
                Component::Footer(_) | Component::Carousel(_) | Component::LimitedTimeOffer(_) => {
                    self.push(
                        &at,
                        &rules::VIBER_COMPONENTS,
                        format!("Viber templates cannot have {}", c.kind().as_str()),
                    )
                }
                Component::Buttons(b)
                    if b.buttons.len() > 1
                        || b.buttons.iter().any(|x| !matches!(x, Button::Url(_))) =>
                {
                    self.push(
                        &at.key("buttons"),
                        &rules::VIBER_BUTTONS,
                        "a Viber template has one button, a URL button",
                    );
                }
                _ => {}
            }
        }
    }
}
