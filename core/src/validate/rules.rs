//! The one table of validation rules: id, what it checks, limit, and where and when it was taken.
//!
//! Checks in `template.rs` / `message.rs` read their limits from here, and a provider may
//! override a limit through [`crate::Capabilities::limits`].

use serde::Serialize;

/// A numeric limit (length, count or range); `None` where the rule has no number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Limit {
    /// The least allowed, if bounded below.
    pub min: Option<i64>,
    /// The most allowed, if bounded above.
    pub max: Option<i64>,
}

impl Limit {
    /// No limit.
    pub const NONE: Limit = Limit {
        min: None,
        max: None,
    };

    /// At most `n`.
    pub const fn max(n: i64) -> Limit {
        Limit {
            min: None,
            max: Some(n),
        }
    }

    /// From `lo` to `hi`.
    pub const fn range(lo: i64, hi: i64) -> Limit {
        Limit {
            min: Some(lo),
            max: Some(hi),
        }
    }

    /// Whether `n` is within the limit.
    pub fn allows(&self, n: i64) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }

    /// The limit in words (`at most 60`).
    pub fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (None, Some(b)) => format!("at most {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, None) => String::new(),
        }
    }
}

/// One rule of the table: its id, what it checks, its limit, and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The rule's id (`button.url.scheme`), as problems name it.
    pub id: &'static str,
    /// What the rule checks, in a sentence.
    pub checks: &'static str,
    /// Its limit, if it has one.
    pub limit: Limit,
    /// The vendor page the rule comes from.
    pub source: Source,
    /// The page's date (its revision, or when it was read where it has none).
    pub date: &'static str,
}

/// A vendor page: its title, and its address (none for wabakit's own well-formedness rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The page's title.
    pub title: &'static str,
    /// The page's address.
    pub url: Option<&'static str>,
}

impl Source {
    const fn page(title: &'static str, url: &'static str) -> Source {
        Source {
            title,
            url: Some(url),
        }
    }
}

const WA_TEMPLATES: Source = Source::page(
    "Meta, WhatsApp Business Management API: Message templates",
    "https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates",
);
/// Seed 002.
const NX_ASYNC: Source = Source::page(
    "NXCloud, WhatsApp API createTemplateAsync (异步创建消息模板)",
    "https://github.com/nxtele/http-api-document/wiki/WhatsApp-API-createTemplateAsync",
);
/// Seed 000.
const NX_UPDATE: Source = Source::page(
    "NXCloud, WhatsApp API updateTemplate (编辑消息模板)",
    "https://github.com/nxtele/http-api-document/wiki/WhatsApp-API-updateTemplate",
);
/// Seed 003.
const ALI_MODIFY: Source = Source::page(
    "Alibaba Cloud, ModifyChatappTemplate - 修改ChatApp模板",
    "https://help.aliyun.com/zh/chatapp/developer-reference/api-cams-2020-06-06-modifychatapptemplate",
);
const ALI_CREATE: Source = Source::page(
    "Alibaba Cloud, CreateChatappTemplate - 创建ChatApp消息模板",
    "https://help.aliyun.com/zh/chatapp/developer-reference/api-cams-2020-06-06-createchatapptemplate",
);
const ALI_ERRORS: Source = Source::page(
    "Alibaba Cloud, ChatApp (cams 2020-06-06) error codes",
    "https://api.aliyun.com/document/cams/2020-06-06/errorCode",
);
/// Meta spec S1: the send's parameter objects (`currency`, `date_time`).
const WA_OPENAPI: Source = Source::page(
    "Meta, WhatsApp Business API OpenAPI (v23.0): Send Message Template, parameter objects",
    "https://github.com/facebook/openapi/blob/main/business-messaging-api_v23.0.yaml",
);
const WABAKIT: Source = Source {
    title: "wabakit (well-formed input)",
    url: None,
};
const D_WA: &str = "2025-10";
const D_NX: &str = "2025-05-19";
const D_NX_UPDATE: &str = "2025-03-25";
const D_ALI: &str = "2023-11-22";
const D_ALI_SPEC: &str = "2025-12";
const D_NOW: &str = "2026-11-22";

