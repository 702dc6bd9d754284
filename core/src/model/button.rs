//! Template buttons, one typed variant per WhatsApp button type.

use serde::Serialize;

/// A template button, one typed variant per WhatsApp button type (`type` in documents).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Button {
    /// A reply the user taps; its payload comes back in an inbound message.
    QuickReply(QuickReply),
    /// Opens a URL, static or ending in a `{{1}}` the message fills.
    Url(UrlButton),
    /// Calls a phone number.
    PhoneNumber(PhoneNumberButton),
    /// Copies a coupon code (MARKETING).
    CopyCode(CopyCodeButton),
    /// A one-time password (AUTHENTICATION): copy code, one tap or zero tap.
    Otp(OtpButton),
    /// Opens a WhatsApp Flow.
    Flow(FlowButton),
    /// Opens the business's catalog.
    Catalog(TextButton),
    /// Opens a multi-product message.
    Mpm(TextButton),
}

/// The kind of a button; OTP buttons are told apart by their `otp_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ButtonKind {
    /// `QUICK_REPLY`.
    QuickReply,
    /// `URL`.
    Url,
    /// `PHONE_NUMBER`.
    PhoneNumber,
    /// `COPY_CODE`.
    CopyCode,
    /// `OTP` with `otp_type: COPY_CODE`.
    OtpCopyCode,
    /// `OTP` with `otp_type: ONE_TAP`.
    OtpOneTap,
    /// `OTP` with `otp_type: ZERO_TAP`.
    OtpZeroTap,
    /// `FLOW`.
    Flow,
    /// `CATALOG`.
    Catalog,
    /// `MPM`.
    Mpm,
}

impl ButtonKind {
    /// The kind as written in documents and messages (`QUICK_REPLY`, `OTP (ONE_TAP)` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ButtonKind::QuickReply => "QUICK_REPLY",
            ButtonKind::Url => "URL",
            ButtonKind::PhoneNumber => "PHONE_NUMBER",
            ButtonKind::CopyCode => "COPY_CODE",
            ButtonKind::OtpCopyCode => "OTP (COPY_CODE)",
            ButtonKind::OtpOneTap => "OTP (ONE_TAP)",
            ButtonKind::OtpZeroTap => "OTP (ZERO_TAP)",
            ButtonKind::Flow => "FLOW",
            ButtonKind::Catalog => "CATALOG",
            ButtonKind::Mpm => "MPM",
        }
    }

    /// Call-to-action buttons, which WhatsApp keeps grouped apart from quick replies.
    pub fn is_call_to_action(self) -> bool {
        !matches!(self, ButtonKind::QuickReply)
    }
}

impl Button {
    /// Accepted `type` values, for the parser.
    pub const TYPES: [&'static str; 8] = [
        "QUICK_REPLY",
        "URL",
        "PHONE_NUMBER",
        "COPY_CODE",
        "OTP",
        "FLOW",
        "CATALOG",
        "MPM",
    ];

    /// The button's kind (OTP buttons by their `otp_type`).
    pub fn kind(&self) -> ButtonKind {
        match self {
            Button::QuickReply(_) => ButtonKind::QuickReply,
            Button::Url(_) => ButtonKind::Url,
            Button::PhoneNumber(_) => ButtonKind::PhoneNumber,
            Button::CopyCode(_) => ButtonKind::CopyCode,
            Button::Otp(o) => match o.otp_type {
                OtpType::CopyCode => ButtonKind::OtpCopyCode,
                OtpType::OneTap => ButtonKind::OtpOneTap,
                OtpType::ZeroTap => ButtonKind::OtpZeroTap,
            },
            Button::Flow(_) => ButtonKind::Flow,
            Button::Catalog(_) => ButtonKind::Catalog,
            Button::Mpm(_) => ButtonKind::Mpm,
        }
    }

    /// The label shown on the button, where the button has one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Button::QuickReply(b) => Some(&b.text),
            Button::Url(b) => Some(&b.text),
            Button::PhoneNumber(b) => Some(&b.text),
            Button::CopyCode(b) => b.text.as_deref(),
            Button::Otp(b) => b.text.as_deref(),
            Button::Flow(b) => Some(&b.text),
            Button::Catalog(b) | Button::Mpm(b) => Some(&b.text),
        }
    }
}

/// A quick-reply button.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QuickReply {
    /// The label (at most 25 characters).
    pub text: String,
    /// Marketing opt-out button (Alibaba `IsOptOut`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_opt_out: Option<bool>,
}

