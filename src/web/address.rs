//! Web addresses as the link check fetches them: the form a request can carry (fragment
//! dropped, spaces and non-ASCII escaped, an international host name in punycode), the host
//! whose limits a request counts against, where a redirect leads, and which addresses are
//! private.

use std::net::IpAddr;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A web address split for fetching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// What a request is sent to: `https://host:port/path?query`, ASCII only, no fragment.
    pub request: String,
    /// The host whose limits apply (`example.org`): one server, whatever the port or scheme.
    pub host: String,
    /// The host alone, lowercased, without brackets for IPv6 (`::1`).
    pub hostname: String,
}

/// Why an address cannot be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFetched {
    /// Not an `http:` or `https:` address (`mailto:`, `ftp:`): nothing to fetch.
    NotWeb,
    /// A web address that no request could carry (no host, a bad port).
    Malformed(String),
}

/// `url` ready to be fetched: a protocol-relative `//host/…` is taken as `https:`.
pub fn parse(url: &str) -> Result<Address, NotFetched> {
    let url = url.trim();
    let (scheme, rest) = match url.strip_prefix("//") {
        Some(rest) => ("https".to_string(), rest),
        None => {
            let (scheme, rest) = url.split_once(':').ok_or(NotFetched::NotWeb)?;
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(NotFetched::NotWeb);
            }
            // Browsers read `\` as `/` here, and any number of slashes before the host.
            (scheme, rest.trim_start_matches(['/', '\\']))
        }
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let end = rest.find(['/', '\\', '?']).unwrap_or(rest.len());
    let (authority, path_query) = rest.split_at(end);
    let malformed = |why: &str| NotFetched::Malformed(why.to_string());
    // A user name in a checked link is sent to nobody.
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => {
            let (ip, after) = v6.split_once(']').ok_or_else(|| malformed("an unclosed `[` in its host"))?;
            let ip: std::net::Ipv6Addr = ip.parse().map_err(|_| malformed("an invalid IPv6 address in its host"))?;
            if !after.is_empty() && !after.starts_with(':') {
                return Err(malformed("text after its IPv6 address"));
            }
            (format!("[{ip}]"), after.strip_prefix(':'))
        }
        None => match host_port.rsplit_once(':') {
            Some((host, port)) => (ascii_host(host).ok_or_else(|| malformed("an invalid host name"))?, Some(port)),
            None => (ascii_host(host_port).ok_or_else(|| malformed("an invalid host name"))?, None),
        },
    };
    if host.is_empty() || host == "[]" {
        return Err(malformed("no host"));
    }
    let default_port = if scheme == "https" { 443 } else { 80 };
    let port = match port.filter(|p| !p.is_empty()) {
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => {
            p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| malformed("an invalid port"))?
        }
        Some(_) => return Err(malformed("an invalid port")),
        None => default_port,
    };
    let shown_port = if port == default_port { String::new() } else { format!(":{port}") };
    let path_query = escaped(&path_query.replace('\\', "/"));
    let path_query = if path_query.starts_with('/') { path_query } else { format!("/{path_query}") };
    let hostname = host.trim_start_matches('[').trim_end_matches(']').to_string();
    Ok(Address { request: format!("{scheme}://{host}{shown_port}{path_query}"), host: hostname.clone(), hostname })
}

/// A host name as a request names it: compatibility characters folded and lowercased (as
/// browsers read `ＥＸＡＭＰＬＥ。com`), a final dot dropped, each label of an international
/// name in punycode (`bücher.de` → `xn--bcher-kva.de`). `None` when it holds what no host
/// name may (spaces, `%`, control characters, an empty label, a label of over 63 characters
/// or a name of over 253: no lookup could find it, and punycode's cost grows with the square
/// of a label's length).
fn ascii_host(host: &str) -> Option<String> {
    let folded: String = host.nfkc().flat_map(char::to_lowercase).map(|c| if is_dot(c) { '.' } else { c }).collect();
    let folded = folded.strip_suffix('.').unwrap_or(&folded);
    if folded.chars().count() > 253 {
        return None;
    }
    let labels: Option<Vec<String>> = folded
        .split('.')
        .map(|label| {
            if label.is_empty() || label.chars().count() > 63 {
                return None;
            }
            if label.is_ascii() {
                let ok = label.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
                ok.then(|| label.to_string())
            } else if label.chars().all(|c| c.is_alphanumeric() || c == '-' || is_combining_mark(c)) {
                let encoded = format!("xn--{}", punycode(&label.nfc().collect::<String>())?);
                (encoded.len() <= 63).then_some(encoded)
            } else {
                None
            }
        })
        .collect();
    labels.map(|l| l.join("."))
}

