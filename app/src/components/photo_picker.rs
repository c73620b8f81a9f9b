//! Picking photos for an item: choose or drop files; each is made small, upright and
//! metadata-free in a Web Worker before anything leaves the device, and shown with its final
//! size and dimensions, or with the reason it was refused.

use crate::photo_worker::{PhotoWorker, ProcessedPhoto, WorkerEvent};
use leptos::prelude::*;
use std::collections::HashMap;
use web_sys::{File, FileList};

/// One picked file, as the list shows it.
#[derive(Clone, Debug, PartialEq)]
struct PickedPhoto {
    id: u32,
    file_name: String,
    original_bytes: u64,
    state: PhotoState,
}

#[derive(Clone, Debug, PartialEq)]
enum PhotoState {
    Waiting,
    Working(String),
    Ready(ReadyPhoto),
    Refused(String),
}

#[derive(Clone, Debug, PartialEq)]
struct ReadyPhoto {
    /// `blob:` URL of the thumbnail, revoked when the photo is removed.
    thumb_url: String,
    thumb_width: u32,
    thumb_height: u32,
    width: u32,
    height: u32,
    /// Bytes of both variants: what the upload will send.
    bytes: u64,
    millis: f64,
}

/// The photo field of the item form.
#[component]
pub fn PhotoPicker() -> impl IntoView {
    let photos = RwSignal::new(Vec::<PickedPhoto>::new());
    // Browser-only values (JS objects), outside the reactive list.
    let worker = StoredValue::new_local(None::<PhotoWorker>);
    let processed = StoredValue::new_local(HashMap::<u32, ProcessedPhoto>::new());
    let next_id = StoredValue::new(0u32);
    let dragging = RwSignal::new(false);

    let on_event = move |event: WorkerEvent| match event {
        WorkerEvent::Progress { id, stage } => set_state(photos, id, PhotoState::Working(stage)),
        WorkerEvent::Refused { id, message } => set_state(photos, id, PhotoState::Refused(message)),
        WorkerEvent::Done { id, photo } => {
            let ready = ReadyPhoto {
                thumb_url: object_url(&photo.thumb.blob),
                thumb_width: photo.thumb.width,
                thumb_height: photo.thumb.height,
                width: photo.display.width,
                height: photo.display.height,
                bytes: photo.display.bytes + photo.thumb.bytes,
                millis: photo.total_ms,
            };
            processed.update_value(|all| {
                all.insert(id, photo);
            });
            set_state(photos, id, PhotoState::Ready(ready));
        }
    };

    let add_files = move |files: Option<FileList>| {
        let Some(files) = files else { return };
        let files: Vec<File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        if files.is_empty() {
            return;
        }
        // The worker (and the imaging wasm) is loaded on the first pick, not with the page.
        if worker.with_value(Option::is_none) {
            match PhotoWorker::spawn(on_event) {
                Ok(spawned) => worker.set_value(Some(spawned)),
                Err(_) => {
                    for file in &files {
                        let id = take_id(next_id);
                        photos.update(|list| list.push(picked(id, file, refused_no_worker())));
                    }
                    return;
                }
            }
        }
        for file in files {
            let id = take_id(next_id);
            photos.update(|list| list.push(picked(id, &file, PhotoState::Waiting)));
            let sent = worker.with_value(|w| w.as_ref().map(|w| w.process(id, &file)));
            if !matches!(sent, Some(Ok(()))) {
                set_state(photos, id, refused_no_worker());
            }
        }
    };

    let cancel = move |_| {
        // The worker cannot be interrupted mid-photo; stopping it is the only true cancel.
        worker.set_value(None);
        photos.update(|list| {
            list.retain(|p| !matches!(p.state, PhotoState::Waiting | PhotoState::Working(_)))
        });
    };
    let remove = move |id: u32| {
        photos.update(|list| {
            if let Some(PickedPhoto {
                state: PhotoState::Ready(ready),
                ..
            }) = list.iter().find(|p| p.id == id)
            {
                let _ = web_sys::Url::revoke_object_url(&ready.thumb_url);
            }
            list.retain(|p| p.id != id);
        });
        processed.update_value(|all| {
            all.remove(&id);
        });
    };
    on_cleanup(move || {
        for photo in photos.get_untracked() {
            if let PhotoState::Ready(ready) = photo.state {
                let _ = web_sys::Url::revoke_object_url(&ready.thumb_url);
            }
        }
    });

    let busy = move || {
        photos
            .read()
            .iter()
            .any(|p| matches!(p.state, PhotoState::Waiting | PhotoState::Working(_)))
    };

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
                    add_files(ev.data_transfer().and_then(|transfer| transfer.files()));
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
                        add_files(input.files());
                        // The files are in the list now; clearing lets the same file be picked again.
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
            <Show when=busy>
                <div class="photos__bar">
                    <span aria-live="polite">"Preparing photos…"</span>
                    <button type="button" class="button button--quiet" on:click=cancel>
                        "Cancel"
                    </button>
                </div>
            </Show>
            <ul class="photo-list" aria-label="Picked photos">
                <For each=move || photos.get() key=|p| (p.id, state_key(&p.state)) let:photo>
                    <PhotoRow photo on_remove=remove />
                </For>
            </ul>
        </fieldset>
    }
}

