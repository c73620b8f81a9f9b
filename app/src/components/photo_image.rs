//! One `<img>` of a photo, done properly: both variants in `srcset` so the browser picks by
//! layout width and pixel density, the intrinsic size reserved (no layout shift), the blurred
//! placeholder behind it until it loads, and lazy loading unless it is near the top.

use super::placeholder_style;
use domain::model::Photo;
use leptos::prelude::*;

#[component]
pub fn PhotoImage(
    photo: Photo,
    alt: String,
    /// The `sizes` attribute: how wide the image will be shown.
    sizes: &'static str,
    /// Lazy-load (for images below the fold).
    #[prop(default = true)]
    lazy: bool,
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
            loading=if lazy { "lazy" } else { "eager" }
            decoding="async"
            style=placeholder_style(&photo.placeholder)
        />
    }
}
