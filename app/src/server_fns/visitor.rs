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
