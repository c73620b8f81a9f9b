//! The create/edit form.
//!
//! It is a plain HTML form that posts to the page's own URL, so it works before (or without)
//! the wasm. It is an island: once hydrated it validates as the user types, with the
//! domain's own rules and counts, prepares photos in the browser and saves through server
//! functions, then goes to the saved item's page. Its code is a wasm module of its own
//! (`#[island(lazy)]`, `cargo leptos build --split`), fetched on the two pages that have the
//! form: it is as big as all the other islands and the runtime together.
//!
//! # Layout
//! - this file: [`ItemEditor`], the form and what it does with a save's outcome.
//! - `field`: one text field (label, counter, control, error) and its state.
//! - `save`: the save action (the text, then the picked photos).
//! - `notice`: messages about the whole form.

mod field;
mod notice;
mod save;

use super::TagSuggestions;
use super::{collection_href, LocationPicker, PhotoManager, PhotoPicker, PhotoQueue, PhotosFor};
use crate::server_fns::user_message;
use domain::item_form::{ItemForm, SaveOutcome};
use domain::model::{
    FieldErrors, Item, ItemDescription, ItemName, Location, Photo, Quantity, Tags,
    DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS, QUANTITY_MAX,
};
use field::{aria_invalid, Field, FieldState};
use leptos::{ev::SubmitEvent, prelude::*};
use notice::{FormNotice, Notice};
use save::{save_action, SaveResult};
use serde::{Deserialize, Serialize};

/// The fields the form shows, each with its own message; a message about any other field (a
/// tampered id or version) goes above the form.
const VISIBLE_FIELDS: [&str; 5] = ["name", "description", "tags", "quantity", "location"];

