//! JPEG through `jpeg-decoder`, which can decode at 1/2, 1/4 or 1/8 scale straight from the
//! DCT coefficients ("shrink-on-load", as libjpeg-turbo and libvips do): a 100 MP photo bound
//! for a 1600 px variant never exists at full size in memory.

use super::{budget, Decoded};
use crate::{ImagingError, Limits};
use image::metadata::Orientation;
use image::RgbaImage;
use jpeg_decoder::{Decoder, PixelFormat};

/// Width and height from a JPEG's headers, reading nothing past the frame header: enough to
/// check an uploaded file from its first bytes.
pub fn dimensions(head: &[u8]) -> Result<(u32, u32), ImagingError> {
    if crate::sniff(head)? != crate::Format::Jpeg {
        return Err(ImagingError::Unsupported("Non-JPEG"));
    }
    let mut decoder = Decoder::new(head);
    decoder.read_info().map_err(jpeg_error)?;
    let info = decoder.info().ok_or_else(|| corrupt("no frame header"))?;
    Ok((u32::from(info.width), u32::from(info.height)))
}

/// Decodes at the smallest scale that keeps `long_edge` pixels, once the frame header shows
/// that the decode fits the limits (`budget`).
pub fn decode(bytes: &[u8], limits: &Limits, long_edge: u32) -> Result<Decoded, ImagingError> {
    let frame = budget::frame(bytes)?;
    let (source_width, source_height) = (frame.width, frame.height);
    limits.check_source_pixels(source_width, source_height)?;
    let mut decoder = Decoder::new(bytes);
    decoder.read_info().map_err(jpeg_error)?;

    let (request_width, request_height) = request(source_width, source_height, long_edge);
    let (out_width, _) = decoder
        .scale(request_width, request_height)
        .map_err(jpeg_error)?;
    let scale = [1, 2, 4, 8]
        .into_iter()
        .find(|&scale| frame.output_size(scale).0 == u64::from(out_width))
        .unwrap_or(8);
    let (out_w, out_h) = frame.output_size(scale);
    limits.check_pixels(out_w as u32, out_h as u32)?;
    limits.check_memory(frame.peak_bytes(scale))?;
    decoder.set_max_decoding_buffer_size(
        usize::try_from(limits.max_alloc_bytes).unwrap_or(usize::MAX),
    );
    let pixels = decoder.decode().map_err(|e| match e {
        jpeg_decoder::Error::Format(message) if message.contains("buffer size") => {
            limits.too_much_memory()
        }
        other => jpeg_error(other),
    })?;
    let info = decoder.info().ok_or_else(|| corrupt("no frame header"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let image = to_rgba(pixels, info.pixel_format, width, height)?;
    let orientation = decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    Ok(Decoded {
        image,
        source_width,
        source_height,
        orientation,
    })
}

/// The size to ask the decoder for: the long edge scaled to `long_edge` (or whole, if shorter),
/// the short one unbounded. `jpeg-decoder` picks the smallest DCT scale at which *either* side reaches the
/// request, and a short side rounds up to a whole pixel at any scale (a 401 × 1 strip is still
/// 1 px high at 1/8), so asking for both sides could shrink the long edge below `long_edge`.
/// Asking for the long side only makes it the one that decides; the short side then comes out
/// at least as large as the fitted size (it is rounded up).
fn request(width: u32, height: u32, long_edge: u32) -> (u16, u16) {
    // JPEG sides are at most 65 535.
    let edge = width.max(height).min(long_edge) as u16;
    if width >= height {
        (edge, u16::MAX)
    } else {
        (u16::MAX, edge)
    }
}

fn to_rgba(
    pixels: Vec<u8>,
    format: PixelFormat,
    width: u32,
    height: u32,
) -> Result<RgbaImage, ImagingError> {
    let count = width as usize * height as usize;
    if pixels.len() < count * format.pixel_bytes() {
        return Err(corrupt("fewer pixels than the header promises"));
    }
    // Written in place pixel by pixel: a `push` per byte would cost more than the decode's
    // own colour conversion.
    let mut rgba = vec![255u8; count * 4];
    let out = rgba.chunks_exact_mut(4);
    match format {
        PixelFormat::RGB24 => {
            for (o, p) in out.zip(pixels.chunks_exact(3)) {
                o[..3].copy_from_slice(p);
            }
        }
        PixelFormat::L8 => {
            for (o, &l) in out.zip(&pixels) {
                o[..3].fill(l);
            }
        }
        PixelFormat::L16 => {
            // 16-bit lossless JPEG: big-endian samples; keep the high byte.
            for (o, p) in out.zip(pixels.chunks_exact(2)) {
                o[..3].fill(p[0]);
            }
        }
        PixelFormat::CMYK32 => {
            // jpeg-decoder hands out ink amounts (it undoes Adobe's inverted storage, for
            // CMYK and YCCK alike). A naive, profile-less conversion: white paper minus ink.
            for (o, p) in out.zip(pixels.chunks_exact(4)) {
                let k = 255 - u16::from(p[3]);
                for (c, &ink) in o[..3].iter_mut().zip(&p[..3]) {
                    *c = ((255 - u16::from(ink)) * k / 255) as u8;
                }
            }
        }
    }
    RgbaImage::from_raw(width, height, rgba).ok_or_else(|| corrupt("pixel buffer size"))
}

fn corrupt(error: impl std::fmt::Display) -> ImagingError {
    ImagingError::Corrupt(error.to_string())
}

/// Running out of bytes is its own, common failure (an interrupted copy or download).
fn jpeg_error(error: jpeg_decoder::Error) -> ImagingError {
    match error {
        jpeg_decoder::Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImagingError::Truncated
        }
        other => corrupt(other),
    }
}

#[cfg(test)]
mod tests {
    use super::request;

    #[test]
    fn requests_bound_the_long_edge_only() {
        assert_eq!(request(4000, 3000, 1600), (1600, u16::MAX));
        assert_eq!(request(3000, 4000, 1600), (u16::MAX, 1600));
        assert_eq!(request(800, 600, 1600), (800, u16::MAX));
        assert_eq!(request(401, 1, 1600), (401, u16::MAX));
        assert_eq!(request(60000, 10, 1600), (1600, u16::MAX));
    }
}
