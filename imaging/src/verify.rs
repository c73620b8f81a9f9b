//! Checking a JPEG that a browser says the pipeline made, before the server keeps it: the
//! whole file, not its first bytes. It must be one plain JPEG from start to end (no bytes
//! after its end, so no other file hides behind it), carry no metadata segment (no EXIF,
//! XMP, ICC, IPTC or comment: the pipeline writes none, and GPS must never be served), and
//! decode completely at the size its header states.

use crate::markers::{segments, COM, EOI};
use crate::{ImagingError, Limits};
use jpeg_decoder::Decoder;

/// Width and height of `bytes`, a metadata-free JPEG decoded whole, or why not.
pub fn plain_jpeg(bytes: &[u8], limits: &Limits) -> Result<(u32, u32), ImagingError> {
    let mut end = None;
    for segment in segments(bytes) {
        let segment = segment?;
        if let Some(name) = metadata_name(segment.marker) {
            return Err(ImagingError::Corrupt(format!(
                "it carries metadata ({name}), which photos here never have"
            )));
        }
        if segment.marker == EOI {
            end = Some(segment.end);
        }
    }
    match end {
        Some(end) if end == bytes.len() => {}
        Some(end) => {
            return Err(ImagingError::Corrupt(format!(
                "{} bytes after the end of the image",
                bytes.len() - end
            )))
        }
        None => return Err(ImagingError::Truncated),
    }
    let mut decoder = Decoder::new(bytes);
    decoder.read_info().map_err(corrupt)?;
    let info = decoder.info().ok_or(ImagingError::Truncated)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    limits.check_pixels(width, height)?;
    decoder.set_max_decoding_buffer_size(
        usize::try_from(limits.max_alloc_bytes).unwrap_or(usize::MAX),
    );
    decoder.decode().map_err(corrupt)?;
    Ok((width, height))
}

/// What a segment holds, if it is one only metadata uses. APP0 (JFIF) is the one
/// application segment the encoder writes.
fn metadata_name(marker: u8) -> Option<&'static str> {
    match marker {
        0xE1 => Some("EXIF or XMP"),
        0xE2 => Some("an ICC profile"),
        0xED => Some("IPTC"),
        0xE3..=0xEF => Some("an application segment"),
        COM => Some("a comment"),
        _ => None,
    }
}

fn corrupt(error: jpeg_decoder::Error) -> ImagingError {
    match error {
        jpeg_decoder::Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImagingError::Truncated
        }
        other => ImagingError::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbaImage;

    fn encoded() -> Vec<u8> {
        let image = RgbaImage::from_fn(64, 48, |x, y| {
            image::Rgba([x as u8 * 4, y as u8 * 5, 90, 255])
        });
        crate::encode::encode(&image, 77).unwrap()
    }

    /// `jpeg` with a segment of `marker` inserted after SOI.
    fn with_segment(jpeg: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
        let length = (payload.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, marker]);
        out.extend(length.to_be_bytes());
        out.extend(payload);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn accepts_what_the_encoder_writes() {
        assert_eq!(plain_jpeg(&encoded(), &Limits::default()), Ok((64, 48)));
    }

    #[test]
    fn refuses_metadata_trailing_bytes_and_damage() {
        let jpeg = encoded();
        let limits = Limits::default();
        let refusal = |bytes: &[u8]| plain_jpeg(bytes, &limits).unwrap_err().to_string();
        for (marker, name) in [
            (0xE1, "EXIF"),
            (0xE2, "ICC"),
            (0xED, "IPTC"),
            (0xFE, "comment"),
        ] {
            let tagged = with_segment(&jpeg, marker, b"Exif\0\0GPS 51.5N 0.1W");
            assert!(
                refusal(&tagged).contains(name),
                "{marker:#x}: {}",
                refusal(&tagged)
            );
        }
        let mut polyglot = jpeg.clone();
        polyglot.extend(b"<html><script>alert(1)</script></html>");
        assert!(
            refusal(&polyglot).contains("after the end"),
            "{}",
            refusal(&polyglot)
        );

        assert_eq!(
            plain_jpeg(&jpeg[..jpeg.len() - 40], &limits),
            Err(ImagingError::Truncated)
        );

        // The headers intact, the entropy-coded data replaced: only a whole decode sees it.
        let mut damaged = jpeg.clone();
        let data_start = damaged.len() / 2;
        let end = damaged.len() - 2;
        for (i, byte) in damaged[data_start..end].iter_mut().enumerate() {
            *byte = if i % 7 == 0 {
                0xFF
            } else {
                (i * 31 % 251) as u8
            };
        }
        assert!(plain_jpeg(&damaged, &limits).is_err());
        assert!(plain_jpeg(b"GIF89a", &limits).is_err());
    }
}
