//! Template buttons, one typed variant per WhatsApp button type.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Button {
    QuickReply(QuickReply),
    Url(UrlButton),
    PhoneNumber(PhoneNumberButton),
    CopyCode(CopyCodeButton),
    Otp(OtpButton),
    Flow(FlowButton),
    Catalog(TextButton),
    Mpm(TextButton),
}

/// The kind of a button; OTP buttons are told apart by their `otp_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ButtonKind {
    QuickReply,
    Url,
    PhoneNumber,
    CopyCode,
    OtpCopyCode,
    OtpOneTap,
    OtpZeroTap,
    Flow,
    Catalog,
    Mpm,
}

impl ButtonKind {
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

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QuickReply {
    pub text: String,
    /// Marketing opt-out button (Alibaba `IsOptOut`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_opt_out: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UrlButton {
    pub text: String,
    /// A static URL, or a dynamic one ending in `{{1}}`.
    pub url: String,
    /// One full sample URL, required for a dynamic URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Vec<String>>,
}

impl UrlButton {
    pub fn is_dynamic(&self) -> bool {
        !crate::placeholder::scan(&self.url).found.is_empty()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PhoneNumberButton {
    pub text: String,
    pub phone_number: String,
}

/// Coupon code button (MARKETING); the label is fixed by WhatsApp.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CopyCodeButton {
    /// A sample coupon code.
    pub example: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OtpType {
    CopyCode,
    OneTap,
    ZeroTap,
}

spelled!(OtpType { CopyCode = "COPY_CODE", OneTap = "ONE_TAP", ZeroTap = "ZERO_TAP" });

/// One-time-password button of an AUTHENTICATION template.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OtpButton {
    pub otp_type: OtpType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autofill_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero_tap_terms_accepted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_apps: Option<Vec<SupportedApp>>,
}

impl OtpButton {
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupportedApp {
    pub package_name: String,
    pub signature_hash: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowAction {
    Navigate,
    DataExchange,
}

spelled!(FlowAction { Navigate = "navigate", DataExchange = "data_exchange" });

/// Opens a WhatsApp Flow. Exactly one of `flow_id`, `flow_name`, `flow_json` names the flow.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FlowButton {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_json: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_action: Option<FlowAction>,
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
    pub text: String,
}
