//! [`PhotoQueue`]: the photos picked in a form, from choosing to uploading. Each file goes to
//! the photo Web Worker (started on the first pick) and comes back small, upright and
//! metadata-free, or refused with a reason; once the item is saved, [`PhotoQueue::upload_all`]
//! sends the ready ones, a few at a time.

use super::browser_side::{self, BrowserSide};
use crate::browser::photo_upload::{upload_photos, CancelUpload};
use crate::browser::photo_worker::{PhotoWorker, Stage, WorkerEvent};
use domain::model::Item;
use leptos::prelude::*;
use web_sys::{File, FileList};

/// One picked file, as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct PickedPhoto {
    pub id: u32,
    pub file_name: String,
    pub original_bytes: u64,
    pub state: PhotoState,
    pub upload: UploadState,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum PhotoState {
    Waiting,
    Working(Stage),
    Ready(ReadyPhoto),
    Refused(String),
}

/// Where a ready photo is on its way to the server.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum UploadState {
    NotSent,
    /// Waiting for its upload URLs, or for other photos to be sent first.
    Queued,
    /// Fraction of its bytes sent, 0 to 1.
    Sending(f64),
    Sent,
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct ReadyPhoto {
    /// `blob:` URL of the thumbnail, revoked when the photo is removed.
    pub thumb_url: String,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub width: u32,
    pub height: u32,
    /// Bytes of both variants: what the upload will send.
    pub bytes: u64,
    /// How long the worker took, in whole milliseconds.
    pub millis: u64,
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
/// [`super::PhotoPicker`]. Cheap to copy.
#[derive(Clone, Copy)]
pub struct PhotoQueue {
    pub(super) photos: RwSignal<Vec<PickedPhoto>>,
    /// Where this queue's browser-only values live ([`browser_side`]).
    key: u64,
    next_id: StoredValue<u32>,
}

impl Default for PhotoQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl PhotoQueue {
    pub fn new() -> Self {
        let queue = Self {
            photos: RwSignal::new(Vec::new()),
            key: browser_side::new_key(),
            next_id: StoredValue::new(0),
        };
        on_cleanup(move || {
            for photo in queue.photos.get_untracked() {
                if let PhotoState::Ready(ready) = photo.state {
                    let _ = web_sys::Url::revoke_object_url(&ready.thumb_url);
                }
            }
            browser_side::remove(queue.key);
        });
        queue
    }

    /// Runs `f` on this queue's browser-only values. Never call back into the queue from `f`.
    fn browser<R>(self, f: impl FnOnce(&mut BrowserSide) -> R) -> R {
        browser_side::with(self.key, f)
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

    /// Uploads every unsent photo to `item_id` (in `collection`) and attaches them, in the
    /// order picked.
    pub async fn upload_all(self, collection: Option<String>, item_id: String) -> UploadSummary {
        let cancel = CancelUpload::default();
        self.browser(|side| side.cancel = Some(cancel.clone()));
        let photos: Vec<_> = self
            .unsent()
            .into_iter()
            .filter_map(|id| Some((id, self.browser(|side| side.processed.get(&id).cloned())?)))
            .collect();
        for (id, _) in &photos {
            self.set_upload(*id, UploadState::Queued);
        }
        let progress = move |id, fraction| self.set_upload(id, UploadState::Sending(fraction));
        let sent = upload_photos(collection.as_deref(), &item_id, photos, progress, &cancel).await;
        let mut summary = UploadSummary {
            latest: sent.latest,
            ..UploadSummary::default()
        };
        for (id, outcome) in sent.outcomes {
            match outcome {
                Ok(()) => {
                    self.set_upload(id, UploadState::Sent);
                    summary.sent += 1;
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

    /// Stops the uploads in progress and those still to come.
    pub fn cancel_uploads(self) {
        if let Some(cancel) = self.browser(|side| side.cancel.clone()) {
            cancel.cancel();
        }
    }

    pub(super) fn add_files(self, files: Option<FileList>) {
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
                    millis: photo.total_ms.round() as u64,
                };
                self.browser(|side| side.processed.insert(id, photo));
                self.set_state(id, PhotoState::Ready(ready));
            }
        }
    }

    /// Stops preparing: the worker cannot be interrupted mid-photo, so it is stopped.
    pub(super) fn cancel_preparing(self) {
        // Taken out first: dropping it terminates the worker, outside the borrow.
        let worker = self.browser(|side| side.worker.take());
        drop(worker);
        self.photos.update(|list| {
            list.retain(|p| !matches!(p.state, PhotoState::Waiting | PhotoState::Working(_)))
        });
    }

    pub(super) fn remove(self, id: u32) {
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
    pub(super) fn percent_sent(self, id: u32) -> Option<u32> {
        self.photos
            .read()
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| match p.upload {
                UploadState::Sending(fraction) => Some((fraction * 100.0).round() as u32),
                _ => None,
            })
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
