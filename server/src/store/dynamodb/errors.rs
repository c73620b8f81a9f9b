//! DynamoDB failures as store errors.
//!
//! The SDK has already retried throttling and transient faults (standard retry mode, see
//! [`crate::store::aws`]) by the time an error reaches here; what is left is either worth a
//! `503 Retry-After` (overload, outage, timeout) or a bug (validation, access denied).

use super::batch::BatchFailure;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use domain::accounts::AccountStoreError;
use domain::item_store::{BackendError, StoreError};
use std::error::Error as StdError;

/// Error codes that mean "too busy or briefly broken: try again later".
const RETRYABLE_CODES: &[&str] = &[
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionConflictException",
];

pub fn store_error<E, R>(error: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match classify(error) {
        (true, source) => StoreError::Unavailable(source),
        (false, source) => StoreError::Internal(source),
    }
}

pub fn account_error<E, R>(error: SdkError<E, R>) -> AccountStoreError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match classify(error) {
        (true, source) => AccountStoreError::Unavailable(source),
        (false, source) => AccountStoreError::Internal(source),
    }
}

impl From<BatchFailure> for StoreError {
    fn from(failure: BatchFailure) -> Self {
        match failure {
            BatchFailure::Sdk(error) => store_error(*error),
            BatchFailure::Request(error) => StoreError::Internal(Box::new(error)),
            BatchFailure::Unprocessed => StoreError::Unavailable(UNPROCESSED.into()),
        }
    }
}

impl From<BatchFailure> for AccountStoreError {
    fn from(failure: BatchFailure) -> Self {
        match failure {
            BatchFailure::Sdk(error) => account_error(*error),
            BatchFailure::Request(error) => AccountStoreError::Internal(Box::new(error)),
            BatchFailure::Unprocessed => AccountStoreError::Unavailable(UNPROCESSED.into()),
        }
    }
}

const UNPROCESSED: &str = "DynamoDB left keys unprocessed";

/// Whether the error is worth retrying later, and its description for the logs.
fn classify<E, R>(error: SdkError<E, R>) -> (bool, BackendError)
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let unavailable = match &error {
        // No answer, or one that was not DynamoDB's (a proxy's error page): an outage.
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(_) => error.code().is_some_and(|c| RETRYABLE_CODES.contains(&c)),
        _ => false,
    };
    let source = aws_sdk_dynamodb::error::DisplayErrorContext(error)
        .to_string()
        .into();
    (unavailable, source)
}
