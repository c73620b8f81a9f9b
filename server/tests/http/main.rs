//! HTTP tests: the real router on 127.0.0.1 over a fresh embedded store, driven by a real HTTP
//! client. One binary for all of them (each binary links the whole server).
//!
//! # Layout
//! - `access`: what visitors without credentials may do, at every entry point.
//! - `access_matrix`: every kind of visitor × every operation × every entry point.
//! - `account`: the account page and API tokens.
//! - `api`: the REST API, row by row of `docs/api.md`.
//! - `conditional_pages`: the list and item pages' `ETag`s and 304s.
//! - `collections`: several collections, their paths and the switcher.
//! - `kept_lists`: pages of `GET /api/items` kept as sent, until their collection changes.
//! - `members`: invites, roles and members.
//! - `pages`: the server-rendered pages and their plain form posts.
//! - `photo_batches`: the hydrated form's one grant request and one attach for all its photos.
//! - `photo_forms`: photos without JavaScript (multipart posts, the photo buttons).
//! - `photos_api`: the photo endpoints and the signed upload flow.
//! - `rate_limits`: writes and upload grants per client and per account.
//! - `search`: `?q=` in the API and the list page's search form.
//! - `sign_in`: the first run, signing in and out, cross-site requests, throttling.

#[path = "../common/mod.rs"]
mod common;

mod access;
mod access_matrix;
mod account;
mod api;
mod bulk;
mod collections;
mod conditional_pages;
mod kept_lists;
mod locations;
mod members;
mod pages;
mod photo_batches;
mod photo_forms;
mod photos_api;
mod rate_limits;
mod search;
mod sign_in;
mod tags;
