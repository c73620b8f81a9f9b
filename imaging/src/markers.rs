//! Walking a JPEG's markers (ITU T.81 B.1.1): each segment's marker and payload, the
//! entropy-coded data after each scan header skipped, up to End Of Image. Shared by the
//! memory estimate (which stops at the frame header) and the server's whole-file check.

use crate::ImagingError;

pub const SOI: [u8; 2] = [0xFF, 0xD8];
pub const EOI: u8 = 0xD9;
pub const SOS: u8 = 0xDA;
pub const COM: u8 = 0xFE;

/// One segment: its marker and the bytes after its length field. Markers that stand alone
/// (EOI, RSTn, TEM) have no payload.
#[derive(Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    pub marker: u8,
    pub payload: &'a [u8],
    /// Where the segment (and any entropy-coded data after it) ends.
    pub end: usize,
}

/// The segments of `bytes`, which must start with SOI; an error ends the walk.
pub fn segments(bytes: &[u8]) -> impl Iterator<Item = Result<Segment<'_>, ImagingError>> {
    let mut at = if bytes.starts_with(&SOI) {
        Some(SOI.len())
    } else {
        None
    };
    let mut failed = !bytes.starts_with(&SOI);
    let mut first = true;
    std::iter::from_fn(move || {
        if first && failed {
            first = false;
            return Some(Err(ImagingError::Unsupported("Non-JPEG")));
        }
        first = false;
        let position = at?;
        if failed {
            return None;
        }
        let segment = next_segment(bytes, position);
        match &segment {
            Ok(segment) if segment.marker == EOI => at = None,
            Ok(segment) => at = Some(segment.end),
            Err(_) => failed = true,
        }
        Some(segment)
    })
}

fn next_segment(bytes: &[u8], mut at: usize) -> Result<Segment<'_>, ImagingError> {
    match bytes.get(at) {
        None => return Err(ImagingError::Truncated),
        Some(0xFF) => {}
        Some(_) => return Err(ImagingError::Corrupt("bytes where a marker belongs".into())),
    }
    while bytes.get(at) == Some(&0xFF) {
        at += 1;
    }
    let marker = *bytes.get(at).ok_or(ImagingError::Truncated)?;
    at += 1;
    if matches!(marker, EOI | 0xD0..=0xD7 | 0x01) {
        return Ok(Segment {
            marker,
            payload: &[],
            end: at,
        });
    }
    let length = bytes
        .get(at..at + 2)
        .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        .ok_or(ImagingError::Truncated)?;
    if length < 2 {
        return Err(ImagingError::Corrupt(
            "a segment shorter than its length field".into(),
        ));
    }
    let payload = bytes
        .get(at + 2..at + length)
        .ok_or(ImagingError::Truncated)?;
    let mut end = at + length;
    if marker == SOS {
        end = end_of_entropy_coded_data(bytes, end);
    }
    Ok(Segment {
        marker,
        payload,
        end,
    })
}

/// Where a scan's data ends: the first 0xFF not followed by a stuffed zero, a restart
/// marker or another fill byte.
fn end_of_entropy_coded_data(bytes: &[u8], mut at: usize) -> usize {
    while at + 1 < bytes.len() {
        if bytes[at] == 0xFF && !matches!(bytes[at + 1], 0x00 | 0xD0..=0xD7 | 0xFF) {
            return at;
        }
        at += 1;
    }
    bytes.len()
}
