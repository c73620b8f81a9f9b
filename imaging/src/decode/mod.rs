//! Decoding to 8-bit sRGB RGBA, with limits, and reading the EXIF orientation.

pub mod budget;
mod jpeg;
mod other;

pub use jpeg::dimensions as jpeg_dimensions;

use crate::{Format, ImagingError, Limits};
use image::metadata::Orientation;
use image::{ImageFormat, RgbaImage};

/// A decoded image, opaque (alpha flattened onto white), not yet oriented.
pub struct Decoded {
    pub image: RgbaImage,
    /// Size of the source before any shrink-on-load.
    pub source_width: u32,
    pub source_height: u32,
    /// What the file's EXIF asks for; `NoTransforms` when absent or unreadable.
    pub orientation: Orientation,
}

/// Decodes `bytes` of the sniffed `format`. A JPEG is decoded at the smallest DCT scale
/// (1/8, 1/4, 1/2 or 1) that still yields at least `long_edge` pixels on its long side.
pub fn decode(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    long_edge: u32,
) -> Result<Decoded, ImagingError> {
    let decoded = match format {
        Format::Jpeg => jpeg::decode(bytes, limits, long_edge),
        Format::Png => other::decode(bytes, ImageFormat::Png, limits),
        Format::WebP => other::decode(bytes, ImageFormat::WebP, limits),
        Format::Gif => other::decode(bytes, ImageFormat::Gif, limits),
    };
    // Decoders describe a file that stops early as "corrupt bitstream" and the like; the
    // container says plainly whether it was cut short, which is the more useful message.
    decoded.map_err(|error| match error {
        ImagingError::Corrupt(_) if cut_short(bytes, format) => ImagingError::Truncated,
        other => other,
    })
}

/// Whether the file lacks the end its container promises.
fn cut_short(bytes: &[u8], format: Format) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    match format {
        // End Of Image, allowing for a little padding after it.
        Format::Jpeg => !tail.windows(2).any(|w| w == [0xFF, 0xD9]),
        Format::Png => !tail.windows(4).any(|w| w == b"IEND"),
        // The RIFF header states the file's length.
        Format::WebP => {
            let declared = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
            (bytes.len() as u64) < u64::from(declared) + 8
        }
        Format::Gif => tail.last() != Some(&0x3B),
    }
}

/// Composites every pixel over white, so transparent areas come out white in the JPEG rather
/// than whatever colour the transparent pixels happen to hold.
fn flatten_onto_white(image: &mut RgbaImage) {
    for pixel in image.pixels_mut() {
        let alpha = u16::from(pixel[3]);
        if alpha == 255 {
            continue;
        }
        for channel in &mut pixel.0[..3] {
            let blended = (u16::from(*channel) * alpha + 255 * (255 - alpha) + 127) / 255;
            *channel = blended as u8;
        }
        pixel[3] = 255;
    }
}
