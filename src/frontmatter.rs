//! Splitting a case-study file into its YAML front matter and Markdown body.
//!
//! Pure: takes the file's text (already checked to be UTF-8, with any
//! byte-order mark removed and CRLF turned into LF) and returns slices of it,
//! with the line each part starts on so later errors can point into the
//! original file. The opening `---` is line 1.

/// A file split at its `---` fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The YAML between the fences, without them.
    pub yaml: &'a str,
    /// The line of the original file on which `yaml` starts (always 2).
    pub yaml_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// The line of the original file on which `body` starts.
    pub body_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    Missing,
    /// There is an opening `---` but no closing one.
    Unclosed,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches([' ', '\t']) == "---"
}

/// Splits `text` into front matter and body.
pub fn split(text: &str) -> Result<FrontMatter<'_>, SplitError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Err(SplitError::Missing);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if is_fence(&text[offset..end]) {
            let body_start = (end + 1).min(text.len());
            return Ok(FrontMatter {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_fences() {
        let fm = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(fm.yaml, "title: A\n");
        assert_eq!(fm.yaml_line, 2);
        assert_eq!(fm.body, "Body\n");
        assert_eq!(fm.body_line, 4);
    }

    #[test]
    fn empty_body_and_trailing_spaces_on_fences() {
        let fm = split("--- \ntitle: A\n---").unwrap();
        assert_eq!(fm.yaml, "title: A\n");
        assert_eq!(fm.body, "");
        assert_eq!(fm.body_line, 4);
    }

    #[test]
    fn a_fence_inside_the_body_is_body() {
        let fm = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(fm.body, "text\n---\nmore\n");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("title: A\n"), Err(SplitError::Missing));
        assert_eq!(split("----\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split("---"), Err(SplitError::Unclosed));
    }
}
