//! Password hashing: Argon2id with OWASP's parameters, on the blocking pool, a bounded number
//! at a time.

use super::NewPassword;
use argon2::password_hash::{PasswordHash as Phc, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use unicode_normalization::UnicodeNormalization;

/// OWASP's Password Storage Cheat Sheet (2025): Argon2id, 19 MiB, 2 passes, 1 lane.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

/// How long a sign-in waits for a hashing slot before Shelf says it is busy (503): hashing is
/// the one thing a flood of sign-ins can make expensive.
const SLOT_WAIT: Duration = Duration::from_secs(5);

/// A stored password: its PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), which
/// carries its own parameters, so raising them later needs no migration.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// A stored PHC string, as read back from a store; `None` if it is not one.
    pub fn from_phc(phc: String) -> Option<Self> {
        Phc::new(&phc).ok()?;
        Some(Self(phc))
    }

    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

/// Why hashing could not run.
#[derive(Debug, thiserror::Error)]
pub enum HashingError {
    /// Every slot stayed busy for `SLOT_WAIT` (5 s).
    #[error("too many passwords are being checked at once")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// Hashes and checks passwords. Cheap to clone: every clone shares the slots.
///
/// Each hash holds 19 MiB (`MEMORY_KIB`) of memory and most of a core for tens of milliseconds, so at
/// most `slots` run at once (memory stays under `slots` × 19 MiB) and the rest wait their turn.
#[derive(Clone)]
pub struct Passwords {
    slots: Arc<Semaphore>,
    /// Checked when the email has no account, so a wrong email costs as long as a wrong
    /// password and the timing tells nobody which addresses exist.
    decoy: Arc<PasswordHash>,
}

impl Passwords {
    pub fn new(slots: usize) -> Self {
        let decoy = hash_now(&format!("decoy {}", uuid::Uuid::new_v4()))
            .expect("hashing a fresh password with fixed parameters works");
        Self {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            decoy: Arc::new(decoy),
        }
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<PasswordHash, HashingError> {
        let password = password.as_str().to_owned();
        self.blocking(move || hash_now(&password)).await?
    }

    /// Whether `password` is the one `stored` was made from. With no stored hash (no such
    /// account, or one whose password was never set) it checks against the decoy and says no,
    /// taking as long as a real check.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&PasswordHash>,
    ) -> Result<bool, HashingError> {
        let (hash, real) = match stored {
            Some(hash) => (hash.clone(), true),
            None => ((*self.decoy).clone(), false),
        };
        let password = password.to_owned();
        let matches = self.blocking(move || verify_now(&password, &hash)).await?;
        Ok(matches && real)
    }

    /// Whether `stored` was made with other parameters than today's (rehash at next sign-in).
    pub fn is_outdated(stored: &PasswordHash) -> bool {
        let Ok(phc) = Phc::new(stored.as_phc()) else {
            return true;
        };
        let costs = |params: &Params| (params.m_cost(), params.t_cost(), params.p_cost());
        phc.algorithm.as_str() != "argon2id"
            || Params::try_from(&phc)
                .map_or(true, |params| costs(&params) != costs(argon2().params()))
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashingError> {
        let permit = tokio::time::timeout(SLOT_WAIT, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| HashingError::Busy)?
            .map_err(|e| HashingError::Failed(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| HashingError::Failed(e.to_string()))
    }
}

fn argon2() -> Argon2<'static> {
    let params =
        Params::new(MEMORY_KIB, PASSES, LANES, None).expect("OWASP's parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// NFKC first, as NIST asks, so the same password typed on two keyboards (composed or
/// decomposed accents) is the same password.
fn normalized(password: &str) -> String {
    password.nfkc().collect()
}

fn hash_now(password: &str) -> Result<PasswordHash, HashingError> {
    let mut salt = [0; 16];
    getrandom::fill(&mut salt).map_err(|e| HashingError::Failed(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashingError::Failed(e.to_string()))?;
    argon2()
        .hash_password(normalized(password).as_bytes(), &salt)
        .map(|hash| PasswordHash(hash.to_string()))
        .map_err(|e| HashingError::Failed(e.to_string()))
}

fn verify_now(password: &str, stored: &PasswordHash) -> bool {
    Phc::new(stored.as_phc()).is_ok_and(|phc| {
        // Checked with the parameters the hash was made with, whatever today's are.
        Argon2::default()
            .verify_password(normalized(password).as_bytes(), &phc)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(raw: &str) -> NewPassword {
        NewPassword::parse(raw, None).unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = Passwords::new(2);
        let hash = passwords
            .hash(&password("correct horse battery"))
            .await
            .unwrap();
        assert!(hash.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(passwords
            .verify("correct horse battery", Some(&hash))
            .await
            .unwrap());
        assert!(!passwords
            .verify("correct horse batterY", Some(&hash))
            .await
            .unwrap());
        assert!(!Passwords::is_outdated(&hash));
        let again = passwords
            .hash(&password("correct horse battery"))
            .await
            .unwrap();
        assert_ne!(hash, again, "every hash has its own salt");
    }

    #[tokio::test]
    async fn composed_and_decomposed_accents_are_one_password() {
        let passwords = Passwords::new(1);
        let hash = passwords
            .hash(&password("caf\u{e9} au lait noir"))
            .await
            .unwrap();
        assert!(passwords
            .verify("cafe\u{301} au lait noir", Some(&hash))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn no_stored_hash_never_verifies() {
        let passwords = Passwords::new(1);
        assert!(!passwords
            .verify("anything at all here", None)
            .await
            .unwrap());
        let decoy = passwords.decoy.as_phc().to_owned();
        assert!(decoy.starts_with("$argon2id$"));
    }

    #[test]
    fn weaker_parameters_are_outdated_and_garbage_is_refused() {
        let weak = Params::new(8 * 1024, 1, 1, None).unwrap();
        let salt = SaltString::encode_b64(&[7; 16]).unwrap();
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, weak)
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        let hash = PasswordHash::from_phc(hash).unwrap();
        assert!(Passwords::is_outdated(&hash));
        assert!(verify_now("correct horse battery", &hash));
        assert!(PasswordHash::from_phc("plaintext".into()).is_none());
    }
}
