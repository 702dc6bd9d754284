//! WhatsApp's error codes (Meta's Graph API table): what each means for a caller. For provider
//! crates (see [`crate::raw`]).

use crate::error::ErrorKind;

/// What a WhatsApp (Graph API) error code and subcode mean for a caller: the kind, and whether
/// a later try may succeed. Meta's Cloud API answers with these codes, and providers that pass
/// Meta's error object through (NXCloud's code 9099) carry them too: one table for all.
pub fn whatsapp_error_kind(code: i64, subcode: Option<i64>) -> (ErrorKind, bool) {
    use ErrorKind::*;
    // Template creation reports its rule by subcode under code 100 (pywa reads it as the
    // code): classify on both.
    let template = subcode
        .filter(|s| (2_388_000..2_389_000).contains(s))
        .or(Some(code).filter(|c| (2_388_000..2_389_000).contains(c)));
    if let Some(s) = template {
        return match s {
            // Content in this language exists; or the name is still being deleted.
            2_388_023 | 2_388_024 => (AlreadyExists, false),
            2_388_019 => (Provider, false),
            _ => (Validation, false),
        };
    }
    match code {
        // Graph's "object does not exist".
        100 if subcode == Some(33) => (NotFound, false),
        // Token expired or invalid, or a permission missing.
        0 | 190 | 3 | 10 | 200..=299 | 131005 => (Auth, false),
        // Throttling: the app, the WABA, the number's throughput, the pair rate, spam, flows,
        // registration.
        4 | 80007 | 130429 | 131056 | 131048 | 132069 | 133016 => (RateLimited, true),
        // Temporary trouble on Meta's side.
        1 | 2 | 131000 | 131016 | 131057 => (Provider, true),
        100 | 131008 | 131009 | 131053 | 132000 | 132005 | 132007 | 132012 => (Validation, false),
        132001 => (NotFound, false),
        131021 | 131026 | 131050 | 130472 => (Recipient, false),
        131042 => (Billing, false),
        131045 | 133010 => (Config, false),
        _ => (Provider, false),
    }
}
