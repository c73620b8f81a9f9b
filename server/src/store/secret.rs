//! The secret that signs upload URLs and tickets.
//!
//! Given in the configuration (`SHELF_UPLOAD_SECRET`), which several instances must share; or,
//! for the embedded store, generated on first start and kept in `$SHELF_DATA_DIR/upload-secret`
//! (readable by the owner only), so signed URLs survive a restart.

use crate::config::UploadSecret;
use anyhow::Context;
use domain::photos::Signer;
use std::io::{ErrorKind, Write};
use std::path::Path;

const FILE_NAME: &str = "upload-secret";

/// The signer of the configured secret (checked when the configuration was parsed).
pub fn configured(secret: &UploadSecret) -> anyhow::Result<Signer> {
    Ok(Signer::new(secret.as_bytes())?)
}

/// The embedded store's signer: the configured secret, else the one kept in `data_dir`
/// (generated there on first start).
pub fn embedded(
    configured_secret: Option<&UploadSecret>,
    data_dir: &Path,
) -> anyhow::Result<Signer> {
    if let Some(secret) = configured_secret {
        return configured(secret);
    }
    let secret = load_or_create(data_dir).with_context(|| {
        format!(
            "cannot keep the upload secret in the data folder ({})",
            data_dir.join(FILE_NAME).display()
        )
    })?;
    Ok(Signer::new(&secret)?)
}

fn load_or_create(data_dir: &Path) -> std::io::Result<Vec<u8>> {
    let path = data_dir.join(FILE_NAME);
    std::fs::create_dir_all(data_dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            file.write_all(hex.as_bytes())?;
            file.sync_all()?;
            Ok(hex.into_bytes())
        }
        // Another process (or an earlier start) made it: use theirs.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            Ok(std::fs::read_to_string(&path)?.trim().as_bytes().to_vec())
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn is_created_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        embedded(None, dir.path()).unwrap();
        let first = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        embedded(None, dir.path()).unwrap();
        let second = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(first, second);
        assert_eq!(first.len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_configured_secret_leaves_the_data_folder_alone() {
        let dir = tempfile::tempdir().unwrap();
        let config = crate::config::Config::try_parse_from([
            "shelf",
            "--upload-secret",
            "a secret of thirty-two characters",
        ])
        .unwrap();
        let crate::config::StoreChoice::Embedded(store) = config.store else {
            panic!("embedded by default")
        };
        assert!(embedded(store.upload_secret.as_ref(), dir.path()).is_ok());
        assert!(!dir.path().join(FILE_NAME).exists());
    }
}
