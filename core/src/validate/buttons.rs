//! Button checks: counts and grouping of a BUTTONS component, and each button on its own.

use super::rules;
use super::Checker;
use crate::model::*;
use crate::path::At;
use crate::placeholder::{coupon_variable, scan, Placeholder};

impl Checker<'_> {
    /// Counts and grouping of the template's BUTTONS component at `at`.
    pub(super) fn button_set(&mut self, at: &At, buttons: &[Button]) {
        let path = at.key("buttons");
        if buttons.is_empty() {
            self.push(
                &path,
                &rules::BUTTONS_EMPTY,
                "a BUTTONS component needs at least one button",
            );
            return;
        }
        let count = |k: &[ButtonKind]| buttons.iter().filter(|b| k.contains(&b.kind())).count();
        let checks: [(&'static rules::Rule, usize, &str); 5] = [
            (&rules::BUTTONS_COUNT, buttons.len(), "buttons"),
            (
                &rules::BUTTONS_URL_COUNT,
                count(&[ButtonKind::Url]),
                "URL buttons",
            ),
            (
                &rules::BUTTONS_PHONE_COUNT,
                count(&[ButtonKind::PhoneNumber]),
                "PHONE_NUMBER buttons",
            ),
            (
                &rules::BUTTONS_COPY_CODE_COUNT,
                count(&[ButtonKind::CopyCode]),
                "COPY_CODE buttons",
            ),
            (
                &rules::BUTTONS_FLOW_COUNT,
                count(&[ButtonKind::Flow]),
                "FLOW buttons",
            ),
        ];
        for (rule, n, what) in checks {
            let limit = self.limit(rule);
            if !limit.allows(n as i64) {
                self.push(
                    &path,
                    rule,
                    format!("has {n} {what}; {} allowed", limit.describe()),
                );
            }
        }
        // Quick replies and call-to-action buttons form two groups; a third run means interleaving.
        let mut runs = 0;
        for (i, b) in buttons.iter().enumerate() {
            if i == 0 || b.kind().is_call_to_action() != buttons[i - 1].kind().is_call_to_action() {
                runs += 1;
                if runs == 3 {
                    self.push(
                        &path.index(i),
                        &rules::BUTTONS_GROUPING,
                        "quick replies and call-to-action buttons are interleaved; keep each kind together",
                    );
                    break;
                }
            }
        }
        for (i, b) in buttons.iter().enumerate() {
            self.button(&path.index(i), b);
        }
    }

    /// One button, wherever it stands (template or carousel card).
    pub(super) fn button(&mut self, at: &At, b: &Button) {
        let kind = b.kind();
        if !self.caps.buttons.contains(&kind) {
            self.push(
                &at.key("type"),
                &rules::UNSUPPORTED_BUTTON,
                format!(
                    "{} buttons are not supported by this provider",
                    kind.as_str()
                ),
            );
        }
        // Seeds 000 and 002 require every button's text; seed 003 names OTP COPY_CODE and
        // ONE_TAP too. A coupon COPY_CODE button's label is WhatsApp's own (seed 002's example
        // has none), and ZERO_TAP fills the code without a button to press.
        let label_required = match b {
            Button::CopyCode(_) => false,
            Button::Otp(o) => o.otp_type != OtpType::ZeroTap,
            _ => true,
        };
        match b.text() {
            Some(t) if !t.trim().is_empty() => {
                self.length(&rules::BUTTON_TEXT_LENGTH, &at.key("text"), t);
                if !scan(t).is_empty() {
                    self.push(
                        &at.key("text"),
                        &rules::BUTTON_TEXT_VARIABLES,
                        "a button label cannot have variables",
                    );
                }
            }
            _ if label_required => self.push(
                &at.key("text"),
                &rules::BUTTON_TEXT_REQUIRED,
                "the button needs a label",
            ),
            _ => {}
        }
        match b {
            Button::Url(u) => self.url_button(at, u),
            Button::PhoneNumber(ph) => {
                let digits = ph
                    .phone_number
                    .strip_prefix('+')
                    .unwrap_or(&ph.phone_number);
                let limit = self.limit(&rules::BUTTON_PHONE_FORMAT);
                if !digits.bytes().all(|c| c.is_ascii_digit()) || !limit.allows(digits.len() as i64)
                {
                    self.push(
                        &at.key("phone_number"),
                        &rules::BUTTON_PHONE_FORMAT,
                        format!(
                            "{:?} is not a phone number: write + and {} digits, country code first",
                            ph.phone_number,
                            limit.describe()
                        ),
                    );
                }
            }
            Button::CopyCode(c) => {
                let limit = self.limit(&rules::BUTTON_COPY_CODE_EXAMPLE);
                let n = c.example.chars().count() as i64;
                let variable = self.caps.coupon_variables && coupon_variable(&c.example).is_some();
                if self.caps.coupon_variables && !variable && c.example.starts_with("$(") {
                    self.push(
                        &at.key("example"),
                        &rules::BUTTON_COPY_CODE_VARIABLE,
                        format!(
                            "{:?} is not a coupon code variable: write $(name), the name letters, digits or _",
                            c.example
                        ),
                    );
                } else if !variable
                    && (!limit.allows(n) || !c.example.chars().all(|ch| ch.is_ascii_alphanumeric()))
                {
                    self.push(
                        &at.key("example"),
                        &rules::BUTTON_COPY_CODE_EXAMPLE,
                        format!(
                            "sample coupon code must be {} letters or digits",
                            limit.describe()
                        ),
                    );
                }
                if self.known_not(Category::Marketing) {
                    self.push(
                        &at.key("type"),
                        &rules::BUTTON_COPY_CODE_CATEGORY,
                        "COPY_CODE buttons are only allowed in MARKETING templates",
                    );
                }
            }
            Button::Otp(o) => self.otp_button(at, o),
            Button::Flow(f) => {
                let named = [&f.flow_id, &f.flow_name, &f.flow_json]
                    .iter()
                    .filter(|x| x.is_some())
                    .count();
                if named != 1 {
                    self.push(
                        at,
                        &rules::BUTTON_FLOW_TARGET,
                        format!(
                            "give exactly one of flow_id, flow_name, flow_json (found {named})"
                        ),
                    );
                }
                // navigate is the default action (seed 002: "默认:navigate").
                if f.flow_action.unwrap_or(FlowAction::Navigate) == FlowAction::Navigate
                    && f.navigate_screen
                        .as_deref()
                        .is_none_or(|s| s.trim().is_empty())
                {
                    self.push(
                        &at.key("navigate_screen"),
                        &rules::BUTTON_FLOW_SCREEN,
                        "flow_action navigate needs the flow's first screen",
                    );
                }
            }
            Button::QuickReply(q) => {
                if q.is_opt_out.is_some() && self.known_not(Category::Marketing) {
                    self.push(
                        &at.key("is_opt_out"),
                        &rules::BUTTON_OPT_OUT,
                        "is_opt_out is only for quick replies of MARKETING templates",
                    );
                }
            }
            Button::Catalog(_) | Button::Mpm(_) => {}
        }
    }

    fn url_button(&mut self, at: &At, u: &UrlButton) {
        let url_path = at.key("url");
        let lower = u.url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            self.push(
                &url_path,
                &rules::BUTTON_URL_SCHEME,
                "must start with https:// or http://",
            );
        }
        self.length(&rules::BUTTON_URL_LENGTH, &url_path, &u.url);
        let s = scan(&u.url);
        for bad in &s.malformed {
            self.push(
                &url_path,
                &rules::PLACEHOLDER_SYNTAX,
                format!("{bad:?} is not a variable; a dynamic URL ends in {{{{1}}}}"),
            );
        }
        let trailing_one = s.found == [Placeholder::Positional(1)] && u.url.ends_with("{{1}}");
        if !s.found.is_empty() && !trailing_one {
            self.push(
                &url_path,
                &rules::BUTTON_URL_VARIABLE,
                "a URL may have one variable only, {{1}}, at its very end",
            );
        }
        let ex_path = at.key("example");
        match (&u.example, s.found.is_empty()) {
            (None, false) => self.push(
                &ex_path,
                &rules::BUTTON_URL_EXAMPLE,
                "a dynamic URL needs one example: [\"https://…/sample\"]",
            ),
            (Some(ex), false) if ex.len() != 1 || ex[0].trim().is_empty() => self.push(
                &ex_path,
                &rules::BUTTON_URL_EXAMPLE,
                format!("give exactly one non-empty example, not {}", ex.len()),
            ),
            (Some(_), true) => self.push(
                &ex_path,
                &rules::BUTTON_URL_EXAMPLE,
                "a static URL takes no example; remove it",
            ),
            _ => {}
        }
    }

    fn otp_button(&mut self, at: &At, o: &OtpButton) {
        if o.otp_type == OtpType::CopyCode {
            return;
        }
        let apps = o.apps();
        let limit = self.limit(&rules::BUTTON_OTP_APPS);
        if !limit.allows(apps.len() as i64) {
            self.push(
                &at.key("supported_apps"),
                &rules::BUTTON_OTP_APPS,
                format!(
                    "name {} Android app(s) by package_name and signature_hash (found {})",
                    limit.describe(),
                    apps.len()
                ),
            );
        }
        let apps_at = at.key("supported_apps");
        for (i, app) in apps.iter().enumerate() {
            let app_at = apps_at.index(i);
            let path = if o.supported_apps.is_some() {
                app_at.key("package_name")
            } else {
                at.key("package_name")
            };
            if !is_package_name(&app.package_name)
                || !self
                    .limit(&rules::BUTTON_OTP_PACKAGE)
                    .allows(app.package_name.len() as i64)
            {
                self.push(
                    &path,
                    &rules::BUTTON_OTP_PACKAGE,
                    format!(
                        "{:?} is not an Android package name (like com.example.app)",
                        app.package_name
                    ),
                );
            }
        }
        if o.otp_type == OtpType::OneTap
            && o.autofill_text
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            self.push(
                &at.key("autofill_text"),
                &rules::BUTTON_OTP_AUTOFILL,
                "a ONE_TAP button needs autofill_text",
            );
        }
        if o.otp_type == OtpType::ZeroTap
            && self.caps.zero_tap_terms
            && o.zero_tap_terms_accepted != Some(true)
        {
            self.push(
                &at.key("zero_tap_terms_accepted"),
                &rules::BUTTON_OTP_ZERO_TAP_TERMS,
                "accept WhatsApp's zero-tap terms with zero_tap_terms_accepted: true",
            );
        }
    }
}

/// Android package names: two or more dot-separated segments, each a letter then letters,
/// digits or underscores.
fn is_package_name(s: &str) -> bool {
    let segs: Vec<&str> = s.split('.').collect();
    segs.len() >= 2
        && segs.iter().all(|seg| {
            let mut c = seg.chars();
            matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic())
                && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        })
}
