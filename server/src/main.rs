//! `shelf`: configuration → store → router → serve until SIGTERM/SIGINT; or one of the AWS
//! store's administrative commands (`create-table`, `migrate`); or `users` for accounts.

use anyhow::Context;
use clap::Parser;
use domain::accounts::AccountStore;
use server::config::{AwsStore, Command, Config, StoreChoice};
use server::shutdown::{self, Readiness};
use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: rendering a page allocates thousands of small strings
/// across threads, and with glibc allocating and freeing them was two fifths of the list
/// page's CPU (perf; see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    if let Err(message) = server::telemetry::init(config.log_format, &config.log_filter) {
        eprintln!("shelf: {message}");
        return ExitCode::FAILURE;
    }
    let outcome = match config.command.clone() {
        None | Some(Command::Serve) => run(config).await,
        Some(Command::CreateTable) => create_table(config).await,
        Some(Command::Migrate {
            resume_after,
            page_size,
        }) => migrate(config, resume_after, page_size).await,
        Some(Command::Users { command }) => users(config, command).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}`: the whole chain of causes, outermost first, on one line.
            tracing::error!(error = %format_args!("{error:#}"), "shelf stopped");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let readiness = Readiness::default();
    let state = server::app_state(&config, readiness.clone()).await?;
    tokio::spawn(server::metrics::upkeep(state.metrics.clone()));
    tokio::spawn(server::sweeper::run(
        state.photos.clone(),
        config.unattached_photo_max_age(),
    ));
    serve_metrics(
        config.metrics_addr,
        server::routes::metrics_app(state.clone()),
    )
    .await;
    let app = server::routes::app(state, config.request_timeout());
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let addr = listener
        .local_addr()
        .context("cannot read the listening address")?;
    tracing::info!(
        %addr,
        store = %config.store,
        site_root = %config.site_root.display(),
        version = server::config::VERSION,
        "shelf listening on http://{addr}"
    );
    shutdown::serve(
        listener,
        app,
        readiness,
        config.drain(),
        config.shutdown_timeout(),
        config.connection_limits(),
    )
    .await
    .context("server error")
}

/// Starts the metrics listener. A metrics address already taken (a second instance on the
/// host with the same setting) costs the metrics, not the service: logged as an error.
async fn serve_metrics(addr: std::net::SocketAddr, app: axum::Router) {
    match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => {
            let metrics_addr = listener.local_addr().unwrap_or(addr);
            tracing::info!(%metrics_addr, "metrics on http://{metrics_addr}/metrics");
            tokio::spawn(async move { axum::serve(listener, app).await });
        }
        Err(error) => {
            tracing::error!(%addr, %error, "cannot listen for metrics; /metrics is not served");
        }
    }
}

async fn users(config: Config, command: server::config::UsersCommand) -> anyhow::Result<()> {
    let state = server::app_state(&config, Readiness::default()).await?;
    let report = server::users::run(&state.accounts, command, std::io::stdin().lock()).await?;
    println!("{report}");
    Ok(())
}

/// The AWS settings, for the commands that only make sense there.
fn aws_only<'a>(config: &'a Config, command: &str) -> anyhow::Result<&'a AwsStore> {
    match &config.store {
        StoreChoice::Aws(settings) => Ok(settings),
        StoreChoice::Embedded(_) => anyhow::bail!(
            "`shelf {command}` is for the aws store (SHELF_STORE=aws); the embedded store \
             creates and migrates its database by itself"
        ),
    }
}

async fn create_table(config: Config) -> anyhow::Result<()> {
    let settings = aws_only(&config, "create-table")?;
    let aws = server::AwsStores::open(settings, &config.anonymous_collection().id).await?;
    let table = server::store::dynamodb::table::create(&aws.dynamodb, &aws.table).await?;
    println!("table {}: {table:?}", aws.table);
    let accounts =
        server::store::dynamodb::table::create_accounts(&aws.dynamodb, &aws.accounts_table).await?;
    println!("table {}: {accounts:?}", aws.accounts_table);
    let bucket = aws.photos.create_bucket().await?;
    println!("bucket {}: {bucket:?}", settings.bucket);
    Ok(())
}

async fn migrate(
    config: Config,
    resume_after: Option<String>,
    page_size: u16,
) -> anyhow::Result<()> {
    let settings = aws_only(&config, "migrate")?;
    let collection = config.anonymous_collection();
    let aws = server::AwsStores::open(settings, &collection.id).await?;
    aws.accounts.ensure_collection(&collection).await?;
    println!(
        "items without a collection go into {:?} (--anonymous-collection)",
        collection.name.as_str()
    );
    let report = server::store::dynamodb::migrate::run(
        &aws.dynamodb,
        &aws.table,
        &collection.id,
        resume_after.as_deref(),
        page_size,
        |report, resume| {
            println!(
                "examined {}, migrated {}, skipped {}, unreadable {}{}",
                report.examined,
                report.migrated,
                report.skipped,
                report.unreadable.len(),
                resume
                    .map(|id| format!("; to resume: shelf migrate --resume-after {id}"))
                    .unwrap_or_default()
            );
        },
    )
    .await?;
    for id in &report.unreadable {
        println!("left alone, unreadable: item {id:?}");
    }
    println!(
        "done: {} items migrated, {} skipped (changed or deleted meanwhile: run again)",
        report.migrated, report.skipped
    );
    Ok(())
}
