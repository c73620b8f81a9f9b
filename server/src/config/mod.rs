//! Configuration: command-line flags, each also settable by an environment variable, checked
//! as they are parsed: a `Config` that exists is one the server can start with.
//!
//! # Layout
//! - this file: [`Config`], everything but the store.
//! - `store`: [`StoreChoice`], the embedded or the AWS store with what each needs.

mod store;

pub use store::{AwsStore, EmbeddedStore, StoreChoice, UploadSecret};

use clap::{Parser, ValueEnum};
use domain::access::AnonymousAccess;
use domain::accounts::{Collection, CollectionId, CollectionName, Role};
use domain::item_store::MOST_PHOTOS_PER_ITEM;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The version and the commit it was built from, e.g. `0.1.0 (3f2a9c1d0b7e)`.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("SHELF_GIT_COMMIT"),
    ")"
);

/// Shelf: keep records of things, with photos. Serves the web UI and the JSON API.
///
/// Every option can also be set through the environment variable shown with it; a flag wins
/// over the variable. `dev`, `staging` and `prod` differ only in these values.
#[derive(Clone, Debug, Parser)]
#[command(name = "shelf", version = VERSION, about, long_about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Address and port of the separate listener that serves `/metrics` (Prometheus); the
    /// main address never serves it, so no path trick can reach it through a proxy. Loopback
    /// by default: scrape it on the host, or bind it to a private interface.
    #[arg(long, env = "SHELF_METRICS_ADDR", default_value = "127.0.0.1:9464")]
    pub metrics_addr: SocketAddr,

    #[command(flatten)]
    pub store: StoreChoice,

    /// Folder of the built web assets (`pkg/shelf.js`, `.wasm`, `.css`, and the files of
    /// `public/`): `target/site` after `cargo leptos build`, `site/` in a release tarball.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Log line format: `json` (one object per line, for log shipping) or `text`.
    #[arg(long, env = "SHELF_LOG_FORMAT", value_enum, default_value_t = LogFormat::Json)]
    pub log_format: LogFormat,

    /// Which logs to write, in `tracing` filter syntax, e.g. `info` or `info,server=debug`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log_filter: String,

    /// Longest a request may take, in seconds, before it is answered 408.
    #[arg(long, env = "SHELF_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Changes (POST, PUT, PATCH, DELETE) one client may make per minute, counted per client
    /// address and, when signed in, per account, on each instance; beyond, 429 with
    /// Retry-After. Photo uploads to /uploads do not count (each needs a grant).
    #[arg(long, env = "SHELF_WRITES_PER_MINUTE", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub writes_per_minute: u32,

    /// Photos one client may be granted upload URLs for per 15 minutes (the life of the URLs,
    /// so at most this many of its uploads wait at once; a request for several counts each),
    /// per address and per account, on each instance; they do not count as writes.
    #[arg(long, env = "SHELF_PENDING_UPLOADS_PER_CLIENT", default_value_t = 120,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub pending_uploads_per_client: u32,

    /// Connections served at once; further ones wait to be accepted until one closes.
    #[arg(long, env = "SHELF_MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,

    /// Seconds a client has to send a request's headers; slower connections are closed. It
    /// also closes keep-alive connections idle that long, so behind a load balancer set it
    /// above the balancer's idle timeout (Terraform sets 75 for the ALB's 60).
    #[arg(long, env = "SHELF_HEADER_READ_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_read_timeout_secs: u64,

    /// On SIGTERM/SIGINT, seconds to keep serving while /readyz already fails, so a load
    /// balancer stops sending traffic before the listener closes. Set it to the balancer's
    /// health-check interval times its unhealthy threshold.
    #[arg(long, env = "SHELF_DRAIN_SECS", default_value_t = 0)]
    pub drain_secs: u64,

    /// After draining, seconds to wait for in-flight requests before exiting anyway.
    #[arg(long, env = "SHELF_SHUTDOWN_TIMEOUT_SECS", default_value_t = 30)]
    pub shutdown_timeout_secs: u64,

    /// Most photos one item may have.
    #[arg(long, env = "SHELF_MAX_PHOTOS_PER_ITEM", default_value_t = 12,
          value_parser = clap::value_parser!(u16).range(1..=MOST_PHOTOS_PER_ITEM as i64))]
    pub max_photos_per_item: u16,

    /// Largest photo file (each of the display and thumbnail JPEGs) accepted for upload, in
    /// bytes. The browser's 1600 px JPEGs are typically 150–400 KB.
    #[arg(long, env = "SHELF_MAX_PHOTO_BYTES", default_value_t = 8 * 1024 * 1024,
          value_parser = clap::value_parser!(u64).range(1024..=1024 * 1024 * 1024))]
    pub max_photo_bytes: u64,

    /// Uploaded photo files that were never attached to an item (a closed tab, a failed
    /// upload) are deleted once they are this many seconds old. At least 2 hours, since an
    /// upload may be attached up to an hour after it started.
    #[arg(long, env = "SHELF_UNATTACHED_PHOTO_MAX_AGE_SECS", default_value_t = 24 * 60 * 60,
          value_parser = clap::value_parser!(u64).range(7200..))]
    pub unattached_photo_max_age_secs: u64,

    /// Largest form post with photos from a browser without JavaScript (the originals are sent
    /// to the server, which shrinks them), in bytes. At most twice --photo-workers such posts
    /// are read at once; more wait their turn.
    #[arg(long, env = "SHELF_FORM_UPLOAD_LIMIT_BYTES", default_value_t = 64 * 1024 * 1024,
          value_parser = clap::value_parser!(u64).range(1024 * 1024..=4 * 1024 * 1024 * 1024))]
    pub form_upload_limit_bytes: u64,

    /// Photos the server shrinks at the same time for forms posted without JavaScript; each
    /// takes one core and up to about 50 MB of memory.
    #[arg(long, env = "SHELF_PHOTO_WORKERS", default_value_t = 2,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub photo_workers: u16,

    /// What visitors without credentials may do in --anonymous-collection: `none`, `read` or
    /// `edit`. The old service's clients send no credentials; they keep working only with
    /// `read` or `edit`, which Shelf logs loudly at start.
    #[arg(long, env = "SHELF_ANONYMOUS_ACCESS", value_enum, default_value_t = AnonymousLevel::None)]
    pub anonymous_access: AnonymousLevel,

    /// The collection anonymous access applies to, by name: its id follows from the name, so
    /// the gate needs no record of it (the first owner, `shelf users add` and `shelf migrate`
    /// make one).
    /// Items of the old service, which have no collection, belong to it; `shelf migrate`
    /// records that on each of them.
    #[arg(long, env = "SHELF_ANONYMOUS_COLLECTION", default_value = "Shelf",
          value_parser = parse_collection_name)]
    pub anonymous_collection: CollectionName,

    /// Who may create an account: `invite` (only with an owner's invite link, or the
    /// operator's `shelf users add`) or `open` (anyone, at /sign-up; each new account owns a
    /// new collection of its own and sees nobody else's).
    #[arg(long, env = "SHELF_SIGN_UP", value_enum, default_value_t = SignUp::Invite)]
    pub sign_up: SignUp,

    /// The address clients reach Shelf at (`https://shelf.example.com`): absolute URLs the API
    /// hands out (the next page's `Link`, upload URLs) are made with it. Unset, they follow the
    /// request's `Host` and `X-Forwarded-Proto`, which a client chooses.
    #[arg(long, env = "SHELF_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Take the client's address from the last entry of `X-Forwarded-For` (set it behind a
    /// load balancer that appends it, as the ALB does); otherwise the peer's address counts.
    #[arg(long, env = "SHELF_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// How long, in seconds, an instance trusts a session or API token it looked up before
    /// asking the store again: a sign-out, revocation or role change made through another
    /// instance takes effect here within this time (0: every request asks).
    #[arg(long, env = "SHELF_CREDENTIAL_CACHE_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=300))]
    pub credential_cache_secs: u64,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Reload port of `cargo leptos watch` (set by cargo-leptos; unused otherwise).
    #[arg(long, env = "LEPTOS_RELOAD_PORT", default_value_t = 3001, hide = true)]
    pub reload_port: u32,
}