#[component]
fn PhotoRow(
    photo: PickedPhoto,
    on_remove: impl Fn(u32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = photo.id;
    let remove_button = move || {
        view! {
            <button type="button" class="button button--quiet photo__remove" on:click=move |_| on_remove(id)>
                "Remove"
            </button>
        }
    };
    match photo.state {
        PhotoState::Waiting | PhotoState::Working(_) => {
            let stage = match &photo.state {
                PhotoState::Working(stage) => stage_label(stage),
                _ => "Waiting",
            };
            view! {
                <li class="photo photo--working">
                    <div class="photo__thumb photo__thumb--pending" aria-hidden="true"></div>
                    <div class="photo__info">
                        <span class="photo__name">{photo.file_name}</span>
                        <span class="photo__meta">{stage} "…"</span>
                        <progress max="5" value=stage_step(&photo.state)></progress>
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
                        {format!("was {} · {:.0} ms", human_bytes(photo.original_bytes), ready.millis)}
                    </span>
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

fn picked(id: u32, file: &File, state: PhotoState) -> PickedPhoto {
    PickedPhoto {
        id,
        file_name: file.name(),
        original_bytes: file.size() as u64,
        state,
    }
}

fn take_id(next_id: StoredValue<u32>) -> u32 {
    let id = next_id.get_value();
    next_id.set_value(id + 1);
    id
}

fn set_state(photos: RwSignal<Vec<PickedPhoto>>, id: u32, state: PhotoState) {
    photos.update(|list| {
        if let Some(photo) = list.iter_mut().find(|p| p.id == id) {
            photo.state = state;
        }
    });
}

fn refused_no_worker() -> PhotoState {
    PhotoState::Refused("This browser cannot prepare photos (Web Workers are unavailable).".into())
}

fn object_url(blob: &web_sys::Blob) -> String {
    web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default()
}

/// Rows are re-rendered when their kind of state changes.
fn state_key(state: &PhotoState) -> String {
    match state {
        PhotoState::Waiting => "waiting".into(),
        PhotoState::Working(stage) => format!("working-{stage}"),
        PhotoState::Ready(_) => "ready".into(),
        PhotoState::Refused(_) => "refused".into(),
    }
}

fn stage_label(stage: &str) -> &'static str {
    match stage {
        "decoding" => "Reading",
        "orienting" => "Turning upright",
        "resizing" => "Resizing",
        "encoding" => "Compressing",
        _ => "Finishing",
    }
}

fn stage_step(state: &PhotoState) -> u32 {
    match state {
        PhotoState::Working(stage) => match stage.as_str() {
            "decoding" => 1,
            "orienting" => 2,
            "resizing" => 3,
            "encoding" => 4,
            _ => 5,
        },
        _ => 0,
    }
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.0} KB", bytes as f64 / 1_000.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}