macro_rules! rules {
    ($( $konst:ident = $id:literal, $checks:literal, $limit:expr, $source:expr, $date:expr; )*) => {
        $( #[doc = $checks] pub const $konst: Rule = Rule { id: $id, checks: $checks, limit: $limit, source: $source, date: $date }; )*
        /// Every rule, in one table.
        pub const ALL: &[Rule] = &[ $( $konst ),* ];
    };
}

rules! {
    PARSE_SYNTAX = "parse.syntax", "The document is well-formed JSON, YAML or TOML.", Limit::NONE, WABAKIT, D_NOW;
    PARSE_TOO_LARGE = "parse.too_large", "A document is at most 1 MiB (read no further).", Limit::max(1 << 20), WABAKIT, D_NOW;
    PARSE_TOO_DEEP = "parse.too_deep", "Lists and maps nest at most 32 levels deep.", Limit::max(32), WABAKIT, D_NOW;
    PARSE_TOO_MANY = "parse.too_many", "A list has at most 100 entries (WhatsApp's longest allows 10).", Limit::max(100), WABAKIT, D_NOW;
    PARSE_UNKNOWN_FIELD = "parse.unknown_field", "Every field is one the model knows (names are case-sensitive).", Limit::NONE, WABAKIT, D_NOW;
    PARSE_MISSING_FIELD = "parse.missing_field", "Required fields are present.", Limit::NONE, WABAKIT, D_NOW;
    PARSE_WRONG_TYPE = "parse.wrong_type", "Each field has the right type (text, number, list …).", Limit::NONE, WABAKIT, D_NOW;
    PARSE_UNKNOWN_VALUE = "parse.unknown_value", "Enum values are known ones (case-insensitive).", Limit::NONE, WABAKIT, D_NOW;
    CATEGORY_REQUIRED = "category.required", "A new WhatsApp template has a category; an update may leave it out to keep the template's (seed 000: updateTemplate's category is optional).", Limit::NONE, NX_UPDATE, D_NX_UPDATE;
    UPDATE_CATEGORY = "update.category", "The category of an existing template changes only while the template is rejected (seed 000: 模板被拒时可修改类型).", Limit::NONE, NX_UPDATE, D_NX_UPDATE;
    NAME_REQUIRED = "name.required", "The template has a non-empty name.", Limit::NONE, WA_TEMPLATES, D_WA;
    NAME_CHARSET = "name.charset", "The name uses only lower-case letters, digits and underscores.", Limit::NONE, WA_TEMPLATES, D_WA;
    NAME_LENGTH = "name.length", "The name is at most 512 characters.", Limit::max(512), WA_TEMPLATES, D_WA;
    LANGUAGE_SUPPORTED = "language.supported", "The language is a WhatsApp template language code.", Limit::NONE, NX_ASYNC, D_NX;
    TTL_AUTHENTICATION = "ttl.authentication", "An AUTHENTICATION template's message_send_ttl_seconds is 30–900.", Limit::range(30, 900), NX_ASYNC, D_NX;
    TTL_UTILITY = "ttl.utility", "A UTILITY template's message_send_ttl_seconds is 30–43200.", Limit::range(30, 43_200), NX_ASYNC, D_NX;
    TTL_MARKETING = "ttl.marketing", "A MARKETING template's message_send_ttl_seconds is 43200–2592000.", Limit::range(43_200, 2_592_000), NX_ASYNC, D_NX;
    COMPONENTS_BODY = "components.body", "The template has exactly one BODY (a Viber image, video or document may stand alone, without one or with no text).", Limit::range(1, 1), WA_TEMPLATES, D_WA;
    COMPONENTS_DUPLICATE = "components.duplicate", "HEADER, FOOTER, BUTTONS, CAROUSEL and LIMITED_TIME_OFFER appear at most once.", Limit::max(1), WA_TEMPLATES, D_WA;
    HEADER_TEXT_REQUIRED = "header.text.required", "A TEXT header has text.", Limit::NONE, NX_ASYNC, D_NX;
    HEADER_TEXT_FORBIDDEN = "header.text.forbidden", "A media or location header has no text.", Limit::NONE, WA_TEMPLATES, D_WA;
    HEADER_TEXT_LENGTH = "header.text.length", "Header text is at most 60 characters.", Limit::max(60), ALI_MODIFY, D_ALI;
    HEADER_VARIABLES = "header.variables", "Header text has at most one variable.", Limit::max(1), ALI_ERRORS, D_ALI_SPEC;
    HEADER_EXAMPLE = "header.example", "A header variable has exactly one example value.", Limit::NONE, NX_ASYNC, D_NX;
    HEADER_MEDIA_EXAMPLE = "header.media.example", "An IMAGE, VIDEO or DOCUMENT header has a sample (header_handle or custom_header_handle_url).", Limit::NONE, NX_ASYNC, D_NX;
    BODY_TEXT_REQUIRED = "body.text.required", "The BODY has text (except in AUTHENTICATION templates).", Limit::NONE, NX_ASYNC, D_NX;
    BODY_TEXT_LENGTH = "body.text.length", "Body text is at most 1024 characters.", Limit::max(1024), ALI_MODIFY, D_ALI;
    BODY_VARIABLE_AT_EDGE = "body.variable_at_edge", "Body text neither starts nor ends with a variable.", Limit::NONE, WA_TEMPLATES, D_WA;
    BODY_EXAMPLE = "body.example", "Body variables have exactly one example value each.", Limit::NONE, NX_ASYNC, D_NX;
    PLACEHOLDER_SYNTAX = "placeholder.syntax", "Variables are written {{1}} (or {{name}} in NAMED templates).", Limit::NONE, WA_TEMPLATES, D_WA;
    PLACEHOLDER_SEQUENCE = "placeholder.sequence", "Positional variables are numbered 1, 2, 3 … without gaps.", Limit::NONE, WA_TEMPLATES, D_WA;
    PLACEHOLDER_FORMAT = "placeholder.format", "Variables match the template's parameter_format (numbers for POSITIONAL, names for NAMED).", Limit::NONE, WA_TEMPLATES, D_WA;
    FOOTER_TEXT_REQUIRED = "footer.text.required", "The FOOTER has text (except in AUTHENTICATION templates).", Limit::NONE, NX_ASYNC, D_NX;
    FOOTER_TEXT_LENGTH = "footer.text.length", "Footer text is at most 60 characters.", Limit::max(60), ALI_MODIFY, D_ALI;
    FOOTER_VARIABLES = "footer.variables", "Footer text has no variables.", Limit::max(0), ALI_ERRORS, D_ALI_SPEC;
    BUTTONS_EMPTY = "buttons.empty", "A BUTTONS component has at least one button.", Limit::NONE, WA_TEMPLATES, D_WA;
    BUTTONS_COUNT = "buttons.count", "A template has at most 10 buttons.", Limit::max(10), ALI_MODIFY, D_ALI;
    BUTTONS_URL_COUNT = "buttons.url.count", "A template has at most 2 URL buttons.", Limit::max(2), ALI_MODIFY, D_ALI;
    BUTTONS_PHONE_COUNT = "buttons.phone_number.count", "A template has at most 1 PHONE_NUMBER button.", Limit::max(1), ALI_MODIFY, D_ALI;
    BUTTONS_COPY_CODE_COUNT = "buttons.copy_code.count", "A template has at most 1 COPY_CODE button.", Limit::max(1), WA_TEMPLATES, D_WA;
    BUTTONS_FLOW_COUNT = "buttons.flow.count", "A template has at most 1 FLOW button.", Limit::max(1), WA_TEMPLATES, D_WA;
    BUTTONS_GROUPING = "buttons.grouping", "Quick replies are grouped apart from call-to-action buttons, not interleaved.", Limit::NONE, ALI_MODIFY, D_ALI;
    BUTTON_TEXT_REQUIRED = "button.text.required", "A button has a label, OTP COPY_CODE and ONE_TAP buttons included (a coupon COPY_CODE button's label is WhatsApp's).", Limit::NONE, NX_ASYNC, D_NX;
    BUTTON_TEXT_LENGTH = "button.text.length", "A button label is at most 25 characters.", Limit::max(25), WA_TEMPLATES, D_WA;
    BUTTON_TEXT_VARIABLES = "button.text.variables", "A button label has no variables.", Limit::max(0), ALI_ERRORS, D_ALI_SPEC;
    BUTTON_URL_SCHEME = "button.url.scheme", "A URL button's url starts with http:// or https://.", Limit::NONE, WA_TEMPLATES, D_WA;
    BUTTON_URL_LENGTH = "button.url.length", "A URL button's url is at most 2000 characters.", Limit::max(2000), WA_TEMPLATES, D_WA;
    BUTTON_URL_VARIABLE = "button.url.variable", "A URL has at most one variable, {{1}}, at its very end.", Limit::max(1), NX_ASYNC, D_NX;
    BUTTON_URL_EXAMPLE = "button.url.example", "A dynamic URL has exactly one example; a static URL has none.", Limit::NONE, NX_ASYNC, D_NX;
    BUTTON_PHONE_FORMAT = "button.phone_number.format", "A phone button's number is + and 7–20 digits.", Limit::range(7, 20), WA_TEMPLATES, D_WA;
    BUTTON_COPY_CODE_EXAMPLE = "button.copy_code.example", "A coupon code sample is 1–15 letters or digits; where the provider fills codes at send time (cams), a variable such as $(couponCode).", Limit::range(1, 15), WA_TEMPLATES, D_WA;
    BUTTON_COPY_CODE_VARIABLE = "button.copy_code.variable", "Where the provider fills coupon codes at send time (cams), a code written as a variable is $(name), the name letters, digits or _ (seed 003: 可以传入变量如$(couponCode)).", Limit::NONE, ALI_MODIFY, D_ALI;
    BUTTON_COPY_CODE_CATEGORY = "button.copy_code.category", "COPY_CODE buttons are for MARKETING templates.", Limit::NONE, WA_TEMPLATES, D_WA;
    BUTTON_FLOW_TARGET = "button.flow.target", "A FLOW button names its flow once: flow_id, flow_name or flow_json.", Limit::NONE, WA_TEMPLATES, D_WA;
    BUTTON_FLOW_SCREEN = "button.flow.navigate_screen", "A FLOW button whose flow_action is navigate (the default) names its first screen.", Limit::NONE, NX_ASYNC, D_NX;
    BUTTON_OPT_OUT = "button.quick_reply.is_opt_out", "is_opt_out marks a quick reply of a MARKETING template as its opt-out button; no other button or category takes it.", Limit::NONE, ALI_MODIFY, D_ALI;
    BUTTON_OTP_CATEGORY = "button.otp.category", "OTP buttons are only for AUTHENTICATION templates.", Limit::NONE, WA_TEMPLATES, D_WA;
    BUTTON_OTP_APPS = "button.otp.apps", "ONE_TAP and ZERO_TAP buttons name 1–5 Android apps (package_name + signature_hash).", Limit::range(1, 5), ALI_CREATE, D_ALI_SPEC;
    BUTTON_OTP_PACKAGE = "button.otp.package_name", "An Android package name is dot-separated segments of letters, digits and underscores.", Limit::max(224), WA_TEMPLATES, D_WA;
    BUTTON_OTP_AUTOFILL = "button.otp.autofill_text", "A ONE_TAP button has autofill_text.", Limit::NONE, NX_ASYNC, D_NX;
    BUTTON_OTP_ZERO_TAP_TERMS = "button.otp.zero_tap_terms", "A ZERO_TAP button has zero_tap_terms_accepted: true.", Limit::NONE, WA_TEMPLATES, D_WA;
    AUTH_HEADER = "auth.header", "An AUTHENTICATION template has no HEADER.", Limit::NONE, ALI_MODIFY, D_ALI;
    AUTH_TEXT = "auth.text", "AUTHENTICATION body and footer have no text: WhatsApp writes it.", Limit::NONE, ALI_MODIFY, D_ALI;
    AUTH_BUTTONS = "auth.buttons", "An AUTHENTICATION template has exactly one button, an OTP button.", Limit::range(1, 1), ALI_MODIFY, D_ALI;
    AUTH_ONLY_FIELDS = "auth.only_fields", "add_security_recommendation and code_expiration_minutes appear only in AUTHENTICATION templates.", Limit::NONE, NX_ASYNC, D_NX;
    AUTH_CODE_EXPIRATION = "auth.code_expiration_minutes", "code_expiration_minutes is 1–90.", Limit::range(1, 90), NX_ASYNC, D_NX;
    AUTH_COMPONENTS = "auth.components", "An AUTHENTICATION template has only BODY, FOOTER and BUTTONS.", Limit::NONE, WA_TEMPLATES, D_WA;
    CAROUSEL_CARDS = "carousel.cards", "A carousel has 2–10 cards.", Limit::range(2, 10), WA_TEMPLATES, D_WA;
    CAROUSEL_CATEGORY = "carousel.category", "Carousel templates are MARKETING.", Limit::NONE, WA_TEMPLATES, D_WA;
    CAROUSEL_LAYOUT = "carousel.layout", "A carousel template has only a BODY and the CAROUSEL.", Limit::NONE, WA_TEMPLATES, D_WA;
    CAROUSEL_CARD_COMPONENTS = "carousel.card.components", "A card has one HEADER, at most one BODY and one BUTTONS, nothing else.", Limit::NONE, NX_ASYNC, D_NX;
    CAROUSEL_CARD_HEADER = "carousel.card.header", "A card header is an IMAGE or VIDEO with a sample.", Limit::NONE, ALI_MODIFY, D_ALI;
    CAROUSEL_CARD_BUTTONS = "carousel.card.buttons", "A card has 1–2 buttons: QUICK_REPLY, URL or PHONE_NUMBER.", Limit::range(1, 2), ALI_MODIFY, D_ALI;
    CAROUSEL_CARD_BODY_LENGTH = "carousel.card.body.length", "A card's body text is at most 160 characters.", Limit::max(160), WA_TEMPLATES, D_WA;
    CAROUSEL_UNIFORM = "carousel.uniform", "All cards have the same header format, body presence and buttons.", Limit::NONE, WA_TEMPLATES, D_WA;
    OFFER_CATEGORY = "offer.category", "LIMITED_TIME_OFFER templates are MARKETING and have no FOOTER.", Limit::NONE, WA_TEMPLATES, D_WA;
    OFFER_TEXT_LENGTH = "offer.text.length", "The offer text is at most 16 characters.", Limit::max(16), WA_TEMPLATES, D_WA;
    VIBER_COMPONENTS = "viber.components", "Viber templates have no FOOTER, CAROUSEL or LIMITED_TIME_OFFER.", Limit::NONE, ALI_MODIFY, D_ALI;
    VIBER_BUTTONS = "viber.buttons", "A Viber template has at most one button, a URL button.", Limit::max(1), ALI_MODIFY, D_ALI;
    VIBER_ONLY_FIELDS = "viber.only_fields", "viber_category, thumb_url, duration and file_type appear only in Viber templates.", Limit::NONE, ALI_MODIFY, D_ALI;
    VIBER_CATEGORY_COMPONENTS = "viber.category.components", "A Viber template's components make one of cams' Viber categories (text, image, document, video, alone or with text and a button), or viber_category names it.", Limit::NONE, ALI_MODIFY, D_ALI;
    VIBER_DURATION = "viber.duration", "A Viber video's duration is 0–600 seconds.", Limit::range(0, 600), ALI_MODIFY, D_ALI;
    HEADER_MEDIA_DETAILS = "header.media_details", "caption is for IMAGE, VIDEO or DOCUMENT headers, filename for DOCUMENT headers.", Limit::NONE, ALI_MODIFY, D_ALI;
    VIBER_CATEGORY = "viber.category", "Viber templates are not AUTHENTICATION templates.", Limit::NONE, ALI_CREATE, D_ALI_SPEC;
    EXAMPLE_UNUSED = "example.unused", "Examples are given only for variables that exist.", Limit::NONE, WA_TEMPLATES, D_WA;
    UNSUPPORTED_CHANNEL = "unsupported.channel", "The provider supports the template's channel.", Limit::NONE, WABAKIT, D_NOW;
    UNSUPPORTED_CATEGORY = "unsupported.category", "The provider supports the template's category.", Limit::NONE, WABAKIT, D_NOW;
    UNSUPPORTED_COMPONENT = "unsupported.component", "The provider can express the component.", Limit::NONE, WABAKIT, D_NOW;
    UNSUPPORTED_HEADER_FORMAT = "unsupported.header_format", "The provider can express the header format.", Limit::NONE, WABAKIT, D_NOW;
    UNSUPPORTED_BUTTON = "unsupported.button", "The provider can express the button type.", Limit::NONE, WABAKIT, D_NOW;
    UNSUPPORTED_FIELD = "unsupported.field", "The provider can express the field.", Limit::NONE, WABAKIT, D_NOW;
    UNSUPPORTED_SHARED_VARIABLE = "unsupported.shared_variable", "Where a provider keeps one set of variables per template (cams), a header's or a URL's {{1}} is the body's {{1}}: one variable, so one example (as in the request captured from that provider's SDK, vector v3_create_template).", Limit::NONE, ALI_CREATE, D_ALI_SPEC;
    MESSAGE_TO = "message.to", "The recipient is a phone number: country code and 7–15 digits.", Limit::range(7, 15), WABAKIT, D_NOW;
    MESSAGE_TEMPLATE = "message.template", "The message names a template and a language.", Limit::NONE, WABAKIT, D_NOW;
    MESSAGE_LANGUAGE = "message.language", "The message's language is the template's.", Limit::NONE, WABAKIT, D_NOW;
    MESSAGE_HEADER = "message.header", "The header parameter matches the template's header (text for a {{1}} text header, the same media type).", Limit::NONE, WA_TEMPLATES, D_WA;
    MESSAGE_BODY = "message.body", "The message gives one body value per body variable.", Limit::NONE, WA_TEMPLATES, D_WA;
    MESSAGE_BUTTONS = "message.buttons", "Button parameters name existing buttons of a matching type, once each, and every dynamic button has one.", Limit::NONE, WA_TEMPLATES, D_WA;
    MESSAGE_CARDS = "message.cards", "A carousel message gives parameters for every card.", Limit::NONE, WA_TEMPLATES, D_WA;
    MESSAGE_PARAM_TEXT = "message.param.text", "A parameter value is non-empty, with no new line, tab or more than 4 spaces in a row.", Limit::NONE, WA_TEMPLATES, D_WA;
    MESSAGE_PARAM_CURRENCY = "message.param.currency", "A currency value's code is an ISO 4217 code (three capital letters) and its amount_1000 is not negative.", Limit::NONE, WA_OPENAPI, D_WA;
    MESSAGE_MEDIA_LINK = "message.media.link", "A media link is an http(s) URL.", Limit::NONE, NX_ASYNC, D_NX;
    MESSAGE_CLIENT_REF_UNIQUE = "message.client_ref.unique", "Each message of a bulk send has its own client_ref: receipts find their message by it (a provider may make it the message id).", Limit::NONE, WABAKIT, D_NOW;
    MESSAGE_CLIENT_REF = "message.client_ref", "client_ref, when given, is 1–128 printable characters.", Limit::range(1, 128), WABAKIT, D_NOW;
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.id == id)
}

