//! The AWS photo store: an S3 bucket, written by browsers through pre-signed PUT URLs.
//!
//! Uploads land under `uploads/{item}/{photo}/{variant}.jpg`, a prefix an S3 lifecycle rule
//! expires after a day, so a closed tab or a failed attach costs nothing for long. Attaching
//! copies the verified objects to their permanent key `photos/{item}/{photo}/{variant}.jpg`
//! inside S3 ([`PhotoStore::keep`]: the bytes never pass through the app), then deletes the
//! upload. A prefix rather than an object tag, because every S3 (and s3s-fs, which the tests
//! use for its real signature checks) supports prefixes, and clearing a tag would need the
//! same number of calls.
//!
//! Objects are written with `Cache-Control: public, max-age=31536000, immutable`: a photo's
//! key never gets other bytes.
//!
//! # Layout
//! - this file: [`S3PhotoStore`], the [`PhotoStore`] over the bucket.
//! - [`get_urls`]: where browsers load photos from (CloudFront, or pre-signed GETs).

pub mod get_urls;

use crate::store::aws::Provisioned;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use aws_sdk_s3::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use domain::model::{ItemId, PhotoId, PhotoKey, Variant};
use domain::photo_store::{
    photos_changed_before, ObjectInfo, PhotoStore, PhotoStoreError, PhotoUrls, StoredPhoto,
    UploadTarget,
};
use get_urls::GetUrls;
use std::time::{Duration, SystemTime};

pub const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";
/// Where uploads wait to be attached; the lifecycle rule's prefix.
pub const UPLOADS_PREFIX: &str = "uploads";

/// Headers of a pre-signed request that the client must not (browsers: cannot) set itself.
const IMPLIED_HEADERS: &[&str] = &["content-length", "host"];

pub struct S3PhotoStore {
    client: Client,
    bucket: String,
    urls: GetUrls,
}

impl S3PhotoStore {
    pub fn new(client: Client, bucket: impl Into<String>, urls: GetUrls) -> Self {
        Self {
            client,
            bucket: bucket.into(),
            urls,
        }
    }

    /// Creates the bucket if it does not exist, for local use (`shelf create-table` does it
    /// beside the table); in AWS, Terraform owns it.
    pub async fn create_bucket(&self) -> anyhow::Result<Provisioned> {
        match self
            .client
            .create_bucket()
            .bucket(&self.bucket)
            .send()
            .await
        {
            Ok(_) => Ok(Provisioned::Created),
            Err(error)
                if matches!(
                    error.code(),
                    Some("BucketAlreadyOwnedByYou" | "BucketAlreadyExists")
                ) =>
            {
                Ok(Provisioned::AlreadyExisted)
            }
            Err(error) => {
                Err(anyhow::Error::new(error)
                    .context(format!("cannot create bucket {}", self.bucket)))
            }
        }
    }

    async fn head(&self, key: &str) -> Result<Option<ObjectInfo>, PhotoStoreError> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(head) => Ok(Some(ObjectInfo {
                bytes: head
                    .content_length()
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(0),
                content_type: head.content_type().map(str::to_owned),
                etag: head.e_tag().map(str::to_owned),
            })),
            Err(error) if is_not_found(&error) => Ok(None),
            Err(error) => Err(files_error(error)),
        }
    }

    /// At most `max` bytes of an object: the range asks for no more, and the body is read
    /// chunk by chunk so that a server ignoring the range cannot make it hold more.
    async fn bytes(&self, key: &str, max: usize) -> Result<Option<Vec<u8>>, PhotoStoreError> {
        let result = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .range(format!("bytes=0-{}", max.saturating_sub(1)))
            .send()
            .await;
        let mut body = match result {
            Ok(object) => object.body,
            Err(error) if is_not_found(&error) => return Ok(None),
            Err(error) => return Err(files_error(error)),
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = body
            .try_next()
            .await
            .map_err(|e| PhotoStoreError::Unavailable(Box::new(e)))?
        {
            let room = max - bytes.len();
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if bytes.len() == max {
                break;
            }
        }
        Ok(Some(bytes))
    }

    /// Every key under `prefix`, with when it was last written.
    async fn list(&self, prefix: &str) -> Result<Vec<(String, SystemTime)>, PhotoStoreError> {
        let mut keys = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(files_error)?;
            for object in page.contents() {
                let (Some(key), Some(modified)) = (object.key(), object.last_modified()) else {
                    continue;
                };
                let modified = SystemTime::try_from(*modified).unwrap_or(SystemTime::UNIX_EPOCH);
                keys.push((key.to_owned(), modified));
            }
        }
        Ok(keys)
    }

    /// Deletes up to 1000 keys per call; keys that do not exist are not an error in S3.
    async fn delete_keys(&self, keys: Vec<String>) -> Result<(), PhotoStoreError> {
        for chunk in keys.chunks(1000) {
            let objects = chunk
                .iter()
                .map(|key| ObjectIdentifier::builder().key(key).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| PhotoStoreError::Internal(Box::new(e)))?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| PhotoStoreError::Internal(Box::new(e)))?;
            let output = self
                .client
                .delete_objects()
                .bucket(&self.bucket)
                .delete(delete)
                .send()
                .await
                .map_err(files_error)?;
            if let Some(failed) = output.errors().first() {
                return Err(PhotoStoreError::Unavailable(
                    format!(
                        "could not delete {}: {}",
                        failed.key().unwrap_or("?"),
                        failed.message().unwrap_or("no reason given")
                    )
                    .into(),
                ));
            }
        }
        Ok(())
    }
}

