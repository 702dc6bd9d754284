//! Personal data in what wabakit shows (errors, log lines): a recipient's number is masked,
//! `+86 139 ****0001`, unless the program turns that off ([`show_recipients`]; the CLI's
//! `--show-recipients`). Template values never appear in errors or logs at all.

use std::sync::atomic::{AtomicBool, Ordering};

static SHOW: AtomicBool = AtomicBool::new(false);

/// Show recipients' numbers whole in errors and logs (for a developer's own test numbers);
/// off by default.
pub fn show_recipients(on: bool) {
    SHOW.store(on, Ordering::Relaxed);
}

/// A recipient as errors and logs show it: country code and the first digits, then `****`
/// and the last four (enough to tell two numbers apart, not to call either). Anything with
/// fewer than eight digits shows as `****`.
pub fn recipient(to: &str) -> String {
    if SHOW.load(Ordering::Relaxed) {
        return to.to_owned();
    }
    let digits: Vec<char> = to.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return "****".into();
    }
    let part = |r: std::ops::Range<usize>| digits[r].iter().collect::<String>();
    let n = digits.len();
    format!("+{} {} ****{}", part(0..2), part(2..5), part(n - 4..n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_masked_to_their_ends() {
        assert_eq!(recipient("+8613900000001"), "+86 139 ****0001");
        assert_eq!(recipient("+86 139 1234 0001 ext"), "+86 139 ****0001");
        assert_eq!(recipient("12345"), "****");
        assert_eq!(recipient(""), "****");
    }

    #[test]
    fn a_message_debug_masks_its_recipient() {
        let m = crate::TemplateMessage::new("+8613900000001", "order_update", "en_US");
        let shown = format!("{m:?}");
        assert!(shown.contains(r#"to: "+86 139 ****0001""#), "{shown}");
        assert!(!shown.contains("13900000001"), "{shown}");
    }
}
