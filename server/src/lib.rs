//! The Shelf server: configuration, storage backends, HTTP routes and operations plumbing.
//! The binary (`src/main.rs`) only wires these together.
//!
//! # Layout
//! - [`config`]: flags and environment variables.
//! - [`store`]: storage backends: items in SQLite or DynamoDB, photo files in a local folder
//!   or S3.
//! - [`routes`]: pages, the REST API under `/api`, health checks, static assets, middleware.
//! - [`telemetry`]: JSON logs and request ids.
//! - [`metrics`]: Prometheus metrics at `/metrics`; [`store_time`]: how long each request
//!   waits on its stores.
//! - [`shutdown`]: readiness and graceful shutdown.
//! - [`state`]: what handlers share.
//! - [`sweeper`]: deletes photo uploads that were never attached.
//! - [`revision_caches`]: how caches of answers kept under a revision are built.
//! - [`users`]: `shelf users add` and `reset-password`.

pub mod config;
pub mod metrics;
pub mod revision_caches;
pub mod routes;
pub mod shutdown;
pub mod state;
pub mod store;
pub mod store_time;
pub mod sweeper;
pub mod telemetry;
pub mod users;

use anyhow::Context;
use config::{AwsStore, Config, StoreChoice};
use domain::access::Gate;
use domain::accounts::{Accounts, CollectionId, Passwords, SharedAccountStore};
use domain::item_store::SharedItemStore;
use domain::location_store::SharedLocationStore;
use domain::photo_store::SharedPhotoStore;
use domain::photos::Photos;
use leptos::prelude::LeptosOptions;
use shutdown::Readiness;
use state::AppState;
use std::sync::Arc;
use std::time::Duration;
use store::aws::AwsCalls;
use store::dynamodb::accounts::DynamoAccounts;
use store::dynamodb::DynamoStore;
use store::local_photos::LocalPhotoStore;
use store::measured::{MeasuredItems, MeasuredPhotos};
use store::s3::get_urls::{GetUrls, Presigner};
use store::s3::S3PhotoStore;

/// Opens the configured stores and builds what the handlers share.
pub async fn app_state(config: &Config, readiness: Readiness) -> anyhow::Result<AppState> {
    let anonymous = config.anonymous_collection();
    let (store, locations, accounts, files, local_photos, signer) = match &config.store {
        StoreChoice::Embedded(embedded) => {
            let signer =
                store::secret::embedded(embedded.upload_secret.as_ref(), &embedded.data_dir)?;
            let local = Arc::new(
                LocalPhotoStore::open(&embedded.data_dir, signer.clone())
                    .context("cannot open the photo folder")?
                    .keeping_free(embedded.min_free_disk_bytes),
            );
            let items = Arc::new(store::sqlite::SqliteStore::open(
                &embedded.data_dir,
                embedded.pool_size,
                local.clone(),
            )?);
            // Items of an install from before accounts are the anonymous collection's, as
            // the old service's are in DynamoDB.
            let adopted = items
                .adopt_orphans(&anonymous.id)
                .await
                .context("cannot give old items their collection")?;
            if adopted > 0 {
                tracing::info!(adopted, collection = %anonymous.name.as_str(), "items without a collection adopted");
            }
            (
                items.clone() as SharedItemStore,
                items.clone() as SharedLocationStore,
                items as SharedAccountStore,
                local.clone() as SharedPhotoStore,
                Some(local),
                signer,
            )
        }
        StoreChoice::Aws(settings) => {
            let signer = store::secret::configured(&settings.upload_secret)?;
            let aws = AwsStores::open(settings, &anonymous.id).await?;
            (
                aws.items.clone() as SharedItemStore,
                aws.items as SharedLocationStore,
                aws.accounts as SharedAccountStore,
                aws.photos as SharedPhotoStore,
                None,
                signer,
            )
        }
    };
    let gate = Gate::new(config.anonymous_access());
    if let Some(access) = gate.anonymous() {
        tracing::warn!(
            collection = %anonymous.name.as_str(),
            role = %access.role,
            "ANONYMOUS ACCESS IS ON: anyone who can reach this server may {} the collection \
             without signing in (--anonymous-access)",
            if access.role == domain::accounts::Role::Editor { "read and change" } else { "read" }
        );
    }
    let origins = files
        .browser_origins()
        .await
        .context("cannot tell where browsers load photos from")?;
    // The embedded store's revision is a read of its own file, cheaper than a page; on
    // DynamoDB it is a call, which would make every list two.
    let kept_lists = match config.store {
        StoreChoice::Embedded(_) => routes::api::KeptLists::keeping(),
        StoreChoice::Aws(_) => routes::api::KeptLists::off(),
    };
    let store: SharedItemStore = Arc::new(MeasuredItems(store));
    let files: SharedPhotoStore = Arc::new(MeasuredPhotos(files));
    Ok(AppState::new(state::Shared {
        leptos_options: leptos_options(config),
        photos: Photos::new(store.clone(), files, signer.clone(), config.photo_limits()),
        signer,
        store,
        locations,
        accounts: Accounts::new(
            accounts,
            Passwords::new(2),
            config.account_settings(),
            anonymous.clone(),
        ),
        gate,
        local_photos,
        metrics: metrics::recorder(),
        photo_workers: Arc::new(tokio::sync::Semaphore::new(usize::from(
            config.photo_workers,
        ))),
        form_uploads: Arc::new(tokio::sync::Semaphore::new(
            2 * usize::from(config.photo_workers),
        )),
        form_upload_limit: usize::try_from(config.form_upload_limit_bytes).unwrap_or(usize::MAX),
        readiness,
        store_probe: routes::StoreProbe::default(),
        sign_in_throttle: routes::AddressThrottle::sign_ins(),
        open_sign_up: config.sign_up == config::SignUp::Open,
        public_url: config.public_url.clone(),
        sign_up_throttle: routes::AddressThrottle::sign_ups(),
        trust_forwarded_for: config.trust_forwarded_for,
        page_policy: routes::PagePolicy::for_pages(&origins),
        page_cache: routes::PageCache::default(),
        kept_lists,
        rate_limits: routes::RateLimits {
            writes: routes::Limit::new(config.writes_per_minute, Duration::from_secs(60)),
            // Per the life of an upload URL: the most uploads one client has waiting.
            grants: routes::Limit::new(
                config.pending_uploads_per_client,
                domain::photos::Photos::UPLOAD_URLS_LAST,
            ),
        },
    }))
}

