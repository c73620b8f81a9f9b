//! Which store the server runs on, with exactly what that store needs: the flags of both
//! stores are read together, then turned into one [`StoreChoice`] while clap parses, so a
//! missing bucket or secret is a usage error at start (exit 2, with clap's message), not a
//! failure found later while opening the stores.

use clap::error::ErrorKind;
use clap::{ArgMatches, Args, Command, FromArgMatches, ValueEnum};
use domain::photos::MIN_SECRET_BYTES;
use std::fmt;
use std::path::PathBuf;

/// Where items and photos are kept.
#[derive(Clone, Debug)]
pub enum StoreChoice {
    Embedded(EmbeddedStore),
    Aws(AwsStore),
}

/// A SQLite file and a photo folder under one data folder: nothing to install.
#[derive(Clone, Debug)]
pub struct EmbeddedStore {
    /// Holds `shelf.db`, `photos/`, `incoming/` and, unless one is configured,
    /// `upload-secret`.
    pub data_dir: PathBuf,
    /// Pooled SQLite connections.
    pub pool_size: u32,
    /// `None`: generated once into the data folder.
    pub upload_secret: Option<UploadSecret>,
    /// Bytes left free on the data folder's disk; photos are refused below.
    pub min_free_disk_bytes: u64,
}

/// A DynamoDB table and an S3 bucket, reached with the AWS SDK's default chain.
#[derive(Clone, Debug)]
pub struct AwsStore {
    pub table: String,
    /// Users, collections, sessions and links.
    pub accounts_table: String,
    pub bucket: String,
    /// Where photos are served from (CloudFront); `None`: pre-signed S3 GET URLs.
    pub media_base_url: Option<String>,
    /// Required: tickets signed by one instance are attached through another.
    pub upload_secret: UploadSecret,
}

/// The secret that signs upload URLs, upload ids and list cursors: at least
/// [`MIN_SECRET_BYTES`] bytes, never printed.
#[derive(Clone)]
pub struct UploadSecret(String);

impl UploadSecret {
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for UploadSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UploadSecret(..)")
    }
}

impl UploadSecret {
    /// Checked here rather than by a clap value parser, whose message would repeat the value.
    fn parse(raw: String) -> Result<Self, clap::Error> {
        if raw.len() < MIN_SECRET_BYTES {
            return Err(clap::Error::raw(
                ErrorKind::ValueValidation,
                format!(
                    "--upload-secret (SHELF_UPLOAD_SECRET) must be at least {MIN_SECRET_BYTES} bytes long\n"
                ),
            ));
        }
        Ok(Self(raw))
    }
}

/// Where the data is, for the start-up log: `embedded in ./data`, `aws: table …, bucket …`.
impl fmt::Display for StoreChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Embedded(store) => write!(f, "embedded in {}", store.data_dir.display()),
            Self::Aws(store) => write!(
                f,
                "aws: tables {} and {}, bucket {}",
                store.table, store.accounts_table, store.bucket
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum StoreKind {
    Embedded,
    Aws,
}

/// The store flags as clap reads them, before they are checked together.
#[derive(Args)]
struct StoreFlags {
    /// Where items and photos are kept. `embedded`: a SQLite file and a photo folder under
    /// --data-dir, nothing to install. `aws`: the DynamoDB table --dynamodb-table and the S3
    /// bucket --s3-bucket, reached with the AWS SDK's default credentials chain (environment,
    /// profile, EC2 instance role), `AWS_REGION`, and `AWS_ENDPOINT_URL` (or
    /// `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_S3`) for local servers.
    #[arg(long, env = "SHELF_STORE", value_enum, default_value_t = StoreKind::Embedded)]
    store: StoreKind,

    /// DynamoDB table of items (`aws` store); `shelf create-table` makes it for local use.
    #[arg(long, env = "SHELF_DYNAMODB_TABLE", default_value = "shelf-items")]
    dynamodb_table: String,

    /// DynamoDB table of accounts (`aws` store): users, collections, sessions, invites.
    #[arg(
        long,
        env = "SHELF_DYNAMODB_ACCOUNTS_TABLE",
        default_value = "shelf-accounts"
    )]
    dynamodb_accounts_table: String,

    /// S3 bucket of photos (`aws` store, required there).
    #[arg(long, env = "SHELF_S3_BUCKET")]
    s3_bucket: Option<String>,

    /// Public base URL photos are served from, e.g. `https://d123.cloudfront.net` (a
    /// CloudFront distribution in front of the bucket). If unset, the `aws` store hands out
    /// pre-signed S3 GET URLs instead.
    #[arg(long, env = "SHELF_MEDIA_BASE_URL")]
    media_base_url: Option<String>,

    /// Folder for the embedded store (`shelf.db`, photos); created on first start.
    #[arg(long, env = "SHELF_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,

    /// Pooled SQLite connections (embedded store).
    #[arg(long, env = "SHELF_DB_POOL_SIZE", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=256))]
    db_pool_size: u32,

    /// Secret (at least 32 characters) that signs upload URLs, upload ids and list cursors.
    /// Instances that share a store must share it: required with `aws`. If unset, the
    /// embedded store generates one in `--data-dir/upload-secret` on first start.
    #[arg(long, env = "SHELF_UPLOAD_SECRET", hide_env_values = true)]
    upload_secret: Option<String>,

    /// Bytes always left free on the data folder's disk (embedded store): photo uploads and
    /// photos posted with forms that would go below are refused with 507, while everything
    /// else (items, accounts, the database itself) goes on. 1 GiB by default.
    #[arg(long, env = "SHELF_MIN_FREE_DISK_BYTES", default_value_t = 1024 * 1024 * 1024)]
    min_free_disk_bytes: u64,
}

