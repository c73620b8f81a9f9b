//! The explicit bounds on what the pipeline will open.

/// Upper bounds checked from the file's headers, before any pixel memory is allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest image decoded, in pixels: the source's size, or for a JPEG the size it is
    /// decoded at after shrink-on-load.
    pub max_pixels: u64,
    /// Largest JPEG opened, in pixels of the source: its compressed data is read whole
    /// whatever the scale, so this bounds the time one photo takes.
    pub max_source_pixels: u64,
    /// Most memory one decode may hold, in bytes, as estimated from the headers (for a
    /// JPEG: `decode::budget`); also the largest single buffer a decoder may allocate.
    pub max_alloc_bytes: u64,
    /// Largest file opened, in bytes: it is held whole while it is decoded.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    /// Files of up to 100 MiB, 100 megapixels decoded, JPEGs of up to 250 megapixels (the 200 MP sensors of
    /// Samsung's Ultra phones, and medium-format cameras) and 256 MiB. A baseline JPEG is
    /// decoded at reduced scale, so even at 200 MP it needs about 40 MiB; a progressive one
    /// keeps every coefficient (3 bytes a pixel at 4:2:0), so about 85 MP fit; other formats
    /// decode in full and hit the memory bound first (about 30 MP of 8-bit RGBA, with the
    /// copy for turning it upright).
    fn default() -> Self {
        Self {
            max_pixels: 100_000_000,
            max_source_pixels: 250_000_000,
            max_alloc_bytes: 256 * 1024 * 1024,
            // A 200 MP phone JPEG is 30–60 MB.
            max_file_bytes: 100 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The image as decoded: at most [`Limits::max_pixels`].
    pub(crate) fn check_pixels(&self, width: u32, height: u32) -> Result<(), crate::ImagingError> {
        check(width, height, self.max_pixels)
    }

    /// A JPEG source, before shrink-on-load: at most [`Limits::max_source_pixels`].
    pub(crate) fn check_source_pixels(
        &self,
        width: u32,
        height: u32,
    ) -> Result<(), crate::ImagingError> {
        check(width, height, self.max_source_pixels)
    }

    /// `bytes` of memory, as estimated, within [`Limits::max_alloc_bytes`].
    pub(crate) fn check_memory(&self, bytes: u64) -> Result<(), crate::ImagingError> {
        if bytes > self.max_alloc_bytes {
            return Err(self.too_much_memory());
        }
        Ok(())
    }

    /// A file of `bytes`, within [`Limits::max_file_bytes`].
    pub fn check_file(&self, bytes: u64) -> Result<(), crate::ImagingError> {
        if bytes > self.max_file_bytes {
            return Err(crate::ImagingError::FileTooLarge {
                max_mib: (self.max_file_bytes / (1024 * 1024)) as u32,
            });
        }
        Ok(())
    }

    pub(crate) fn too_much_memory(&self) -> crate::ImagingError {
        crate::ImagingError::TooMuchMemory {
            max_mib: (self.max_alloc_bytes / (1024 * 1024)) as u32,
        }
    }
}

fn check(width: u32, height: u32, max: u64) -> Result<(), crate::ImagingError> {
    if u64::from(width) * u64::from(height) > max {
        return Err(crate::ImagingError::TooLarge {
            width,
            height,
            max_megapixels: (max / 1_000_000) as u32,
        });
    }
    if width == 0 || height == 0 {
        return Err(crate::ImagingError::Corrupt(
            "the image has no pixels".into(),
        ));
    }
    Ok(())
}