/// The AWS backend's parts, as `serve`, `create-table` and `migrate` need them.
pub struct AwsStores {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub table: String,
    pub accounts_table: String,
    pub items: Arc<DynamoStore>,
    pub accounts: Arc<DynamoAccounts>,
    pub photos: Arc<S3PhotoStore>,
}

impl AwsStores {
    /// Items written without a collection (the old service's) count as `legacy`'s.
    pub async fn open(settings: &AwsStore, legacy: &CollectionId) -> anyhow::Result<Self> {
        let bucket = settings.bucket.clone();
        let sdk = store::aws::sdk_config().await;
        let region = sdk
            .region()
            .map(ToString::to_string)
            .context("no AWS region: set AWS_REGION")?;
        let calls = Arc::new(AwsCalls::default());
        // A local S3 (s3s-fs, moto) is addressed path-style; the SDK reads these variables
        // too, but S3 needs to know to use paths, and photo URLs need the address.
        let s3_endpoint = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]
            .into_iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()));
        let urls = match &settings.media_base_url {
            Some(base) => GetUrls::cdn(base),
            None => {
                let objects = match &s3_endpoint {
                    Some(endpoint) => format!("{}/{bucket}", endpoint.trim_end_matches('/')),
                    None => format!("https://{bucket}.s3.{region}.amazonaws.com"),
                };
                let provider = sdk
                    .credentials_provider()
                    .context("no AWS credentials provider")?;
                GetUrls::Presigned(Presigner::start(objects, region, provider).await?)
            }
        };
        let dynamodb = store::aws::dynamodb_client(&sdk, &calls);
        let s3 = store::aws::s3_client(&sdk, s3_endpoint.as_deref(), &calls);
        let photos = Arc::new(S3PhotoStore::new(s3, bucket, urls));
        let items = Arc::new(
            DynamoStore::new(dynamodb.clone(), settings.table.clone(), photos.clone())
                .with_legacy_collection(Some(*legacy)),
        );
        let accounts = Arc::new(DynamoAccounts::new(
            dynamodb.clone(),
            settings.accounts_table.clone(),
        ));
        Ok(Self {
            dynamodb,
            table: settings.table.clone(),
            accounts_table: settings.accounts_table.clone(),
            items,
            accounts,
            photos,
        })
    }
}

/// Leptos' own settings, derived from ours: the binary needs no Cargo.toml at run time.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(app::OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .reload_port(config.reload_port)
        .build()
}
