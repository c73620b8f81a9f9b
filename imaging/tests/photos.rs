//! The pipeline on real photos from `testdata/photos` (this repository).

mod common;

use common::{mean_difference, photo, process, rgb};

/// Every EXIF orientation example comes out looking like the orientation-1 file.
#[test]
fn every_orientation_comes_out_upright() {
    for shape in ["Landscape", "Portrait"] {
        let reference = process(&photo(&format!("exif-orientation/{shape}_1.jpg"))).unwrap();
        let (rw, rh, reference_px) = rgb(&reference.display.bytes);
        for n in [0, 2, 3, 4, 5, 6, 7, 8] {
            let name = format!("exif-orientation/{shape}_{n}.jpg");
            let out = process(&photo(&name)).unwrap();
            let (w, h, px) = rgb(&out.display.bytes);
            assert_eq!((w, h), (rw, rh), "{name}: dimensions");
            let diff = mean_difference(&px, &reference_px);
            assert!(
                diff < 6.0,
                "{name}: mean difference {diff:.1} from {shape}_1"
            );
            assert_eq!(out.orientation, n.max(1), "{name}: orientation read");
        }
    }
}

/// The comparison above can fail: a wrong orientation is far from the reference.
#[test]
fn a_wrong_orientation_would_be_noticed() {
    let upright = process(&photo("exif-orientation/Landscape_1.jpg")).unwrap();
    let (w, h, px) = rgb(&upright.display.bytes);
    let mut mirrored = px.clone();
    for y in 0..h as usize {
        for x in 0..w as usize {
            let (a, b) = (
                (y * w as usize + x) * 3,
                (y * w as usize + (w as usize - 1 - x)) * 3,
            );
            mirrored[a..a + 3].copy_from_slice(&px[b..b + 3]);
        }
    }
    assert!(mean_difference(&mirrored, &px) > 20.0);
}

#[test]
fn phone_photos_lose_every_exif_and_gps_byte() {
    for name in ["phones/iphone6_gps.jpg", "phones/nokia83_gps.jpg"] {
        let original = photo(name);
        assert!(
            contains(&original, b"Exif\0\0"),
            "{name} should carry EXIF to begin with"
        );
        assert!(
            contains(&original, b"GPS") || contains(&original, &[0x88, 0x25]),
            "{name}: GPS IFD"
        );
        let out = process(&original).unwrap();
        for (variant, bytes) in [("display", &out.display.bytes), ("thumb", &out.thumb.bytes)] {
            assert!(!contains(bytes, b"Exif"), "{name} {variant}: EXIF left");
            assert!(!has_marker(bytes, 0xE1), "{name} {variant}: APP1 left");
            assert!(!contains(bytes, b"GPS"), "{name} {variant}: GPS left");
            assert!(
                !contains(bytes, b"Apple") && !contains(bytes, b"Nokia"),
                "{name} {variant}: maker left"
            );
        }
    }
}

#[test]
fn phone_photos_become_small_variants() {
    let original = photo("phones/nokia83_gps.jpg");
    let out = process(&original).unwrap();
    assert_eq!((out.source_width, out.source_height), (4608, 1976));
    assert_eq!((out.display.width, out.display.height), (1600, 686));
    assert_eq!((out.thumb.width, out.thumb.height), (400, 172));
    assert_eq!(
        (out.decoded_width, out.decoded_height),
        (2304, 988),
        "decoded at 1/2 scale"
    );
    let sent = out.display.bytes.len() + out.thumb.bytes.len();
    assert!(
        sent * 10 < original.len(),
        "{sent} bytes is not 90% below {}",
        original.len()
    );
    assert!(!out.placeholder.is_empty() && out.placeholder.len() < 40);
}

/// Every decoder reads a baseline JPEG with one interleaved scan (some, like `zune-jpeg`,
/// misread one-scan-per-component files).
#[test]
fn outputs_are_single_scan_baseline_jpegs() {
    let out = process(&photo("phones/iphone6_gps.jpg")).unwrap();
    for bytes in [&out.display.bytes, &out.thumb.bytes] {
        assert!(has_marker(bytes, 0xC0), "SOF0 (baseline)");
        assert!(!has_marker(bytes, 0xC2), "not progressive");
        let scans: Vec<u8> = bytes
            .windows(5)
            .filter(|w| w[0] == 0xFF && w[1] == 0xDA)
            .map(|w| w[4])
            .collect();
        assert_eq!(scans, vec![3], "one scan carrying all three components");
    }
}

#[test]
fn the_iphone_heic_is_refused_with_directions() {
    let error = process(&photo("phones/iphone13promax.heic")).unwrap_err();
    assert_eq!(error.code(), "heic");
    assert!(error.to_string().contains("JPEG"), "{error}");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether a JPEG has a marker segment `0xFF marker` before its scan data.
fn has_marker(jpeg: &[u8], marker: u8) -> bool {
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let m = jpeg[i + 1];
        if m == marker {
            return true;
        }
        if m == 0xDA {
            return false;
        }
        i += 2 + usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
    }
    false
}
