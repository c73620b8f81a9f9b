//! The blurred preview shown while a photo loads: a ThumbHash, base64-encoded (about 30
//! characters), decodable in the browser to a tiny image with the photo's colours and layout.

use crate::{resize, ImagingError};
use base64::{engine::general_purpose::STANDARD_NO_PAD, Engine};
use image::RgbaImage;

/// ThumbHash takes at most 100 × 100 pixels.
const MAX_SIDE: u32 = 100;

pub fn thumb_hash(image: &RgbaImage) -> Result<String, ImagingError> {
    let (width, height) = resize::fit_within(image.width(), image.height(), MAX_SIDE);
    let small = resize::resize(image, width, height)?;
    let hash = thumbhash::rgba_to_thumb_hash(width as usize, height as usize, small.as_raw());
    Ok(STANDARD_NO_PAD.encode(hash))
}