/// What to do; serving is the default.
#[derive(Clone, Debug, PartialEq, Eq, clap::Subcommand)]
pub enum Command {
    /// Serve the web UI and the API (the default).
    Serve,
    /// Create the DynamoDB table with its list index (on-demand billing) and the S3 bucket, if
    /// they do not exist: for local servers (moto, s3s-fs). In AWS, Terraform owns them.
    CreateTable,
    /// Backfill what items written by the old service lack (list index keys, version), so
    /// they appear in lists. Idempotent, resumable, safe while the app serves traffic.
    Migrate {
        /// Continue after this item id, as printed by an interrupted run.
        #[arg(long)]
        resume_after: Option<String>,
        /// Items read per scan page (progress is printed after each).
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u16).range(1..=1000))]
        page_size: u16,
    },
    /// Accounts, for the operator: the first owner of a headless install, password resets.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
}

/// `--sign-up`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SignUp {
    Invite,
    Open,
}

/// `--anonymous-access`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnonymousLevel {
    None,
    Read,
    Edit,
}

/// `scheme://host[:port]`, without a trailing slash: an http(s) origin, nothing after it.
fn parse_public_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let uri: axum::http::Uri = trimmed
        .parse()
        .map_err(|_| format!("{raw:?} is not a URL"))?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let origin_only = uri.path() == "/" || uri.path().is_empty();
    if !scheme_ok || uri.authority().is_none() || !origin_only || uri.query().is_some() {
        return Err(format!(
            "{raw:?} must be an http or https origin, e.g. https://shelf.example.com"
        ));
    }
    Ok(trimmed.to_owned())
}

fn parse_collection_name(raw: &str) -> Result<CollectionName, String> {
    CollectionName::parse(raw)
}