/// Whether `c` separates labels as browsers read host names (the full stop and its
/// ideographic, full-width and half-width forms).
fn is_dot(c: char) -> bool {
    matches!(c, '.' | '\u{3002}' | '\u{ff0e}' | '\u{ff61}')
}

/// The punycode (RFC 3492) of one label, without the `xn--` prefix.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    let (t_min, t_max, skew, damp) = (1, 26, 38, 700);
    let adapt = |mut delta: u32, points: u32, first: bool| {
        delta /= if first { damp } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - t_min) * t_max) / 2 {
            delta /= BASE - t_min;
            k += BASE;
        }
        k + (BASE - t_min + 1) * delta / (delta + skew)
    };
    let digit = |d: u32| char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 });
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        t_min
                    } else if k >= bias + t_max {
                        t_max
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

/// `text` with every byte a request line cannot carry percent-escaped (non-ASCII as UTF-8,
/// spaces, quotes, angle brackets…); escapes already there are kept.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Where a redirect's `Location` (`location`, as the server sent it) leads from `from` (a
/// request address), resolved as browsers resolve it (RFC 3986, with `\\` read as `/`): an
/// absolute address, `//host/…`, `/path`, a relative path or `?query`; its fragment dropped.
/// `None` for an empty one (no target at all).
pub fn redirect_target(from: &str, location: &str) -> Option<String> {
    let location = location.trim().split('#').next().unwrap_or_default().replace('\\', "/");
    if location.is_empty() {
        return None;
    }
    let scheme = from.split_once(':').map_or("https", |(s, _)| s);
    if location.starts_with("//") {
        return Some(format!("{scheme}:{location}"));
    }
    if location.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty() && !s.contains('/') && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    }) {
        return Some(location);
    }
    let after_scheme = from.find("://").map_or(0, |i| i + 3);
    let origin_end = from[after_scheme..].find(['/', '?']).map_or(from.len(), |i| after_scheme + i);
    let (origin, path_query) = from.split_at(origin_end);
    let base_path = Some(path_query.split('?').next().unwrap_or_default()).filter(|p| !p.is_empty()).unwrap_or("/");
    let (path, query) = match location.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (location.as_str(), None),
    };
    let merged = if path.is_empty() {
        base_path.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}{path}", &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)])
    };
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    Some(format!("{origin}{}{query}", without_dots(&merged)))
}

/// An absolute path with its `.` and `..` segments resolved (RFC 3986, 5.2.4).
fn without_dots(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    segments.pop();
                }
                if last {
                    segments.push("");
                }
            }
            s => segments.push(s),
        }
    }
    format!("/{}", segments.join("/"))
}

/// Whether a request to `ip` would reach this machine or its network rather than the web:
/// loopback, private, link-local, shared (carrier NAT), unspecified, multicast or broadcast.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                // Shared address space (carrier NAT), benchmarking, reserved (240/4).
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240
                // IETF protocol assignments and the documentation ranges: on no public web.
                || (a, b, c) == (192, 0, 0)
                || (a, b, c) == (192, 0, 2)
                || (a, b, c) == (198, 51, 100)
                || (a, b, c) == (203, 0, 113)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            // Addresses that carry an IPv4 address reach what it reaches: mapped, compatible
            // (`::a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
            let embedded = |hi: u16, lo: u16| std::net::Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            if s[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified() {
                return is_private(IpAddr::V4(embedded(s[6], s[7])));
            }
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return is_private(IpAddr::V4(embedded(s[6], s[7])));
            }
            if s[0] == 0x2002 {
                return is_private(IpAddr::V4(embedded(s[1], s[2])));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local
                || (s[0], s[1]) == (0x64, 0xff9b) // local-use NAT64 (64:ff9b:1::/48)
                || (s[0], s[1]) == (0x2001, 0) // Teredo
                || (s[0], s[1]) == (0x2001, 0xdb8) // documentation
                || s[..4] == [0x100, 0, 0, 0] // discard-only
        }
    }
}

/// Whether `hostname` names this machine or a private address by itself, before any lookup
/// (`localhost`, `127.0.0.1`, `[::1]`, `10.1.2.3`).
pub fn names_private(hostname: &str) -> bool {
    hostname == "localhost" || hostname.ends_with(".localhost") || hostname.parse::<IpAddr>().is_ok_and(is_private)
}

/// The Wayback Machine's address for saving a copy of `url`.
pub fn wayback_save(url: &str) -> String {
    format!("https://web.archive.org/save/{url}")
}

