//! Storage backends: items behind [`app::store::ItemStore`] (SQLite), photo files behind
//! [`app::photo_store::PhotoStore`] (a local folder), and the secret that signs uploads.

pub mod local_photos;
pub mod secret;
pub mod sqlite;
