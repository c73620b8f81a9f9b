//! Saving and deleting through the item form: the raw strings the form posted are validated
//! here, and every store outcome becomes a [`SaveOutcome`] the page can show.

use super::{ItemForm, SaveOutcome};
use crate::access::{Edit, Permit};
use crate::item_store::{ItemStore, StoreError};
use crate::model::{FieldErrors, ItemId};
use crate::photos::Photos;

/// Creates an item from the form. Store failures other than "exists" propagate.
pub async fn create(
    store: &dyn ItemStore,
    permit: &Permit<Edit>,
    form: &ItemForm,
) -> Result<SaveOutcome, StoreError> {
    let id = match form.id.trim() {
        "" => ItemId::generate(),
        raw => match ItemId::parse(raw) {
            Ok(id) => id,
            Err(e) => return Ok(SaveOutcome::Invalid(one_error("id", e.to_string()))),
        },
    };
    let draft = match form.draft() {
        Ok(draft) => draft,
        Err(errors) => return Ok(SaveOutcome::Invalid(errors)),
    };
    match store.create(permit, id, draft).await {
        Ok(created) => Ok(SaveOutcome::Saved(created.into_item())),
        Err(StoreError::IdTaken { existing }) => Ok(SaveOutcome::AlreadyCreated(*existing)),
        Err(StoreError::IdTakenElsewhere) => Ok(SaveOutcome::Invalid(one_error(
            "id",
            "Another item already has this id.".into(),
        ))),
        Err(StoreError::NoSuchLocation) => Ok(SaveOutcome::Invalid(no_such_location())),
        Err(e) => Err(e),
    }
}

/// Saves an edit made from `form.version`; a newer stored version is a conflict.
pub async fn update(
    store: &dyn ItemStore,
    permit: &Permit<Edit>,
    raw_id: &str,
    form: &ItemForm,
) -> Result<SaveOutcome, StoreError> {
    let Ok(id) = ItemId::parse(raw_id) else {
        return Ok(SaveOutcome::Missing);
    };
    let Ok(version) = form.version.trim().parse::<u64>() else {
        let message = "The form lost track of the item's version; reload the page.";
        return Ok(SaveOutcome::Invalid(one_error("version", message.into())));
    };
    let draft = match form.draft() {
        Ok(draft) => draft,
        Err(errors) => return Ok(SaveOutcome::Invalid(errors)),
    };
    match store.update(permit, &id, draft.into(), Some(version)).await {
        Ok(item) => Ok(SaveOutcome::Saved(item)),
        Err(StoreError::NotFound) => Ok(SaveOutcome::Missing),
        Err(StoreError::VersionConflict { current }) => Ok(SaveOutcome::Conflict(*current)),
        Err(StoreError::NoSuchLocation) => Ok(SaveOutcome::Invalid(no_such_location())),
        Err(e) => Err(e),
    }
}

/// Deletes an item and its photos; `Ok(false)` if there was nothing to delete.
pub async fn delete(
    photos: &Photos,
    permit: &Permit<Edit>,
    raw_id: &str,
) -> Result<bool, StoreError> {
    let Ok(id) = ItemId::parse(raw_id) else {
        return Ok(false);
    };
    match photos.delete_item(permit, &id, None).await {
        Ok(_) => Ok(true),
        Err(StoreError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

fn no_such_location() -> FieldErrors {
    let message = "That location no longer exists; pick another.";
    one_error("location", message.into())
}

fn one_error(field: &str, message: String) -> FieldErrors {
    FieldErrors::from([(field.to_owned(), message)])
}