/// The Wayback Machine's list of the copies it holds of `url`.
pub fn wayback_copies(url: &str) -> String {
    format!("https://web.archive.org/web/*/{url}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_made_fit_to_send() {
        let a = parse("https://Example.ORG./a b/ü?q=1#frag").unwrap();
        assert_eq!(a.request, "https://example.org/a%20b/%C3%BC?q=1");
        assert_eq!(a.host, "example.org");
        assert_eq!(parse("//cdn.example.org").unwrap().request, "https://cdn.example.org/");
        assert_eq!(parse("http://127.0.0.1:8080?x").unwrap().request, "http://127.0.0.1:8080/?x");
        assert_eq!(parse("http://[::1]:80/").unwrap().host, "::1");
        assert_eq!(parse("http://e.org:8080/").unwrap().host, parse("https://e.org/").unwrap().host, "one server");
        for bad in ["http://e..org/", "http://[evil.org]/", "http://[::1]junk/", "http://e.org:+80/", "http://-/x y"] {
            assert!(parse(bad).is_err() || bad.ends_with("x y"), "{bad}");
        }
        assert!(matches!(parse(&format!("http://{}.com/", "a".repeat(64))), Err(NotFetched::Malformed(_))));
        assert!(matches!(parse(&format!("http://{}.com/", "例".repeat(64))), Err(NotFetched::Malformed(_))));
        assert_eq!(parse("http://[::1]:80/").unwrap().hostname, "::1");
        assert_eq!(parse("https://user:pw@e.org/").unwrap().request, "https://e.org/");
        assert_eq!(parse("mailto:a@b.c"), Err(NotFetched::NotWeb));
        assert!(matches!(parse("https://e.org:99999/"), Err(NotFetched::Malformed(_))));
        assert!(matches!(parse("https://"), Err(NotFetched::Malformed(_))));
        // Browsers read any number of slashes before the host.
        assert_eq!(parse("https:///x/y").unwrap().request, "https://x/y");
        assert!(matches!(parse("https://e x.org/"), Err(NotFetched::Malformed(_))));
    }

    #[test]
    fn international_hosts_are_in_punycode() {
        // RFC 3492's and IDNA's well-known examples.
        assert_eq!(parse("https://bücher.de/").unwrap().request, "https://xn--bcher-kva.de/");
        assert_eq!(parse("https://münchen.de/").unwrap().request, "https://xn--mnchen-3ya.de/");
        assert_eq!(parse("https://例え.jp/").unwrap().request, "https://xn--r8jz45g.jp/");
        assert_eq!(parse("https://BÜCHER.de/").unwrap().host, "xn--bcher-kva.de");
        // Full-width letters and the ideographic full stop, as browsers fold them.
        assert_eq!(parse("https://ＥＸＡＭＰＬＥ。com/").unwrap().request, "https://example.com/");
    }

    #[test]
    fn redirects_resolve_as_browsers_resolve_them() {
        let from = "https://e.org/a/b?x=1";
        let to = |location: &str| redirect_target(from, location);
        assert_eq!(to("https://f.org/").as_deref(), Some("https://f.org/"));
        assert_eq!(to("//g.org/p").as_deref(), Some("https://g.org/p"));
        assert_eq!(to("/root").as_deref(), Some("https://e.org/root"));
        assert_eq!(to("c").as_deref(), Some("https://e.org/a/c"));
        assert_eq!(to("../c?y").as_deref(), Some("https://e.org/c?y"));
        assert_eq!(to("?y=2").as_deref(), Some("https://e.org/a/b?y=2"));
        assert_eq!(to("../c#x/..").as_deref(), Some("https://e.org/c"), "the fragment goes first");
        assert_eq!(to("/a/../b/./c").as_deref(), Some("https://e.org/b/c"));
        assert_eq!(to("..").as_deref(), Some("https://e.org/"));
        assert_eq!(to("\\\\evil.org/x").as_deref(), Some("https://evil.org/x"), "backslashes are slashes");
        assert_eq!(to("").as_deref(), None);
        assert_eq!(to("mailto:x@y").as_deref(), Some("mailto:x@y"));
        assert_eq!(redirect_target("https://e.org", "c").as_deref(), Some("https://e.org/c"));
    }

    #[test]
    fn private_addresses_are_known() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1", "100.128.0.1", "64:ff9b::5db8:d822", "2002:5db8:d822::1"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
        assert!(names_private("localhost") && names_private("a.localhost") && names_private("127.0.0.2"));
        assert!(!names_private("example.org"));
    }
}
