//! The viewer of a page, and what set-password links show.

#[cfg(feature = "ssr")]
use super::ssr;
#[cfg(feature = "ssr")]
use crate::components::Viewer;
use leptos::prelude::*;

/// What the server's secret signs a form token for (no other signature can pass as one).
pub const FORM_TOKEN_PURPOSE: &str = "form";

/// The request's viewer (see [`crate::components::Viewer`]).
#[cfg(feature = "ssr")]
pub fn viewer() -> Viewer {
    let visitor = ssr::visitor();
    let role = ssr::gate()
        .ok()
        .and_then(|gate| gate.read_default(&visitor).ok())
        .map(|permit| permit.role());
    let form_token = match &visitor {
        domain::access::Visitor::Session { session, .. } => ssr::signer()
            .ok()
            .map(|signer| signer.sign(FORM_TOKEN_PURPOSE, session.as_uuid().as_bytes())),
        _ => None,
    };
    Viewer {
        email: visitor.account().map(|account| account.email.to_string()),
        role,
        form_token,
    }
}

/// The email a set-password link is for, or `None` if the link does not work.
#[server]
pub async fn password_link_email(token: String) -> Result<Option<String>, ServerFnError> {
    match ssr::accounts()?.password_link_user(&token).await {
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
