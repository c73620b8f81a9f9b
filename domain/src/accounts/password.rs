//! The rules a new password follows: NIST SP 800-63B's, not composition rules.

use super::Email;

/// Shortest password, in characters. NIST SP 800-63B asks for at least 8 (15 when the
/// password is the only factor, as here, in its 2025 revision); 12 is what OWASP and the
/// password managers' own vaults ask, and with the common-password list below it refuses what
/// guessing tries first.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest password, in characters: generous for passphrases (NIST asks for at least 64),
/// bounded so hashing has a bounded input.
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Passwords of at least [`PASSWORD_MIN_CHARS`] characters from the list of the 20 000 most
/// common ones that Django ships (`django/contrib/auth/common-passwords.txt.gz`, from breach
/// corpora), lowercased. Shorter ones are refused for their length anyway.
const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

/// A password that may be set: long enough, not too long, not a common one, not the account's
/// own address. Any characters are allowed, spaces and emoji included; nothing is trimmed.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str, email: Option<&Email>) -> Result<Self, String> {
        let chars = raw.chars().count();
        if chars == 0 {
            return Err("Password is required.".into());
        }
        if chars < PASSWORD_MIN_CHARS {
            return Err(format!(
                "Password must be at least {PASSWORD_MIN_CHARS} characters (it has {chars})."
            ));
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(format!(
                "Password must be at most {PASSWORD_MAX_CHARS} characters (it has {chars})."
            ));
        }
        if raw.chars().any(char::is_control) {
            return Err("Password must not contain control characters.".into());
        }
        let lower = raw.to_lowercase();
        let mut distinct = lower.chars().collect::<Vec<_>>();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 3 || COMMON_PASSWORDS.lines().any(|common| common == lower) {
            return Err("This password is one of the most common ones: choose another.".into());
        }
        if let Some(email) = email {
            if lower.contains(email.as_str()) || lower == email.local_part() {
                return Err("Password must not be your email address.".into());
            }
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never printed, not even in debug output.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_passwords_of_any_characters_are_accepted() {
        for ok in [
            "correct horse battery staple",
            "tr0ub4dor&3xyz",
            "ünïcödé pässwörd",
            "🦀🦀🦀 crab party",
            &"x".repeat(10)
                .chars()
                .chain("yz".chars())
                .collect::<String>(),
        ] {
            assert!(NewPassword::parse(ok, None).is_ok(), "{ok:?}");
        }
        assert!(NewPassword::parse(&"abc".repeat(85), None).is_ok());
    }

    #[test]
    fn refuses_short_long_common_and_own_address() {
        let email = Email::parse("ann.lee@example.org").unwrap();
        let cases = [
            ("", "required"),
            ("elevenchars", "at least 12"),
            ("qwerty123456", "common"),
            ("Password1234", "common"),
            ("aaaaaaaaaaaaaaaa", "common"),
            ("abababababababab", "common"),
            ("ann.lee@example.org!", "email"),
            ("tab\tinside the password", "control"),
        ];
        for (raw, why) in cases {
            let err = NewPassword::parse(raw, Some(&email)).unwrap_err();
            assert!(err.contains(why), "{raw:?}: {err}");
        }
        let long = "a1".repeat(129);
        assert!(NewPassword::parse(&long, None)
            .unwrap_err()
            .contains("at most 256"));
    }

    #[test]
    fn the_common_list_is_lowercase_and_long_enough_to_matter() {
        let list: Vec<_> = COMMON_PASSWORDS.lines().collect();
        assert!(list.len() > 150);
        for common in list {
            assert_eq!(common, common.to_lowercase());
            assert!(common.chars().count() >= PASSWORD_MIN_CHARS, "{common}");
        }
    }

    #[test]
    fn debug_output_hides_the_password() {
        let password = NewPassword::parse("correct horse battery staple", None).unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }
}
