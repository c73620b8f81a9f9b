//! What decoding a JPEG will cost, from its frame header alone, before anything is allocated.
//!
//! `jpeg-decoder` shrinks on load by decoding each 8 × 8 block straight to 1, 2, 4 or 8
//! pixels a side, so a baseline (sequential) JPEG's pixel memory follows the *output* size:
//! a 200 MP photo bound for a 1600 px variant holds about 3 MP. A progressive JPEG is
//! different: its scans refine every block's 64 coefficients in turn, so the decoder keeps
//! all of them (2 bytes each) for the whole image whatever the output scale; a lossless one
//! decodes at full size, 2 bytes a sample. The estimate adds, at their peak together: those
//! coefficients, the component planes at the output scale, the interleaved output, the RGBA
//! image made from it and one more for turning it upright.

use crate::markers::{segments, SOS};
use crate::ImagingError;

/// How the frame is coded (its SOF marker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Sequential,
    Progressive,
    Lossless,
}

/// A JPEG's frame header: size, coding and each component's sampling factors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub coding: Coding,
    /// (horizontal, vertical) sampling factor of each component.
    pub sampling: Vec<(u32, u32)>,
}

/// The frame header of `bytes`, read without decoding anything.
pub fn frame(bytes: &[u8]) -> Result<Frame, ImagingError> {
    for segment in segments(bytes) {
        let segment = segment?;
        let coding = match segment.marker {
            0xC0 | 0xC1 | 0xC5 | 0xC9 | 0xCD => Coding::Sequential,
            0xC2 | 0xC6 | 0xCA | 0xCE => Coding::Progressive,
            0xC3 | 0xC7 | 0xCB | 0xCF => Coding::Lossless,
            SOS => return Err(corrupt("a scan before the frame header")),
            _ => continue,
        };
        return parse_frame(segment.payload, coding);
    }
    Err(corrupt("no frame header"))
}

fn parse_frame(payload: &[u8], coding: Coding) -> Result<Frame, ImagingError> {
    let [_precision, h1, h0, w1, w0, count, components @ ..] = payload else {
        return Err(corrupt("a frame header too short"));
    };
    let height = u32::from(u16::from_be_bytes([*h1, *h0]));
    let width = u32::from(u16::from_be_bytes([*w1, *w0]));
    let count = usize::from(*count);
    if components.len() < count * 3 || count == 0 || count > 4 {
        return Err(corrupt("a frame header with impossible components"));
    }
    let sampling: Vec<(u32, u32)> = components
        .chunks_exact(3)
        .take(count)
        .map(|c| (u32::from(c[1] >> 4), u32::from(c[1] & 0x0F)))
        .collect();
    if sampling
        .iter()
        .any(|&(h, v)| !(1..=4).contains(&h) || !(1..=4).contains(&v))
    {
        return Err(corrupt("a sampling factor outside 1 to 4"));
    }
    if width == 0 || height == 0 {
        return Err(corrupt("the image has no pixels"));
    }
    Ok(Frame {
        width,
        height,
        coding,
        sampling,
    })
}

impl Frame {
    /// Bytes the decode holds at its peak when each block becomes `scale` (1, 2, 4 or 8)
    /// pixels a side.
    pub fn peak_bytes(&self, scale: u32) -> u64 {
        let scale = if self.coding == Coding::Lossless {
            8
        } else {
            scale
        };
        let h_max = self.sampling.iter().map(|s| s.0).max().unwrap_or(1);
        let v_max = self.sampling.iter().map(|s| s.1).max().unwrap_or(1);
        let mcus_x = u64::from(self.width.div_ceil(8 * h_max));
        let mcus_y = u64::from(self.height.div_ceil(8 * v_max));
        let components = self.sampling.len() as u64;
        let (out_w, out_h) = self.output_size(scale);
        let output = out_w * out_h;
        let sample_bytes = if self.coding == Coding::Lossless {
            2
        } else {
            1
        };
        let mut total = 0u64;
        for &(h, v) in &self.sampling {
            let blocks = mcus_x * u64::from(h) * mcus_y * u64::from(v);
            total += match self.coding {
                Coding::Progressive => blocks * 64 * 2 + blocks * u64::from(scale * scale),
                Coding::Sequential => blocks * u64::from(scale * scale),
                Coding::Lossless => u64::from(self.width) * u64::from(self.height) * 2,
            };
        }
        // The interleaved output, its RGBA copy, and one more to turn it upright.
        total + output * components * sample_bytes + 2 * output * 4
    }

    /// The decoder's output size at `scale` eighths.
    pub fn output_size(&self, scale: u32) -> (u64, u64) {
        (
            u64::from(self.width * scale).div_ceil(8),
            u64::from(self.height * scale).div_ceil(8),
        )
    }
}

fn corrupt(message: &str) -> ImagingError {
    ImagingError::Corrupt(message.into())
}

#[cfg(test)]
#[path = "../../tests/common/synthetic.rs"]
#[allow(dead_code)] // the tests here need the frame headers only
mod synthetic;

#[cfg(test)]
mod tests {
    use super::*;

    fn header(marker: u8, width: u16, height: u16) -> Vec<u8> {
        super::synthetic::frame_only(marker, width, height)
    }

    #[test]
    fn reads_the_frame_header() {
        let frame = frame(&header(0xC2, 12_000, 9_000)).unwrap();
        assert_eq!(
            frame,
            Frame {
                width: 12_000,
                height: 9_000,
                coding: Coding::Progressive,
                sampling: vec![(2, 2), (1, 1), (1, 1)],
            }
        );
        assert!(super::frame(b"\xFF\xD8\xFF\xDA\x00\x02").is_err());
        assert!(super::frame(&header(0xC0, 0, 100)).is_err());
    }

    #[test]
    fn progressive_frames_cost_their_coefficients_and_baseline_ones_their_output() {
        let mib = |bytes: u64| bytes / (1024 * 1024);
        // 100 MP progressive, 4:2:0: 1.5 coefficients of 2 bytes per pixel (~286 MiB), plus
        // the planes and the output at 1/8.
        let progressive = frame(&header(0xC2, 10_000, 10_000)).unwrap();
        assert!(
            (286..320).contains(&mib(progressive.peak_bytes(1))),
            "{}",
            mib(progressive.peak_bytes(1))
        );
        // The same as baseline at 1/8: 1250 × 1250 out, a few MiB.
        let baseline = frame(&header(0xC0, 10_000, 10_000)).unwrap();
        assert!(
            mib(baseline.peak_bytes(1)) < 20,
            "{}",
            mib(baseline.peak_bytes(1))
        );
        // 200 MP baseline at 1/8, as a phone bound for 1600 px sends it.
        let phone = frame(&header(0xC0, 16_320, 12_240)).unwrap();
        assert!(
            mib(phone.peak_bytes(1)) < 50,
            "{}",
            mib(phone.peak_bytes(1))
        );
        // Lossless never scales: 2 bytes a sample, whole.
        let lossless = frame(&header(0xC3, 10_000, 10_000)).unwrap();
        assert!(mib(lossless.peak_bytes(1)) > 1000);
    }
}
