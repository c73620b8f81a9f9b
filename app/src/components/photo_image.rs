//! One `<img>` of a photo, done properly: both variants in `srcset` so the browser picks by
//! layout width and pixel density, the intrinsic size reserved (no layout shift), the blurred
//! placeholder behind it until it loads, and lazy loading unless it is near the top.

use super::placeholder_style;
use domain::model::Photo;
use leptos::prelude::*;

/// When the browser fetches an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loading {
    /// The page's largest image in the first screenful (its Largest Contentful Paint): fetched
    /// at once and before other images (`fetchpriority="high"`).
    First,
    /// In the first screenful: fetched at once.
    Eager,
    /// Below the fold: fetched when scrolled near.
    Lazy,
}

#[component]
pub fn PhotoImage(
    photo: Photo,
    alt: String,
    /// The `sizes` attribute: how wide the image will be shown.
    sizes: &'static str,
    #[prop(default = Loading::Lazy)] loading: Loading,
    #[prop(into)] class: String,
) -> impl IntoView {
    let srcset = format!(
        "{} {}w, {} {}w",
        photo.thumb_url, photo.thumb_width, photo.url, photo.width
    );
    view! {
        <img
            class=class
            src=photo.url.clone()
            srcset=srcset
            sizes=sizes
            width=photo.width
            height=photo.height
            alt=alt
            loading=if loading == Loading::Lazy { "lazy" } else { "eager" }
            fetchpriority=(loading == Loading::First).then_some("high")
            decoding="async"
            style=placeholder_style(&photo.placeholder)
        />
    }
}
