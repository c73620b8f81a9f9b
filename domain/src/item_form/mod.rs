//! The item form: what it sends and what a save answers (compiled for the browser too), and
//! the operations behind it (server only), shared by the server functions of hydrated pages
//! and the plain form posts of pages without JavaScript, so both follow one set of rules.
//!
//! # Layout
//! - this file: [`ItemForm`], [`SaveOutcome`], [`FormFeedback`].
//! - `operations` (server): [`create`], [`update`], [`delete`].

#[cfg(feature = "server")]
mod operations;

#[cfg(feature = "server")]
pub use operations::{create, delete, update};

use crate::model::{FieldErrors, Item, ItemDraft};
use serde::{Deserialize, Serialize};

/// The item form's fields exactly as posted, all strings: the same struct comes from a
/// hydrated form (server function) and from a plain HTML post without JavaScript.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemForm {
    /// Create only: the id the form chose when it was rendered, so a double submit creates
    /// one item, not two.
    #[serde(default)]
    pub id: String,
    /// Edit only: the version the user started from.
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Separated by commas.
    #[serde(default)]
    pub tags: String,
    /// Blank for none.
    #[serde(default)]
    pub quantity: String,
    /// The location's id; blank for none.
    #[serde(default)]
    pub location: String,
}

/// The result of saving the form, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved(Item),
    /// Input broke a rule; the messages go next to their fields.
    Invalid(FieldErrors),
    /// Someone else saved the item after this form was loaded; this is their version.
    Conflict(Item),
    /// The item no longer exists.
    Missing,
    /// This create form was already used to create a different item.
    AlreadyCreated(Item),
    /// The server could not save right now (the reason is in its logs).
    Failed(String),
}

/// A failed save to show again: what the user typed plus why it failed. Lets a page rendered
/// on the server after a plain form post (no JavaScript) show the same form state a hydrated
/// page would.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFeedback {
    pub form: ItemForm,
    /// `None` for a form that was not submitted yet.
    pub outcome: Option<SaveOutcome>,
}

impl FormFeedback {
    /// An empty create form that will create the item under `id`.
    pub fn fresh(id: String) -> Self {
        Self {
            form: ItemForm {
                id,
                ..ItemForm::default()
            },
            outcome: None,
        }
    }
}

impl ItemForm {
    /// The edit form for `item` as stored.
    pub fn from_item(item: &Item) -> Self {
        Self {
            id: String::new(),
            version: item.version.to_string(),
            name: item.name.clone(),
            description: item.description.clone(),
            tags: item.tags.to_list(),
            quantity: item
                .quantity
                .map(|q| q.get().to_string())
                .unwrap_or_default(),
            location: item
                .location
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    }

    /// The form's fields validated, or every field's message.
    pub fn draft(&self) -> Result<ItemDraft, FieldErrors> {
        ItemDraft::parse_form(
            &self.name,
            &self.description,
            &self.tags,
            &self.quantity,
            &self.location,
        )
    }
}
