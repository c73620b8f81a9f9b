//! Hostile and broken input: a clear error, never a panic, and no huge allocation.

mod common;

use common::{fixture, photo, process, synthetic};
use imaging::{ImagingError, Options, SystemClock};
use proptest::prelude::*;

/// A PNG claiming `width × height` pixels (valid CRCs), with one tiny compressed chunk of
/// image data: all a decompression bomb needs to look real to a decoder.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x63\x00\x00\x00\x01\x00\x01";
    png.extend_from_slice(&(idat.len() as u32 - 4).to_be_bytes());
    png.extend_from_slice(idat);
    png.extend_from_slice(&crc32(idat).to_be_bytes());
    png.extend_from_slice(&0u32.to_be_bytes());
    png.extend_from_slice(b"IEND");
    png.extend_from_slice(&crc32(b"IEND").to_be_bytes());
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let error = process(&png_claiming(40_000, 40_000)).unwrap_err();
    assert_eq!(
        error,
        ImagingError::TooLarge {
            width: 40_000,
            height: 40_000,
            max_megapixels: 100
        }
    );
    assert!(error.to_string().contains("40000 × 40000"));
}

#[test]
fn a_large_image_within_the_pixel_limit_can_still_hit_the_memory_limit() {
    // 9000 × 9000 is 81 MP (under 100 MP) but 324 MB as RGBA: over the 256 MiB bound.
    let error = process(&png_claiming(9000, 9000)).unwrap_err();
    assert_eq!(error, ImagingError::TooMuchMemory { max_mib: 256 });
}

/// The pipeline with `limits` instead of the defaults.
fn process_within(
    bytes: &[u8],
    limits: imaging::Limits,
) -> Result<imaging::Processed, ImagingError> {
    let options = Options {
        limits,
        ..Options::default()
    };
    imaging::process(bytes, &options, &SystemClock::default(), &mut |_| {})
}

#[test]
fn the_memory_limit_is_explicit() {
    let limits = imaging::Limits {
        max_pixels: 1_000,
        max_source_pixels: 1_000,
        max_alloc_bytes: 1 << 20,
        max_file_bytes: 1 << 20,
    };
    let error = process_within(&fixture("progressive.jpg"), limits).unwrap_err();
    assert_eq!(error.code(), "too-large");
}

/// A PNG header of `width × height`, 16 bits per channel, RGB.
fn png16_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = png_claiming(width, height);
    // IHDR's bit depth and colour type: 16-bit RGB; its CRC recomputed.
    png[24] = 16;
    png[25] = 2;
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn a_progressive_jpeg_is_refused_from_its_frame_header_when_its_coefficients_do_not_fit() {
    // 100 MP progressive keeps ~286 MiB of coefficients whatever the output scale. Only the
    // frame header is there: the refusal comes before any scan is read.
    let header = synthetic::frame_only(0xC2, 10_000, 10_000);
    assert_eq!(
        process(&header).unwrap_err(),
        ImagingError::TooMuchMemory { max_mib: 256 }
    );
    // The same size as a baseline JPEG would only be cut short: it fits.
    let baseline = synthetic::frame_only(0xC0, 10_000, 10_000);
    assert_eq!(process(&baseline).unwrap_err(), ImagingError::Truncated);
    // Lossless JPEGs never scale: 2 bytes a sample, whole.
    let lossless = synthetic::frame_only(0xC3, 9_000, 9_000);
    assert_eq!(
        process(&lossless).unwrap_err(),
        ImagingError::TooMuchMemory { max_mib: 256 }
    );
}

#[test]
fn a_200_megapixel_phone_jpeg_is_shrunk_on_load() {
    // Samsung's 200 MP sensor: 16320 × 12240. Decoded at 1/8, 2040 × 1530.
    let jpeg = synthetic::flat_jpeg(16_320, 12_240);
    let processed = process(&jpeg).expect("a 200 MP baseline JPEG is accepted");
    assert_eq!(
        (processed.source_width, processed.source_height),
        (16_320, 12_240)
    );
    assert_eq!(
        (processed.decoded_width, processed.decoded_height),
        (2040, 1530)
    );
    assert_eq!(
        (processed.display.width, processed.display.height),
        (1600, 1200)
    );
    // Beyond the source limit (250 MP), refused from the header.
    let huge = synthetic::frame_only(0xC0, 20_000, 13_000);
    assert_eq!(
        process(&huge).unwrap_err(),
        ImagingError::TooLarge {
            width: 20_000,
            height: 13_000,
            max_megapixels: 250
        }
    );
}

#[test]
fn a_16_bit_png_is_refused_from_its_header_when_it_and_its_copies_do_not_fit() {
    // 36 MP at 16 bits: 216 MB decoded (under the bound on its own), plus 144 MB for its
    // 8-bit RGBA copy and as much again to turn it upright: 504 MB at the peak.
    let error = process(&png16_claiming(6_000, 6_000)).unwrap_err();
    assert_eq!(error, ImagingError::TooMuchMemory { max_mib: 256 });
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let limits = imaging::Limits {
        max_file_bytes: 1_000,
        ..imaging::Limits::default()
    };
    let error = process_within(&fixture("progressive.jpg"), limits).unwrap_err();
    assert_eq!(error, ImagingError::FileTooLarge { max_mib: 0 });
    assert_eq!(error.code(), "file-too-large");
}

#[test]
fn truncated_files_are_refused() {
    // Cut inside the (first) image's data; a GIF cut in its second frame is a good first frame.
    for (name, bytes, tail) in [
        (
            "Landscape_1.jpg",
            photo("exif-orientation/Landscape_1.jpg"),
            20,
        ),
        ("alpha.png", fixture("alpha.png"), 30),
        ("lossy.webp", fixture("lossy.webp"), 10),
        ("animated.gif", fixture("animated.gif"), 150),
    ] {
        // At least the signature survives, or it is simply not recognisable as an image.
        for keep in [
            (bytes.len() / 10).max(16),
            bytes.len() / 2,
            bytes.len() - tail,
        ] {
            let result = process(&bytes[..keep]);
            assert!(
                matches!(result, Err(ImagingError::Truncated)),
                "{name} cut to {keep} bytes: {:?}",
                result.map(|p| (p.display.width, p.display.height))
            );
        }
    }
}

#[test]
fn garbage_after_a_jpeg_signature_is_refused() {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..5000u32).map(|i| (i * 7919 % 251) as u8));
    // The garbage claims segment lengths beyond the file's end: either error is clear.
    let code = process(&bytes).unwrap_err().code();
    assert!(code == "corrupt" || code == "truncated", "{code}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Flipping bytes anywhere in a real file never panics: a result or a clear error.
    #[test]
    fn damaged_files_never_panic(
        which in 0usize..4,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20),
    ) {
        let mut bytes = match which {
            0 => fixture("progressive.jpg"),
            1 => fixture("alpha.png"),
            2 => fixture("lossy.webp"),
            _ => fixture("animated.gif"),
        };
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = process(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = process(&bytes);
    }
}
