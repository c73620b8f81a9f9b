//! Who the page is rendered for, known once per page: the header, the edit controls and the
//! forms read it from context. Made on the server from the request (no store call: the
//! authentication layer already found the visitor), and read back by the browser from the
//! page, so both sides of hydration agree.

use domain::accounts::{Action, Role};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// Their email when signed in.
    pub email: Option<String>,
    /// Their role in the collection the page shows; `None`: they may not even read it.
    pub role: Option<Role>,
    /// The session's form token: a post made with the session cookie to a page route must
    /// carry it (beside coming from our own origin), and a forged form on another site cannot
    /// know it. The session id signed with the server's secret; `None` when anonymous.
    pub form_token: Option<String>,
}

impl Viewer {
    /// Made once per page, on the server; the browser reads what the server used.
    pub fn provide() {
        let viewer = SharedValue::new(made).into_inner();
        provide_context(viewer);
    }

    /// The page's viewer (anonymous outside a page).
    pub fn current() -> Self {
        use_context::<Self>().unwrap_or_default()
    }

    pub fn can_edit(&self) -> bool {
        self.role.is_some_and(|role| role.allows(Action::Edit))
    }
}

#[cfg(feature = "ssr")]
fn made() -> Viewer {
    crate::server_fns::viewer()
}

#[cfg(not(feature = "ssr"))]
fn made() -> Viewer {
    Viewer::default()
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
