//! Storage tests: the conformance suites every backend must pass, run against each (SQLite and
//! the local photo folder; DynamoDB on moto_server and S3 on s3s-fs), what only one backend
//! has, and the photo operations' ordering rules over real stores.
//!
//! # Layout
//! - `conformance`, `photo_conformance`, `account_conformance`: the suites, as functions plus a macro that makes one
//!   test per function for a backend.
//! - `sqlite`, `dynamodb`: the item and account store backends.
//! - `photos_local`, `photos_s3`: the photo store backends.
//! - `photos_service`: [`domain::photos::Photos`] called directly, its stores watched.

#[path = "../aws/mod.rs"]
mod aws;
#[path = "../common/mod.rs"]
mod common;

mod account_conformance;
mod conformance;
mod photo_conformance;

mod dynamodb;
mod photos_local;
mod photos_s3;
mod photos_service;
mod sqlite;
