//! The secret that signs upload URLs and tickets.
//!
//! Given in the configuration (`SHELF_UPLOAD_SECRET`), which several instances must share; or,
//! for the embedded store, generated on first start and kept in `$SHELF_DATA_DIR/upload-secret`
//! (readable by the owner only), so signed URLs survive a restart.

use domain::photos::{Signer, MIN_SECRET_BYTES};
use std::io::{ErrorKind, Write};
use std::path::Path;

const FILE_NAME: &str = "upload-secret";

pub fn signer(configured: Option<&str>, data_dir: &Path) -> Result<Signer, String> {
    let secret = match configured {
        Some(secret) => secret.as_bytes().to_vec(),
        None => load_or_create(data_dir).map_err(|e| {
            format!(
                "cannot keep the upload secret in the data folder ({}): {e}",
                data_dir.join(FILE_NAME).display()
            )
        })?,
    };
    Signer::new(&secret)
        .map_err(|_| format!("the upload secret must be at least {MIN_SECRET_BYTES} bytes long"))
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

    #[test]
    fn is_created_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        signer(None, dir.path()).unwrap();
        let first = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        signer(None, dir.path()).unwrap();
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
    fn a_configured_secret_must_be_long_enough() {
        let dir = tempfile::tempdir().unwrap();
        assert!(signer(Some("short"), dir.path()).is_err());
        assert!(signer(Some(&"x".repeat(32)), dir.path()).is_ok());
        assert!(!dir.path().join(FILE_NAME).exists());
    }
}
