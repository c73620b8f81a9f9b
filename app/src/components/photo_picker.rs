//! Picking photos for an item: choose or drop files; each is made small, upright and
//! metadata-free in a Web Worker before anything leaves the device, and shown with its final
//! size and dimensions, or with the reason it was refused. Once the item is saved, the form
//! uploads them ([`PhotoQueue::upload_all`]) with a progress bar per photo.

use domain::model::Item;
use crate::browser::photo_upload::{upload_photo, CancelUpload};
use crate::browser::photo_worker::{PhotoWorker, ProcessedPhoto, WorkerEvent};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use web_sys::{File, FileList};

/// One picked file, as the list shows it.
#[derive(Clone, Debug, PartialEq)]
struct PickedPhoto {
    id: u32,
    file_name: String,
    original_bytes: u64,
    state: PhotoState,
    upload: UploadState,
}

#[derive(Clone, Debug, PartialEq)]
enum PhotoState {
    Waiting,
    Working(String),
    Ready(ReadyPhoto),
    Refused(String),
}

/// Where a ready photo is on its way to the server.
#[derive(Clone, Debug, PartialEq)]
enum UploadState {
    NotSent,
    /// Next in line while another photo is being sent.
    Queued,
    /// Fraction of its bytes sent, 0 to 1.
    Sending(f64),
    Sent,
    Failed(String),
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

/// What happened when the picked photos were sent.
#[derive(Clone, Debug, Default)]
pub struct UploadSummary {
    pub sent: usize,
    pub failed: usize,
    /// The item as the last successful attach left it (its version moved on).
    pub latest: Option<Item>,
}

/// The photos picked in a form, from choosing to uploading: held by the form, shown by
/// [`PhotoPicker`]. Cheap to copy.
#[derive(Clone, Copy)]
pub struct PhotoQueue {
    photos: RwSignal<Vec<PickedPhoto>>,
    /// Where this queue's browser-only values live in [`BROWSER_SIDE`].
    key: u64,
    next_id: StoredValue<u32>,
}

/// A queue's JS objects (the worker, the encoded blobs, the upload in flight). They are kept
/// out of the reactive owner on purpose: the owner of a server-rendered page is dropped on
/// another thread than the one that made it, which thread-bound values do not survive. They
/// only ever exist in the browser, created on first use.
#[derive(Default)]
struct BrowserSide {
    worker: Option<PhotoWorker>,
    processed: HashMap<u32, ProcessedPhoto>,
    cancel: Option<CancelUpload>,
}

thread_local! {
    static BROWSER_SIDE: RefCell<HashMap<u64, BrowserSide>> = RefCell::new(HashMap::new());
}

static NEXT_QUEUE: AtomicU64 = AtomicU64::new(0);

impl Default for PhotoQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl PhotoQueue {
    pub fn new() -> Self {
        let queue = Self {
            photos: RwSignal::new(Vec::new()),
            key: NEXT_QUEUE.fetch_add(1, Ordering::Relaxed),
            next_id: StoredValue::new(0),
        };
        on_cleanup(move || {
            for photo in queue.photos.get_untracked() {
                if let PhotoState::Ready(ready) = photo.state {
                    let _ = web_sys::Url::revoke_object_url(&ready.thumb_url);
                }
            }
            BROWSER_SIDE.with_borrow_mut(|all| all.remove(&queue.key));
        });
        queue
    }

    /// Runs `f` on this queue's browser-only values. Never call back into the queue from `f`.
    fn browser<R>(self, f: impl FnOnce(&mut BrowserSide) -> R) -> R {
        BROWSER_SIDE.with_borrow_mut(|all| f(all.entry(self.key).or_default()))
    }

    /// Photos are still being prepared (reactive).
    pub fn is_preparing(self) -> bool {
        self.photos
            .read()
            .iter()
            .any(|p| matches!(p.state, PhotoState::Waiting | PhotoState::Working(_)))
    }

    /// Photos are being uploaded (reactive).
    pub fn is_uploading(self) -> bool {
        self.photos
            .read()
            .iter()
            .any(|p| matches!(p.upload, UploadState::Sending(_) | UploadState::Queued))
    }

    /// Ready photos not yet uploaded (or whose upload failed).
    pub fn unsent(self) -> Vec<u32> {
        self.photos
            .read_untracked()
            .iter()
            .filter(|p| matches!(p.state, PhotoState::Ready(_)))
            .filter(|p| matches!(p.upload, UploadState::NotSent | UploadState::Failed(_)))
            .map(|p| p.id)
            .collect()
    }

    /// Uploads every unsent photo to `item_id`, one after another, and attaches each.
    pub async fn upload_all(self, item_id: String) -> UploadSummary {
        let cancel = CancelUpload::default();
        self.browser(|side| side.cancel = Some(cancel.clone()));
        let mut summary = UploadSummary::default();
        let unsent = self.unsent();
        for &id in &unsent {
            self.set_upload(id, UploadState::Queued);
        }
        for id in unsent {
            let Some(photo) = self.browser(|side| side.processed.get(&id).cloned()) else {
                continue;
            };
            self.set_upload(id, UploadState::Sending(0.0));
            let progress = move |fraction: f64| self.set_upload(id, UploadState::Sending(fraction));
            match upload_photo(&item_id, &photo, progress, &cancel).await {
                Ok(item) => {
                    self.set_upload(id, UploadState::Sent);
                    summary.sent += 1;
                    summary.latest = Some(item);
                }
                Err(message) => {
                    self.set_upload(id, UploadState::Failed(message));
                    summary.failed += 1;
                }
            }
        }
        self.browser(|side| side.cancel = None);
        summary
    }

