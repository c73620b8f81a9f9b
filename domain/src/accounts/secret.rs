//! Secrets handed to browsers and scripts (session cookies, API tokens, one-time links), and
//! the digests the stores keep instead of them.
//!
//! A secret is 256 random bits, so a plain SHA-256 digest is as good as a password hash for
//! it (nothing to brute-force) and costs nothing per request. The string a client holds also
//! names where its record lives (the owner's id and the record's id), so every lookup is one
//! keyed read; the digest is then compared in constant time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq;

/// 256 random bits.
#[derive(Clone)]
pub struct Secret([u8; 32]);

/// The SHA-256 of a [`Secret`]: what a store keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SecretDigest([u8; 32]);

/// A presented credential: the owner's id, the record's id and the secret.
#[derive(Clone)]
pub struct SecretToken {
    pub owner: uuid::Uuid,
    pub id: uuid::Uuid,
    pub secret: Secret,
}

impl Secret {
    pub fn generate() -> Self {
        let mut bytes = [0; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source works");
        Self(bytes)
    }

    pub fn digest(&self) -> SecretDigest {
        SecretDigest(Sha256::digest(self.0).into())
    }
}

impl SecretDigest {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Whether `secret` is the one this digest was made from, in constant time.
    pub fn matches(&self, secret: &Secret) -> bool {
        self.0.ct_eq(&secret.digest().0).into()
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut bytes = [0; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self(bytes))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl std::fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretDigest({}…)", &self.to_hex()[..8])
    }
}

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretToken({}/{}, …)", self.owner, self.id)
    }
}

impl SecretToken {
    /// 64 bytes in unpadded base64url (86 characters), after `prefix`.
    pub fn encode(&self, prefix: &str) -> String {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(self.owner.as_bytes());
        bytes.extend_from_slice(self.id.as_bytes());
        bytes.extend_from_slice(&self.secret.0);
        format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// `None` for anything [`Self::encode`] with `prefix` did not make.
    pub fn decode(raw: &str, prefix: &str) -> Option<Self> {
        let body = raw.strip_prefix(prefix)?;
        if body.len() != 86 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(body).ok()?;
        let (owner, rest) = bytes.split_first_chunk::<16>()?;
        let (id, secret) = rest.split_first_chunk::<16>()?;
        Some(Self {
            owner: uuid::Uuid::from_bytes(*owner),
            id: uuid::Uuid::from_bytes(*id),
            secret: Secret(secret.try_into().ok()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn token() -> SecretToken {
        SecretToken {
            owner: uuid::Uuid::now_v7(),
            id: uuid::Uuid::new_v4(),
            secret: Secret::generate(),
        }
    }

    #[test]
    fn tokens_round_trip_and_match_only_their_digest() {
        let token = token();
        let encoded = token.encode("shelf_");
        assert_eq!(encoded.len(), 6 + 86);
        let decoded = SecretToken::decode(&encoded, "shelf_").unwrap();
        assert_eq!((decoded.owner, decoded.id), (token.owner, token.id));
        let digest = token.secret.digest();
        assert!(digest.matches(&decoded.secret));
        assert!(!digest.matches(&Secret::generate()));
        assert_eq!(SecretDigest::from_hex(&digest.to_hex()), Some(digest));
    }

    #[test]
    fn refuses_other_prefixes_lengths_and_alphabets() {
        let encoded = token().encode("shelf_");
        assert!(SecretToken::decode(&encoded, "other_").is_none());
        assert!(SecretToken::decode(&encoded[..encoded.len() - 1], "shelf_").is_none());
        assert!(SecretToken::decode(&format!("{encoded}A"), "shelf_").is_none());
        let plus = encoded.replacen(|c: char| c.is_ascii_alphanumeric(), "+", 1);
        assert!(SecretToken::decode(&plus, "").is_none());
        assert!(SecretDigest::from_hex("zz").is_none());
        assert!(SecretDigest::from_hex(&"é".repeat(32)).is_none());
    }

    proptest! {
        #[test]
        fn decoding_never_panics(raw in "\\PC{0,120}") {
            let _ = SecretToken::decode(&raw, "");
            let _ = SecretDigest::from_hex(&raw);
        }
    }
}
