//! HMAC-SHA256 signatures for what the server hands out and must later trust again: upload
//! tickets and the embedded store's upload URLs.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::sync::Arc;

/// Shortest secret accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// Signs and verifies messages with one secret key. Each use passes its own `purpose`, so a
/// signature made for one thing (an upload URL) never verifies as another (a ticket).
#[derive(Clone)]
pub struct Signer {
    key: Arc<[u8]>,
}

#[derive(Debug, thiserror::Error)]
#[error("the signing secret must be at least {MIN_SECRET_BYTES} bytes")]
pub struct WeakSecret;

impl Signer {
    pub fn new(secret: &[u8]) -> Result<Self, WeakSecret> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(WeakSecret);
        }
        Ok(Self { key: secret.into() })
    }

    /// The signature, base64url without padding.
    pub fn sign(&self, purpose: &str, message: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(purpose, message).finalize().into_bytes())
    }

    /// Whether `signature` is `sign(purpose, message)`, compared in constant time.
    pub fn verify(&self, purpose: &str, message: &[u8], signature: &str) -> bool {
        let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        self.mac(purpose, message).verify_slice(&signature).is_ok()
    }

    fn mac(&self, purpose: &str, message: &[u8]) -> Hmac<Sha256> {
        // Any key length is valid for HMAC, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(purpose.as_bytes());
        mac.update(b"\n");
        mac.update(message);
        mac
    }
}

/// Never prints the key.
impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer::new(&[7; 32]).unwrap()
    }

    #[test]
    fn verifies_its_own_signatures_only() {
        let signature = signer().sign("put", b"message");
        assert!(signer().verify("put", b"message", &signature));
        assert!(!signer().verify("put", b"messagE", &signature));
        assert!(!signer().verify("ticket", b"message", &signature));
        assert!(!Signer::new(&[8; 32])
            .unwrap()
            .verify("put", b"message", &signature));
        assert!(!signer().verify("put", b"message", "not base64!"));
        assert!(!signer().verify("put", b"message", ""));
    }

    #[test]
    fn refuses_short_secrets() {
        assert!(Signer::new(&[1; 31]).is_err());
    }
}
