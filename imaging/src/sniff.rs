//! What a file really is, from its first bytes: never from its name or claimed MIME type.

use crate::ImagingError;

/// The formats the pipeline decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::WebP => "WebP",
            Format::Gif => "GIF",
        }
    }
}

/// Identifies `bytes`, refusing every format Shelf cannot read with a specific reason.
pub fn sniff(bytes: &[u8]) -> Result<Format, ImagingError> {
    if bytes.is_empty() {
        return Err(ImagingError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(Format::Gif);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(Format::WebP);
    }
    if let Some(error) = iso_media(bytes) {
        return Err(error);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Err(ImagingError::Tiff);
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(ImagingError::Pdf);
    }
    if bytes.starts_with(b"BM") && bytes.len() >= 26 {
        return Err(ImagingError::Unsupported("BMP"));
    }
    if bytes.starts_with(b"8BPS") {
        return Err(ImagingError::Unsupported("Photoshop (PSD)"));
    }
    if bytes.starts_with(&[0, 0, 1, 0]) {
        return Err(ImagingError::Unsupported("Icon (ICO)"));
    }
    if bytes.starts_with(&[0xFF, 0x0A]) || bytes.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n") {
        return Err(ImagingError::Unsupported("JPEG XL"));
    }
    text_kind(bytes).map_or(Err(ImagingError::Unknown), Err)
}

/// HEIF and AVIF are ISO base media files: a `ftyp` box whose brands name the codec.
fn iso_media(bytes: &[u8]) -> Option<ImagingError> {
    if bytes.len() < 16 || &bytes[4..8] != b"ftyp" {
        return None;
    }
    let box_len = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = box_len.clamp(16, bytes.len().min(256));
    // The major brand, then (after the minor version) the compatible brands.
    let brands = std::iter::once(&bytes[8..12]).chain(bytes[16..end].chunks_exact(4));
    let mut heif = false;
    for brand in brands {
        match brand {
            b"avif" | b"avis" => return Some(ImagingError::Avif),
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                heif = true
            }
            _ => {}
        }
    }
    heif.then_some(ImagingError::Heic)
}

/// SVG, HTML and plain text, recognised from the start of the file as text.
fn text_kind(bytes: &[u8]) -> Option<ImagingError> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // Cut at a char boundary: the window may split a multi-byte character.
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return None;
    }
    let lower = text.trim_start().to_ascii_lowercase();
    if lower.contains("<svg") {
        Some(ImagingError::Svg)
    } else if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.contains("<body")
    {
        Some(ImagingError::Html)
    } else {
        Some(ImagingError::Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_what_it_reads() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Ok(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(Format::Png));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Ok(Format::Gif));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Ok(Format::WebP));
    }

    #[test]
    fn refuses_the_rest_by_name() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty"),
            (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", "heic"),
            (b"\0\0\0\x1cftypmif1\0\0\0\0mif1miafheic", "heic"),
            (b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf", "avif"),
            (b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf", "avif"),
            (b"II*\0\x08\0\0\0", "tiff"),
            (b"MM\0*\0\0\0\x08", "tiff"),
            (b"%PDF-1.7\n", "pdf"),
            (
                b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                "svg",
            ),
            (b"\xEF\xBB\xBF  <svg width=\"1\"/>", "svg"),
            (b"<!DOCTYPE html><html><body>hi</body></html>", "html"),
            (b"Just some notes\nabout a lamp.", "text"),
            (
                b"BM\x36\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0",
                "unsupported",
            ),
            (b"\0\x01\x02\x03\xfe\xfe", "unknown"),
            (&[0xFF, 0xD8], "unknown"),
        ];
        for (bytes, code) in cases {
            assert_eq!(sniff(bytes).map_err(|e| e.code()), Err(*code), "{bytes:?}");
        }
    }
}
