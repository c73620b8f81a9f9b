//! What the sign-in and first-run pages show after a refused post: the input to keep (never
//! the password) and why it was refused. The server provides it when it renders the page
//! again; a fresh page has none.

use domain::accounts::PASSWORD_MIN_CHARS;
use domain::model::FieldErrors;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthFeedback {
    pub email: String,
    /// The first run's collection name.
    pub collection: String,
    /// Where to go after signing in (a path on this site).
    pub next: String,
    pub errors: FieldErrors,
    /// A message about the whole form ("wrong email or password", "try again in 4 minutes").
    pub notice: Option<String>,
}

impl AuthFeedback {
    /// The feedback of the post the page answers, if any.
    pub fn current() -> Self {
        use_context::<Self>().unwrap_or_default()
    }
}

/// One labelled input with its error, as plain HTML (these forms post without JavaScript).
#[component]
pub fn AuthField(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    #[prop(optional)] value: String,
    #[prop(optional)] hint: Option<String>,
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some();
    let described = format!(
        "{id}-error{}",
        if hint.is_some() {
            format!(" {id}-hint")
        } else {
            String::new()
        }
    );
    view! {
        <div class="field" class:field--invalid=invalid>
            <div class="field__label-row">
                <label for=id>{label}</label>
            </div>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                value=value
                required=true
                aria-invalid=if invalid { "true" } else { "false" }
                aria-describedby=described
            />
            {hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-hint")>{hint}</p> })}
            <p class="field__error" id=format!("{id}-error")>{error}</p>
        </div>
    }
}

/// The notice above a refused form.
#[component]
pub fn AuthNotice(notice: Option<String>) -> impl IntoView {
    notice.map(|notice| {
        view! {
            <div class="notice notice--error" role="alert">
                <p>{notice}</p>
            </div>
        }
    })
}

/// The fields of a new account that starts its own collection (the first run, open sign-up):
/// email, a new password with its rule, and the collection's name ("Home" to begin with).
#[component]
pub fn NewOwnerFields(email_label: &'static str) -> impl IntoView {
    let feedback = AuthFeedback::current();
    let error = |field: &str| feedback.errors.get(field).cloned();
    let collection = if feedback.collection.is_empty() {
        "Home".to_owned()
    } else {
        feedback.collection.clone()
    };
    view! {
        <AuthField id="email" label=email_label kind="email" autocomplete="username"
            value=feedback.email.clone() error=error("email") />
        <AuthField id="password" label="Password" kind="password"
            autocomplete="new-password"
            hint=format!("At least {PASSWORD_MIN_CHARS} characters; a few words make a good one.")
            error=error("password") />
        <AuthField id="collection" label="Name of your first collection" kind="text"
            autocomplete="off" value=collection error=error("collection") />
    }
}
