//! JPEG encoding: quality 80, 4:2:0 chroma, optimised Huffman tables, no metadata at all.

use crate::ImagingError;
use image::RgbaImage;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// Encodes an opaque RGBA image. Nothing but the pixels is written (no EXIF, so no GPS, no
/// orientation tag, no maker notes), so the result is upright in every viewer.
pub fn encode(image: &RgbaImage, quality: u8, progressive: bool) -> Result<Vec<u8>, ImagingError> {
    let (width, height) = image.dimensions();
    let (Ok(width), Ok(height)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(ImagingError::Corrupt("too large for JPEG".into()));
    };
    let mut bytes = Vec::with_capacity(usize::from(width) * usize::from(height) / 4);
    let mut encoder = Encoder::new(&mut bytes, quality);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder.set_optimized_huffman_tables(true);
    encoder.set_progressive(progressive);
    encoder
        .encode(image.as_raw(), width, height, ColorType::Rgba)
        .map_err(|e| ImagingError::Corrupt(format!("encoding failed: {e}")))?;
    Ok(bytes)
}
