//! Finding `{{1}}` / `{{first_name}}` placeholders in template text.
//!
//! Meta accepts exactly `{{` + (digits | lower-case name) + `}}`; anything else that looks like a
//! placeholder (`{{ 1 }}`, `{{}}`, `{{1}` …) is rejected at review, so it is reported here as
//! malformed instead of being treated as literal text.

/// One placeholder as written in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placeholder {
    /// `{{1}}`.
    Positional(u32),
    /// `{{first_name}}`.
    Named(String),
}

/// Placeholders in order of appearance, and the malformed fragments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// The placeholders, in order.
    pub found: Vec<Placeholder>,
    /// Fragments that look like a placeholder and are not one (`{{ 1}}`, `{{1}`).
    pub malformed: Vec<String>,
    /// Text starts with a placeholder (ignoring white space).
    pub at_start: bool,
    /// Text ends with a placeholder (ignoring white space; punctuation after it counts as text).
    pub at_end: bool,
}

impl Scan {
    /// No placeholders.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty() && self.malformed.is_empty()
    }

    /// Distinct positional numbers, sorted.
    pub fn positional(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .found
            .iter()
            .filter_map(|p| match p {
                Placeholder::Positional(n) => Some(*n),
                Placeholder::Named(_) => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Distinct names in order of first appearance.
    pub fn named(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for p in &self.found {
            if let Placeholder::Named(n) = p {
                if !v.contains(&n.as_str()) {
                    v.push(n);
                }
            }
        }
        v
    }

    /// Whether a named placeholder occurs.
    pub fn has_named(&self) -> bool {
        self.found
            .iter()
            .any(|p| matches!(p, Placeholder::Named(_)))
    }

    /// Whether a positional placeholder occurs.
    pub fn has_positional(&self) -> bool {
        self.found
            .iter()
            .any(|p| matches!(p, Placeholder::Positional(_)))
    }
}

/// Scan `text` for placeholders.
pub fn scan(text: &str) -> Scan {
    let mut out = Scan::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' && bytes.get(i + 1) == Some(&b'{') {
            let start = i;
            let inner_start = i + 2;
            match text[inner_start..].find("}}") {
                Some(rel) => {
                    let inner = &text[inner_start..inner_start + rel];
                    let end = inner_start + rel + 2;
                    let whole = &text[start..end];
                    match classify(inner) {
                        Some(p) => {
                            if text[..start].trim().is_empty() {
                                out.at_start = true;
                            }
                            if text[end..].trim().is_empty() {
                                out.at_end = true;
                            }
                            out.found.push(p);
                        }
                        None => out.malformed.push(whole.to_owned()),
                    }
                    i = end;
                }
                None => {
                    let frag: String = text[start..].chars().take(12).collect();
                    out.malformed.push(frag);
                    break;
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

fn classify(inner: &str) -> Option<Placeholder> {
    if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
        // "{{01}}" is not a placeholder Meta accepts.
        if inner.len() > 1 && inner.starts_with('0') {
            return None;
        }
        return inner.parse().ok().map(Placeholder::Positional);
    }
    if is_param_name(inner) {
        return Some(Placeholder::Named(inner.to_owned()));
    }
    None
}

/// Meta's named parameters: lower-case letters, digits and underscores, starting with a letter.
pub fn is_param_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The name of a coupon code written as a variable to fill at send time, `$(couponCode)`
/// (cams, seed 003): letters and digits between `$(` and `)`.
pub fn coupon_variable(code: &str) -> Option<&str> {
    let name = code.strip_prefix("$(")?.strip_suffix(')')?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_positional_and_edges() {
        let s = scan(" {{1}} hello {{2}} ");
        assert_eq!(
            s.found,
            vec![Placeholder::Positional(1), Placeholder::Positional(2)]
        );
        assert!(s.at_start && s.at_end);
        assert!(!scan("Your code is {{1}}.").at_end);
        let s = scan("hello{{1}}world{{2}}hahah");
        assert!(!s.at_start && !s.at_end);
        assert_eq!(s.positional(), vec![1, 2]);
    }

    #[test]
    fn reports_malformed() {
        let s = scan("a {{ 1 }} b {{}} c {{1} d");
        assert_eq!(s.malformed, vec!["{{ 1 }}", "{{}}", "{{1} d"]);
        assert!(s.found.is_empty());
    }

    #[test]
    fn named_in_first_order() {
        let s = scan("Hi {{first_name}}, {{order_id}} for {{first_name}}!");
        assert_eq!(s.named(), vec!["first_name", "order_id"]);
        assert!(s.has_named() && !s.has_positional());
    }
}
