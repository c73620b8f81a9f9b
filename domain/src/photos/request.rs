//! What a client promises before uploading a photo, and the checks that promise must pass.

use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use {
    super::PhotoError,
    crate::model::{FieldErrors, PhotoId, PhotoRecord, Variant, VariantInfo},
    base64::{
        engine::general_purpose::{STANDARD, STANDARD_NO_PAD},
        Engine,
    },
};

/// The only type photos are stored as.
pub const JPEG: &str = "image/jpeg";

#[cfg(feature = "server")]
/// Longest placeholder accepted: a ThumbHash is at most 25 bytes, 34 characters of base64.
const PLACEHOLDER_MAX_CHARS: usize = 48;

/// One variant as the client describes it before uploading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    /// Exact byte size of the file that will be uploaded.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub bytes: u64,
    /// Must be `image/jpeg`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^image/jpeg$"))]
    pub content_type: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub width: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub height: u32,
    /// SHA-256 of the file, in base64 (as S3's `x-amz-checksum-sha256`). The upload URL
    /// accepts these bytes and no others.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    )]
    pub sha256: String,
}

/// Body of `POST /api/items/{id}/photos/uploads`: the two variants the browser made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// Long edge at most 1600 px.
    pub display: VariantSpec,
    /// Long edge at most 400 px.
    pub thumb: VariantSpec,
    /// The ThumbHash of the photo, base64 without padding.
    pub placeholder: String,
}

/// Where to upload each variant, and the id to attach the photo with afterwards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadGrant {
    /// Pass it to `POST /api/items/{id}/photos` once both variants are uploaded.
    pub upload_id: String,
    pub photo_id: String,
    /// When the upload URLs stop working (RFC 3339).
    pub expires_at: String,
    pub display: UploadInstruction,
    pub thumb: UploadInstruction,
}

/// One upload: `PUT` the file's bytes to `url` with exactly these headers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadInstruction {
    pub method: String,
    pub url: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub headers: std::collections::BTreeMap<String, String>,
}

/// Where to move a photo among its item's photos.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoMove {
    /// To the front: the cover.
    First,
    Earlier,
    Later,
}

impl PhotoMove {
    /// The new position of the photo at `at` among `count`.
    pub fn target(self, at: usize, count: usize) -> usize {
        match self {
            PhotoMove::First => 0,
            PhotoMove::Earlier => at.saturating_sub(1),
            PhotoMove::Later => (at + 1).min(count.saturating_sub(1)),
        }
    }
}

/// Limits on photos, from configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhotoLimits {
    pub max_per_item: usize,
    /// Largest variant file accepted, in bytes.
    pub max_bytes: u64,
}

/// Each variant's SHA-256, in base64: what the upload URLs accept and the attach checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digests {
    pub display: String,
    pub thumb: String,
}

#[cfg(feature = "server")]
impl Digests {
    pub fn of(&self, variant: Variant) -> &str {
        match variant {
            Variant::Display => &self.display,
            Variant::Thumb => &self.thumb,
        }
    }
}

/// A checked promise: the record that attaching will store, and the files' digests.
#[cfg(feature = "server")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promise {
    pub record: PhotoRecord,
    pub sha256: Digests,
}

