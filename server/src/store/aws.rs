//! AWS SDK set-up shared by the DynamoDB and S3 backends: credentials from the SDK's default
//! chain only (environment, profile, EC2 instance role), explicit retries and timeouts, and a
//! count of calls per operation for `/metrics`.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Loads region, credentials and endpoints the way every AWS tool does (`AWS_REGION`,
/// `AWS_ENDPOINT_URL`, `AWS_PROFILE`, the instance role, ...), with [`retry_config`] and
/// [`timeout_config`].
pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config())
        .timeout_config(timeout_config())
        .load()
        .await
}

/// The SDK's standard mode, 3 attempts with jittered exponential backoff, which covers
/// throttling and transient 5xx; what still fails becomes a 503 with `Retry-After`.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(3)
}

/// Keeps a request from hanging on a dead backend: an attempt gets 2 s (DynamoDB answers in
/// milliseconds; the slowest call, an S3 copy of one photo of at most 8 MiB, well under a
/// second), the whole operation (retries included) 5 s, then the client gets a 503 with
/// `Retry-After`. With 5 s and 12 s, a 10 s outage under load (`make faults`) held every
/// request for the whole outage instead of answering it.
pub fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(2))
        .operation_attempt_timeout(Duration::from_secs(2))
        .operation_timeout(Duration::from_secs(5))
        .build()
}

/// What `shelf create-table` did to the table or the bucket.
#[derive(Debug, PartialEq, Eq)]
pub enum Provisioned {
    Created,
    AlreadyExisted,
}

/// Operations sent to AWS, by service and operation name, since start. Counted once per
/// operation (not per retry), which is what "one call per request" means: here per set of
/// clients (the store tests read exact counts of their own), and process-wide in `/metrics`
/// as `shelf_aws_calls_total{service,operation}`.
#[derive(Debug, Default)]
pub struct AwsCalls {
    counts: Mutex<BTreeMap<(String, String), u64>>,
}

impl AwsCalls {
    fn record(&self, service: &str, operation: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        *counts
            .entry((service.to_owned(), operation.to_owned()))
            .or_default() += 1;
        metrics::counter!(
            "shelf_aws_calls_total",
            "service" => service.to_owned(),
            "operation" => operation.to_owned(),
        )
        .increment(1);
    }

    /// How many `operation`s of `service` were sent so far.
    pub fn count(&self, service: &str, operation: &str) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .get(&(service.to_owned(), operation.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// All calls of `service` so far.
    pub fn total(&self, service: &str) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .iter()
            .filter(|((s, _), _)| s == service)
            .map(|(_, n)| n)
            .sum()
    }

    /// The SDK interceptor that counts into this.
    pub fn interceptor(self: &Arc<Self>) -> CountCalls {
        CountCalls(self.clone())
    }
}

/// Counts every operation a client sends (added to each client's config).
#[derive(Debug)]
pub struct CountCalls(Arc<AwsCalls>);

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    fn read_after_serialization(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(metadata) = cfg.load::<Metadata>() {
            self.0.record(metadata.service(), metadata.name());
        }
        Ok(())
    }
}

/// A DynamoDB client on `sdk`, counting its calls.
pub fn dynamodb_client(sdk: &SdkConfig, calls: &Arc<AwsCalls>) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::config::Builder::from(sdk)
        .interceptor(calls.interceptor())
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// An S3 client on `sdk`, counting its calls. `endpoint`: a local S3 server (s3s-fs, moto,
/// MinIO), addressed path-style (`http://host/bucket/key`) since it has no bucket subdomains.
pub fn s3_client(
    sdk: &SdkConfig,
    endpoint: Option<&str>,
    calls: &Arc<AwsCalls>,
) -> aws_sdk_s3::Client {
    use aws_sdk_s3::config::{RequestChecksumCalculation, ResponseChecksumValidation};
    let mut config = aws_sdk_s3::config::Builder::from(sdk)
        // Checksums only where S3 requires them: a default CRC header would be part of
        // every pre-signed PUT, and no browser could match it.
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
        .interceptor(calls.interceptor());
    if let Some(endpoint) = endpoint {
        config = config.endpoint_url(endpoint).force_path_style(true);
    }
    aws_sdk_s3::Client::from_conf(config.build())
}
