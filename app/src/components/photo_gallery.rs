//! The item page's photos: the cover large, the rest below it, each at display size.

use super::{Loading, PhotoImage};
use domain::model::Photo;
use leptos::prelude::*;

#[component]
pub fn PhotoGallery(photos: Vec<Photo>, name: String) -> impl IntoView {
    let count = photos.len();
    (count > 0).then(|| {
        view! {
            <ul class="gallery" aria-label="Photos">
                {photos
                    .into_iter()
                    .enumerate()
                    .map(|(index, photo)| {
                        let alt = format!("{name}, photo {} of {count}", index + 1);
                        let full_size = photo.url.clone();
                        view! {
                            <li class="gallery__item">
                                <a href=full_size class="gallery__link">
                                    <PhotoImage
                                        photo
                                        alt
                                        sizes="(min-width: 48rem) 46rem, 100vw"
                                        loading=if index == 0 { Loading::First } else { Loading::Lazy }
                                        class="gallery__image"
                                    />
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
