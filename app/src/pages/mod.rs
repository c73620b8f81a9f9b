//! One component per route.
//!
//! # Loading a page's data
//!
//! Pages render on the server only (outside their islands nothing hydrates) and with
//! `SsrMode::Async`: the response waits for the whole page. So a page calls its server
//! functions when it is built and awaits them in a `Suspend`, with neither a `Resource` nor a
//! `<Suspense>`, which would cost every request and do nothing for it: a Suspense's fallback is
//! never sent, and to find its resources it walks its children and builds them again (the list
//! page's 50 cards two or three times per request); a Resource runs its call as a task of its
//! own (woken across threads) to hand its data to a hydration that never happens. The list
//! page renders 1.38× as many times a second this way, the item page 1.10× (`docs/performance.md`).
//! Two calls of one page are awaited together (`futures::join!`), as their Resources ran side
//! by side.

mod account;
mod auth_form;
mod bulk;
mod edit_item;
mod in_collection;
mod item;
mod join;
mod list;
mod locations;
mod members;
mod new_collection;
mod new_item;
mod not_found;
mod set_password;
mod setup;
mod sign_in;
mod sign_up;
mod tags;

pub use account::{AccountFeedback, AccountPage};
pub use auth_form::AuthFeedback;
pub use bulk::{BulkAsk, BulkChoice, BulkFeedback, BulkPage};
pub use edit_item::EditItemPage;
pub use in_collection::{EditorsOnly, InCollection};
pub use item::ItemPage;
pub use join::JoinPage;
pub use list::ListPage;
pub use locations::{location_href, LocationFeedback, LocationPage, LocationsPage};
pub use members::{MembersFeedback, MembersPage};
pub use new_collection::{CollectionFeedback, NewCollectionPage};
pub use new_item::NewItemPage;
pub use not_found::NotFound;
pub use set_password::SetPasswordPage;
pub use setup::SetupPage;
pub use sign_in::SignInPage;
pub use sign_up::{OpenSignUp, SignUpPage};
pub use tags::{TagsFeedback, TagsPage};

use leptos::prelude::*;

/// A new id for a create form (an item's, a location's), made when the server renders the
/// form: a form posted twice with its id creates one thing, not two. Pages render on the
/// server only; the browser build has no ids to make.
fn fresh_id() -> String {
    #[cfg(feature = "ssr")]
    {
        domain::model::ItemId::generate().to_string()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The route's `:id` (an item's, a location's). A page is built once, on the server, so it
/// reads it once rather than tracking it.
fn route_id() -> String {
    leptos_router::hooks::use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default()
}

/// What a page shows when loading its data failed.
#[component]
fn LoadError(error: ServerFnError) -> impl IntoView {
    let message = match &error {
        ServerFnError::Args(message) => {
            crate::components::set_http_status(400);
            message.clone()
        }
        _ => {
            crate::components::set_http_status(503);
            "The server could not load this page. Please try again in a moment.".to_owned()
        }
    };
    view! {
        <div class="notice notice--error" role="alert">
            <p>{message}</p>
            <p>
                <a href=crate::components::collection_href("/")>"Go to the newest items"</a>
            </p>
        </div>
    }
}
