//! Who the page is rendered for, known once per page: the header, the edit controls and the
//! forms read it from context. Made on the server from the request (no store call: the
//! authentication layer already found the visitor) and written into the page (the `<main>`
//! element's `data-viewer`), where the browser reads it back for the islands: they see the
//! same viewer the server rendered them for.

use domain::accounts::{Action, Role};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// Their email when signed in.
    pub email: Option<String>,
    /// Their role in the collection the page shows; `None`: they may not even read it.
    pub role: Option<Role>,
    /// The collection the page shows: the one its URL names, or the visitor's default one.
    /// `None` when they may not read it.
    pub collection: Option<CollectionChoice>,
    /// Whether links between the collection's pages name it (`/c/{collection}/…`): always for
    /// someone signed in, whose default collection may change as they join others; for
    /// anonymous access, as the page's own URL does.
    pub named: bool,
    /// Every collection they belong to, for the header's switcher.
    pub collections: Vec<CollectionChoice>,
    /// The session's form token: a post made with the session cookie to a page route must
    /// carry it (beside coming from our own origin), and a forged form on another site cannot
    /// know it. The session id signed with the server's secret; `None` when anonymous.
    pub form_token: Option<String>,
}

/// A collection as the header shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionChoice {
    pub id: String,
    pub name: String,
    pub role: Role,
}

impl Viewer {
    /// Made once per page, on the server, and provided to its render.
    pub fn provide() -> Self {
        let viewer = made();
        provide_context(viewer.clone());
        viewer
    }

    /// The viewer as the page carries it (`<main data-viewer>`), read back in the browser by
    /// `provide_from_page`.
    pub fn to_page(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// In the browser: the viewer the server wrote into the page (anonymous if none),
    /// provided to every island hydrated after this.
    #[cfg(feature = "hydrate")]
    pub fn provide_from_page() {
        let viewer = document()
            .get_element_by_id(crate::MAIN_ID)
            .and_then(|main| main.get_attribute("data-viewer"))
            .and_then(|json| serde_json::from_str::<Self>(&json).ok())
            .unwrap_or_default();
        provide_context(viewer);
    }

    /// The page's viewer (anonymous outside a page).
    pub fn current() -> Self {
        use_context::<Self>().unwrap_or_default()
    }

    pub fn can_edit(&self) -> bool {
        self.role.is_some_and(|role| role.allows(Action::Edit))
    }

    pub fn can_manage(&self) -> bool {
        self.role.is_some_and(|role| role.allows(Action::Manage))
    }

    /// The id of the page's collection, which the page's server functions work in.
    pub fn collection_id(&self) -> Option<String> {
        self.collection.as_ref().map(|choice| choice.id.clone())
    }

    /// `path` in the page's collection: every link and form between its pages stays there,
    /// named in the URL as the page's own URL names it.
    pub fn path(&self, path: &str) -> String {
        let named = self.collection.as_ref().filter(|_| self.named);
        crate::collection_path::in_collection(named.map(|choice| choice.id.as_str()), path)
    }
}

#[cfg(feature = "ssr")]
fn made() -> Viewer {
    crate::server_fns::viewer()
}

/// Pages render on the server only; in the browser only islands run.
#[cfg(not(feature = "ssr"))]
fn made() -> Viewer {
    Viewer::default()
}

/// `path` in the page's collection (see [`Viewer::path`]).
pub fn collection_href(path: &str) -> String {
    Viewer::current().path(path)
}

/// `path` in the page's collection as a form's action (see [`form_action`]).
pub fn collection_form_action(path: &str) -> String {
    form_action(&collection_href(path))
}

/// `path` as a form's action: with the session's form token when signed in. The token is in
/// the query so the server checks it without reading the body (photo forms are tens of MB);
/// the request log records paths only.
pub fn form_action(path: &str) -> String {
    match Viewer::current().form_token {
        Some(token) => {
            let join = if path.contains('?') { '&' } else { '?' };
            format!("{path}{join}form_token={token}")
        }
        None => path.to_owned(),
    }
}
