//! The explicit bounds on what the pipeline will open.

/// Upper bounds checked from the file's header, before any pixel memory is allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest image accepted, in pixels of the source (width × height).
    pub max_pixels: u64,
    /// Largest single buffer a decoder may allocate, in bytes.
    pub max_alloc_bytes: u64,
}

impl Default for Limits {
    /// 100 megapixels (the largest phone and medium-format cameras) and 256 MiB. A JPEG is
    /// decoded at reduced scale, so even at 100 MP it stays far below the memory bound; other
    /// formats decode in full and hit the memory bound first (about 64 MP of 8-bit RGBA).
    fn default() -> Self {
        Self {
            max_pixels: 100_000_000,
            max_alloc_bytes: 256 * 1024 * 1024,
        }
    }
}

impl Limits {
    pub(crate) fn check_pixels(&self, width: u32, height: u32) -> Result<(), crate::ImagingError> {
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(crate::ImagingError::TooLarge {
                width,
                height,
                max_megapixels: (self.max_pixels / 1_000_000) as u32,
            });
        }
        if width == 0 || height == 0 {
            return Err(crate::ImagingError::Corrupt(
                "the image has no pixels".into(),
            ));
        }
        Ok(())
    }

    pub(crate) fn too_much_memory(&self) -> crate::ImagingError {
        crate::ImagingError::TooMuchMemory {
            max_mib: (self.max_alloc_bytes / (1024 * 1024)) as u32,
        }
    }
}
