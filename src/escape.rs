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

/// Serialised JSON with `<`, `>` and `&` written as `\u` escapes: the
/// same data once parsed, but no text in it can close a `<script>` element
/// or turn into markup if a reader pastes it into a page.
pub fn json_inert(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_stays_the_same_data() {
        let text = super::json_inert(r#"{"a":"</script><b>&"}"#);
        assert_eq!(text, r#"{"a":"\u003c/script\u003e\u003cb\u003e\u0026"}"#);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["a"], "</script><b>&");
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(super::markup("<a href=\"/x\">&'\u{1}"), "&lt;a href=&quot;/x&quot;&gt;&amp;&#39;");
    }
}