/// Where an upload of `key` waits to be attached.
pub fn upload_key(key: &PhotoKey) -> String {
    format!(
        "{UPLOADS_PREFIX}/{}/{}/{}",
        key.item,
        key.photo,
        key.variant.file_name()
    )
}

/// Both places every variant of a photo can be.
fn all_keys(item: &ItemId, photo: &PhotoId) -> Vec<String> {
    Variant::ALL
        .into_iter()
        .flat_map(|variant| {
            let key = PhotoKey::new(item, photo, variant);
            [key.to_string(), upload_key(&key)]
        })
        .collect()
}

/// The item and photo a listed key belongs to, under either prefix.
fn photo_of(key: &str) -> Option<(ItemId, PhotoId)> {
    let permanent = match key.strip_prefix(UPLOADS_PREFIX) {
        Some(rest) => format!("{}{rest}", PhotoKey::PREFIX),
        None => key.to_owned(),
    };
    PhotoKey::parse(&permanent).map(|key| (key.item, key.photo))
}

/// `scheme://host[:port]` of an absolute URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

fn is_not_found<E: ProvideErrorMetadata>(error: &SdkError<E, HttpResponse>) -> bool {
    match error {
        SdkError::ServiceError(service) => service.raw().status().as_u16() == 404,
        _ => false,
    }
}

fn files_error<E, R>(error: SdkError<E, R>) -> PhotoStoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let internal = matches!(&error, SdkError::ServiceError(_))
        && matches!(
            error.code(),
            Some("AccessDenied" | "NoSuchBucket" | "InvalidRequest" | "InvalidArgument")
        );
    let source = DisplayErrorContext(error).to_string().into();
    if internal {
        PhotoStoreError::Internal(source)
    } else {
        PhotoStoreError::Unavailable(source)
    }
}

impl PhotoUrls for S3PhotoStore {
    fn url(&self, key: &PhotoKey) -> String {
        self.urls.url(key)
    }
}

