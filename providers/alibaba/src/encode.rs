//! Percent-encoding as Alibaba's RPC APIs use it: RFC 3986 for signing (space `%20`, `*`
//! `%2A`, `~` kept), and the form flavour on the wire (space `+`), as the official SDK sends.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

/// Each byte's encoding: up to three bytes, then how many of them count.
type Table = [[u8; 4]; 256];

const fn table(plus: bool) -> Table {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut t = [[0u8; 4]; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        // RFC 3986's unreserved bytes `A-Z a-z 0-9 - _ . ~` are kept as they are.
        t[i] = if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            [b, 0, 0, 1]
        } else if plus && b == b' ' {
            [b'+', 0, 0, 1]
        } else {
            [b'%', HEX[i >> 4], HEX[i & 15], 3]
        };
        i += 1;
    }
    t
}

/// The signing form (RFC 3986) and the wire form (a space is `+`).
static SIGNING: Table = table(false);
static WIRE: Table = table(true);

/// Append the encoding of `s` to `out`. Every byte writes three and advances by its length,
/// without a branch on the byte: JSON parameters alternate kept and escaped bytes, which a
/// branching encoder (the `percent-encoding` crate's among them) mispredicts, and every signed
/// request encodes a few KB of them. The output goes straight into `out`'s spare capacity,
/// neither zeroed first nor copied from a buffer.
fn push_encoded(out: &mut Vec<u8>, s: &str, table: &Table) {
    // One spare byte: each step stores all four bytes of its entry at once.
    out.reserve(3 * s.len() + 1);
    let spare = out.spare_capacity_mut();
    let mut n = 0;
    for &b in s.as_bytes() {
        let e = table[usize::from(b)];
        spare[n..n + 4].write_copy_of_slice(&e);
        n += usize::from(e[3]);
    }
    // SAFETY: the loop wrote every byte of `spare[..n]` (each step writes four from where the
    // previous left off, and advances by at most three), and `n <= spare.len()`.
    unsafe { out.set_len(out.len() + n) };
}

/// The encoder writes only ASCII.
fn ascii(out: Vec<u8>) -> String {
    String::from_utf8(out).expect("percent-encoding yields ASCII")
}

/// RFC 3986 percent-encoding of the UTF-8 bytes, upper-case hex (the signing form).
pub fn pct(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + s.len() / 2);
    push_encoded(&mut out, s, &SIGNING);
    ascii(out)
}

/// The wire form (`application/x-www-form-urlencoded`, as Python's `urlencode`): like
/// [`pct`], but a space is `+`.
pub fn form(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + s.len() / 2);
    push_encoded(&mut out, s, &WIRE);
    ascii(out)
}

/// A parameter or a header, name and value: borrowed where they can be (names are constants,
/// many values are the caller's), owned where a request computes them.
pub type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// `prefix`, then `k=v&k=v` encoded with `table`, in the order given.
fn pairs<'a, 'b: 'a, I>(prefix: &str, list: I, table: &Table) -> String
where
    I: IntoIterator<Item = &'a Pair<'b>> + Clone,
{
    // Sized once for the worst case: growing a few KB buffer copies it each time.
    let most = prefix.len()
        + list
            .clone()
            .into_iter()
            .map(|(k, v)| 3 * (k.len() + v.len()) + 2)
            .sum::<usize>();
    let mut out = Vec::with_capacity(most);
    out.extend_from_slice(prefix.as_bytes());
    for (i, (k, v)) in list.into_iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        push_encoded(&mut out, k, table);
        out.push(b'=');
        push_encoded(&mut out, v, table);
    }
    String::from_utf8(out).expect("a prefix of text and the encoder's ASCII")
}

/// `k=v&k=v` in the wire form, in the order given.
pub fn form_pairs(list: &[Pair]) -> String {
    pairs("", list, &WIRE)
}

/// `prefix` (a URL up to its `?`), then [`form_pairs`]: a URL with its query, built at once.
pub fn form_pairs_after(prefix: &str, list: &[Pair]) -> String {
    pairs(prefix, list, &WIRE)
}

/// `k=v&k=v` in the signing form, in the order given.
pub fn pct_pairs<'a, 'b: 'a, I>(list: I) -> String
where
    I: IntoIterator<Item = &'a Pair<'b>> + Clone,
{
    pairs("", list, &SIGNING)
}

/// Decode a query string or form body (`+` is a space); pairs in order.
pub fn parse_pairs(s: &str) -> Vec<Pair<'static>> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> Cow<'static, str> {
    Cow::Owned(
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table agrees with the `percent-encoding` crate's RFC 3986 set on every character of
    /// the first two planes, alone and between unreserved runs.
    #[test]
    fn agrees_with_the_percent_encoding_crate() {
        use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
        const SET: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        for c in (0..0x2_0000).filter_map(char::from_u32) {
            let s = format!("a{c}b{c}{c}");
            assert_eq!(pct(&s), utf8_percent_encode(&s, SET).to_string(), "{c:?}");
        }
    }

    #[test]
    fn signing_and_wire_forms() {
        assert_eq!(pct("a b*c~d/e+f"), "a%20b%2Ac~d%2Fe%2Bf");
        assert_eq!(form("a b*c~d/e+f"), "a+b%2Ac~d%2Fe%2Bf");
        assert_eq!(pct("订单"), "%E8%AE%A2%E5%8D%95");
        assert_eq!(pct("x订y单z"), "x%E8%AE%A2y%E5%8D%95z");
        assert_eq!(pct(""), "");
        assert_eq!(pct("AZaz09-_.~"), "AZaz09-_.~");
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