/// WhatsApp's template languages, as listed on NXCloud's createTemplateAsync page (seed 002).
pub const LANGUAGES: &[&str] = &[
    "af", "sq", "ar", "az", "bn", "bg", "ca", "zh_CN", "zh_HK", "zh_TW", "hr", "cs", "da", "nl",
    "en", "en_GB", "en_US", "et", "fil", "fi", "fr", "de", "el", "gu", "he", "hi", "hu", "id",
    "ga", "it", "ja", "kn", "kk", "ko", "lo", "lv", "lt", "mk", "ms", "mr", "nb", "fa", "pl",
    "pt_BR", "pt_PT", "pa", "ro", "ru", "sr", "sk", "sl", "es", "es_AR", "es_ES", "es_MX", "sw",
    "sv", "ta", "te", "th", "tr", "uk", "ur", "uz", "vi",
];

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = super::ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    /// Every rule names the vendor page it comes from, by title and address, never a file
    /// outside the repository; only wabakit's own well-formedness rules have no page.
    #[test]
    fn every_rule_cites_a_vendor_page() {
        for r in super::ALL {
            assert!(!r.source.title.contains("shared/"), "{}", r.id);
            match r.source.url {
                Some(u) => assert!(u.starts_with("https://"), "{}: {u}", r.id),
                None => assert_eq!(r.source, super::WABAKIT, "{}", r.id),
            }
            assert!(r.date.len() >= 7, "{}: date {:?}", r.id, r.date);
        }
    }
}