impl TryFrom<StoreFlags> for StoreChoice {
    type Error = clap::Error;

    fn try_from(flags: StoreFlags) -> Result<Self, clap::Error> {
        let upload_secret = flags.upload_secret.map(UploadSecret::parse).transpose()?;
        match flags.store {
            StoreKind::Embedded => Ok(Self::Embedded(EmbeddedStore {
                data_dir: flags.data_dir,
                pool_size: flags.db_pool_size,
                upload_secret,
                min_free_disk_bytes: flags.min_free_disk_bytes,
            })),
            StoreKind::Aws => Ok(Self::Aws(AwsStore {
                table: flags.dynamodb_table,
                accounts_table: flags.dynamodb_accounts_table,
                bucket: flags.s3_bucket.ok_or_else(|| {
                    missing("--s3-bucket (SHELF_S3_BUCKET) is required with --store aws")
                })?,
                media_base_url: flags.media_base_url,
                upload_secret: upload_secret.ok_or_else(|| {
                    missing(
                        "--upload-secret (SHELF_UPLOAD_SECRET) is required with --store aws: \
                         every instance must sign upload ids with the same secret",
                    )
                })?,
            })),
        }
    }
}

fn missing(message: &str) -> clap::Error {
    clap::Error::raw(ErrorKind::MissingRequiredArgument, format!("{message}\n"))
}

/// The flags of `StoreFlags`, parsed into a [`StoreChoice`] (`#[command(flatten)]`).
impl Args for StoreChoice {
    fn augment_args(command: Command) -> Command {
        StoreFlags::augment_args(command)
    }

    fn augment_args_for_update(command: Command) -> Command {
        StoreFlags::augment_args_for_update(command)
    }
}

impl FromArgMatches for StoreChoice {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Self::try_from(StoreFlags::from_arg_matches(matches)?)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, StoreChoice};
    use clap::error::ErrorKind;
    use clap::Parser;

    const SECRET: &str = "a secret of thirty-two characters";

    #[test]
    fn aws_needs_a_bucket_and_a_secret() {
        let error = Config::try_parse_from(["shelf", "--store", "aws", "--upload-secret", SECRET])
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingRequiredArgument);
        assert!(error.to_string().contains("--s3-bucket"), "{error}");

        let error =
            Config::try_parse_from(["shelf", "--store", "aws", "--s3-bucket", "b"]).unwrap_err();
        assert!(error.to_string().contains("SHELF_UPLOAD_SECRET"), "{error}");

        let config = Config::try_parse_from([
            "shelf",
            "--store",
            "aws",
            "--s3-bucket",
            "photos",
            "--upload-secret",
            SECRET,
        ])
        .unwrap();
        assert_eq!(
            config.store.to_string(),
            "aws: tables shelf-items and shelf-accounts, bucket photos"
        );
        let StoreChoice::Aws(aws) = config.store else {
            panic!("expected the aws store")
        };
        assert_eq!(
            (aws.table.as_str(), aws.bucket.as_str()),
            ("shelf-items", "photos")
        );
        assert_eq!(aws.upload_secret.as_bytes(), SECRET.as_bytes());
    }

    #[test]
    fn a_short_secret_is_refused_and_no_secret_is_printed() {
        let error = Config::try_parse_from(["shelf", "--upload-secret", "short!"]).unwrap_err();
        assert!(error.to_string().contains("at least 32 bytes"), "{error}");
        assert!(!error.to_string().contains("short!"), "{error}");
        let config = Config::try_parse_from(["shelf", "--upload-secret", SECRET]).unwrap();
        assert!(!format!("{config:?}").contains(SECRET));
    }
}
