//! `BatchGetItem` with its unprocessed keys asked for again: DynamoDB may answer part of a
//! batch (it does under throttling) and list the rest as unprocessed.

use super::record::Attributes;
use aws_sdk_dynamodb::error::{BuildError, SdkError};
use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemError;
use aws_sdk_dynamodb::types::KeysAndAttributes;
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// Why a batch read failed; each store turns it into its own error (`errors`).
#[derive(Debug)]
pub enum BatchFailure {
    Sdk(Box<SdkError<BatchGetItemError, HttpResponse>>),
    Request(BuildError),
    /// Keys were still unprocessed after the last round: DynamoDB is too busy for now.
    Unprocessed,
}

/// The records of `keys` in `table` (strongly consistent reads; at most 100 keys), in no
/// particular order; keys with no record are simply absent. At most `rounds` calls.
pub async fn get_all(
    client: &Client,
    table: &str,
    keys: Vec<Attributes>,
    rounds: usize,
) -> Result<Vec<Attributes>, BatchFailure> {
    let mut found = Vec::with_capacity(keys.len());
    let mut pending = keys;
    for _ in 0..rounds {
        if pending.is_empty() {
            break;
        }
        let request = KeysAndAttributes::builder()
            .set_keys(Some(pending))
            .consistent_read(true)
            .build()
            .map_err(BatchFailure::Request)?;
        let output = client
            .batch_get_item()
            .request_items(table, request)
            .send()
            .await
            .map_err(|error| BatchFailure::Sdk(Box::new(error)))?;
        if let Some(mut responses) = output.responses {
            found.extend(responses.remove(table).unwrap_or_default());
        }
        pending = output
            .unprocessed_keys
            .and_then(|mut unprocessed| unprocessed.remove(table))
            .map(|left| left.keys)
            .unwrap_or_default();
    }
    if pending.is_empty() {
        Ok(found)
    } else {
        Err(BatchFailure::Unprocessed)
    }
}
