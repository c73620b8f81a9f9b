//! Who is looking at the page, as the header shows it.

#[cfg(feature = "ssr")]
use super::ssr;
use domain::accounts::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The visitor as pages see them: their email when signed in, and their role in the
/// collection the page shows (none: they may not even read it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorView {
    pub email: Option<String>,
    pub role: Option<Role>,
}

impl VisitorView {
    pub fn can_edit(&self) -> bool {
        self.role
            .is_some_and(|role| role.allows(domain::accounts::Action::Edit))
    }
}

#[server]
pub async fn current_visitor() -> Result<VisitorView, ServerFnError> {
    let visitor = ssr::visitor();
    let gate = ssr::gate()?;
    let role = gate
        .default_collection(&visitor)
        .and_then(|collection| gate.role(&visitor, &collection));
    Ok(VisitorView {
        email: visitor.account().map(|account| account.email.to_string()),
        role,
    })
}

/// The email a set-password link is for, or `None` if the link does not work.
#[server]
pub async fn password_link_email(token: String) -> Result<Option<String>, ServerFnError> {
    let accounts = use_context::<domain::accounts::Accounts>()
        .ok_or_else(|| ServerFnError::new("accounts are not configured"))?;
    match accounts.password_link_user(&token).await {
        Ok(user) => Ok(Some(user.email.to_string())),
        Err(domain::accounts::LinkError::Unusable) => Ok(None),
        Err(error) => {
            tracing::error!(error = %error, "set-password link lookup failed");
            Err(ServerFnError::new(
                "The server is busy; please try again in a moment.",
            ))
        }
    }
}

/// The signed-in session's form token (see `components::FormToken`); `None` when anonymous.
#[cfg(feature = "ssr")]
pub fn form_token() -> Option<String> {
    match ssr::visitor() {
        domain::access::Visitor::Session { session, .. } => {
            let signer = ssr::signer().ok()?;
            Some(signer.sign(FORM_TOKEN_PURPOSE, session.as_uuid().as_bytes()))
        }
        _ => None,
    }
}

/// What the server's secret signs a form token for (no other signature can pass as one).
pub const FORM_TOKEN_PURPOSE: &str = "form";
