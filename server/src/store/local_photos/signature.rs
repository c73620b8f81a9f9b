//! The embedded store's upload URLs: `PUT /uploads/{key}?expires={unix}&signature={hmac}`,
//! where the HMAC-SHA256 covers the method, the key, the exact `Content-Length`, the
//! `Content-Type`, the body's SHA-256 (`x-amz-checksum-sha256`, base64, as S3 names it) and
//! the expiry. Length, type and checksum are not in the URL: they are taken from the request's
//! own headers, so a request with any other length, type or checksum fails the signature, and
//! the upload route refuses a body whose SHA-256 is not the signed one.

use super::UPLOAD_PREFIX;
use axum::http::StatusCode;
use domain::model::PhotoKey;
use domain::photos::Signer;
use std::time::{SystemTime, UNIX_EPOCH};

const PURPOSE: &str = "upload-url";

/// The header carrying the body's SHA-256, in base64.
pub const CHECKSUM_HEADER: &str = "x-amz-checksum-sha256";

/// What an upload request brings for checking.
#[derive(Clone, Debug, Default)]
pub struct UploadRequestParts {
    pub expires: Option<String>,
    pub signature: Option<String>,
    pub content_length: Option<u64>,
    pub content_type: Option<String>,
    pub sha256: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UploadRefusal {
    #[error("the upload URL is not signed")]
    Unsigned,
    #[error(
        "the signature does not match this key, Content-Length, Content-Type and \
         x-amz-checksum-sha256; upload exactly what the URL was issued for"
    )]
    BadSignature,
    #[error("the upload URL has expired; ask for a new one")]
    Expired,
    #[error("Content-Length is required")]
    LengthRequired,
}

impl UploadRefusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::LengthRequired => StatusCode::LENGTH_REQUIRED,
            Self::Unsigned | Self::BadSignature | Self::Expired => StatusCode::FORBIDDEN,
        }
    }
}

pub fn signed_url(
    signer: &Signer,
    key: &PhotoKey,
    bytes: u64,
    content_type: &str,
    sha256: &str,
    expires: SystemTime,
) -> String {
    let expires = unix_seconds(expires);
    let signature = signer.sign(
        PURPOSE,
        message(key, bytes, content_type, sha256, expires).as_bytes(),
    );
    format!("{UPLOAD_PREFIX}/{key}?expires={expires}&signature={signature}")
}

pub fn check(
    signer: &Signer,
    key: &PhotoKey,
    request: &UploadRequestParts,
    now: SystemTime,
) -> Result<(), UploadRefusal> {
    let (Some(expires), Some(signature)) = (&request.expires, &request.signature) else {
        return Err(UploadRefusal::Unsigned);
    };
    let expires: u64 = expires.parse().map_err(|_| UploadRefusal::BadSignature)?;
    let bytes = request
        .content_length
        .ok_or(UploadRefusal::LengthRequired)?;
    let content_type = request.content_type.as_deref().unwrap_or_default();
    let sha256 = request.sha256.as_deref().unwrap_or_default();
    let signed = message(key, bytes, content_type, sha256, expires);
    if !signer.verify(PURPOSE, signed.as_bytes(), signature) {
        return Err(UploadRefusal::BadSignature);
    }
    if unix_seconds(now) > expires {
        return Err(UploadRefusal::Expired);
    }
    Ok(())
}

fn message(key: &PhotoKey, bytes: u64, content_type: &str, sha256: &str, expires: u64) -> String {
    format!("PUT\n{key}\n{bytes}\n{content_type}\n{sha256}\n{expires}")
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::model::{ItemId, PhotoId, Variant};
    use std::time::Duration;

    fn key(variant: Variant) -> PhotoKey {
        PhotoKey::new(&ItemId::generate(), &PhotoId::generate(), variant)
    }

    const SHA256: &str = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    const OTHER_SHA256: &str = "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=";

    fn parts(url: &str, length: u64, content_type: &str) -> UploadRequestParts {
        let query = url.split_once('?').unwrap().1;
        let value = |name: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                .map(str::to_owned)
        };
        UploadRequestParts {
            expires: value("expires"),
            signature: value("signature"),
            content_length: Some(length),
            content_type: Some(content_type.into()),
            sha256: Some(SHA256.into()),
        }
    }

    #[test]
    fn accepts_exactly_what_was_signed_until_it_expires() {
        let signer = Signer::new(&[9; 32]).unwrap();
        let now = SystemTime::now();
        let key = key(Variant::Display);
        let url = signed_url(
            &signer,
            &key,
            1000,
            "image/jpeg",
            SHA256,
            now + Duration::from_secs(60),
        );
        assert!(url.starts_with(&format!("/uploads/{key}?expires=")));
        let good = parts(&url, 1000, "image/jpeg");
        assert_eq!(check(&signer, &key, &good, now), Ok(()));

        let later = now + Duration::from_secs(120);
        assert_eq!(
            check(&signer, &key, &good, later),
            Err(UploadRefusal::Expired)
        );
        let other_key = PhotoKey {
            variant: Variant::Thumb,
            ..key.clone()
        };
        assert_eq!(
            check(&signer, &other_key, &good, now),
            Err(UploadRefusal::BadSignature)
        );
        let other_content = UploadRequestParts {
            sha256: Some(OTHER_SHA256.into()),
            ..good.clone()
        };
        let no_checksum = UploadRequestParts {
            sha256: None,
            ..good.clone()
        };
        for bad in [
            parts(&url, 999, "image/jpeg"),
            parts(&url, 1000, "image/png"),
            other_content,
            no_checksum,
        ] {
            assert_eq!(
                check(&signer, &key, &bad, now),
                Err(UploadRefusal::BadSignature)
            );
        }
        let unsigned = UploadRequestParts {
            signature: None,
            ..good.clone()
        };
        assert_eq!(
            check(&signer, &key, &unsigned, now),
            Err(UploadRefusal::Unsigned)
        );
        let no_length = UploadRequestParts {
            content_length: None,
            ..good
        };
        assert_eq!(
            check(&signer, &key, &no_length, now),
            Err(UploadRefusal::LengthRequired)
        );
    }
}
