//! The blurred preview behind a photo while it loads: its ThumbHash decoded to a tiny image
//! (at most 32 px a side) and set as the `<img>`'s CSS background, which the photo covers once
//! it arrives. No script is needed, so it works in server-rendered pages before hydration.

use base64::engine::general_purpose::STANDARD;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;

/// `style` for an `<img>` showing `hash` until the image loads; empty if the hash is unusable.
pub fn placeholder_style(hash: &str) -> String {
    let Some(bmp) = STANDARD_NO_PAD
        .decode(hash)
        .ok()
        .and_then(|hash| thumbhash::thumb_hash_to_rgba(&hash).ok())
        .map(|(width, height, rgba)| bmp(width, height, &rgba))
    else {
        return String::new();
    };
    format!(
        "background-image:url(data:image/bmp;base64,{});background-size:cover",
        STANDARD.encode(bmp)
    )
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
        assert!((1..=32).contains(&width) && (1..=32).contains(&height));
        assert_eq!(bmp.len(), 54 + (width * 3).div_ceil(4) * 4 * height);
    }

    #[test]
    fn an_unusable_hash_gives_no_style() {
        assert_eq!(placeholder_style(""), "");
        assert_eq!(placeholder_style("<script>"), "");
    }
}