/// Puts the cursor in the first field (in the form's order) that `errors` names.
fn focus_first_invalid(errors: &FieldErrors) {
    let Some(field) = VISIBLE_FIELDS
        .iter()
        .find(|field| errors.contains_key(**field))
    else {
        return;
    };
    let element = document()
        .get_element_by_id(field)
        .and_then(|element| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Which item the form saves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditorMode {
    Create,
    Edit { id: String },
}

impl EditorMode {
    /// Where the form posts without JavaScript: the page's own URL.
    fn action(&self) -> String {
        collection_href(&self.path())
    }

    fn path(&self) -> String {
        match self {
            EditorMode::Create => "/items/new".into(),
            EditorMode::Edit { id } => format!("/items/{id}/edit"),
        }
    }

    /// Where "Cancel" goes.
    fn cancel_href(&self) -> String {
        collection_href(&match self {
            EditorMode::Create => "/".into(),
            EditorMode::Edit { id } => format!("/items/{id}"),
        })
    }
}

#[island(lazy)]
pub fn ItemEditor(
    mode: EditorMode,
    /// The values to start from: the stored item, or what the user posted last time.
    initial: ItemForm,
    /// Why the last plain post failed, when the page is rendered again for it.
    outcome: Option<SaveOutcome>,
    /// Edit only (empty otherwise): the item's photos as stored, to reorder or remove.
    photos: Vec<Photo>,
    /// Edit only (empty otherwise): the item's name as stored, for the photos' alt text.
    stored_name: String,
    /// The collection's locations, to file the item in.
    locations: Vec<Location>,
) -> impl IntoView {
    let name = FieldState::new(initial.name.clone());
    let description = FieldState::new(initial.description.clone());
    let tags = FieldState::new(initial.tags.clone());
    let quantity = FieldState::new(initial.quantity.clone());
    let location = FieldState::new(initial.location.clone());
    let version = RwSignal::new(initial.version.clone());
    let client_id = initial.id.clone();
    // Errors from the server, shown until the user edits that field.
    let server_errors = RwSignal::new(FieldErrors::new());
    let notice = RwSignal::new(None::<Notice>);

    let show_outcome = move |outcome: SaveOutcome| match outcome {
        SaveOutcome::Saved(_) => {}
        SaveOutcome::Invalid(errors) => server_errors.set(errors),
        SaveOutcome::Conflict(latest) => {
            version.set(latest.version.to_string());
            notice.set(Some(Notice::Conflict(latest)));
        }
        SaveOutcome::Missing => notice.set(Some(Notice::Missing)),
        SaveOutcome::AlreadyCreated(item) => notice.set(Some(Notice::AlreadyCreated(item))),
        SaveOutcome::Failed(message) => notice.set(Some(Notice::Failed(message))),
    };
    if let Some(outcome) = outcome {
        show_outcome(outcome);
    }

    let name_error = name.error("name", |raw| ItemName::parse(raw).err(), server_errors);
    let description_error = description.error(
        "description",
        |raw| ItemDescription::parse(raw).err(),
        server_errors,
    );
    let tags_error = tags.error("tags", |raw| Tags::parse_list(raw).err(), server_errors);
    let location_error = location.error("location", |_| None, server_errors);
    let quantity_error =
        quantity.error("quantity", |raw| Quantity::parse(raw).err(), server_errors);
    // Errors about fields the user cannot see (a tampered id or version).
    let other_errors = move || {
        server_errors
            .read()
            .iter()
            .filter(|(field, _)| !VISIBLE_FIELDS.contains(&field.as_str()))
            .map(|(_, message)| message.clone())
            .collect::<Vec<_>>()
    };

    // Photos upload as soon as they are ready, for the item this form saves: a new item's
    // form has the id its create will use.
    let queue = PhotoQueue::new(PhotosFor {
        collection: super::Viewer::current().collection_id(),
        item_id: match &mode {
            EditorMode::Create => client_id.clone(),
            EditorMode::Edit { id } => id.clone(),
        },
    });
    // Effects run only in the browser: once the form is hydrated. Its first focus or touch
    // starts the worker sooner, and for those who save data.
    Effect::new(move || queue.start_worker_when_idle());
    let save = save_action(mode.clone(), queue);
    let on_saved = move |result: SaveResult| match result {
        Ok((SaveOutcome::Saved(item), uploads)) => {
            let item = uploads
                .as_ref()
                .and_then(|u| u.latest.clone())
                .unwrap_or(item);
            match uploads {
                Some(summary) if summary.failed > 0 => {
                    // The text is saved and so are some photos: the form now edits that item.
                    version.set(item.version.to_string());
                    notice.set(Some(Notice::UploadsFailed {
                        item,
                        failed: summary.failed,
                    }));
                }
                _ => crate::browser::page_swap::go_to(&collection_href(&format!(
                    "/items/{}",
                    item.id
                ))),
            }
        }
        Ok((outcome, _)) => show_outcome(outcome),
        Err(error) => notice.set(Some(Notice::Failed(user_message(&error)))),
    };
    Effect::new(move || {
        if let Some(result) = save.value().get() {
            on_saved(result);
        }
    });

    let on_submit = {
        let client_id = client_id.clone();
        move |event: SubmitEvent| {
            event.prevent_default();
            for field in [name, description, tags, quantity] {
                field.touched.set(true);
            }
            server_errors.set(FieldErrors::new());
            let form = ItemForm {
                id: client_id.clone(),
                version: version.get_untracked(),
                name: name.value.get_untracked(),
                description: description.value.get_untracked(),
                tags: tags.value.get_untracked(),
                quantity: quantity.value.get_untracked(),
                location: location.value.get_untracked(),
            };
            if let Err(errors) = form.draft() {
                focus_first_invalid(&errors);
                return;
            }
            notice.set(None);
            save.dispatch(form);
        }
    };
    // Typing in a field takes back what the server said about it.
    let edited = move |field: &'static str, state: FieldState, value: String| {
        state.value.set(value);
        server_errors.update(|e| {
            e.remove(field);
        });
    };

    let cancel_href = mode.cancel_href();
    let reload_href = mode.action();
    let is_create = mode == EditorMode::Create;

    let photo_manager = match &mode {
        EditorMode::Edit { id } => Some(view! {
            <PhotoManager
                item_id=id.clone()
                name=stored_name
                photos
                on_change=move |item: Item| version.set(item.version.to_string())
            />
        }),
        EditorMode::Create => None,
    };

    view! {
        {photo_manager}
        <form
            class="form"
            method="post"
            action=crate::components::collection_form_action(&mode.path())
            enctype="multipart/form-data"
            novalidate
            on:submit=on_submit
            on:focusin=move |_| {
                queue.start_worker();
            }
            on:pointerdown=move |_| {
                queue.start_worker();
            }
        >
            {move || {
                notice
                    .get()
                    .map(|notice| {
                        view! {
                            <FormNotice
                                notice
                                reload_href=reload_href.clone()
                                name=name.value
                                description=description.value
                            />
                        }
                    })
            }}
            {move || {
                let errors = other_errors();
                (!errors.is_empty())
                    .then(|| {
                        view! {
                            <div class="notice notice--error" role="alert">
                                <ul>{errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                            </div>
                        }
                    })
            }}
            {is_create.then(|| view! { <input type="hidden" name="id" value=client_id.clone() /> })}
            {(!is_create)
                .then(|| {
                    view! {
                        // After a conflict this is the latest version: saving again means
                        // "mine wins over what I have now seen".
                        <input type="hidden" name="version" value=version />
                    }
                })}
            <Field
                id="name"
                label="Name"
                count=(Signal::derive(move || ItemName::counted_chars(&name.value.read())), NAME_MAX_CHARS)
                error=name_error
            >
                <input
                    id="name"
                    name="name"
                    type="text"
                    autocomplete="off"
                    aria-required="true"
                    aria-invalid=aria_invalid(name_error)
                    aria-describedby="name-error name-count"
                    value=initial.name.clone()
                    prop:value=name.value
                    on:input=move |ev| edited("name", name, event_target_value(&ev))
                    on:blur=move |_| name.touched.set(true)
                />
            </Field>
            <Field
                id="description"
                label="Description"
                optional=true
                count=(
                    Signal::derive(move || ItemDescription::counted_chars(&description.value.read())),
                    DESCRIPTION_MAX_CHARS,
                )
                error=description_error
            >
                <textarea
                    id="description"
                    name="description"
                    rows="6"
                    aria-invalid=aria_invalid(description_error)
                    aria-describedby="description-error description-count"
                    prop:value=description.value
                    on:input=move |ev| edited("description", description, event_target_value(&ev))
                    on:blur=move |_| description.touched.set(true)
                >
                    {super::raw_text(&initial.description)}
                </textarea>
            </Field>
            <Field
                id="tags"
                label="Tags"
                optional=true
                hint="Separated by commas, e.g. “garage, power tools”."
                error=tags_error
            >
                <input
                    id="tags"
                    name="tags"
                    type="text"
                    autocomplete="off"
                    aria-invalid=aria_invalid(tags_error)
                    aria-describedby="tags-error tags-hint"
                    value=initial.tags.clone()
                    prop:value=tags.value
                    on:input=move |ev| edited("tags", tags, event_target_value(&ev))
                    on:blur=move |_| tags.touched.set(true)
                />
                <TagSuggestions
                    value=tags.value
                    on_pick=move |list: String| edited("tags", tags, list)
                />
            </Field>
            <Field
                id="quantity"
                label="Quantity"
                optional=true
                hint="How many there are; blank if not counted."
                error=quantity_error
            >
                <input
                    id="quantity"
                    name="quantity"
                    type="number"
                    inputmode="numeric"
                    min="0"
                    max=QUANTITY_MAX
                    step="1"
                    aria-invalid=aria_invalid(quantity_error)
                    aria-describedby="quantity-error quantity-hint"
                    value=initial.quantity.clone()
                    prop:value=quantity.value
                    on:input=move |ev| edited("quantity", quantity, event_target_value(&ev))
                    on:blur=move |_| quantity.touched.set(true)
                />
            </Field>
            <Field id="location" label="Location" optional=true error=location_error>
                <LocationPicker
                    locations
                    value=location.value
                    on_change=move |id: String| edited("location", location, id)
                    invalid=aria_invalid(location_error)
                />
            </Field>
            <PhotoPicker queue />
            <div class="form__actions">
                <button
                    class="button button--primary"
                    type="submit"
                    disabled=move || save.pending().get() || queue.is_preparing()
                >
                    {move || {
                        if save.pending().get() && queue.is_uploading() {
                            "Uploading photos…"
                        } else if save.pending().get() {
                            "Saving…"
                        } else if queue.is_preparing() {
                            "Preparing photos…"
                        } else if is_create {
                            "Create item"
                        } else {
                            "Save changes"
                        }
                    }}
                </button>
                <a class="button button--quiet" href=cancel_href>
                    "Cancel"
                </a>
            </div>
        </form>
    }
}
