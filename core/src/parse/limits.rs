//! Limits on a document before it is read: its size and how deep it nests. A template or a
//! message is a few kilobytes nested a few levels; what is far beyond that is refused here,
//! in time linear in its size, before a parser spends quadratic time (serde_yaml on nested
//! flow collections) or a validator reports a million problems.

use crate::path::FieldPath;
use crate::problem::Problem;
use crate::validate::rules;

/// The largest document read (a template with every component at its longest is ~20 KB).
pub const MAX_BYTES: usize = 1 << 20;
/// The deepest nesting of lists and maps (a carousel card's button's example is 7 deep).
pub const MAX_DEPTH: usize = 32;
/// The most entries of any one list (WhatsApp's largest is 10 buttons or cards; body values
/// are at most as many as the body's variables).
pub const MAX_ENTRIES: usize = 100;

/// `text` within [`MAX_BYTES`], and (YAML) its flow collections within [`MAX_DEPTH`]; the JSON
/// and TOML readers stop at their own recursion limits at once.
pub fn check_text(text: &str, yaml: bool) -> Result<(), Problem> {
    if text.len() > MAX_BYTES {
        return Err(too_large(text.len()));
    }
    if yaml {
        if let Some((line, column)) = yaml_too_deep(text) {
            return Err(Problem::new(
                &FieldPath::root(),
                rules::PARSE_TOO_DEEP.id,
                format!("line {line}, column {column}: nested deeper than {MAX_DEPTH} levels"),
            ));
        }
    }
    Ok(())
}

/// The problem of a document of `len` bytes, over [`MAX_BYTES`].
pub fn too_large(len: usize) -> Problem {
    Problem::new(
        &FieldPath::root(),
        rules::PARSE_TOO_LARGE.id,
        format!(
            "the document is {len} bytes; at most {} KiB are read",
            MAX_BYTES >> 10
        ),
    )
}

/// Where YAML's brackets first nest deeper than the limit, by a scan that skips quoted
/// scalars and comments (a bracket inside a plain scalar counts: a false alarm needs more
/// than [`MAX_DEPTH`] unclosed brackets in one text, and then the document is refused, not
/// misread). Block nesting needs an indent per level, so the size limit bounds it.
fn yaml_too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut prev = '\n';
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
            comment = false;
        }
        if comment {
            prev = c;
            continue;
        }
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '#' if prev.is_whitespace() => comment = true,
                '"' | '\'' if prev.is_whitespace() || "[{,:-".contains(prev) => quote = Some(c),
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some((line, column));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_quotes_and_comments() {
        let deep = format!("a: {}{}", "[".repeat(33), "]".repeat(33));
        assert_eq!(yaml_too_deep(&deep), Some((1, 36)));
        let ok = format!("a: {}{}", "[".repeat(32), "]".repeat(32));
        assert_eq!(yaml_too_deep(&ok), None);
        let quoted = format!(
            "a: \"{}\"\nb: '{}'\n# {}\n",
            "[".repeat(40),
            "{".repeat(40),
            "[".repeat(40)
        );
        assert_eq!(yaml_too_deep(&quoted), None);
        // An apostrophe inside a plain scalar does not open a quote.
        assert_eq!(yaml_too_deep("text: it's [1] fine\nb: [x]"), None);
    }
}
