//! What runs only in the browser: the page's side of the photo Web Worker, and sending a
//! processed photo straight to storage. On the server these functions are compiled (the
//! components that call them are rendered there too) but never called.
//!
//! # Layout
//! - [`photo_worker`]: starting the worker, sending it files, reading its messages.
//! - [`photo_upload`]: the upload request, the PUTs with progress and retries, the attach.

pub mod photo_upload;
pub mod photo_worker;
