//! Content hashes for file names that browsers may cache forever.
//!
//! FNV-1a, 64 bits: stable across Rust versions and platforms (unlike
//! `DefaultHasher`), fast, and plenty for telling two versions of one file
//! apart. It is not for security.

/// The hash of `bytes` as 16 lowercase hex digits.
pub fn content_hash(bytes: &[u8]) -> String {
    content_hash_of_parts([bytes])
}

/// The hash of `parts` one after another, without joining them: the same
/// as [`content_hash`] of their concatenation.
pub fn content_hash_of_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.into_iter().flatten() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `style.css` becomes `style.<hash>.css`, using the first 10 hex digits.
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..10]),
        None => format!("{name}.{}", &hash[..10]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(content_hash(b""), "cbf29ce484222325");
        assert_eq!(content_hash(b"a"), "af63dc4c8601ec8c");
        assert_eq!(hashed_name("style.css", b"a"), "style.af63dc4c86.css");
        let parts: [&[u8]; 3] = [b"ab", b"", b"c"];
        assert_eq!(content_hash_of_parts(parts), content_hash(b"abc"));
    }
}
