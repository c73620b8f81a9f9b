//! `/setup`: the first run. While Shelf has no accounts, whoever opens it creates the owner
//! account and the first collection; afterwards it sends everyone to sign in.

use super::auth_form::{AuthFeedback, AuthField, AuthNotice};
use domain::accounts::PASSWORD_MIN_CHARS;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SetupPage() -> impl IntoView {
    let feedback = AuthFeedback::current();
    let error = |field: &str| feedback.errors.get(field).cloned();
    let collection = if feedback.collection.is_empty() {
        "Home".to_owned()
    } else {
        feedback.collection.clone()
    };
    view! {
        <Title text="Set up Shelf" />
        <div class="auth">
            <h1>"Welcome to Shelf"</h1>
            <p>
                "Create the owner account. You can invite others to your collection afterwards."
            </p>
            <AuthNotice notice=feedback.notice.clone() />
            <form class="auth__form" method="post" action="/setup">
                <AuthField id="email" label="Your email" kind="email" autocomplete="username"
                    value=feedback.email.clone() error=error("email") />
                <AuthField id="password" label="Password" kind="password"
                    autocomplete="new-password"
                    hint=format!("At least {PASSWORD_MIN_CHARS} characters; a few words make a good one.")
                    error=error("password") />
                <AuthField id="collection" label="Name of your first collection" kind="text"
                    autocomplete="off" value=collection error=error("collection") />
                <div class="form__actions">
                    <button class="button button--primary" type="submit">"Create account"</button>
                </div>
            </form>
        </div>
    }
}
