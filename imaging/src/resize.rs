//! Fitting into a long edge, and high-quality resampling (Lanczos3, SIMD where the CPU has it).

use crate::ImagingError;
use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbaImage;

/// The size of `width × height` scaled to fit within `long_edge` on its longer side, keeping
/// the aspect ratio (to the nearest pixel) and never enlarging.
pub fn fit_within(width: u32, height: u32, long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_edge {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(long_edge) + u64::from(long) / 2) / u64::from(long);
        (scaled as u32).clamp(1, long_edge)
    };
    (scale(width), scale(height))
}

/// Resamples `image` to exactly `width × height`. The image is opaque by now, so alpha is not
/// premultiplied (which also avoids a known wasm SIMD miscompilation in that path).
pub fn resize(image: &RgbaImage, width: u32, height: u32) -> Result<RgbaImage, ImagingError> {
    if (width, height) == image.dimensions() {
        return Ok(image.clone());
    }
    let source = fast_image_resize::images::ImageRef::new(
        image.width(),
        image.height(),
        image.as_raw(),
        PixelType::U8x4,
    )
    .map_err(internal)?;
    let mut target = Image::new(width, height, PixelType::U8x4);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .use_alpha(false);
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(internal)?;
    RgbaImage::from_raw(width, height, target.into_vec())
        .ok_or_else(|| internal("resized buffer size"))
}

fn internal(error: impl std::fmt::Display) -> ImagingError {
    ImagingError::Corrupt(format!("resizing failed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fits_without_enlarging() {
        assert_eq!(fit_within(4608, 1976, 1600), (1600, 686));
        assert_eq!(fit_within(1976, 4608, 400), (172, 400));
        assert_eq!(fit_within(300, 200, 400), (300, 200));
        assert_eq!(fit_within(100_000, 1, 1600), (1600, 1));
    }

    proptest! {
        #[test]
        fn fitted_sizes_respect_the_edge_and_the_aspect(
            width in 1u32..20_000, height in 1u32..20_000, edge in 1u32..3000,
        ) {
            let (w, h) = fit_within(width, height, edge);
            prop_assert!(w <= edge && h <= edge);
            prop_assert!(w <= width && h <= height, "never enlarges");
            prop_assert!(w >= 1 && h >= 1);
            if width.max(height) > edge {
                prop_assert_eq!(w.max(h), edge, "the long edge is used fully");
            }
            // Within one pixel of the exact aspect ratio.
            let exact_h = f64::from(w) * f64::from(height) / f64::from(width);
            let exact_w = f64::from(h) * f64::from(width) / f64::from(height);
            prop_assert!((f64::from(h) - exact_h).abs() <= 1.0 || (f64::from(w) - exact_w).abs() <= 1.0);
        }
    }
}
