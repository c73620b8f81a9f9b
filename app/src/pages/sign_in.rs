//! `/sign-in`: email and password. A plain form: it posts to the server, which answers with a
//! redirect (and the session cookie) or this page again with the reason.

use super::auth_form::{AuthFeedback, AuthField, AuthNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let feedback = AuthFeedback::current();
    let next = if feedback.next.is_empty() {
        use_query_map()
            .get_untracked()
            .get("next")
            .unwrap_or_default()
    } else {
        feedback.next.clone()
    };
    let error = |field: &str| feedback.errors.get(field).cloned();
    view! {
        <Title text="Sign in" />
        <div class="auth">
            <h1>"Sign in"</h1>
            <AuthNotice notice=feedback.notice.clone() />
            <form class="auth__form" method="post" action="/sign-in">
                <input type="hidden" name="next" value=next />
                <AuthField id="email" label="Email" kind="email" autocomplete="username"
                    value=feedback.email.clone() error=error("email") />
                <AuthField id="password" label="Password" kind="password"
                    autocomplete="current-password" error=error("password") />
                <div class="form__actions">
                    <button class="button button--primary" type="submit">"Sign in"</button>
                </div>
            </form>
            {if super::sign_up::sign_up_is_open() {
                view! { <p class="auth__aside">"New here? " <a href="/sign-up">"Create an account"</a> "."</p> }.into_any()
            } else {
                view! { <p class="auth__aside">"New here? Ask an owner of the collection for an invite link."</p> }.into_any()
            }}
            <p class="auth__aside">"Forgot your password? An owner can give you a link to set a new one."</p>
        </div>
    }
}
