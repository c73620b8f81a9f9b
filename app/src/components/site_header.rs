//! The header on every page: the name, linking home, and "New item".

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
                <nav aria-label="Main">
                    <a class="button button--primary" href="/items/new">
                        <span aria-hidden="true">"+"</span>
                        "New item"
                    </a>
                </nav>
            </div>
        </header>
    }
}
