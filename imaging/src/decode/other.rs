//! PNG, WebP and GIF (first frame) through the `image` crate, with its allocation limits.

use super::{flatten_onto_white, Decoded};
use crate::{ImagingError, Limits};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use std::io::Cursor;

pub fn decode(
    bytes: &[u8],
    image_format: ImageFormat,
    limits: &Limits,
) -> Result<Decoded, ImagingError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut image_limits = image::Limits::default();
    image_limits.max_alloc = Some(limits.max_alloc_bytes);
    reader.limits(image_limits);
    let mut decoder = reader.into_decoder().map_err(|e| error(e, limits))?;
    let (width, height) = decoder.dimensions();
    // Before a single pixel is allocated: a 40000 × 40000 "bomb" ends here.
    limits.check_pixels(width, height)?;
    // At their peak together: the decoded buffer, the 8-bit RGBA copy made from it, and
    // one more for turning it upright.
    let rgba = u64::from(width) * u64::from(height) * 4;
    limits.check_memory(decoder.total_bytes() + 2 * rgba)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(|e| error(e, limits))?;
    let mut image = image.into_rgba8();
    flatten_onto_white(&mut image);
    Ok(Decoded {
        image,
        source_width: width,
        source_height: height,
        orientation,
    })
}

fn error(error: ImageError, limits: &Limits) -> ImagingError {
    match error {
        ImageError::Limits(_) => limits.too_much_memory(),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImagingError::Truncated
        }
        other => ImagingError::Corrupt(other.to_string()),
    }
}
