//! Storage backends: items behind [`domain::item_store::ItemStore`] (SQLite, or DynamoDB), photo files
//! behind [`domain::photo_store::PhotoStore`] (a local folder, or S3), and the secret that signs
//! uploads; [`measured`] times calls to either.

pub mod aws;
pub mod dynamodb;
pub mod local_photos;
pub mod measured;
pub mod s3;
pub mod secret;
pub mod sqlite;
