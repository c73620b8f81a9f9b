//! Property tests over random sizes and orientations.

mod common;

use common::{process, rgb};
use jpeg_encoder::{ColorType, Encoder};
use proptest::prelude::*;

/// A JPEG of `width × height` with an EXIF block carrying `orientation`.
fn jpeg_with_orientation(width: u16, height: u16, orientation: u16) -> Vec<u8> {
    let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height))
        .flat_map(|i| {
            let (x, y) = (i % u32::from(width), i / u32::from(width));
            [
                (x * 255 / u32::from(width)) as u8,
                (y * 255 / u32::from(height)) as u8,
                128,
            ]
        })
        .collect();
    // TIFF, big-endian, IFD0 with one entry: Orientation (0x0112), SHORT, 1 value.
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut bytes = Vec::new();
    let mut encoder = Encoder::new(&mut bytes, 90);
    encoder.add_app_segment(1, exif).unwrap();
    encoder
        .encode(&pixels, width, height, ColorType::Rgb)
        .unwrap();
    bytes
}

/// Strips: the short side rounds up to 1 px at every DCT scale, which must not let the decoder
/// shrink the long side below the variants' edges (a 401 × 1 strip once came out 51 px long).
#[test]
fn strips_keep_their_long_edge() {
    for (width, height, display, thumb) in [
        (401, 1, (401, 1), (400, 1)),
        (3000, 2, (1600, 1), (400, 1)),
        (2, 3000, (1, 1600), (1, 400)),
        (2399, 7, (1600, 5), (400, 1)),
    ] {
        let out = process(&jpeg_with_orientation(width, height, 1)).unwrap();
        assert_eq!(
            (out.display.width, out.display.height),
            display,
            "{width}x{height}"
        );
        assert_eq!(
            (out.thumb.width, out.thumb.height),
            thumb,
            "{width}x{height}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn variants_fit_the_limits_and_keep_the_aspect(
        width in 1u16..2400,
        height in 1u16..2400,
        orientation in 1u16..=8,
    ) {
        let out = process(&jpeg_with_orientation(width, height, orientation)).unwrap();
        prop_assert_eq!(out.orientation, orientation as u8);
        let (w, h) = if orientation >= 5 { (height, width) } else { (width, height) };
        let (w, h) = (u32::from(w), u32::from(h));
        for (variant, edge) in [(&out.display, 1600), (&out.thumb, 400)] {
            prop_assert!(variant.width.max(variant.height) <= edge);
            prop_assert!(variant.width <= w && variant.height <= h, "never enlarged");
            if w.max(h) > edge {
                prop_assert_eq!(variant.width.max(variant.height), edge);
            }
            let exact_h = f64::from(variant.width) * f64::from(h) / f64::from(w);
            let exact_w = f64::from(variant.height) * f64::from(w) / f64::from(h);
            prop_assert!(
                (f64::from(variant.height) - exact_h).abs() <= 1.0 || (f64::from(variant.width) - exact_w).abs() <= 1.0,
                "{}x{} from {}x{}", variant.width, variant.height, w, h
            );
            let (dw, dh, _) = rgb(&variant.bytes);
            prop_assert_eq!((dw, dh), (variant.width, variant.height), "the JPEG says what we say");
        }
    }
}