/// `shelf users …`.
#[derive(Clone, Debug, PartialEq, Eq, clap::Subcommand)]
pub enum UsersCommand {
    /// Create an account in the --anonymous-collection: with --owner on a Shelf without
    /// accounts, its first owner (what the first-run page does). Prints a one-time link that
    /// sets the password, unless --password-stdin reads it from standard input.
    Add {
        #[arg(long)]
        email: String,
        /// An owner of the collection (else an editor).
        #[arg(long)]
        owner: bool,
        /// Read the password from standard input (one line) instead of printing a link.
        #[arg(long)]
        password_stdin: bool,
        /// Where people reach this Shelf, for the printed link.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        base_url: String,
    },
    /// Print a one-time link (valid 24 hours) that sets a new password for the account.
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Where people reach this Shelf, for the printed link.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        base_url: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Json,
    Text,
}

impl Config {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    pub fn connection_limits(&self) -> crate::shutdown::ConnectionLimits {
        crate::shutdown::ConnectionLimits {
            max_connections: self.max_connections as usize,
            header_read_timeout: Duration::from_secs(self.header_read_timeout_secs),
        }
    }

    pub fn drain(&self) -> Duration {
        Duration::from_secs(self.drain_secs)
    }

    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }

    pub fn unattached_photo_max_age(&self) -> Duration {
        Duration::from_secs(self.unattached_photo_max_age_secs)
    }

    /// The collection `--anonymous-collection` names; its id follows from its name, so every
    /// instance agrees on it without asking the store.
    pub fn anonymous_collection(&self) -> Collection {
        Collection {
            id: CollectionId::named(self.anonymous_collection.as_str()),
            name: self.anonymous_collection.clone(),
        }
    }

    /// What `--anonymous-access` grants, if anything.
    pub fn anonymous_access(&self) -> Option<AnonymousAccess> {
        let role = match self.anonymous_access {
            AnonymousLevel::None => return None,
            AnonymousLevel::Read => Role::Viewer,
            AnonymousLevel::Edit => Role::Editor,
        };
        Some(AnonymousAccess {
            collection: self.anonymous_collection().id,
            role,
        })
    }

    pub fn account_settings(&self) -> domain::accounts::AccountSettings {
        domain::accounts::AccountSettings {
            cache_for: Duration::from_secs(self.credential_cache_secs),
            ..Default::default()
        }
    }

    pub fn photo_limits(&self) -> domain::photos::PhotoLimits {
        domain::photos::PhotoLimits {
            max_per_item: usize::from(self.max_photos_per_item),
            max_bytes: self.max_photo_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Config::command().debug_assert();
    }

    #[test]
    fn defaults_serve_the_embedded_store_locally() {
        let config = Config::try_parse_from(["shelf"]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        let StoreChoice::Embedded(embedded) = &config.store else {
            panic!("expected the embedded store")
        };
        assert_eq!(embedded.data_dir, PathBuf::from("./data"));
        assert_eq!(embedded.pool_size, 8);
        assert!(embedded.upload_secret.is_none());
        assert_eq!(config.anonymous_access, AnonymousLevel::None);
        assert_eq!(config.anonymous_access(), None);
    }

    #[test]
    fn the_public_url_is_an_origin() {
        assert_eq!(
            parse_public_url("https://shelf.example.com/").unwrap(),
            "https://shelf.example.com"
        );
        assert_eq!(
            parse_public_url("http://127.0.0.1:3000").unwrap(),
            "http://127.0.0.1:3000"
        );
        for bad in [
            "shelf.example.com",
            "ftp://shelf.example.com",
            "https://x/app",
            "https://x?a=1",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn anonymous_access_names_a_stable_collection() {
        let config = Config::try_parse_from([
            "shelf",
            "--anonymous-access",
            "read",
            "--anonymous-collection",
            " Old ",
        ])
        .unwrap();
        let access = config.anonymous_access().unwrap();
        assert_eq!(access.role, Role::Viewer);
        assert_eq!(access.collection, CollectionId::named("Old"));
        assert_eq!(config.anonymous_collection().name.as_str(), "Old");
        assert!(Config::try_parse_from(["shelf", "--anonymous-collection", " "]).is_err());
        assert!(Config::try_parse_from(["shelf", "--anonymous-access", "all"]).is_err());
    }

    #[test]
    fn the_version_names_the_commit() {
        let version = Config::command().render_version();
        assert!(
            version.starts_with(&format!("shelf {} (", env!("CARGO_PKG_VERSION"))),
            "{version}"
        );
        // build.rs: a 12-digit short hash, or `unknown` outside a git checkout.
        let commit = env!("SHELF_GIT_COMMIT");
        assert!(
            commit == "unknown"
                || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
            "{commit}"
        );
        assert!(
            version.trim_end().ends_with(&format!("({commit})")),
            "{version}"
        );
    }

    #[test]
    fn rejects_a_bad_address_with_a_message() {
        let err = Config::try_parse_from(["shelf", "--addr", "localhost"]).unwrap_err();
        assert!(err.to_string().contains("--addr"), "{err}");
    }
}
