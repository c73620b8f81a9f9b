//! `/set-password?token=…`: the one-time link an owner or the operator hands out, to reset a
//! forgotten password or set the first one of an account made on the command line. The token
//! is in the query, which the request log leaves out (it logs paths).

use super::auth_form::{AuthFeedback, AuthField, AuthNotice};
use crate::server_fns::password_link_email;
use domain::accounts::PASSWORD_MIN_CHARS;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let feedback = AuthFeedback::current();
    let token = use_query_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    let email = password_link_email(token.clone());
    // A token is base64url: nothing in it needs escaping in a query.
    let action = format!("/set-password?token={token}");
    view! {
        <Title text="Set your password" />
        <div class="auth">
            <h1>"Set your password"</h1>
            {Suspend::new(async move {
                match email.await {
                    Ok(Some(email)) => view! {
                        <p>"For " <strong>{email}</strong> "."</p>
                        <AuthNotice notice=feedback.notice.clone() />
                        <form class="auth__form" method="post" action=action>
                            <AuthField id="password" label="New password" kind="password"
                                autocomplete="new-password"
                                hint=format!("At least {PASSWORD_MIN_CHARS} characters; a few words make a good one.")
                                error=feedback.errors.get("password").cloned() />
                            <div class="form__actions">
                                <button class="button button--primary" type="submit">
                                    "Set password and sign in"
                                </button>
                            </div>
                        </form>
                    }
                    .into_any(),
                    _ => {
                        crate::components::set_http_status(404);
                        view! {
                            <div class="notice notice--error" role="alert">
                                <p>
                                    "This link does not work: it was used already, or it expired. "
                                    "Ask for a new one."
                                </p>
                            </div>
                        }
                        .into_any()
                    }
                }
            })}
        </div>
    }
}
