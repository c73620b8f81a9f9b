//! Where browsers load photos from.
//!
//! In AWS, CloudFront in front of the private bucket (`SHELF_MEDIA_BASE_URL`): plain, stable,
//! cacheable URLs. Without it, pre-signed GET URLs straight from S3.
//!
//! Pre-signing happens while items are turned into JSON or HTML, which is synchronous, so the
//! signer keeps a copy of the current credentials (refreshed from the SDK's provider every
//! minute in the background) and signs with `aws-sigv4` directly. Signatures are made for the
//! start of the current hour and last two hours: a page's photo URLs stay byte-identical for
//! an hour, so browsers and proxies can cache them, and every URL handed out stays valid for
//! at least an hour.

use anyhow::Context;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use domain::model::PhotoKey;
use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// URLs are signed as of the start of this window...
const WINDOW: Duration = Duration::from_secs(60 * 60);
/// ...and expire this long after it.
const VALIDITY: Duration = Duration::from_secs(2 * 60 * 60);
const REFRESH_EVERY: Duration = Duration::from_secs(60);

pub enum GetUrls {
    /// `{base}/{key}`, e.g. a CloudFront distribution whose origin is the bucket.
    Cdn(String),
    Presigned(Arc<Presigner>),
}

impl GetUrls {
    pub fn cdn(base: &str) -> Self {
        Self::Cdn(base.trim_end_matches('/').to_owned())
    }

    pub fn url(&self, key: &PhotoKey) -> String {
        match self {
            Self::Cdn(base) => format!("{base}/{key}"),
            Self::Presigned(presigner) => presigner.url(key),
        }
    }
}

pub struct Presigner {
    /// `https://bucket.s3.region.amazonaws.com` or, path-style, `http://host:port/bucket`.
    objects: String,
    region: String,
    provider: SharedCredentialsProvider,
    credentials: RwLock<Option<Credentials>>,
}

impl Presigner {
    /// Loads credentials once (so the first page already has photo URLs) and keeps them fresh
    /// for as long as the presigner lives.
    pub async fn start(
        objects: String,
        region: String,
        provider: SharedCredentialsProvider,
    ) -> anyhow::Result<Arc<Self>> {
        let presigner = Arc::new(Self {
            objects: objects.trim_end_matches('/').to_owned(),
            region,
            provider,
            credentials: RwLock::new(None),
        });
        presigner.refresh().await?;
        tokio::spawn(keep_fresh(Arc::downgrade(&presigner)));
        Ok(presigner)
    }

    async fn refresh(&self) -> anyhow::Result<()> {
        let credentials = self
            .provider
            .provide_credentials()
            .await
            .context("no AWS credentials to sign photo URLs with")?;
        *self.credentials.write().unwrap_or_else(|e| e.into_inner()) = Some(credentials);
        Ok(())
    }

    fn url(&self, key: &PhotoKey) -> String {
        let unsigned = format!("{}/{key}", self.objects);
        let credentials = self
            .credentials
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match credentials.and_then(|c| self.sign(&unsigned, c)) {
            Some(url) => url,
            None => {
                tracing::error!(%key, "cannot sign a photo URL; the photo will not load");
                unsigned
            }
        }
    }

    fn sign(&self, url: &str, credentials: Credentials) -> Option<String> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
        let window_start =
            UNIX_EPOCH + Duration::from_secs(now.as_secs() / WINDOW.as_secs() * WINDOW.as_secs());
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(VALIDITY);
        // S3's rules: keys are encoded once and their path is not normalised.
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        let identity = credentials.into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name("s3")
            .time(window_start)
            .settings(settings)
            .build()
            .ok()?
            .into();
        let request = SignableRequest::new(
            "GET",
            url,
            std::iter::empty(),
            SignableBody::UnsignedPayload,
        )
        .ok()?;
        let (instructions, _) = sign(request, &params).ok()?.into_parts();
        let mut request = http::Request::get(url).body(()).ok()?;
        instructions.apply_to_request_http1x(&mut request);
        Some(request.uri().to_string())
    }
}

async fn keep_fresh(presigner: Weak<Presigner>) {
    let mut tick = tokio::time::interval(REFRESH_EVERY);
    tick.tick().await;
    loop {
        tick.tick().await;
        let Some(presigner) = presigner.upgrade() else {
            return;
        };
        if let Err(error) = presigner.refresh().await {
            tracing::warn!(error = %format_args!("{error:#}"), "photo URL credentials not refreshed; keeping the old ones");
        }
    }
}
