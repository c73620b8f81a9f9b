//! Picking photos for an item: choose or drop files; each is made small, upright and
//! metadata-free in a Web Worker before anything leaves the device, and shown with its final
//! size and dimensions, or with the reason it was refused, then uploaded at once with a
//! progress bar per photo; saving the item attaches them.
//!
//! # Layout
//! - this file: the view ([`PhotoPicker`] and its rows).
//! - `queue`: [`PhotoQueue`], the picked photos' state, the worker's events, the uploads.
//! - `browser_side`: the registry of each queue's JS objects (worker, blobs, upload).

mod browser_side;
mod queue;

pub use queue::{PhotoQueue, PhotosFor, UploadSummary};

use crate::browser::photo_worker::Stage;
use leptos::prelude::*;
use queue::{PhotoState, PickedPhoto, UploadState};

/// The photo field of the item form.
#[component]
pub fn PhotoPicker(queue: PhotoQueue) -> impl IntoView {
    let dragging = RwSignal::new(false);
    view! {
        <fieldset class="field photos">
            <legend>"Photos " <span class="field__optional">"(optional)"</span></legend>
            <label
                class="dropzone"
                class:dropzone--active=dragging
                on:dragover=move |ev| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    queue.add_files(ev.data_transfer().and_then(|transfer| transfer.files()));
                }
            >
                <input
                    class="dropzone__input"
                    type="file"
                    name="photos"
                    accept="image/*"
                    multiple
                    on:change=move |ev| {
                        let input = event_target::<web_sys::HtmlInputElement>(&ev);
                        queue.add_files(input.files());
                        // The files are in the list now; clearing lets the same file be picked
                        // again, and keeps them out of the form's own post.
                        input.set_value("");
                    }
                />
                <span class="dropzone__text">
                    <strong>"Choose photos"</strong>
                    " or drop them here"
                </span>
                <span class="dropzone__hint">
                    "JPEG, PNG, WebP or GIF. Photos are resized on this device and their location data removed before upload."
                </span>
            </label>
            <ul class="photo-list" aria-label="Picked photos">
                <For each=move || queue.photos.get() key=|p| (p.id, state_key(p)) let:photo>
                    <PhotoRow photo queue />
                </For>
            </ul>
            // The bars come after the rows, not before: appearing and going as work starts and
            // ends, above the rows they would move every row under a finger about to tap Remove.
            <Show when=move || queue.is_preparing()>
                <div class="photos__bar">
                    <span aria-live="polite">"Preparing photos…"</span>
                    <button type="button" class="button button--quiet" on:click=move |_| queue.cancel_preparing()>
                        "Cancel"
                    </button>
                </div>
            </Show>
            <Show when=move || queue.is_uploading()>
                <div class="photos__bar">
                    <span aria-live="polite">"Uploading photos…"</span>
                    <button type="button" class="button button--quiet" on:click=move |_| queue.cancel_uploads()>
                        "Cancel upload"
                    </button>
                </div>
            </Show>
        </fieldset>
    }
}

