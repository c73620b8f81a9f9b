//! The header on every page: the name, linking to the collection's list; the collection
//! switcher; "New item" for those who may add one; who is signed in, with "Sign out", or
//! "Sign in".

use super::{CollectionChoice, Viewer};
use crate::collection_path::in_collection;
use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let viewer = Viewer::current();
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href=viewer.path("/") aria-label="Shelf">
                    <svg class="brand__mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                        <path d="M3 5h18v2H3zM5 9h4v8H5zM10 11h4v6h-4zM15 8h4v9h-4zM3 18h18v2H3z" />
                    </svg>
                    <span>"Shelf"</span>
                </a>
                {viewer.email.is_some().then(|| view! { <CollectionSwitcher viewer=viewer.clone() /> })}
                <nav aria-label="Main" class="site-header__nav">
                    <VisitorControls visitor=viewer />
                </nav>
            </div>
        </header>
    }
}

/// The page's collection, opening to the visitor's others and "New collection". A
/// `<details>` disclosure of plain links, so it needs no script. The links load whole pages
/// (`rel="external"`): the viewer, with the role the controls follow, is made per page.
#[component]
fn CollectionSwitcher(viewer: Viewer) -> impl IntoView {
    let current = viewer.collection.as_ref().map(|choice| choice.id.clone());
    let label = viewer
        .collection
        .as_ref()
        .map_or_else(|| "Collections".to_owned(), |choice| choice.name.clone());
    let entries = viewer
        .collections
        .into_iter()
        .map(|CollectionChoice { id, name, role }| {
            let here = current.as_deref() == Some(id.as_str());
            view! {
                <li>
                    <a
                        class="switcher__entry"
                        href=in_collection(Some(&id), "/")
                        rel="external"
                        aria-current=here.then_some("page")
                    >
                        <span class="switcher__name">{name}</span>
                        <small class="switcher__role">{role.as_str()}</small>
                    </a>
                </li>
            }
        })
        .collect_view();
    let aria_label = format!("Collection: {label}. Switch collection");
    view! {
        <details class="switcher">
            <summary class="switcher__current" aria-label=aria_label>
                <span class="switcher__label">{label}</span>
                <span aria-hidden="true" class="switcher__caret">"▾"</span>
            </summary>
            <div class="switcher__menu">
                <ul class="switcher__list" aria-label="Your collections">{entries}</ul>
                <a class="switcher__new" href="/collections/new">"+ New collection"</a>
            </div>
        </details>
    }
}

#[component]
fn VisitorControls(visitor: Viewer) -> impl IntoView {
    let new_item = visitor.can_edit().then(|| {
        view! {
            <a class="button button--primary" href=visitor.path("/items/new")>
                <span aria-hidden="true">"+"</span>
                "New item"
            </a>
        }
    });
    let members = visitor.collection.is_some().then(|| {
        view! { <a class="button button--quiet site-header__wide" href=visitor.path("/members")>"Members"</a> }
    });
    let account = match visitor.email {
        Some(email) => view! {
            {members}
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
