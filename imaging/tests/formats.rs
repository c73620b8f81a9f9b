//! Colour models and containers: everything comes out as opaque sRGB JPEG with the right colour.

mod common;

use common::{centre, close, fixture, process, rgb};

#[test]
fn cmyk_and_ycck_jpegs_keep_their_colour() {
    for name in ["cmyk.jpg", "ycck.jpg"] {
        let out = process(&fixture(name)).unwrap();
        let colour = centre(&out.display.bytes);
        assert!(close(colour, [220, 30, 40], 12), "{name}: {colour:?}");
    }
}

#[test]
fn grayscale_jpeg_and_16_bit_pngs() {
    let gray = centre(&process(&fixture("gray.jpg")).unwrap().display.bytes);
    assert!(close(gray, [90, 90, 90], 4), "gray.jpg: {gray:?}");
    let gray16 = centre(&process(&fixture("gray16.png")).unwrap().display.bytes);
    assert!(close(gray16, [60, 60, 60], 4), "gray16.png: {gray16:?}");
    let rgb16 = centre(&process(&fixture("rgb16.png")).unwrap().display.bytes);
    assert!(close(rgb16, [200, 100, 50], 6), "rgb16.png: {rgb16:?}");
}

#[test]
fn palette_gif_and_webp() {
    let palette = centre(&process(&fixture("palette.png")).unwrap().display.bytes);
    assert!(close(palette, [250, 200, 0], 8), "palette.png: {palette:?}");
    let gif = centre(&process(&fixture("animated.gif")).unwrap().display.bytes);
    assert!(
        close(gif, [0, 200, 0], 8),
        "the first frame of animated.gif: {gif:?}"
    );
    let webp = centre(&process(&fixture("lossy.webp")).unwrap().display.bytes);
    assert!(close(webp, [30, 160, 90], 8), "lossy.webp: {webp:?}");
}

#[test]
fn transparency_is_flattened_onto_white() {
    let out = process(&fixture("alpha.png")).unwrap();
    let (w, h, px) = rgb(&out.display.bytes);
    let at = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        [px[i], px[i + 1], px[i + 2]]
    };
    assert!(
        close(at(4, h / 2), [0, 0, 255], 10),
        "opaque blue stays: {:?}",
        at(4, h / 2)
    );
    assert!(
        close(at(w - 5, h / 2), [255, 255, 255], 6),
        "transparent becomes white: {:?}",
        at(w - 5, h / 2)
    );
    let half = centre(
        &process(&fixture("half-transparent.png"))
            .unwrap()
            .display
            .bytes,
    );
    assert!(
        close(half, [127, 127, 127], 5),
        "half-transparent black is grey: {half:?}"
    );
}

#[test]
fn png_exif_orientation_is_applied() {
    let out = process(&fixture("orientation-6.png")).unwrap();
    assert_eq!(out.orientation, 6);
    let (w, h, px) = rgb(&out.display.bytes);
    assert_eq!((w, h), (30, 60), "rotated to portrait");
    let at = |y: u32| {
        let i = ((y * w + w / 2) * 3) as usize;
        [px[i], px[i + 1], px[i + 2]]
    };
    // Rotating 90° clockwise puts the left (red) half on top.
    assert!(close(at(8), [200, 0, 0], 20), "top: {:?}", at(8));
    assert!(close(at(h - 8), [0, 0, 200], 20), "bottom: {:?}", at(h - 8));
}

#[test]
fn progressive_jpegs_decode_at_reduced_scale_too() {
    let out = process(&fixture("progressive.jpg")).unwrap();
    assert_eq!(
        (out.display.width, out.display.height),
        (640, 480),
        "never enlarged"
    );
    assert_eq!((out.thumb.width, out.thumb.height), (400, 300));
}

#[test]
fn small_images_are_never_enlarged() {
    let out = process(&fixture("gray.jpg")).unwrap();
    assert_eq!((out.display.width, out.display.height), (64, 48));
    assert_eq!((out.thumb.width, out.thumb.height), (64, 48));
}