#[cfg(feature = "server")]
impl UploadRequest {
    /// Checks the promise and turns it into the record that attaching will store. A type
    /// other than JPEG is refused first (415), then sizes (413), then everything else at once
    /// (422).
    pub fn validate(&self, limits: &PhotoLimits, id: PhotoId) -> Result<Promise, PhotoError> {
        for (variant, spec) in self.specs() {
            if spec.content_type.trim() != JPEG {
                return Err(PhotoError::UnsupportedType {
                    field: format!("{}.content_type", variant.name()),
                });
            }
        }
        for (variant, spec) in self.specs() {
            if spec.bytes > limits.max_bytes {
                return Err(PhotoError::TooLarge {
                    field: format!("{}.bytes", variant.name()),
                    max: limits.max_bytes,
                });
            }
        }
        let mut errors = FieldErrors::new();
        for (variant, spec) in self.specs() {
            let name = variant.name();
            if spec.bytes == 0 {
                errors.insert(format!("{name}.bytes"), "must be more than 0".into());
            }
            // The pipeline's own sizes: what it makes is exactly what is accepted.
            let options = imaging::Options::default();
            let max = match variant {
                Variant::Display => options.display_long_edge,
                Variant::Thumb => options.thumb_long_edge,
            };
            for (field, value) in [("width", spec.width), ("height", spec.height)] {
                if !(1..=max).contains(&value) {
                    errors.insert(
                        format!("{name}.{field}"),
                        format!("must be from 1 to {max} pixels"),
                    );
                }
            }
            if sha256_bytes(&spec.sha256).is_none() {
                errors.insert(
                    format!("{name}.sha256"),
                    "must be the file's SHA-256 in base64 (44 characters)".into(),
                );
            }
        }
        if !valid_placeholder(&self.placeholder) {
            errors.insert(
                "placeholder".into(),
                "must be a ThumbHash in base64 without padding".into(),
            );
        }
        if !errors.is_empty() {
            return Err(PhotoError::Invalid(errors));
        }
        let info = |spec: &VariantSpec| VariantInfo {
            width: spec.width,
            height: spec.height,
            bytes: spec.bytes,
        };
        // Written back in canonical form: S3 compares the header's text.
        let canonical = |spec: &VariantSpec| {
            sha256_bytes(&spec.sha256)
                .map(|digest| STANDARD.encode(digest))
                .unwrap_or_default()
        };
        Ok(Promise {
            record: PhotoRecord {
                id,
                display: info(&self.display),
                thumb: info(&self.thumb),
                placeholder: self.placeholder.clone(),
            },
            sha256: Digests {
                display: canonical(&self.display),
                thumb: canonical(&self.thumb),
            },
        })
    }

    fn specs(&self) -> [(Variant, &VariantSpec); 2] {
        [
            (Variant::Display, &self.display),
            (Variant::Thumb, &self.thumb),
        ]
    }
}

#[cfg(feature = "server")]
fn sha256_bytes(digest: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(digest)
        .ok()
        .filter(|bytes| bytes.len() == 32)
}

#[cfg(feature = "server")]
fn valid_placeholder(placeholder: &str) -> bool {
    placeholder.len() <= PLACEHOLDER_MAX_CHARS
        && STANDARD_NO_PAD
            .decode(placeholder)
            .is_ok_and(|hash| hash.len() >= 5)
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;

    fn spec(bytes: u64, width: u32, height: u32) -> VariantSpec {
        VariantSpec {
            bytes,
            content_type: JPEG.into(),
            width,
            height,
            sha256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into(),
        }
    }

    fn request() -> UploadRequest {
        UploadRequest {
            display: spec(200_000, 1600, 1200),
            thumb: spec(20_000, 400, 300),
            placeholder: "1QcSHQRnh493V4dIh4eXh1h4kJUI".into(),
        }
    }

    fn validate(request: &UploadRequest) -> Result<Promise, PhotoError> {
        let limits = PhotoLimits {
            max_per_item: 12,
            max_bytes: 8 * 1024 * 1024,
        };
        request.validate(&limits, PhotoId::generate())
    }

    #[test]
    fn accepts_what_the_pipeline_makes() {
        let promise = validate(&request()).unwrap();
        let record = promise.record;
        assert_eq!((record.display.width, record.thumb.bytes), (1600, 20_000));
        assert_eq!(promise.sha256.thumb, request().thumb.sha256);
    }

    #[test]
    fn refuses_other_types_sizes_and_shapes() {
        let mut png = request();
        png.thumb.content_type = "image/png".into();
        assert!(
            matches!(validate(&png), Err(PhotoError::UnsupportedType { field }) if field == "thumb.content_type")
        );

        let mut huge = request();
        huge.display.bytes = 8 * 1024 * 1024 + 1;
        assert!(
            matches!(validate(&huge), Err(PhotoError::TooLarge { field, .. }) if field == "display.bytes")
        );

        let mut odd = request();
        odd.display.width = 1601;
        odd.thumb.height = 0;
        odd.thumb.bytes = 0;
        odd.placeholder = "<script>".into();
        odd.display.sha256 = "cafe".into();
        let Err(PhotoError::Invalid(fields)) = validate(&odd) else {
            panic!("expected field errors")
        };
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "display.sha256",
                "display.width",
                "placeholder",
                "thumb.bytes",
                "thumb.height"
            ]
        );
    }
}
