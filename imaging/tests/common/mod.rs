//! Helpers shared by the imaging tests.

#![allow(dead_code)] // each test file uses its own subset

pub mod synthetic;

use imaging::{Options, Processed, SystemClock};
use std::path::PathBuf;

/// `testdata/photos/<rel>` of this repository.
pub fn photo(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/photos")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn process(bytes: &[u8]) -> Result<Processed, imaging::ImagingError> {
    imaging::process(
        bytes,
        &Options::default(),
        &SystemClock::default(),
        &mut |_| {},
    )
}

/// Decodes one of our output JPEGs to RGB pixels (with an independent decoder setup).
pub fn rgb(jpeg: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = jpeg_decoder::Decoder::new(jpeg);
    let pixels = decoder.decode().expect("our output decodes");
    let info = decoder.info().unwrap();
    assert_eq!(info.pixel_format, jpeg_decoder::PixelFormat::RGB24);
    (u32::from(info.width), u32::from(info.height), pixels)
}

/// Mean absolute difference per channel, 0–255.
pub fn mean_difference(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len(), "same size expected");
    let total: u64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.len() as f64
}

/// The colour at the centre of the image, averaged over a few pixels.
pub fn centre(jpeg: &[u8]) -> [u8; 3] {
    let (w, h, px) = rgb(jpeg);
    let (cx, cy) = (w / 2, h / 2);
    let mut sum = [0u32; 3];
    let mut n = 0;
    for y in cy.saturating_sub(2)..(cy + 3).min(h) {
        for x in cx.saturating_sub(2)..(cx + 3).min(w) {
            let i = ((y * w + x) * 3) as usize;
            for c in 0..3 {
                sum[c] += u32::from(px[i + c]);
            }
            n += 1;
        }
    }
    sum.map(|s| (s / n) as u8)
}

pub fn close(actual: [u8; 3], expected: [u8; 3], tolerance: u8) -> bool {
    actual
        .iter()
        .zip(expected)
        .all(|(a, e)| a.abs_diff(e) <= tolerance)
}
