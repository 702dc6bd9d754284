//! Checks shared by every piece of template text: length, placeholders and their examples.

use super::rules::{self, Rule};
use super::Checker;
use crate::model::{BodyExample, NamedExample, ParameterFormat};
use crate::path::At;
use crate::placeholder::{scan, Scan};

impl Checker<'_> {
    /// Text length in characters (what WhatsApp counts), against `rule`'s limit.
    pub(super) fn length(&mut self, rule: &'static Rule, path: &At, text: &str) {
        let limit = self.limit(rule);
        let n = text.chars().count() as i64;
        if !limit.allows(n) {
            self.push(
                path,
                rule,
                format!(
                    "is {n} characters long; the limit is {}",
                    limit.describe().trim_start_matches("at most ")
                ),
            );
        }
    }

    /// Scan text for variables, reporting malformed ones and ones of the wrong format.
    pub(super) fn variables(&mut self, path: &At, text: &str) -> Scan {
        let s = scan(text);
        for bad in &s.malformed {
            self.push(
                path,
                &rules::PLACEHOLDER_SYNTAX,
                format!("{bad:?} is not a variable; write {{{{1}}}}, {{{{2}}}} … (or {{{{name}}}} with parameter_format NAMED)"),
            );
        }
        let named = self.t.parameter_format == Some(ParameterFormat::Named);
        if named && s.has_positional() {
            self.push(
                path,
                &rules::PLACEHOLDER_FORMAT,
                "uses numbered variables in a NAMED template; use {{name}} variables",
            );
        } else if !named && s.has_named() {
            self.push(
                path,
                &rules::PLACEHOLDER_FORMAT,
                "uses named variables; set parameter_format: NAMED, or use {{1}}, {{2}} …",
            );
        }
        if !named {
            let nums = s.positional();
            if nums.iter().enumerate().any(|(i, n)| *n as usize != i + 1) {
                let list: Vec<String> = nums.iter().map(|n| format!("{{{{{n}}}}}")).collect();
                self.push(
                    path,
                    &rules::PLACEHOLDER_SEQUENCE,
                    format!(
                        "variables {} must be numbered from {{{{1}}}} without gaps",
                        list.join(", ")
                    ),
                );
            }
        }
        s
    }

    /// A body's (or card body's) variables against its example.
    pub(super) fn body_example(&mut self, at: &At, scan: &Scan, example: Option<&BodyExample>) {
        let ex_path = at.key("example");
        if self.t.parameter_format == Some(ParameterFormat::Named) {
            let given = example.and_then(|e| e.body_text_named_params.as_deref());
            self.named_examples(
                &ex_path.key("body_text_named_params"),
                &scan.named(),
                given,
                &rules::BODY_EXAMPLE,
            );
            return;
        }
        let vars = scan.positional().len();
        let rows = example.and_then(|e| e.body_text.as_ref());
        match rows {
            None if vars > 0 => self.push(
                &ex_path.key("body_text"),
                &rules::BODY_EXAMPLE,
                format!("the text has {vars} variable(s); give one example value for each, as body_text: [[…]]"),
            ),
            Some(rows) if vars == 0 && !rows.is_empty() => {
                self.push(&ex_path.key("body_text"), &rules::EXAMPLE_UNUSED, "the text has no variables; remove the example")
            }
            Some(rows) if vars > 0 => {
                if rows.len() != 1 {
                    self.push(
                        &ex_path.key("body_text"),
                        &rules::BODY_EXAMPLE,
                        format!("give exactly one list of example values, not {}", rows.len()),
                    );
                } else if rows[0].len() != vars {
                    self.push(
                        &ex_path.key("body_text").index(0),
                        &rules::BODY_EXAMPLE,
                        format!("has {} example value(s) for {vars} variable(s)", rows[0].len()),
                    );
                } else if let Some(j) = rows[0].iter().position(|v| v.trim().is_empty()) {
                    self.push(&ex_path.key("body_text").index(0).index(j), &rules::BODY_EXAMPLE, "example value is empty");
                }
            }
            _ => {}
        }
    }

    /// Named variables against `{param_name, example}` pairs: each name exactly once.
    pub(super) fn named_examples(
        &mut self,
        path: &At,
        names: &[&str],
        given: Option<&[NamedExample]>,
        rule: &'static Rule,
    ) {
        let given = given.unwrap_or_default();
        for name in names {
            let n = given.iter().filter(|g| g.param_name == *name).count();
            if n != 1 {
                self.push(
                    path,
                    rule,
                    format!("give exactly one example for {{{{{name}}}}} (found {n})"),
                );
            }
        }
        for (i, g) in given.iter().enumerate() {
            if !names.contains(&g.param_name.as_str()) {
                self.push(
                    &path.index(i).key("param_name"),
                    &rules::EXAMPLE_UNUSED,
                    format!("the text has no variable {{{{{}}}}}", g.param_name),
                );
            } else if g.example.trim().is_empty() {
                self.push(
                    &path.index(i).key("example"),
                    rule,
                    "example value is empty",
                );
            }
        }
    }
}
