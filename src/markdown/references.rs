//! Character references in an attribute value, decoded as far as they can hide a scheme.

/// An attribute value with its character references decoded as a browser decodes them, as
/// far as they can hide a scheme: numeric ones (`&#106;`, `&#x6A`, the `;` optional) and the
/// named ones for `:`, tab, line feed and the characters around them.
pub(super) fn decode_references(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        if let Some(number) = rest.strip_prefix('#') {
            let (digits, radix) = match number.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            let len = digits.bytes().take_while(|b| (*b as char).is_digit(radix)).count();
            // Leading zeros count for nothing however many; a number too large for a
            // character is U+FFFD, as a browser reads it.
            let significant = digits[..len].trim_start_matches('0');
            let code = match significant.len() {
                0 => Some(0),
                1..=8 => u32::from_str_radix(significant, radix).ok(),
                _ => None,
            };
            if len > 0 {
                out.push(code.and_then(char::from_u32).unwrap_or('\u{fffd}'));
                let consumed = number.len() - digits.len() + len;
                rest = &number[consumed..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        } else {
            let named =
                [("colon;", ':'), ("Tab;", '\t'), ("NewLine;", '\n'), ("amp;", '&'), ("lpar;", '('), ("rpar;", ')')];
            if let Some((entity, c)) = named.iter().find(|(entity, _)| rest.starts_with(entity)) {
                out.push(*c);
                rest = &rest[entity.len()..];
                continue;
            }
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}
