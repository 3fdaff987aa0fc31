//! Images people upload (the company logo, a profile photo): recognised by their first
//! bytes, never by the file's name or the type the browser declared, so a script
//! dressed as `foto.png` is not served as one.

/// The kind of image `bytes` hold — `png`, `jpg` or `webp`, the extension it is stored
/// under — or `None` for anything else (SVG included: it can carry scripts).
pub fn kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::kind;

    #[test]
    fn only_a_whole_signature_names_an_image() {
        assert_eq!(kind(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        let not_images: [&[u8]; 5] = [b"", b"\x89PNG", b"RIFF\0\0\0\0WAVEfmt ", b"GIF89a", b"<svg/>"];
        for bytes in not_images {
            assert_eq!(kind(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn images_are_typed_by_their_bytes() {
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
    }
}
