//! Process tests: the `shelf` binary itself, started as a child process, as an operator or a
//! load balancer sees it.
//!
//! # Layout
//! - `lifecycle`: logs with request ids, SIGTERM and draining, `--help`, bad settings.
//! - `crash`: SIGKILL in the middle of uploads and posts; the embedded store stays consistent.
//! - `metrics`: what `/metrics` counts.
//! - `aws_api`: the binary on the AWS backend (moto_server, s3s-fs), items of the old service.
//! - `sessions`: one session on two instances over one store (embedded and DynamoDB).

#[path = "../aws/mod.rs"]
mod aws;
#[path = "../common/mod.rs"]
mod common;

mod aws_api;
mod crash;
mod lifecycle;
mod metrics;
mod sessions;
