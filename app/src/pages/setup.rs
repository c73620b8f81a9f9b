//! `/setup`: the first run. While Shelf has no accounts, whoever opens it creates the owner
//! account and the first collection; afterwards it sends everyone to sign in.

use super::auth_form::{AuthFeedback, AuthNotice, NewOwnerFields};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SetupPage() -> impl IntoView {
    let feedback = AuthFeedback::current();
    view! {
        <Title text="Set up Shelf" />
        <div class="auth">
            <h1>"Welcome to Shelf"</h1>
            <p>
                "Create the owner account. You can invite others to your collection afterwards."
            </p>
            <AuthNotice notice=feedback.notice.clone() />
            <form class="auth__form" method="post" action="/setup">
                <NewOwnerFields email_label="Your email" />
                <div class="form__actions">
                    <button class="button button--primary" type="submit">"Create account"</button>
                </div>
            </form>
        </div>
    }
}
