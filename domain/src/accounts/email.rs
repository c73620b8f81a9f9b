//! Email addresses as account names.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// Longest address accepted, in bytes (RFC 5321's path limit less the angle brackets).
pub const EMAIL_MAX_BYTES: usize = 254;

/// A validated, canonical email address: trimmed and lowercased, `local@domain`.
///
/// It names an account, nothing is ever sent to it (Shelf has no mail), so the check is the
/// shape people mistype, not deliverability: one `@`, a local part of at most 64 bytes, a
/// domain with a dot and no empty labels, no white space or control characters. Lowercasing
/// the whole address means `Ann@Example.org` and `ann@example.org` are one account, which is
/// what every person expects even though RFC 5321 lets the local part differ by case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("Email is required.".into());
        }
        if email.len() > EMAIL_MAX_BYTES {
            return Err(format!(
                "Email must be at most {EMAIL_MAX_BYTES} bytes long."
            ));
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("Email must not contain spaces.".into());
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("Email must look like name@example.org.".into());
        };
        let labels_ok = domain.contains('.') && domain.split('.').all(|label| !label.is_empty());
        if local.is_empty() || local.len() > 64 || domain.contains('@') || !labels_ok {
            return Err("Email must look like name@example.org.".into());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`: a word a password must not be.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn canonical_form_is_trimmed_and_lowercase() {
        let email = Email::parse("  Ann.Lee@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "ann.lee@example.org");
        assert_eq!(email.local_part(), "ann.lee");
        assert_eq!(
            Email::parse("élodie@exemple.fr").unwrap().as_str(),
            "élodie@exemple.fr"
        );
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for raw in [
            "",
            "   ",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "ann@@example.org",
            "ann@exa@mple.org",
            "ann@example..org",
            "ann@.example.org",
            "ann lee@example.org",
            "ann\u{0}@example.org",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?}");
        }
        let long_local = format!("{}@example.org", "a".repeat(65));
        assert!(Email::parse(&long_local).is_err());
        let long = format!("a@{}.org", "b".repeat(250));
        assert!(Email::parse(&long).is_err());
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_is_idempotent(raw in "\\PC{0,80}") {
            if let Ok(email) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            }
        }
    }
}
