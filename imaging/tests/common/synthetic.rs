//! Files made to measure, for the limits: JPEGs of any size whose every block is flat grey
//! (so a 200-megapixel one is about a megabyte), and bare frame headers.
//!
//! The JPEG has one Huffman table of one code for DC and one for AC ("no change" and "end of
//! block", each the single bit 0), so every block costs two zero bits and the entropy-coded
//! data is all zero bytes: no byte stuffing, nothing to compute.

/// A complete baseline (SOF0) or progressive-header JPEG of `width × height`, YCbCr 4:2:0.
pub fn flat_jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    // One quantisation table of ones.
    segment(&mut jpeg, 0xDB, &[&[0u8][..], &[1u8; 64][..]].concat());
    jpeg.extend(frame_header(0xC0, width, height));
    // DC table 0 and AC table 0: one code of length 1, for symbol 0.
    for class in [0x00u8, 0x10] {
        let mut table = vec![class, 1];
        table.extend([0u8; 15]);
        table.push(0);
        segment(&mut jpeg, 0xC4, &table);
    }
    segment(&mut jpeg, 0xDA, &[3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);
    let mcus = usize::from(width).div_ceil(16) * usize::from(height).div_ceil(16);
    // Six blocks per MCU (four Y, one Cb, one Cr), two bits each.
    jpeg.extend(std::iter::repeat_n(0u8, (mcus * 6 * 2).div_ceil(8)));
    jpeg.extend([0xFF, 0xD9]);
    jpeg
}

/// SOI and a frame header of `marker` (0xC0 baseline, 0xC2 progressive, 0xC3 lossless),
/// 4:2:0: what a decoder reads before deciding what a file will cost.
pub fn frame_only(marker: u8, width: u16, height: u16) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    bytes.extend(frame_header(marker, width, height));
    bytes
}

fn frame_header(marker: u8, width: u16, height: u16) -> Vec<u8> {
    let mut payload = vec![8];
    payload.extend(height.to_be_bytes());
    payload.extend(width.to_be_bytes());
    payload.extend([3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]);
    let mut out = Vec::new();
    segment(&mut out, marker, &payload);
    out
}

fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend([0xFF, marker]);
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
}
