//! The upload ticket: what the server promised when it handed out upload URLs, carried by the
//! client to the attach request. Signed, so the server needs no state between the two requests
//! (any instance behind the load balancer can attach), and so a client cannot change what it
//! promised (sizes, dimensions, item) after the fact.

use super::{Digests, Signer};
use crate::model::{ItemId, PhotoRecord};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

const PURPOSE: &str = "upload-ticket";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadTicket {
    pub item: ItemId,
    pub photo: PhotoRecord,
    /// What the files must hash to.
    pub sha256: Digests,
    /// Unix seconds after which the ticket cannot be attached.
    pub expires: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    #[error("is not an upload id this server issued")]
    Invalid,
    #[error("has expired; upload the photo again")]
    Expired,
}

impl UploadTicket {
    /// `base64url(json) "." signature`.
    pub fn encode(&self, signer: &Signer) -> String {
        let payload = serde_json::to_vec(self).unwrap_or_default();
        let payload = URL_SAFE_NO_PAD.encode(payload);
        let signature = signer.sign(PURPOSE, payload.as_bytes());
        format!("{payload}.{signature}")
    }

    pub fn decode(token: &str, signer: &Signer, now: i64) -> Result<Self, TicketError> {
        let (payload, signature) = token.split_once('.').ok_or(TicketError::Invalid)?;
        if !signer.verify(PURPOSE, payload.as_bytes(), signature) {
            return Err(TicketError::Invalid);
        }
        let json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TicketError::Invalid)?;
        let ticket: Self = serde_json::from_slice(&json).map_err(|_| TicketError::Invalid)?;
        if now > ticket.expires {
            return Err(TicketError::Expired);
        }
        Ok(ticket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PhotoId, VariantInfo};

    fn ticket() -> UploadTicket {
        let info = VariantInfo {
            width: 400,
            height: 300,
            bytes: 1234,
        };
        UploadTicket {
            item: ItemId::generate(),
            photo: PhotoRecord {
                id: PhotoId::generate(),
                display: info,
                thumb: info,
                placeholder: "1QcSHQRnh493V4dIh4eXh1h4kJUI".into(),
            },
            sha256: Digests {
                display: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into(),
                thumb: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".into(),
            },
            expires: 1_000,
        }
    }

    #[test]
    fn round_trips_until_it_expires() {
        let signer = Signer::new(&[3; 32]).unwrap();
        let ticket = ticket();
        let token = ticket.encode(&signer);
        assert_eq!(UploadTicket::decode(&token, &signer, 1_000), Ok(ticket));
        assert_eq!(
            UploadTicket::decode(&token, &signer, 1_001),
            Err(TicketError::Expired)
        );
    }

    #[test]
    fn refuses_any_change() {
        let signer = Signer::new(&[3; 32]).unwrap();
        let ticket = ticket();
        let token = ticket.encode(&signer);
        let (payload, signature) = token.split_once('.').unwrap();
        let mut forged = ticket.clone();
        forged.photo.display.bytes = 99_999;
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        for bad in [
            format!("{forged_payload}.{signature}"),
            format!("{payload}.x{signature}"),
            payload.to_owned(),
            String::new(),
            ticket.encode(&Signer::new(&[4; 32]).unwrap()),
        ] {
            assert_eq!(
                UploadTicket::decode(&bad, &signer, 0),
                Err(TicketError::Invalid),
                "{bad}"
            );
        }
    }
}
