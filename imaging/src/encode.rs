//! JPEG encoding: 4:2:0 chroma, one interleaved baseline scan, standard Huffman tables, no
//! metadata at all.
//!
//! Measured on two phone photos (README "Photo pipeline"): `jpeg-encoder`'s progressive mode
//! came out about 8 % larger than baseline, and its "optimised Huffman tables" mode, though
//! 3.5 % smaller, writes one scan per component, which some decoders (`zune-jpeg`, and with it
//! the `image` crate) decode wrongly. One interleaved baseline scan is what every decoder
//! reads.

use crate::ImagingError;
use image::RgbaImage;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// Encodes an opaque RGBA image (the alpha channel is ignored). Nothing but the pixels is written (no EXIF, so no GPS, no
/// orientation tag, no maker notes), so the result is upright in every viewer.
pub fn encode(image: &RgbaImage, quality: u8) -> Result<Vec<u8>, ImagingError> {
    let (width, height) = image.dimensions();
    let (Ok(width), Ok(height)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(ImagingError::Corrupt("too large for JPEG".into()));
    };
    let mut bytes = Vec::with_capacity(usize::from(width) * usize::from(height) / 4);
    let mut encoder = Encoder::new(&mut bytes, quality);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder
        .encode(image.as_raw(), width, height, ColorType::Rgba)
        .map_err(|e| ImagingError::Corrupt(format!("encoding failed: {e}")))?;
    Ok(bytes)
}
