//! The header on every page: the name, linking home; "New item" for those who may add one;
//! who is signed in, with "Sign out", or "Sign in".

use super::Viewer;
use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <svg class="brand__mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                        <path d="M3 5h18v2H3zM5 9h4v8H5zM10 11h4v6h-4zM15 8h4v9h-4zM3 18h18v2H3z" />
                    </svg>
                    <span>"Shelf"</span>
                </a>
                <nav aria-label="Main" class="site-header__nav">
                    <VisitorControls visitor=Viewer::current() />
                </nav>
            </div>
        </header>
    }
}

#[component]
fn VisitorControls(visitor: Viewer) -> impl IntoView {
    let new_item = visitor.can_edit().then(|| {
        view! {
            <a class="button button--primary" href="/items/new">
                <span aria-hidden="true">"+"</span>
                "New item"
            </a>
        }
    });
    let account = match visitor.email {
        Some(email) => view! {
            <a class="button button--quiet site-header__wide" href="/members">"Members"</a>
            <a class="site-header__who site-header__wide" href="/account" title="Your account">
                {email.clone()}
            </a>
            <a class="button button--quiet site-header__narrow" href="/account">"Account"</a>
            <form method="post" action=super::form_action("/sign-out") class="site-header__sign-out">
                <button class="button button--quiet" type="submit">"Sign out"</button>
            </form>
        }
        .into_any(),
        None => view! { <a class="button button--quiet" href="/sign-in">"Sign in"</a> }.into_any(),
    };
    view! {
        {new_item}
        {account}
    }
}
