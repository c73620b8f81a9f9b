//! `/join?token=…`: an invite. Signed in, one button joins; otherwise sign up here, or sign in
//! first and come back.

use super::auth_form::{AuthFeedback, AuthField, AuthNotice};
use crate::components::Viewer;
use crate::server_fns::invite_summary;
use domain::accounts::PASSWORD_MIN_CHARS;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn JoinPage() -> impl IntoView {
    let feedback = AuthFeedback::current();
    let token = use_query_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    let invite = invite_summary(token.clone());
    let signed_in = Viewer::current().email;
    view! {
        <Title text="Join" />
        <div class="auth">
            {Suspend::new(async move {
                match invite.await {
                    Ok(Some((collection, role))) => view! {
                        <Invite token collection role=role.as_str() signed_in feedback />
                    }
                    .into_any(),
                    _ => {
                        crate::components::set_http_status(404);
                        view! {
                            <h1>"This invite does not work"</h1>
                            <p>"It was used already, revoked, or it expired. Ask for a new one."</p>
                        }
                        .into_any()
                    }
                }
            })}
        </div>
    }
}

#[component]
fn Invite(
    token: String,
    collection: String,
    role: &'static str,
    signed_in: Option<String>,
    feedback: AuthFeedback,
) -> impl IntoView {
    // A token is base64url: nothing in it needs escaping in a query.
    let join = crate::components::form_action(&format!("/join?token={token}"));
    let sign_up = format!("/join/sign-up?token={token}");
    let next = format!("/join?token={token}");
    let sign_in = format!(
        "/sign-in?next={}",
        next.replace('%', "%25")
            .replace('?', "%3F")
            .replace('=', "%3D")
            .replace('&', "%26")
    );
    let error = |field: &str| feedback.errors.get(field).cloned();
    view! {
        <h1>"Join “" {collection} "”"</h1>
        <p>"You are invited as " <strong>{role}</strong> "."</p>
        <AuthNotice notice=feedback.notice.clone() />
        {match signed_in {
            Some(email) => view! {
                <form method="post" action=join>
                    <p>"Signed in as " {email} "."</p>
                    <button class="button button--primary" type="submit">"Join"</button>
                </form>
            }
            .into_any(),
            None => view! {
                <p>"Have an account? " <a href=sign_in>"Sign in first"</a> "."</p>
                <h2>"Or make one"</h2>
                <form class="auth__form" method="post" action=sign_up>
                    <AuthField id="email" label="Email" kind="email" autocomplete="username"
                        value=feedback.email.clone() error=error("email") />
                    <AuthField id="password" label="Password" kind="password" autocomplete="new-password"
                        hint=format!("At least {PASSWORD_MIN_CHARS} characters; a few words make a good one.")
                        error=error("password") />
                    <button class="button button--primary" type="submit">"Make account and join"</button>
                </form>
            }
            .into_any(),
        }}
    }
}
