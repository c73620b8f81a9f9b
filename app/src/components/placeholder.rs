//! The blurred preview behind a photo while it loads: its ThumbHash decoded to a tiny image
//! (at most 16 px a side) and set as the `<img>`'s CSS background, which the photo covers once
//! it arrives. No script is needed, so it works in server-rendered pages before hydration.
//!
//! Why 16 px: a ThumbHash holds at most 7 waves along a side, which 16 samples keep, and the
//! browser's smoothing when it stretches the image does the rest. ThumbHash's own 32 px would
//! put 4 KB of base64 in the page per photo (half of a 50-card list page's HTML); this is 1 KB.
//! Why a cache: decoding is cosines per pixel, and a list page decodes every cover on every
//! request (it was a sixth of the list page's CPU, perf): the same hashes come back again and
//! again, so each is decoded once.

use base64::engine::general_purpose::STANDARD;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// The longest side of the placeholder image, in pixels.
const SIDE: usize = 16;
/// How many styles the cache keeps (each about 1.4 KB): when full it starts again, empty.
const CACHED_STYLES: usize = 2048;

static CACHE: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Mutex::default);

/// `style` for an `<img>` showing `hash` until the image loads; empty if the hash is unusable.
pub fn placeholder_style(hash: &str) -> String {
    if let Some(style) = cache().get(hash) {
        return style.clone();
    }
    let style = decoded_style(hash);
    let mut cache = cache();
    if cache.len() >= CACHED_STYLES {
        cache.clear();
    }
    cache.insert(hash.to_owned(), style.clone());
    style
}

/// The cache, even if a thread panicked holding it (it only ever holds finished entries).
fn cache() -> std::sync::MutexGuard<'static, HashMap<String, String>> {
    CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn decoded_style(hash: &str) -> String {
    let Some(bmp) = STANDARD_NO_PAD
        .decode(hash)
        .ok()
        .and_then(|hash| thumbhash::thumb_hash_to_rgba(&hash).ok())
        .map(|(width, height, rgba)| shrunk(width, height, rgba))
        .map(|(width, height, rgba)| bmp(width, height, &rgba))
    else {
        return String::new();
    };
    format!(
        "background-image:url(data:image/bmp;base64,{});background-size:cover",
        STANDARD.encode(bmp)
    )
}

/// Halves `rgba` (averaging 2 × 2 pixels) until its longest side is at most [`SIDE`].
fn shrunk(mut width: usize, mut height: usize, mut rgba: Vec<u8>) -> (usize, usize, Vec<u8>) {
    while width.max(height) > SIDE && width >= 2 && height >= 2 {
        let (half_width, half_height) = (width / 2, height / 2);
        let mut half = Vec::with_capacity(half_width * half_height * 4);
        for y in 0..half_height {
            for x in 0..half_width {
                for channel in 0..4 {
                    let at = |dx: usize, dy: usize| {
                        u16::from(rgba[((2 * y + dy) * width + 2 * x + dx) * 4 + channel])
                    };
                    let sum = at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1);
                    half.push(((sum + 2) / 4) as u8);
                }
            }
        }
        (width, height, rgba) = (half_width, half_height, half);
    }
    (width, height, rgba)
}

/// A 24-bit BMP: the simplest format every browser decodes, and at 32 × 32 pixels its lack of
/// compression costs nothing worth a PNG encoder in the page's wasm.
fn bmp(width: usize, height: usize, rgba: &[u8]) -> Vec<u8> {
    let row = (width * 3).div_ceil(4) * 4;
    let pixels = row * height;
    let mut out = Vec::with_capacity(54 + pixels);
    let le32 = |out: &mut Vec<u8>, v: usize| out.extend_from_slice(&(v as u32).to_le_bytes());
    out.extend_from_slice(b"BM");
    le32(&mut out, 54 + pixels);
    le32(&mut out, 0);
    le32(&mut out, 54);
    le32(&mut out, 40);
    le32(&mut out, width);
    le32(&mut out, height);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    for _ in 0..6 {
        le32(&mut out, 0);
    }
    // Rows bottom-up, pixels as blue, green, red.
    for y in (0..height).rev() {
        let start = out.len();
        for pixel in rgba[y * width * 4..(y + 1) * width * 4].chunks_exact(4) {
            out.extend_from_slice(&[pixel[2], pixel[1], pixel[0]]);
        }
        out.resize(start + row, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_thumbhash_to_a_bmp_background() {
        let style = placeholder_style("1QcSHQRnh493V4dIh4eXh1h4kJUI");
        let data = style
            .strip_prefix("background-image:url(data:image/bmp;base64,")
            .and_then(|rest| rest.strip_suffix(");background-size:cover"))
            .unwrap();
        let bmp = STANDARD.decode(data).unwrap();
        assert_eq!(&bmp[..2], b"BM");
        let width = u32::from_le_bytes(bmp[18..22].try_into().unwrap()) as usize;
        let height = u32::from_le_bytes(bmp[22..26].try_into().unwrap()) as usize;
        assert!((1..=SIDE).contains(&width) && (1..=SIDE).contains(&height));
        assert_eq!(width.max(height), SIDE, "a 32 px ThumbHash halves once");
        assert_eq!(bmp.len(), 54 + (width * 3).div_ceil(4) * 4 * height);
    }

    #[test]
    fn an_unusable_hash_gives_no_style() {
        assert_eq!(placeholder_style(""), "");
        assert_eq!(placeholder_style("<script>"), "");
    }

    #[test]
    fn shrinking_averages_each_two_by_two_block() {
        // 34 × 2: one halving to 17 × 1, then no more (a side would reach zero).
        let mut rgba = Vec::new();
        for y in 0..2u8 {
            for x in 0..34u8 {
                rgba.extend_from_slice(&[x * 2 + y, 10, 200, 255]);
            }
        }
        let (width, height, half) = shrunk(34, 2, rgba);
        assert_eq!((width, height), (17, 1));
        // Pixel 3 averages x = 6, 7 on rows 0, 1: red (12 + 14 + 13 + 15) / 4, rounded.
        assert_eq!(&half[12..16], &[14, 10, 200, 255]);
    }

    #[test]
    fn a_cached_style_is_the_decoded_one() {
        let hash = "1QcSHQRnh493V4dIh4eXh1h4kJUI";
        assert_eq!(placeholder_style(hash), decoded_style(hash));
        assert_eq!(placeholder_style(hash), decoded_style(hash));
    }
}