    /// Stops the upload in progress and those still to come.
    pub fn cancel_uploads(self) {
        if let Some(cancel) = self.browser(|side| side.cancel.clone()) {
            cancel.cancel();
        }
    }

    fn add_files(self, files: Option<FileList>) {
        let Some(files) = files else { return };
        let files: Vec<File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        if files.is_empty() {
            return;
        }
        // The worker (and the imaging wasm) is loaded on the first pick, not with the page.
        if self.browser(|side| side.worker.is_none()) {
            match PhotoWorker::spawn(move |event| self.on_worker_event(event)) {
                Ok(spawned) => self.browser(|side| side.worker = Some(spawned)),
                Err(_) => {
                    for file in &files {
                        let id = self.take_id();
                        self.photos
                            .update(|list| list.push(picked(id, file, refused_no_worker())));
                    }
                    return;
                }
            }
        }
        for file in files {
            let id = self.take_id();
            self.photos
                .update(|list| list.push(picked(id, &file, PhotoState::Waiting)));
            let sent = self.browser(|side| side.worker.as_ref().map(|w| w.process(id, &file)));
            if !matches!(sent, Some(Ok(()))) {
                self.set_state(id, refused_no_worker());
            }
        }
    }

    fn on_worker_event(self, event: WorkerEvent) {
        match event {
            WorkerEvent::Progress { id, stage } => self.set_state(id, PhotoState::Working(stage)),
            WorkerEvent::Refused { id, message } => {
                self.set_state(id, PhotoState::Refused(message))
            }
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
                self.browser(|side| side.processed.insert(id, photo));
                self.set_state(id, PhotoState::Ready(ready));
            }
        }
    }

    /// Stops preparing: the worker cannot be interrupted mid-photo, so it is stopped.
    fn cancel_preparing(self) {
        // Taken out first: dropping it terminates the worker, outside the borrow.
        let worker = self.browser(|side| side.worker.take());
        drop(worker);
        self.photos.update(|list| {
            list.retain(|p| !matches!(p.state, PhotoState::Waiting | PhotoState::Working(_)))
        });
    }

    fn remove(self, id: u32) {
        self.photos.update(|list| {
            if let Some(PickedPhoto {
                state: PhotoState::Ready(ready),
                ..
            }) = list.iter().find(|p| p.id == id)
            {
                let _ = web_sys::Url::revoke_object_url(&ready.thumb_url);
            }
            list.retain(|p| p.id != id);
        });
        self.browser(|side| side.processed.remove(&id));
    }

    fn take_id(self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    fn set_state(self, id: u32, state: PhotoState) {
        self.photos.update(|list| {
            if let Some(photo) = list.iter_mut().find(|p| p.id == id) {
                photo.state = state;
            }
        });
    }

    fn set_upload(self, id: u32, upload: UploadState) {
        self.photos.update(|list| {
            if let Some(photo) = list.iter_mut().find(|p| p.id == id) {
                photo.upload = upload;
            }
        });
    }

    /// The upload progress of one photo in percent, if it is being sent (reactive).
    fn percent_sent(self, id: u32) -> Option<f64> {
        self.photos
            .read()
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| match p.upload {
                UploadState::Sending(fraction) => Some((fraction * 100.0).round()),
                _ => None,
            })
    }
}

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
            <ul class="photo-list" aria-label="Picked photos">
                <For each=move || queue.photos.get() key=|p| (p.id, state_key(p)) let:photo>
                    <PhotoRow photo queue />
                </For>
            </ul>
        </fieldset>
    }
}

#[component]
fn PhotoRow(photo: PickedPhoto, queue: PhotoQueue) -> impl IntoView {
    let id = photo.id;
    let removable = matches!(photo.upload, UploadState::NotSent | UploadState::Failed(_));
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
                        value=move || queue.percent_sent(id).unwrap_or(0.0)
                        aria-label=format!("Uploading {}", photo.file_name)
                    ></progress>
                    {move || format!("Uploading {} %", queue.percent_sent(id).unwrap_or(0.0))}
                </span>
            }
            .into_any(),
        ),
        UploadState::Sent => {
            Some(view! { <span class="photo__meta photo__sent">"Uploaded ✓"</span> }.into_any())
        }
        UploadState::Failed(message) => Some(
            view! { <span class="photo__error" role="alert">"Not uploaded: " {message}</span> }
                .into_any(),
        ),
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

fn picked(id: u32, file: &File, state: PhotoState) -> PickedPhoto {
    PickedPhoto {
        id,
        file_name: file.name(),
        original_bytes: file.size() as u64,
        state,
        upload: UploadState::NotSent,
    }
}

fn refused_no_worker() -> PhotoState {
    PhotoState::Refused("This browser cannot prepare photos (Web Workers are unavailable).".into())
}

fn object_url(blob: &web_sys::Blob) -> String {
    web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default()
}

/// Rows are re-rendered when their kind of state changes (not on every progress step).
fn state_key(photo: &PickedPhoto) -> String {
    let state = match &photo.state {
        PhotoState::Waiting => "waiting".into(),
        PhotoState::Working(stage) => format!("working-{stage}"),
        PhotoState::Ready(_) => "ready".into(),
        PhotoState::Refused(_) => "refused".into(),
    };
    let upload = match photo.upload {
        UploadState::NotSent => "",
        UploadState::Queued => "-queued",
        UploadState::Sending(_) => "-sending",
        UploadState::Sent => "-sent",
        UploadState::Failed(_) => "-failed",
    };
    format!("{state}{upload}")
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
