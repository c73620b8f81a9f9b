//! The viewer of a page, and what set-password links show.

#[cfg(feature = "ssr")]
use super::ssr;
#[cfg(feature = "ssr")]
use crate::components::{CollectionChoice, Viewer};
use leptos::prelude::*;

/// What the server's secret signs a form token for (no other signature can pass as one).
pub const FORM_TOKEN_PURPOSE: &str = "form";

/// The request's viewer (see [`crate::components::Viewer`]), in the collection the page's
/// path names or the visitor's default one.
#[cfg(feature = "ssr")]
pub fn viewer() -> Viewer {
    let path = use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_owned());
    viewer_with_permit(
        &ssr::visitor(),
        path.as_deref().unwrap_or_default(),
        ssr::gate().ok().as_ref(),
        ssr::signer().ok().as_ref(),
    )
    .0
}

/// The viewer of the page at `path` for `visitor`, as [`viewer`] makes it inside a render,
/// with the gate's permit to read the page's collection (`None`: it may not). The server
/// also asks outside a render, for a page's entity tag (what the header shows of the visitor
/// is all in the viewer).
#[cfg(feature = "ssr")]
pub fn viewer_with_permit(
    visitor: &domain::access::Visitor,
    path: &str,
    gate: Option<&domain::access::Gate>,
    signer: Option<&domain::photos::Signer>,
) -> (Viewer, Option<domain::access::Permit<domain::access::Read>>) {
    let named = crate::collection_path::named_collection(path);
    // A path naming what cannot be a collection shows none.
    let permit = match named.transpose() {
        Ok(named) => gate.and_then(|gate| gate.read_in(visitor, named.as_ref()).ok()),
        Err(()) => None,
    };
    let memberships = visitor
        .account()
        .map(|account| account.memberships.as_slice())
        .unwrap_or_default();
    let choice = |id: &domain::accounts::CollectionId, role| CollectionChoice {
        id: id.to_string(),
        name: memberships
            .iter()
            .find(|membership| membership.collection.id == *id)
            .map(|membership| membership.collection.name.as_str().to_owned())
            .unwrap_or_default(),
        role,
    };
    let collections = memberships
        .iter()
        .map(|membership| choice(&membership.collection.id, membership.role))
        .collect();
    let form_token = match (visitor, signer) {
        (domain::access::Visitor::Session { session, .. }, Some(signer)) => {
            Some(signer.sign(FORM_TOKEN_PURPOSE, session.as_uuid().as_bytes()))
        }
        _ => None,
    };
    let viewer = Viewer {
        email: visitor.account().map(|account| account.email.to_string()),
        role: permit.as_ref().map(|permit| permit.role()),
        collection: permit
            .as_ref()
            .map(|permit| choice(permit.collection(), permit.role())),
        named: named.is_some() || matches!(visitor, domain::access::Visitor::Session { .. }),
        collections,
        form_token,
    };
    (viewer, permit)
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
