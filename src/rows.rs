//! The rows of a bulk input (`send-bulk`, `campaign create`): CSV with a header line (`to,
//! client_ref, template, language, body.N, header.text, button.N.url|copy_code|quick_reply`)
//! or JSONL (a message document per line), each row a message document, or why it cannot be
//! read. Unknown CSV columns are refused before the first row.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::{json, Value};

/// An input's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A header line (to, client_ref, body.1 …), then a row per message.
    Csv,
    /// One message document per line.
    Jsonl,
}

/// A row of the input as a message document, with the command line's template and language
/// where the row names none.
pub fn row_doc(mut doc: Value, template: Option<&str>, language: Option<&str>) -> Value {
    if let Value::Object(m) = &mut doc {
        for (key, default) in [("template", template), ("language", language)] {
            if let (false, Some(d)) = (m.contains_key(key), default) {
                m.insert(key.into(), json!(d));
            }
        }
    }
    doc
}

/// A message document as the message, or why it is not one (its problems on one line).
pub fn message(doc: &Value) -> std::result::Result<wabakit_core::TemplateMessage, String> {
    wabakit_core::TemplateMessage::from_value(doc).map_err(|p| {
        p.iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// A row of an input as the message it asks for (with the command line's template and
/// language where it names none), or why it is not one.
pub fn message_of(
    row: std::result::Result<Value, String>,
    template: Option<&str>,
    language: Option<&str>,
) -> std::result::Result<wabakit_core::TemplateMessage, String> {
    row.and_then(|v| message(&row_doc(v, template, language)))
}

/// A CSV record as a message document.
fn csv_doc(headers: &csv::StringRecord, rec: &csv::StringRecord) -> Value {
    let mut m = serde_json::Map::new();
    let mut body: Vec<(u32, String)> = Vec::new();
    let mut buttons: Vec<Value> = Vec::new();
    for (h, v) in headers.iter().zip(rec.iter()) {
        if v.is_empty() {
            continue;
        }
        let parts: Vec<&str> = h.split('.').collect();
        match parts.as_slice() {
            ["to"] | ["client_ref"] | ["template"] | ["language"] => {
                m.insert(h.into(), json!(v));
            }
            ["body", n] => body.push((n.parse().unwrap_or(u32::MAX), v.to_owned())),
            ["header", "text"] => {
                m.insert("header".into(), json!({"type": "text", "text": v}));
            }
            ["button", i, kind] => {
                let key = match *kind {
                    "url" => "text",
                    "copy_code" => "coupon_code",
                    _ => "payload",
                };
                buttons.push(
                    json!({"index": i.parse::<u32>().unwrap_or(u32::MAX), "type": kind, key: v}),
                );
            }
            _ => {
                m.insert(h.into(), json!(v));
            }
        }
    }
    body.sort();
    if !body.is_empty() {
        m.insert(
            "body".into(),
            json!(body.into_iter().map(|(_, v)| v).collect::<Vec<_>>()),
        );
    }
    if !buttons.is_empty() {
        m.insert("buttons".into(), Value::Array(buttons));
    }
    Value::Object(m)
}

/// The CSV columns `send-bulk` reads, for errors.
const COLUMNS: &str =
    "to, client_ref, template, language, body.N, header.text, button.N.url|copy_code|quick_reply";

/// Whether `send-bulk` knows a CSV column.
fn known_column(h: &str) -> bool {
    let number = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    match h.split('.').collect::<Vec<_>>().as_slice() {
        ["to" | "client_ref" | "template" | "language"] | ["header", "text"] => true,
        ["body", n] => number(n),
        ["button", n, "url" | "copy_code" | "quick_reply"] => number(n),
        _ => false,
    }
}

/// The longest line an input may have: a row is a document, and a document is at most this.
pub const MAX_LINE: usize = wabakit_core::parse::limits::MAX_BYTES;

fn too_long(max: usize) -> String {
    format!(
        "a line longer than {} KiB (a row is a document, at most that long)",
        max >> 10
    )
}

/// The next line of `r` without its end, at most `max` bytes: a longer one is an error and is
/// skipped to its end without being held (the next line is read as usual). None at the end.
fn next_line(r: &mut impl BufRead, max: usize) -> Option<std::result::Result<String, String>> {
    let mut buf = Vec::new();
    let n = match r.by_ref().take(max as u64 + 1).read_until(b'\n', &mut buf) {
        Ok(n) => n,
        Err(e) => return Some(Err(e.to_string())),
    };
    if n == 0 {
        return None;
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    } else if buf.len() > max {
        // Skip the rest of the line, a buffer at a time.
        loop {
            let chunk = match r.fill_buf() {
                Ok(c) => c,
                Err(e) => return Some(Err(e.to_string())),
            };
            if chunk.is_empty() {
                break;
            }
            match chunk.iter().position(|b| *b == b'\n') {
                Some(i) => {
                    r.consume(i + 1);
                    break;
                }
                None => {
                    let len = chunk.len();
                    r.consume(len);
                }
            }
        }
        return Some(Err(too_long(max)));
    }
    Some(String::from_utf8(buf).map_err(|_| "stream did not contain valid UTF-8".to_owned()))
}

/// A JSONL input's lines, blank ones left out, each at most [`MAX_LINE`] bytes (the rows and
/// the progress count read them the same way).
fn jsonl_lines(reader: impl Read) -> impl Iterator<Item = std::result::Result<String, String>> {
    let mut reader = BufReader::new(reader);
    std::iter::from_fn(move || next_line(&mut reader, MAX_LINE))
        .filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
}

/// A reader that fails (InvalidData) once a line grows past `max` bytes, so that a reader
/// above it (CSV's) never holds more.
struct LineLimit<R> {
    inner: R,
    max: usize,
    line: usize,
}

impl<R> LineLimit<R> {
    fn new(inner: R, max: usize) -> Self {
        LineLimit {
            inner,
            max,
            line: 0,
        }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for b in &buf[..n] {
            self.line = if *b == b'\n' { 0 } else { self.line + 1 };
            if self.line > self.max {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    too_long(self.max),
                ));
            }
        }
        Ok(n)
    }
}

/// An input file: its rows, in order, as documents (or why a row cannot be read), and a CSV
/// file's columns.
pub struct Input {
    /// Each row as a message document, or why it cannot be read.
    pub rows: Box<dyn Iterator<Item = std::result::Result<Value, String>> + Send>,
    /// A CSV input's columns.
    pub columns: Option<Vec<String>>,
    format: Format,
}

/// The rows of a regular file (CSV records, or JSONL lines that are not blank); None for a
/// pipe, which can be read once only.
fn count(path: &Path, format: Format) -> Option<u64> {
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let f = File::open(path).ok()?;
    Some(match format {
        Format::Csv => csv::Reader::from_reader(LineLimit::new(f, MAX_LINE))
            .into_byte_records()
            .map_while(Result::ok)
            .count() as u64,
        Format::Jsonl => jsonl_lines(f).count() as u64,
    })
}

impl Input {
    /// Open `path`, read as `format` or as its extension says; a CSV file's columns are
    /// checked here, before any row.
    pub fn open(path: &Path, format: Option<Format>) -> std::result::Result<Input, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let format = match (format, ext.as_str()) {
            (Some(f), _) => f,
            (None, "csv") => Format::Csv,
            (None, "jsonl" | "ndjson") => Format::Jsonl,
            (None, _) => {
                return Err(format!(
                "{}: the extension names no input format (.csv, .jsonl): pass --format csv|jsonl",
                path.display()
            ))
            }
        };
        let f = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::read(f, format).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The rows of `reader` in `format`: a CSV input's columns are checked here, before any
    /// row (the error does not name the input: the caller does).
    pub fn read(
        reader: impl Read + Send + 'static,
        format: Format,
    ) -> std::result::Result<Input, String> {
        if format == Format::Csv {
            let mut r = csv::Reader::from_reader(LineLimit::new(reader, MAX_LINE));
            let headers = r.headers().map_err(|e| e.to_string())?.clone();
            if let Some(h) = headers.iter().find(|h| !known_column(h)) {
                return Err(format!(
                    "column {h:?} is not one send-bulk reads ({COLUMNS})"
                ));
            }
            let columns = Some(headers.iter().map(str::to_owned).collect());
            // A line over the limit ends the input (the CSV reader cannot find the next
            // record inside it): its error is the last row.
            let mut over = false;
            let rows = r.into_records().map_while(move |rec| {
                if over {
                    return None;
                }
                over = rec.as_ref().err().is_some_and(|e| match e.kind() {
                    csv::ErrorKind::Io(e) => e.kind() == std::io::ErrorKind::InvalidData,
                    _ => false,
                });
                Some(
                    rec.map(|rec| csv_doc(&headers, &rec))
                        .map_err(|e| e.to_string()),
                )
            });
            return Ok(Input {
                rows: Box::new(rows),
                columns,
                format,
            });
        }
        let rows = jsonl_lines(reader)
            .map(|l| l.and_then(|l| serde_json::from_str(&l).map_err(|e| e.to_string())));
        Ok(Input {
            rows: Box::new(rows),
            columns: None,
            format,
        })
    }

    /// How many rows `path` holds, counted in a pass of its own (for a progress bar's total).
    pub fn total(&self, path: &Path) -> Option<u64> {
        count(path, self.format)
    }

    /// A CSV input whose rows name no template (or language) needs the flag: said at startup,
    /// not once per row.
    pub fn require(
        &self,
        path: &Path,
        template: Option<&str>,
        language: Option<&str>,
    ) -> std::result::Result<(), String> {
        let Some(columns) = &self.columns else {
            return Ok(());
        };
        for (flag, given) in [("template", template), ("language", language)] {
            if given.is_none() && !columns.iter().any(|c| c == flag) {
                return Err(format!(
                    "{}: a CSV input with no {flag} column needs --{flag}",
                    path.display()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: String, format: Format) -> Vec<std::result::Result<Value, String>> {
        Input::read(std::io::Cursor::new(text.into_bytes()), format)
            .unwrap()
            .rows
            .collect()
    }

    #[test]
    fn a_jsonl_line_over_the_limit_is_one_bad_row_and_the_next_are_read() {
        let huge = format!("{{\"to\": \"{}\"}}", "9".repeat(MAX_LINE + 10));
        let text = format!("{{\"to\": \"1\"}}\n{huge}\n\n{{\"to\": \"2\"}}\r\n");
        let r = rows(text, Format::Jsonl);
        assert_eq!(r.len(), 3, "{r:?}");
        assert_eq!(r[0].as_ref().unwrap()["to"], "1");
        assert_eq!(
            r[1].as_ref().unwrap_err(),
            "a line longer than 1024 KiB (a row is a document, at most that long)"
        );
        assert_eq!(r[2].as_ref().unwrap()["to"], "2");
    }

    #[test]
    fn a_csv_line_over_the_limit_ends_the_input_with_its_error() {
        let huge = "9".repeat(MAX_LINE + 10);
        let text = format!("to,client_ref\n+861,a\n{huge},b\n+862,c\n");
        let r = rows(text, Format::Csv);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].as_ref().unwrap()["client_ref"], "a");
        let e = r[1].as_ref().unwrap_err();
        assert!(e.contains("a line longer than 1024 KiB"), "{e}");
    }

    #[test]
    fn lines_at_the_limit_are_read() {
        let mut r = std::io::Cursor::new(b"0123456789abcdef\n0123456789abcdefX\nok".to_vec());
        assert_eq!(next_line(&mut r, 16).unwrap().unwrap(), "0123456789abcdef");
        assert!(next_line(&mut r, 16).unwrap().is_err());
        assert_eq!(next_line(&mut r, 16).unwrap().unwrap(), "ok");
        assert!(next_line(&mut r, 16).is_none());
    }
}
