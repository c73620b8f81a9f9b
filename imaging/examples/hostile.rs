//! `cargo run -p imaging --release --example hostile -- OUT_DIR`
//!
//! Writes the hostile photos that `make hostile-photos` measures (peak RSS and heap of the
//! `shrink` example on each): what a phone never sends but an attacker, or an odd camera,
//! might. Each is a complete, valid file.
//!
//! - `progressive-100mp.jpg`: 10000 × 10000 progressive; its coefficients alone are 286 MiB.
//! - `progressive-80mp.jpg`: 10320 × 7740 progressive: 229 MiB of coefficients, and at the
//!   1/4 scale a 1600 px variant needs, over the 256 MiB estimate.
//! - `progressive-48mp.jpg`: 8000 × 6000 progressive, inside it (about 180 MiB).
//! - `baseline-200mp.jpg`: 16320 × 12240 baseline 4:2:0, as Samsung's 200 MP sensor writes.
//! - `flat-200mp.jpg`: the same size, every block flat (1.2 MB): decoding time without data.
//! - `png16-100mp.png`: 10000 × 10000, 16 bits per channel RGB: a small file, 600 MB decoded.
//! - `many-scans.jpg`: 4000 × 3000 progressive in 32 scans per component (jpeg-encoder 0.7.1
//!   writes an invalid last scan with 64).
//! - `huge-exif.jpg`: a 4000 × 3000 JPEG carrying 64 MB of APP1 segments.
//! - `giant-icc.jpg`: a 4000 × 3000 JPEG carrying a 16 MB ICC profile (255 chunks).

#[path = "../tests/common/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use std::path::{Path, PathBuf};

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/hostile".into()),
    );
    std::fs::create_dir_all(&out)?;
    jpeg(&out, "progressive-100mp.jpg", 10_000, 10_000, |e| {
        e.set_progressive(true)
    })?;
    jpeg(&out, "progressive-80mp.jpg", 10_320, 7_740, |e| {
        e.set_progressive(true)
    })?;
    jpeg(&out, "progressive-48mp.jpg", 8_000, 6_000, |e| {
        e.set_progressive(true)
    })?;
    jpeg(&out, "baseline-200mp.jpg", 16_320, 12_240, |_| {})?;
    std::fs::write(
        out.join("flat-200mp.jpg"),
        synthetic::flat_jpeg(16_320, 12_240),
    )?;
    png16(&out.join("png16-100mp.png"), 10_000, 10_000)?;
    jpeg(&out, "many-scans.jpg", 4_000, 3_000, |e| {
        e.set_progressive_scans(32)
    })?;
    jpeg(&out, "huge-exif.jpg", 4_000, 3_000, |e| {
        let mut exif = b"Exif\0\0".to_vec();
        exif.resize(65_533, 0x5A);
        for _ in 0..1_000 {
            e.add_app_segment(1, exif.clone())
                .expect("an APP1 segment fits");
        }
    })?;
    jpeg(&out, "giant-icc.jpg", 4_000, 3_000, |e| {
        let profile = vec![0x42; 16_000_000];
        e.add_icc_profile(&profile)
            .expect("a 16 MB profile fits 255 chunks");
    })?;
    Ok(())
}

/// A smooth picture with some texture (a plain gradient would compress to nothing).
fn pixels(width: usize, height: usize) -> Vec<u8> {
    let mut rgb = vec![0u8; width * height * 3];
    let mut noise = 0x2545_F491u32;
    for (i, pixel) in rgb.chunks_exact_mut(3).enumerate() {
        let (x, y) = (i % width, i / width);
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let grain = (noise & 0x0F) as usize;
        pixel[0] = ((x * 255 / width + grain) & 0xFF) as u8;
        pixel[1] = ((y * 255 / height + grain) & 0xFF) as u8;
        pixel[2] = (((x + y) / 64 % 256) & 0xFF) as u8;
    }
    rgb
}

fn jpeg(
    out: &Path,
    name: &str,
    width: u16,
    height: u16,
    configure: impl FnOnce(&mut Encoder<&mut Vec<u8>>),
) -> std::io::Result<()> {
    let rgb = pixels(usize::from(width), usize::from(height));
    let mut bytes = Vec::new();
    let mut encoder = Encoder::new(&mut bytes, 85);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    configure(&mut encoder);
    encoder
        .encode(&rgb, width, height, ColorType::Rgb)
        .map_err(std::io::Error::other)?;
    std::fs::write(out.join(name), bytes)?;
    eprintln!("wrote {name}");
    Ok(())
}

fn png16(path: &Path, width: u32, height: u32) -> std::io::Result<()> {
    use image::{ImageBuffer, Rgb};
    // Bands of colour: the file stays small (a few MB), as a bomb's would; decoded, 600 MB.
    let image: ImageBuffer<Rgb<u16>, Vec<u16>> = ImageBuffer::from_fn(width, height, |_, y| {
        Rgb([(y / 100 * 600) as u16, 20_000, 40_000])
    });
    image
        .save_with_format(path, image::ImageFormat::Png)
        .map_err(std::io::Error::other)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
