//! What the account page shows: the signed-in user's collections, sessions and API tokens.

#[cfg(feature = "ssr")]
use super::ssr;
use domain::accounts::Role;
use domain::model::Timestamp;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub email: String,
    /// (id, name, role), by name.
    pub collections: Vec<(String, String, Role)>,
    pub sessions: Vec<SessionView>,
    pub tokens: Vec<TokenView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub device: String,
    pub signed_in: Timestamp,
    pub last_used: Timestamp,
    /// The session this page is shown in.
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub collection: String,
    /// "read" or "read and write".
    pub scope: String,
    pub created: Timestamp,
    pub last_used: Timestamp,
    pub expires: Option<Timestamp>,
}

#[server]
pub async fn account_overview() -> Result<Option<AccountSummary>, ServerFnError> {
    use domain::access::Visitor;
    use domain::accounts::{CredentialKind, Scope};
    let Visitor::Session { account, session } = ssr::visitor() else {
        return Ok(None);
    };
    let accounts = use_context::<domain::accounts::Accounts>()
        .ok_or_else(|| ServerFnError::new("accounts are not configured"))?;
    let credentials = accounts.credentials(&account.id).await.map_err(|error| {
        tracing::error!(error = %error, "cannot list credentials");
        ServerFnError::new("The server is busy; please try again in a moment.")
    })?;
    let collection_name = |id: &domain::accounts::CollectionId| {
        account
            .memberships
            .iter()
            .find(|membership| membership.collection.id == *id)
            .map_or_else(
                || "(no longer yours)".to_owned(),
                |membership| membership.collection.name.as_str().to_owned(),
            )
    };
    let mut sessions = Vec::new();
    let mut tokens = Vec::new();
    for credential in credentials {
        match &credential.kind {
            CredentialKind::Session { device } => sessions.push(SessionView {
                id: credential.id.to_string(),
                device: device.clone(),
                signed_in: credential.created_at,
                last_used: credential.last_used_at,
                current: credential.id == session,
            }),
            CredentialKind::Token {
                name,
                collection,
                scope,
            } => tokens.push(TokenView {
                id: credential.id.to_string(),
                name: name.clone(),
                collection: collection_name(collection),
                scope: match scope {
                    Scope::Read => "read".into(),
                    Scope::ReadWrite => "read and write".into(),
                },
                created: credential.created_at,
                last_used: credential.last_used_at,
                expires: credential.expires_at,
            }),
        }
    }
    Ok(Some(AccountSummary {
        email: account.email.to_string(),
        collections: account
            .memberships
            .iter()
            .map(|m| {
                (
                    m.collection.id.to_string(),
                    m.collection.name.as_str().to_owned(),
                    m.role,
                )
            })
            .collect(),
        sessions,
        tokens,
    }))
}
