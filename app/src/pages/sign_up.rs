//! `/sign-up`: with `--sign-up open`, anyone makes an account here, with a first collection of
//! their own. Otherwise the page says that accounts come by invite. A plain form, as sign-in.

use super::auth_form::{AuthFeedback, AuthNotice, NewOwnerFields};
use crate::components::set_http_status;
use leptos::prelude::*;
use leptos_meta::Title;

/// In the page context when the server runs with `--sign-up open`.
#[derive(Clone, Copy, Debug)]
pub struct OpenSignUp;

/// Whether anyone may make an account.
pub fn sign_up_is_open() -> bool {
    use_context::<OpenSignUp>().is_some()
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    if !sign_up_is_open() {
        set_http_status(404);
        return view! {
            <Title text="Sign up" />
            <div class="auth">
                <h1>"Accounts by invite"</h1>
                <p>"To join, ask an owner of a collection for an invite link."</p>
                <p><a href="/sign-in">"Sign in"</a> " if you have an account."</p>
            </div>
        }
        .into_any();
    }
    let feedback = AuthFeedback::current();
    view! {
        <Title text="Sign up" />
        <div class="auth">
            <h1>"Create an account"</h1>
            <p>"Your account starts with a collection of your own; invite others to it when you like."</p>
            <AuthNotice notice=feedback.notice.clone() />
            <form class="auth__form" method="post" action="/sign-up">
                <NewOwnerFields email_label="Email" />
                <div class="form__actions">
                    <button class="button button--primary" type="submit">"Create account"</button>
                </div>
            </form>
            <p class="auth__aside">"Have an account? " <a href="/sign-in">"Sign in"</a> "."</p>
        </div>
    }
    .into_any()
}
