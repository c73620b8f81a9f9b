//! Saving the form from a hydrated page: the text (one server function call), then the
//! picked photos, which have been uploading since each was ready, are attached once they
//! have arrived (an attach needs the item to exist).

use super::EditorMode;
use crate::components::{PhotoQueue, UploadSummary};
use crate::server_fns::{create_item, update_item};
use domain::item_form::{ItemForm, SaveOutcome};
use leptos::prelude::*;

/// What one save did: the text's outcome, and the uploads' if photos were sent.
pub(super) type SaveResult = Result<(SaveOutcome, Option<UploadSummary>), ServerFnError>;

/// The save action. It is local (its future holds JS values) and captures only `Copy`
/// handles, because a server-rendered page drops it on another thread, which a thread-bound
/// value with a destructor forbids.
pub(super) fn save_action(mode: EditorMode, queue: PhotoQueue) -> Action<ItemForm, SaveResult> {
    let mode = StoredValue::new(mode);
    let collection = StoredValue::new(crate::components::Viewer::current().collection_id());
    Action::new_local(move |form: &ItemForm| {
        let mode = mode.get_value();
        let collection = collection.get_value();
        let form = form.clone();
        let mark = queue.save_started();
        async move {
            let outcome = match mode {
                EditorMode::Create => create_item(collection.clone(), form).await,
                EditorMode::Edit { id } => update_item(collection.clone(), id, form).await,
            }?;
            let uploads = match &outcome {
                SaveOutcome::Saved(_) if queue.has_unattached() => {
                    Some(queue.attach_all(mark).await)
                }
                _ => None,
            };
            Ok((outcome, uploads))
        }
    })
}
