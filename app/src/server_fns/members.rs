//! What the members page and the invite page show.

#[cfg(feature = "ssr")]
use super::ssr;
use domain::accounts::Role;
use domain::model::Timestamp;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionMembers {
    /// The visitor's role: owners see the controls.
    pub role: Role,
    pub me: String,
    /// (user id, email, role), by email.
    pub members: Vec<(String, String, Role)>,
    /// Open invites (owners only): (id, role, expires).
    pub invites: Vec<(String, Role, Timestamp)>,
}

/// The members of the page's collection; `None` for a visitor who is not signed in.
#[server]
pub async fn members_summary(
    collection: Option<String>,
) -> Result<Option<CollectionMembers>, ServerFnError> {
    use domain::accounts::{LinkPurpose, Role};
    let visitor = ssr::visitor();
    let Some(account) = visitor.account().cloned() else {
        return Ok(None);
    };
    let accounts = ssr::accounts()?;
    let permit = ssr::read_permit(collection.as_deref())?;
    let busy = |error: domain::accounts::AccountStoreError| {
        tracing::error!(error = %error, "members lookup failed");
        ServerFnError::new("The server is busy; please try again in a moment.")
    };
    let members = accounts.members(&permit).await.map_err(busy)?;
    // Only owners see the invites (asked only of them: a refusal would set the page's status).
    let invites = if permit.role().allows(domain::accounts::Action::Manage) {
        let manage = ssr::manage_permit(collection.as_deref())?;
        accounts.invites(&manage).await.map_err(busy)?
    } else {
        Vec::new()
    };
    Ok(Some(CollectionMembers {
        role: permit.role(),
        me: account.id.to_string(),
        members: members
            .into_iter()
            .map(|member| {
                (
                    member.user.to_string(),
                    member.email.to_string(),
                    member.role,
                )
            })
            .collect(),
        invites: invites
            .into_iter()
            .filter_map(|link| match link.purpose {
                LinkPurpose::Invite { role, .. } => {
                    Some((link.id.to_string(), role, link.expires_at))
                }
                LinkPurpose::SetPassword { .. } => None,
            })
            .collect::<Vec<(String, Role, Timestamp)>>(),
    }))
}

/// What an invite offers: (collection name, role); `None` if the link does not work.
#[server]
pub async fn invite_summary(token: String) -> Result<Option<(String, Role)>, ServerFnError> {
    match ssr::accounts()?.invite(&token).await {
        Ok((collection, role)) => Ok(Some((collection.name.as_str().to_owned(), role))),
        Err(domain::accounts::LinkError::Unusable) => Ok(None),
        Err(error) => {
            tracing::error!(error = %error, "invite lookup failed");
            Err(ServerFnError::new(
                "The server is busy; please try again in a moment.",
            ))
        }
    }
}
