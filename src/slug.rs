//! Slugs: the lowercase `a-z0-9-` names used in file names and URLs.

/// Whether `s` is a valid slug: non-empty, lowercase ASCII letters, digits
/// and single hyphens, not starting or ending with a hyphen.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Turns any text into a slug: "St Helens & Knowsley" becomes
/// "st-helens-knowsley". Letters with accents lose them where the base
/// letter is ASCII; other characters become separators.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars().map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            pending_hyphen = true;
        }
    }
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à'..='å' | 'À'..='Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ŵ' | 'Ŵ' => 'w',
        'ŷ' | 'Ŷ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_slugs() {
        assert!(is_valid("coventry-celebrating-success"));
        assert!(is_valid("a1"));
        assert!(!is_valid("Coventry"));
        assert!(!is_valid("a_b"));
        assert!(!is_valid("-a"));
        assert!(!is_valid("a--b"));
        assert!(!is_valid(""));
    }

    #[test]
    fn slugify_text() {
        assert_eq!(slugify("Coventry Pledge"), "coventry-pledge");
        assert_eq!(slugify("St Helens & Knowsley"), "st-helens-knowsley");
        assert_eq!(slugify("Ynys Môn"), "ynys-mon");
        assert_eq!(slugify("Children's homes"), "childrens-homes");
        assert_eq!(slugify("__My_File__"), "my-file");
        assert_eq!(slugify("Brighton and Hove"), slugify("brighton-and-hove"));
    }
}
