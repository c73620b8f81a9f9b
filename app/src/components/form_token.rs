//! The session's form token in plain forms' actions. A post made with the session cookie to a
//! page route must carry it (beside coming from our own origin): a forged form on another site
//! cannot know it. It is the session id signed with the server's secret, in the action's query
//! (the request log records paths only). Anonymous visitors have none, and need none.

use leptos::prelude::*;

/// The token of the session the page was rendered for, the same on both sides of hydration.
#[derive(Clone, Debug, Default)]
pub struct FormToken(pub Option<String>);

impl FormToken {
    /// Made once per page, on the server; the browser reads what the server used.
    pub fn provide() {
        let token = SharedValue::new(current).into_inner();
        provide_context(FormToken(token));
    }
}

#[cfg(feature = "ssr")]
fn current() -> Option<String> {
    crate::server_fns::form_token()
}

#[cfg(not(feature = "ssr"))]
fn current() -> Option<String> {
    None
}

/// `path` as a form's action: with the session's form token when signed in.
pub fn form_action(path: &str) -> String {
    match use_context::<FormToken>().and_then(|token| token.0) {
        Some(token) => {
            let join = if path.contains('?') { '&' } else { '?' };
            format!("{path}{join}form_token={token}")
        }
        None => path.to_owned(),
    }
}
