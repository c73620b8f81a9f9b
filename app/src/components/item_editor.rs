//! The create/edit form.
//!
//! It is a plain HTML form that posts to the page's own URL, so it works before (or without)
//! the wasm. Once hydrated it validates as the user types, with the model's own rules, and
//! saves through a server function without reloading the page.

use super::{PhotoManager, PhotoPicker, PhotoQueue};
use domain::item_form::{ItemForm, SaveOutcome};
use domain::model::{
    FieldErrors, Item, ItemDescription, ItemName, Photo, DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS,
};
use crate::server_fns::{create_item, update_item, user_message};
use leptos::{ev::SubmitEvent, html, prelude::*};
use leptos_router::hooks::use_navigate;

/// Which item the form saves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditorMode {
    Create,
    Edit { id: String },
}

impl EditorMode {
    /// Where the form posts without JavaScript: the page's own URL.
    fn action(&self) -> String {
        match self {
            EditorMode::Create => "/items/new".into(),
            EditorMode::Edit { id } => format!("/items/{id}/edit"),
        }
    }
}

/// A message about the whole form rather than one field.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Notice {
    Conflict(Item),
    Missing,
    AlreadyCreated(Item),
    Failed(String),
    /// Saved, but not every photo could be uploaded.
    UploadsFailed {
        item: Item,
        failed: usize,
    },
}

