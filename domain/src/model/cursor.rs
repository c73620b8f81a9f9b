//! Opaque paging cursors.

use super::{ItemId, Timestamp};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

/// Where the next page of the newest-first list starts: strictly after this item.
///
/// Keyset paging (not offsets) keeps pages stable while items are added or deleted, and maps
/// directly onto the DynamoDB list index's sort key. Clients see only an opaque URL-safe token
/// ([`Cursor::seal`]): the position and an HMAC over it, so a token that was not issued by a
/// server holding the secret is refused rather than trusted as a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: Timestamp,
    pub id: ItemId,
}

/// Why a cursor token was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("is not a cursor this server issued")]
pub struct InvalidCursor;

/// Longest token accepted; real ones are under 130 characters.
const MAX_TOKEN_LEN: usize = 256;

/// The signer purpose of cursors: a cursor's MAC verifies as nothing else.
#[cfg(feature = "server")]
const SIGNATURE_PURPOSE: &str = "list-cursor";

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}~{}", self.created_at.as_micros(), self.id))
    }

    /// The token handed to clients: the position and its signature.
    #[cfg(feature = "server")]
    pub fn seal(&self, signer: &crate::photos::Signer) -> String {
        let position = self.encode();
        let signature = signer.sign(SIGNATURE_PURPOSE, position.as_bytes());
        format!("{position}.{signature}")
    }

    /// A token from [`Cursor::seal`], if its signature holds.
    #[cfg(feature = "server")]
    pub fn open(token: &str, signer: &crate::photos::Signer) -> Result<Self, InvalidCursor> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(InvalidCursor);
        }
        let (position, signature) = token.split_once('.').ok_or(InvalidCursor)?;
        if !signer.verify(SIGNATURE_PURPOSE, position.as_bytes(), signature) {
            return Err(InvalidCursor);
        }
        Self::decode(position)
    }

    pub fn decode(token: &str) -> Result<Self, InvalidCursor> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(InvalidCursor);
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| InvalidCursor)?;
        let text = String::from_utf8(bytes).map_err(|_| InvalidCursor)?;
        let (micros, id) = text.split_once('~').ok_or(InvalidCursor)?;
        let micros = micros.parse::<i64>().map_err(|_| InvalidCursor)?;
        let cursor = Self {
            created_at: Timestamp::from_micros(micros).ok_or(InvalidCursor)?,
            id: ItemId::parse(id).map_err(|_| InvalidCursor)?,
        };
        // Only the canonical spelling is a cursor; anything else was edited by hand.
        if cursor.encode() == token {
            Ok(cursor)
        } else {
            Err(InvalidCursor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cursor(micros: i64, id_bytes: [u8; 16]) -> Cursor {
        Cursor {
            created_at: Timestamp::from_micros(micros).unwrap(),
            id: ItemId::parse(&uuid::Uuid::from_bytes(id_bytes).to_string()).unwrap(),
        }
    }

    #[test]
    fn rejects_tokens_that_are_not_cursors() {
        for token in [
            "",
            "!!!",
            "bm90IGEgY3Vyc29y",
            &"A".repeat(300),
            "MTIzfm5vdC1hbi1pZA",
        ] {
            assert_eq!(Cursor::decode(token), Err(InvalidCursor), "{token}");
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn sealed_tokens_open_only_with_their_signature() {
        let signer = crate::photos::Signer::new(&[7; 32]).unwrap();
        let other = crate::photos::Signer::new(&[8; 32]).unwrap();
        let c = cursor(1_764_152_272_123_456, [3; 16]);
        let token = c.seal(&signer);
        assert_eq!(Cursor::open(&token, &signer), Ok(c.clone()));
        assert_eq!(Cursor::open(&token, &other), Err(InvalidCursor));
        assert_eq!(
            Cursor::open(&c.encode(), &signer),
            Err(InvalidCursor),
            "unsigned"
        );
        // Another position under the first one's signature.
        let (_, signature) = token.split_once('.').unwrap();
        let forged = format!("{}.{signature}", cursor(1, [3; 16]).encode());
        assert_eq!(Cursor::open(&forged, &signer), Err(InvalidCursor));
        for bad in ["", ".", "a.b", &format!("{token}x"), &"A".repeat(300)] {
            assert_eq!(Cursor::open(bad, &signer), Err(InvalidCursor), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(micros in 0i64..4_000_000_000_000_000, id in any::<[u8; 16]>()) {
            let c = cursor(micros, id);
            let token = c.encode();
            prop_assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert_eq!(Cursor::decode(&token), Ok(c));
        }

        #[test]
        fn decoding_arbitrary_text_never_panics(token in "\\PC{0,300}") {
            let _ = Cursor::decode(&token);
        }

        #[test]
        fn a_changed_token_is_refused_or_names_another_position(
            micros in 0i64..4_000_000_000_000_000,
            id in any::<[u8; 16]>(),
            at in any::<prop::sample::Index>(),
            replacement in "[A-Za-z0-9_-]",
        ) {
            let c = cursor(micros, id);
            let token = c.encode();
            let i = at.index(token.len());
            let mut changed = token.clone();
            changed.replace_range(i..=i, &replacement);
            if changed != token {
                prop_assert_ne!(Cursor::decode(&changed), Ok(c));
            }
        }
    }
}