/// A URL button.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UrlButton {
    /// The label (at most 25 characters).
    pub text: String,
    /// A static URL, or a dynamic one ending in `{{1}}`.
    pub url: String,
    /// One full sample URL, required for a dynamic URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Vec<String>>,
}

impl UrlButton {
    /// Whether the URL has a variable the message fills.
    pub fn is_dynamic(&self) -> bool {
        !crate::placeholder::scan(&self.url).found.is_empty()
    }
}

/// A button that calls a phone number.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PhoneNumberButton {
    /// The label (at most 25 characters).
    pub text: String,
    /// The number to call, country code first.
    pub phone_number: String,
}

/// Coupon code button (MARKETING); the label is fixed by WhatsApp.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CopyCodeButton {
    /// A sample coupon code.
    pub example: String,
    /// The label, where the provider takes one (WhatsApp's is fixed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// What an OTP button does with the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OtpType {
    /// The user copies the code.
    CopyCode,
    /// The user taps, and the app named by `supported_apps` fills the code in.
    OneTap,
    /// The app fills the code in without a tap (the business accepts WhatsApp's zero-tap terms).
    ZeroTap,
}

spelled!(OtpType { CopyCode = "COPY_CODE", OneTap = "ONE_TAP", ZeroTap = "ZERO_TAP" });

/// One-time-password button of an AUTHENTICATION template.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OtpButton {
    /// What the button does with the code.
    pub otp_type: OtpType,
    /// The label (copy code) or fallback label (one tap, zero tap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The label shown when the app can fill the code in (one tap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autofill_text: Option<String>,
    /// The Android app's package name (the older single-app form of `supported_apps`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_name: Option<String>,
    /// The Android app's signing-key hash (with `package_name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_hash: Option<String>,
    /// Zero tap: the business accepts WhatsApp's zero-tap terms (must be true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero_tap_terms_accepted: Option<bool>,
    /// The Android apps that can fill the code in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_apps: Option<Vec<SupportedApp>>,
}

impl OtpButton {
    /// A button of this OTP type with nothing else set.
    pub fn new(otp_type: OtpType) -> Self {
        OtpButton {
            otp_type,
            text: None,
            autofill_text: None,
            package_name: None,
            signature_hash: None,
            zero_tap_terms_accepted: None,
            supported_apps: None,
        }
    }

    /// The Android apps the button can fill the code into: `supported_apps`, or the older
    /// single `package_name` + `signature_hash` pair.
    pub fn apps(&self) -> Vec<SupportedApp> {
        match (
            &self.supported_apps,
            &self.package_name,
            &self.signature_hash,
        ) {
            (Some(apps), _, _) => apps.clone(),
            (None, Some(p), Some(h)) => vec![SupportedApp {
                package_name: p.clone(),
                signature_hash: h.clone(),
            }],
            _ => Vec::new(),
        }
    }
}

/// An Android app an OTP button can fill the code into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupportedApp {
    /// The app's package name (`com.example.app`).
    pub package_name: String,
    /// The app's signing-key hash (11 characters).
    pub signature_hash: String,
}

/// What a Flow button opens with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowAction {
    /// Open the flow at `navigate_screen` (the default).
    Navigate,
    /// Ask the business's endpoint for the first screen.
    DataExchange,
}

spelled!(FlowAction { Navigate = "navigate", DataExchange = "data_exchange" });

/// Opens a WhatsApp Flow. Exactly one of `flow_id`, `flow_name`, `flow_json` names the flow.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FlowButton {
    /// The label (at most 25 characters).
    pub text: String,
    /// The flow, by its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_id: Option<String>,
    /// The flow, by its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_name: Option<String>,
    /// The flow itself, as JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_json: Option<String>,
    /// `navigate` (the default) or `data_exchange`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_action: Option<FlowAction>,
    /// The first screen, required with `navigate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub navigate_screen: Option<String>,
}

impl FlowButton {
    /// The fields set that name the flow otherwise than by `flow_id` (providers that take an
    /// id only report these).
    pub fn named_without_id(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            ("flow_name", self.flow_name.is_some()),
            ("flow_json", self.flow_json.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, set)| set.then_some(field))
    }
}

/// CATALOG and MPM (multi-product message) buttons carry only a label.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TextButton {
    /// The label (at most 25 characters).
    pub text: String,
}
