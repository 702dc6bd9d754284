//! Percent-encoding as Alibaba's RPC APIs use it: RFC 3986 for signing (space `%20`, `*`
//! `%2A`, `~` kept), and the form flavour on the wire (space `+`), as the official SDK sends.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters `A-Z a-z 0-9 - _ . ~`.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Append the RFC 3986 encoding of `s` to `out`; with `plus`, a space is `+` (the form flavour).
/// Extending from the encoder's chunks avoids the formatting machinery of `to_string`: this is
/// on the path of every signed request.
fn push_encoded(out: &mut String, s: &str, plus: bool) {
    for chunk in utf8_percent_encode(s, RFC3986) {
        out.push_str(if plus && chunk == "%20" { "+" } else { chunk });
    }
}

/// RFC 3986 percent-encoding of the UTF-8 bytes, upper-case hex (the signing form).
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    push_encoded(&mut out, s, false);
    out
}

/// The wire form (`application/x-www-form-urlencoded`, as Python's `urlencode`): like
/// [`pct`], but a space is `+`.
pub fn form(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    push_encoded(&mut out, s, true);
    out
}

/// `k=v&k=v` in the wire form, in the order given.
pub fn form_pairs(pairs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() * 2 + 2).sum());
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_encoded(&mut out, k, true);
        out.push('=');
        push_encoded(&mut out, v, true);
    }
    out
}

/// `k=v&k=v` in the signing form, in the order given.
pub fn pct_pairs<'a>(pairs: impl IntoIterator<Item = &'a (String, String)>) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_encoded(&mut out, k, false);
        out.push('=');
        push_encoded(&mut out, v, false);
    }
    out
}

/// Decode a query string or form body (`+` is a space); pairs in order.
pub fn parse_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_and_wire_forms() {
        assert_eq!(pct("a b*c~d/e+f"), "a%20b%2Ac~d%2Fe%2Bf");
        assert_eq!(form("a b*c~d/e+f"), "a+b%2Ac~d%2Fe%2Bf");
        assert_eq!(pct("订单"), "%E8%AE%A2%E5%8D%95");
        assert_eq!(
            parse_pairs("a=b+c&d=%2A&e"),
            vec![
                ("a".into(), "b c".into()),
                ("d".into(), "*".into()),
                ("e".into(), "".into())
            ]
        );
    }
}
