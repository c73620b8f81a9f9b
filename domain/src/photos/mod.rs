//! Photo operations over the item store (records) and the photo store (files), shared by the
//! REST API, the server functions and the plain form posts.
//!
//! The upload flow (`docs/uploads.md`): [`Photos::start_upload`] checks what the client promises
//! and hands out signed upload URLs plus a signed ticket; the client uploads straight to
//! storage; [`Photos::attach`] checks the stored files against the ticket and records the
//! photo with one conditional write. Files never attached are removed by [`Photos::sweep`].
//!
//! Order matters for consistency across crashes: files are written before the record that
//! points to them, and deleted after the record is gone. A crash can leave a file nobody
//! points to (the sweeper's job), never a record pointing at a missing file.
//!
//! # Layout
//! - `request`: the client's promise ([`UploadRequest`]) and the answer ([`UploadGrant`]);
//!   compiled for the browser too.
//! - `service` (server): [`Photos`], the operations.
//! - `signer`, `ticket` (server): HMAC signatures and the signed upload ticket.
//! - `pending` (server): grants not yet attached, counted per item.
//! - `error` (server): [`PhotoError`].

#[cfg(feature = "server")]
mod error;
#[cfg(feature = "server")]
mod pending;
mod request;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
mod signer;
#[cfg(feature = "server")]
mod ticket;

pub use request::{
    Digests, PhotoLimits, PhotoMove, UploadGrant, UploadInstruction, UploadRequest, VariantSpec,
    JPEG,
};
#[cfg(feature = "server")]
pub use {
    error::PhotoError,
    request::Promise,
    service::{Photos, SweepReport},
    signer::{Signer, WeakSecret, MIN_SECRET_BYTES},
    ticket::{TicketError, UploadTicket},
};
