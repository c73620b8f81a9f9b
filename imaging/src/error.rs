//! Why a photo was refused, in words meant for the person who picked it.

/// Every way the pipeline refuses input. Messages are complete sentences for the UI; `code`
/// is a stable identifier for programs and tests.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImagingError {
    #[error("The file is empty.")]
    Empty,
    #[error(
        "This is an HEIC photo (the iPhone's own format), and this browser could not convert it. \
         Pick it in Safari on the iPhone, which sends a JPEG, or set Settings › Camera › Formats \
         to “Most Compatible”, or export the photo as JPEG first."
    )]
    Heic,
    #[error(
        "This is an AVIF image, which Shelf cannot read yet. Save or export it as JPEG or PNG \
         and pick it again."
    )]
    Avif,
    #[error("This is an SVG drawing, not a photo. Export it as PNG or JPEG to add it.")]
    Svg,
    #[error("This is a TIFF image, which Shelf cannot read. Save it as JPEG or PNG first.")]
    Tiff,
    #[error("This is a PDF document, not a photo.")]
    Pdf,
    #[error("This is a web page (HTML), not a photo.")]
    Html,
    #[error("This is a text file, not a photo.")]
    Text,
    #[error("{0} images are not supported. Use JPEG, PNG, WebP or GIF.")]
    Unsupported(&'static str),
    #[error("This file is not an image Shelf can read. Use JPEG, PNG, WebP or GIF.")]
    Unknown,
    #[error(
        "The image is too large: {width} × {height} pixels. Shelf accepts up to {max_megapixels} \
         megapixels."
    )]
    TooLarge {
        width: u32,
        height: u32,
        max_megapixels: u32,
    },
    #[error("The file is larger than Shelf opens ({max_mib} MiB).")]
    FileTooLarge { max_mib: u32 },
    #[error("The image would need more memory to open than Shelf allows ({max_mib} MiB).")]
    TooMuchMemory { max_mib: u32 },
    #[error("The file is incomplete: it ends before the image does (was it fully copied?).")]
    Truncated,
    #[error("The image is damaged ({0}).")]
    Corrupt(String),
}

impl ImagingError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Heic => "heic",
            Self::Avif => "avif",
            Self::Svg => "svg",
            Self::Tiff => "tiff",
            Self::Pdf => "pdf",
            Self::Html => "html",
            Self::Text => "text",
            Self::Unsupported(_) => "unsupported",
            Self::Unknown => "unknown",
            Self::TooLarge { .. } => "too-large",
            Self::FileTooLarge { .. } => "file-too-large",
            Self::TooMuchMemory { .. } => "too-much-memory",
            Self::Truncated => "truncated",
            Self::Corrupt(_) => "corrupt",
        }
    }
}