#[component]
pub fn ItemEditor(
    mode: EditorMode,
    /// The values to start from: the stored item, or what the user posted last time.
    initial: ItemForm,
    /// Why the last plain post failed, when the page is rendered again for it.
    outcome: Option<SaveOutcome>,
    /// Edit only: the item's photos as stored, to reorder or remove.
    #[prop(default = Vec::new())]
    photos: Vec<Photo>,
    /// Edit only: the item's name as stored, for the photos' alt text.
    #[prop(default = String::new())]
    stored_name: String,
) -> impl IntoView {
    let name = RwSignal::new(initial.name.clone());
    let description = RwSignal::new(initial.description.clone());
    let version = RwSignal::new(initial.version.clone());
    let client_id = initial.id.clone();
    // Errors from the server, shown until the user edits that field.
    let server_errors = RwSignal::new(FieldErrors::new());
    // Live checks start for a field once it was left, or for all once a save was tried.
    let name_touched = RwSignal::new(false);
    let description_touched = RwSignal::new(false);
    let notice = RwSignal::new(None::<Notice>);
    let name_input = NodeRef::<html::Input>::new();
    let description_input = NodeRef::<html::Textarea>::new();

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

    let name_error = move || {
        let live = name_touched
            .get()
            .then(|| ItemName::parse(&name.read()).err())
            .flatten();
        live.or_else(|| server_errors.read().get("name").cloned())
    };
    let description_error = move || {
        let live = description_touched
            .get()
            .then(|| ItemDescription::parse(&description.read()).err())
            .flatten();
        live.or_else(|| server_errors.read().get("description").cloned())
    };
    // Errors about fields the user cannot see (a tampered id or version).
    let other_errors = move || {
        server_errors
            .read()
            .iter()
            .filter(|(field, _)| *field != "name" && *field != "description")
            .map(|(_, message)| message.clone())
            .collect::<Vec<_>>()
    };

    let queue = PhotoQueue::new();
    // Saving is two steps: the text (one server call), then each picked photo straight to
    // storage. Photos need the item to exist, so they always go second. The action is local
    // (its future holds JS values); it captures only `Copy` handles, because a server-rendered
    // page drops it on another thread, which a thread-bound value with a destructor forbids.
    let save = {
        let mode = StoredValue::new(mode.clone());
        Action::new_local(move |form: &ItemForm| {
            let mode = mode.get_value();
            let form = form.clone();
            async move {
                let outcome = match mode {
                    EditorMode::Create => create_item(form.id, form.name, form.description).await,
                    EditorMode::Edit { id } => {
                        update_item(id, form.version, form.name, form.description).await
                    }
                }?;
                let uploads = match &outcome {
                    SaveOutcome::Saved(item) if !queue.unsent().is_empty() => {
                        Some(queue.upload_all(item.id.to_string()).await)
                    }
                    _ => None,
                };
                Ok::<_, ServerFnError>((outcome, uploads))
            }
        })
    };
    let navigate = use_navigate();
    Effect::new(move || match save.value().get() {
        Some(Ok((SaveOutcome::Saved(item), uploads))) => {
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
                _ => navigate(&format!("/items/{}", item.id), Default::default()),
            }
        }
        Some(Ok((outcome, _))) => show_outcome(outcome),
        Some(Err(error)) => notice.set(Some(Notice::Failed(user_message(&error)))),
        None => {}
    });

    let on_submit = {
        let client_id = client_id.clone();
        move |event: SubmitEvent| {
            event.prevent_default();
            name_touched.set(true);
            description_touched.set(true);
            server_errors.set(FieldErrors::new());
            if ItemName::parse(&name.get_untracked()).is_err() {
                if let Some(input) = name_input.get_untracked() {
                    let _ = input.focus();
                }
                return;
            }
            if ItemDescription::parse(&description.get_untracked()).is_err() {
                if let Some(input) = description_input.get_untracked() {
                    let _ = input.focus();
                }
                return;
            }
            notice.set(None);
            save.dispatch(ItemForm {
                id: client_id.clone(),
                version: version.get_untracked(),
                name: name.get_untracked(),
                description: description.get_untracked(),
            });
        }
    };

    let cancel_href = match &mode {
        EditorMode::Create => "/".to_owned(),
        EditorMode::Edit { id } => format!("/items/{id}"),
    };
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
            action=mode.action()
            enctype="multipart/form-data"
            novalidate
            on:submit=on_submit
        >
            {move || {
                notice
                    .get()
                    .map(|notice| view! { <FormNotice notice reload_href=reload_href.clone() name description /> })
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
            <div class="field" class:field--invalid=move || name_error().is_some()>
                <div class="field__label-row">
                    <label for="name">"Name"</label>
                    <span class="field__count" id="name-count" aria-live="polite">
                        {move || name.read().trim().chars().count()}
                        " / "
                        {NAME_MAX_CHARS}
                    </span>
                </div>
                <input
                    node_ref=name_input
                    id="name"
                    name="name"
                    type="text"
                    autocomplete="off"
                    aria-required="true"
                    aria-invalid=move || if name_error().is_some() { "true" } else { "false" }
                    aria-describedby="name-error name-count"
                    value=initial.name.clone()
                    prop:value=name
                    on:input=move |ev| {
                        name.set(event_target_value(&ev));
                        server_errors.update(|e| {
                            e.remove("name");
                        });
                    }
                    on:blur=move |_| name_touched.set(true)
                />
                <p class="field__error" id="name-error">
                    {name_error}
                </p>
            </div>
            <div class="field" class:field--invalid=move || description_error().is_some()>
                <div class="field__label-row">
                    <label for="description">
                        "Description " <span class="field__optional">"(optional)"</span>
                    </label>
                    <span class="field__count" id="description-count" aria-live="polite">
                        {move || description.read().replace("\r\n", "\n").trim().chars().count()}
                        " / "
                        {DESCRIPTION_MAX_CHARS}
                    </span>
                </div>
                <textarea
                    node_ref=description_input
                    id="description"
                    name="description"
                    rows="6"
                    aria-invalid=move || if description_error().is_some() { "true" } else { "false" }
                    aria-describedby="description-error description-count"
                    prop:value=description
                    on:input=move |ev| {
                        description.set(event_target_value(&ev));
                        server_errors.update(|e| {
                            e.remove("description");
                        });
                    }
                    on:blur=move |_| description_touched.set(true)
                >
                    {super::raw_text(&initial.description)}
                </textarea>
                <p class="field__error" id="description-error">
                    {description_error}
                </p>
            </div>
            <PhotoPicker queue />
            <div class="form__actions">
                <button
                    class="button button--primary"
                    type="submit"
                    disabled=move || save.pending().get() || queue.is_preparing()
                >
                    {move || {
                        if queue.is_uploading() {
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

#[component]
fn FormNotice(
    notice: Notice,
    /// Reloading the edit page is how to start over from the stored version without JS.
    reload_href: String,
    name: RwSignal<String>,
    description: RwSignal<String>,
) -> impl IntoView {
    match notice {
        Notice::Conflict(latest) => {
            let take_theirs = {
                let latest = latest.clone();
                move |ev: leptos::ev::MouseEvent| {
                    ev.prevent_default();
                    name.set(latest.name.clone());
                    description.set(latest.description.clone());
                }
            };
            view! {
                <div class="notice notice--warning" role="alert">
                    <h2 class="notice__title">"Someone else changed this item"</h2>
                    <p>
                        "It was saved by someone else while you were editing. This is what is stored now:"
                    </p>
                    <dl class="notice__latest">
                        <dt>"Name"</dt>
                        <dd>{latest.name.clone()}</dd>
                        <dt>"Description"</dt>
                        <dd class="prewrap">{latest.description.clone()}</dd>
                    </dl>
                    <p>
                        "Your changes are still in the form. Save again to replace their version with yours, or "
                        <a href=reload_href on:click=take_theirs>
                            "start from their version"
                        </a> "."
                    </p>
                </div>
            }
            .into_any()
        }
        Notice::Missing => view! {
            <div class="notice notice--error" role="alert">
                <h2 class="notice__title">"This item no longer exists"</h2>
                <p>
                    "It was deleted while you were editing. Your text is still in the form; copy it into a "
                    <a href="/items/new">"new item"</a> " to keep it."
                </p>
            </div>
        }
        .into_any(),
        Notice::AlreadyCreated(item) => view! {
            <div class="notice notice--warning" role="alert">
                <h2 class="notice__title">"This form was already used"</h2>
                <p>
                    "It created "
                    <a href=format!("/items/{}", item.id)>{item.name.clone()}</a>
                    ". To add another item, start a "
                    <a href="/items/new">"new form"</a> "."
                </p>
            </div>
        }
        .into_any(),
        Notice::UploadsFailed { item, failed } => view! {
            <div class="notice notice--error" role="alert">
                <h2 class="notice__title">"Saved, but not every photo was uploaded"</h2>
                <p>
                    {if failed == 1 { "1 photo was".to_owned() } else { format!("{failed} photos were") }}
                    " not uploaded; the reason is next to each. Save again to retry them, or "
                    <a href=format!("/items/{}", item.id)>"go to the item"</a> "."
                </p>
            </div>
        }
        .into_any(),
        Notice::Failed(message) => view! {
            <div class="notice notice--error" role="alert">
                <h2 class="notice__title">"Not saved"</h2>
                <p>{message} " Your changes are still here; try again."</p>
            </div>
        }
        .into_any(),
    }
}
