//! Decoding to 8-bit sRGB RGBA, with limits, and reading the EXIF orientation.

mod jpeg;
mod other;

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
    match format {
        Format::Jpeg => jpeg::decode(bytes, limits, long_edge),
        Format::Png => other::decode(bytes, ImageFormat::Png, limits),
        Format::WebP => other::decode(bytes, ImageFormat::WebP, limits),
        Format::Gif => other::decode(bytes, ImageFormat::Gif, limits),
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
