//! Escaping text for HTML and XML, shared by templates, charts and feeds.

/// Escapes text for element content and quoted attribute values in HTML
/// and XML. `/` is left alone so URLs stay readable; control characters
/// that XML 1.0 forbids even when escaped are dropped.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(super::markup("<a href=\"/x\">&'\u{1}"), "&lt;a href=&quot;/x&quot;&gt;&amp;&#39;");
    }
}