#[async_trait::async_trait]
impl PhotoStore for S3PhotoStore {
    async fn upload_target(
        &self,
        key: &PhotoKey,
        bytes: u64,
        content_type: &str,
        sha256: &str,
        expires: SystemTime,
    ) -> Result<UploadTarget, PhotoStoreError> {
        // Signed so that it expires exactly at `expires` (S3 counts from the signing time).
        let now = SystemTime::now();
        let signed_at = now.min(expires - Duration::from_secs(1));
        let presigning = PresigningConfig::builder()
            .start_time(signed_at)
            .expires_in(expires.duration_since(signed_at).unwrap_or_default())
            .build()
            .map_err(|e| PhotoStoreError::Internal(Box::new(e)))?;
        // Content-Length, Content-Type and the checksum are signed: S3 refuses any other size
        // or type, and a body whose SHA-256 is not the checksum (400 BadDigest).
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(upload_key(key))
            .content_length(i64::try_from(bytes).unwrap_or(i64::MAX))
            .content_type(content_type)
            .checksum_sha256(sha256)
            .cache_control(CACHE_CONTROL)
            .presigned(presigning)
            .await
            .map_err(files_error)?;
        let headers = request
            .headers()
            .filter(|(name, _)| !IMPLIED_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        Ok(UploadTarget {
            url: request.uri().to_owned(),
            headers,
        })
    }

    /// The upload if it is still waiting, else the kept object (a retried attach).
    async fn stat(&self, key: &PhotoKey) -> Result<Option<ObjectInfo>, PhotoStoreError> {
        match self.head(&upload_key(key)).await? {
            Some(info) => Ok(Some(info)),
            None => self.head(&key.to_string()).await,
        }
    }

    async fn read(&self, key: &PhotoKey, max: usize) -> Result<Option<Vec<u8>>, PhotoStoreError> {
        match self.bytes(&upload_key(key), max).await? {
            Some(bytes) => Ok(Some(bytes)),
            None => self.bytes(&key.to_string(), max).await,
        }
    }

    /// Copies the upload only if it is still the object that was checked (its ETag), so no
    /// other bytes can arrive between the check and the copy.
    async fn keep(&self, key: &PhotoKey, checked: &ObjectInfo) -> Result<(), PhotoStoreError> {
        let upload = upload_key(key);
        let copied = self
            .client
            .copy_object()
            .bucket(&self.bucket)
            .copy_source(format!("{}/{upload}", self.bucket))
            .set_copy_source_if_match(checked.etag.clone())
            .key(key.to_string())
            .send()
            .await;
        match copied {
            Ok(_) => self.delete_keys(vec![upload]).await,
            Err(error) if error.code() == Some("PreconditionFailed") => {
                Err(PhotoStoreError::Internal(
                    format!("upload {upload} changed after it was checked").into(),
                ))
            }
            // Kept already by an attach that was retried.
            Err(error) if is_not_found(&error) => match self.head(&key.to_string()).await? {
                Some(_) => Ok(()),
                None => Err(PhotoStoreError::Internal(
                    format!("upload {upload} vanished before it was kept").into(),
                )),
            },
            Err(error) => Err(files_error(error)),
        }
    }

    async fn put(
        &self,
        key: &PhotoKey,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PhotoStoreError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(upload_key(key))
            .content_type(content_type)
            .cache_control(CACHE_CONTROL)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map(|_| ())
            .map_err(files_error)
    }

    async fn delete_photo(&self, item: &ItemId, photo: &PhotoId) -> Result<(), PhotoStoreError> {
        self.delete_keys(all_keys(item, photo)).await
    }

    async fn delete_item(&self, item: &ItemId) -> Result<(), PhotoStoreError> {
        let mut keys = Vec::new();
        for prefix in [PhotoKey::PREFIX, UPLOADS_PREFIX] {
            keys.extend(
                self.list(&format!("{prefix}/{item}/"))
                    .await?
                    .into_iter()
                    .map(|(key, _)| key),
            );
        }
        self.delete_keys(keys).await
    }

    async fn stored_before(&self, before: SystemTime) -> Result<Vec<StoredPhoto>, PhotoStoreError> {
        let mut files = Vec::new();
        for (prefix, kept) in [(PhotoKey::PREFIX, true), (UPLOADS_PREFIX, false)] {
            for (key, modified) in self.list(&format!("{prefix}/")).await? {
                if let Some((item, photo)) = photo_of(&key) {
                    files.push(StoredPhoto {
                        item,
                        photo,
                        modified,
                        kept,
                    });
                }
            }
        }
        Ok(photos_changed_before(files, before))
    }

    /// Where a photo's URL and an upload's URL point, for one made-up key: the bucket's or
    /// the CDN's origin.
    async fn browser_origins(&self) -> Result<Vec<String>, PhotoStoreError> {
        let key = PhotoKey::new(&ItemId::generate(), &PhotoId::generate(), Variant::Display);
        let expires = SystemTime::now() + Duration::from_secs(60);
        let digest = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        let upload = self
            .upload_target(&key, 1, "image/jpeg", digest, expires)
            .await?;
        let mut origins: Vec<String> = [self.url(&key), upload.url]
            .iter()
            .filter_map(|url| origin_of(url))
            .collect();
        origins.dedup();
        Ok(origins)
    }

    async fn ping(&self) -> Result<(), PhotoStoreError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map(|_| ())
            .map_err(files_error)
    }
}