#[component]
fn PhotoRow(photo: PickedPhoto, queue: PhotoQueue) -> impl IntoView {
    let id = photo.id;
    // An uploaded photo not attached yet is simply left out of the save (the sweeper deletes
    // its files); one being sent is not offered, so its row never vanishes mid-request.
    let removable = matches!(
        photo.upload,
        UploadState::NotSent
            | UploadState::Queued
            | UploadState::Uploaded(_)
            | UploadState::Failed(_)
    );
    let remove_button = move || {
        removable.then(|| {
            view! {
                <button type="button" class="button button--quiet photo__remove" on:click=move |_| queue.remove(id)>
                    "Remove"
                </button>
            }
        })
    };
    let upload_status = match photo.upload.clone() {
        UploadState::NotSent => None,
        UploadState::Queued => Some(
            view! { <span class="photo__meta photo__upload">"Waiting to upload"</span> }.into_any(),
        ),
        UploadState::Sending(_) => Some(
            view! {
                <span class="photo__meta photo__upload">
                    <progress
                        max="100"
                        value=move || queue.percent_sent(id).unwrap_or(0)
                        aria-label=format!("Uploading {}", photo.file_name)
                    ></progress>
                    {move || format!("Uploading {} %", queue.percent_sent(id).unwrap_or(0))}
                </span>
            }
            .into_any(),
        ),
        UploadState::Uploaded(_) | UploadState::Sent => {
            Some(view! { <span class="photo__meta photo__sent">"Uploaded ✓"</span> }.into_any())
        }
        UploadState::Failed(message) => Some(
            view! { <span class="photo__error" role="alert">"Not uploaded: " {message}</span> }
                .into_any(),
        ),
    };
    match photo.state {
        PhotoState::Waiting | PhotoState::Working(_) => {
            let stage = match photo.state {
                PhotoState::Working(stage) => stage_label(stage),
                _ => "Waiting",
            };
            view! {
                <li class="photo photo--working">
                    <div class="photo__thumb photo__thumb--pending" aria-hidden="true"></div>
                    <div class="photo__info">
                        <span class="photo__name">{photo.file_name}</span>
                        <span class="photo__meta">{stage} "…"</span>
                        <progress max=STAGE_STEPS value=stage_step(&photo.state)></progress>
                    </div>
                </li>
            }
            .into_any()
        }
        PhotoState::Ready(ready) => view! {
            <li class="photo photo--ready">
                <img
                    class="photo__thumb"
                    src=ready.thumb_url
                    width=ready.thumb_width
                    height=ready.thumb_height
                    alt=format!("Preview of {}", photo.file_name)
                />
                <div class="photo__info">
                    <span class="photo__name">{photo.file_name.clone()}</span>
                    <span class="photo__meta">
                        {format!("{} × {} · {}", ready.width, ready.height, human_bytes(ready.bytes))}
                    </span>
                    <span class="photo__meta photo__meta--soft">
                        {format!("was {} · {} ms", human_bytes(photo.original_bytes), ready.millis)}
                    </span>
                    {upload_status}
                </div>
                {remove_button()}
            </li>
        }
        .into_any(),
        PhotoState::Refused(message) => view! {
            <li class="photo photo--refused">
                <div class="photo__thumb photo__thumb--refused" aria-hidden="true">"!"</div>
                <div class="photo__info">
                    <span class="photo__name">{photo.file_name}</span>
                    <span class="photo__error" role="alert">{message}</span>
                </div>
                {remove_button()}
            </li>
        }
        .into_any(),
    }
}

/// Rows are re-rendered when their kind of state changes (not on every progress step).
fn state_key(photo: &PickedPhoto) -> String {
    let state = match &photo.state {
        PhotoState::Waiting => "waiting".into(),
        PhotoState::Working(stage) => format!("working-{stage:?}"),
        PhotoState::Ready(_) => "ready".into(),
        PhotoState::Refused(_) => "refused".into(),
    };
    let upload = match photo.upload {
        UploadState::NotSent => "",
        UploadState::Queued => "-queued",
        UploadState::Sending(_) => "-sending",
        UploadState::Uploaded(_) => "-uploaded",
        UploadState::Sent => "-sent",
        UploadState::Failed(_) => "-failed",
    };
    format!("{state}{upload}")
}

/// What the row says the worker is doing.
fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Decoding => "Reading",
        Stage::Orienting => "Turning upright",
        Stage::Resizing => "Resizing",
        Stage::Encoding => "Compressing",
        Stage::Placeholder => "Finishing",
    }
}

/// How far along the row's progress bar is, of [`STAGE_STEPS`].
fn stage_step(state: &PhotoState) -> u32 {
    match state {
        PhotoState::Working(Stage::Decoding) => 1,
        PhotoState::Working(Stage::Orienting) => 2,
        PhotoState::Working(Stage::Resizing) => 3,
        PhotoState::Working(Stage::Encoding) => 4,
        PhotoState::Working(Stage::Placeholder) => 5,
        PhotoState::Waiting | PhotoState::Ready(_) | PhotoState::Refused(_) => 0,
    }
}

/// The stages a photo goes through in the worker.
const STAGE_STEPS: u32 = 5;

/// A size for people, in decimal units, rounded: `850 B`, `143 KB`, `2.2 MB`. Integer
/// arithmetic on purpose: formatting floats would add 14 KB of code to the page's wasm.
fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} KB", (bytes + 500) / 1_000),
        _ => {
            let tenths = (bytes + 50_000) / 100_000;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn sizes_read_like_sizes() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_000), "1 KB");
        assert_eq!(human_bytes(143_534), "144 KB");
        assert_eq!(human_bytes(999_999), "1000 KB");
        assert_eq!(human_bytes(1_000_000), "1.0 MB");
        assert_eq!(human_bytes(2_190_194), "2.2 MB");
        assert_eq!(human_bytes(12_960_000), "13.0 MB");
    }
}
