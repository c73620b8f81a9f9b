//! `/account`: the signed-in user's password, where they are signed in, and their API tokens.
//! Every button is a plain form post; the server answers with this page again.

use super::auth_form::{AuthField, AuthNotice};
use crate::collection_path::in_collection;
use crate::components::form_action;
use crate::server_fns::{account_overview, AccountSummary, SessionView, TokenView};
use domain::accounts::PASSWORD_MIN_CHARS;
use domain::model::FieldErrors;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the page shows after one of its posts: a token just made (shown this once), what was
/// wrong with a form, or what happened.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFeedback {
    pub new_token: Option<String>,
    pub errors: FieldErrors,
    pub notice: Option<String>,
    /// The notice is good news.
    pub done: bool,
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let feedback = use_context::<AccountFeedback>().unwrap_or_default();
    let overview = account_overview();
    view! {
        <Title text="Your account" />
        <h1>"Your account"</h1>
        {Suspend::new(async move {
            match overview.await {
                Ok(Some(overview)) => view! { <Overview overview feedback /> }.into_any(),
                Ok(None) => view! {
                    <p>"Sign in to see your account." " " <a href="/sign-in?next=%2Faccount">"Sign in"</a></p>
                }
                .into_any(),
                Err(error) => view! { <super::LoadError error /> }.into_any(),
            }
        })}
    }
}

#[component]
fn Overview(overview: AccountSummary, feedback: AccountFeedback) -> impl IntoView {
    let error = |field: &str| feedback.errors.get(field).cloned();
    let collection_error = error("collection");
    let collection_invalid = collection_error.is_some();
    let notice = feedback.notice.clone().map(|notice| {
        let class = if feedback.done {
            "notice"
        } else {
            "notice notice--error"
        };
        view! { <div class=class role="status"><p>{notice}</p></div> }
    });
    let new_token = feedback.new_token.clone().map(|token| {
        view! {
            <div class="notice" role="status">
                <p>"Your new token. Copy it now: it is not shown again."</p>
                <p><code class="token">{token}</code></p>
            </div>
        }
    });
    let collections = overview.collections.clone();
    let memberships = overview
        .collections
        .iter()
        .map(|(id, name, role)| {
            let home = in_collection(Some(id), "/");
            let members = in_collection(Some(id), "/members");
            view! {
                <li class="account__row">
                    <span><a href=home rel="external"><strong>{name.clone()}</strong></a><br /><small>{role.as_str()}</small></span>
                    <a class="button button--quiet" href=members rel="external">"Members"</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="account__email">"Signed in as " <strong>{overview.email.clone()}</strong></p>
        {notice}
        <section class="account__section" aria-labelledby="collections-heading">
            <h2 id="collections-heading">"Your collections"</h2>
            <ul class="account__list">{memberships}</ul>
            <a class="button button--quiet" href="/collections/new">"New collection"</a>
        </section>
        <section class="account__section" aria-labelledby="password-heading">
            <h2 id="password-heading">"Password"</h2>
            <form method="post" action=form_action("/account/password") class="auth__form">
                <AuthField id="current" label="Current password" kind="password"
                    autocomplete="current-password" error=error("current") />
                <AuthField id="password" label="New password" kind="password"
                    autocomplete="new-password"
                    hint=format!("At least {PASSWORD_MIN_CHARS} characters. Your other sessions end.")
                    error=error("password") />
                <button class="button button--primary" type="submit">"Change password"</button>
            </form>
        </section>
        <section class="account__section" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Where you are signed in"</h2>
            <ul class="account__list">
                {overview.sessions.into_iter().map(|session| view! { <SessionRow session /> }).collect_view()}
            </ul>
            <form method="post" action=form_action("/account/sign-out-everywhere")>
                <button class="button" type="submit">"Sign out everywhere else"</button>
            </form>
        </section>
        <section class="account__section" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"API tokens"</h2>
            <p>
                "For scripts and other programs: send " <code>"Authorization: Bearer <token>"</code>
                ". A token works in one collection and never beyond your own role there."
            </p>
            {new_token}
            <ul class="account__list">
                {overview.tokens.into_iter().map(|token| view! { <TokenRow token /> }).collect_view()}
            </ul>
            <form method="post" action=form_action("/account/tokens") class="auth__form">
                <AuthField id="name" label="Token name" kind="text" autocomplete="off"
                    hint="What will use it, e.g. “backup script”.".to_owned() error=error("name") />
                <div class="field" class:field--invalid=collection_invalid>
                    <label for="collection">"Collection"</label>
                    <select
                        id="collection"
                        name="collection"
                        aria-invalid=collection_invalid.to_string()
                        aria-describedby="collection-error"
                    >
                        {collections.into_iter().map(|(id, name, _)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                    <p class="field__error" id="collection-error">{collection_error}</p>
                </div>
                <fieldset class="field">
                    <legend>"May"</legend>
                    <label><input type="radio" name="scope" value="read" checked=true />" read"</label>
                    " "
                    <label><input type="radio" name="scope" value="read_write" />" read and change"</label>
                </fieldset>
                <div class="field">
                    <label for="expires">"Expires"</label>
                    <select id="expires" name="expires_days">
                        <option value="30">"in 30 days"</option>
                        <option value="90" selected=true>"in 90 days"</option>
                        <option value="365">"in a year"</option>
                        <option value="0">"never"</option>
                    </select>
                </div>
                <button class="button button--primary" type="submit">"Create token"</button>
            </form>
        </section>
        <AuthNotice notice=None />
    }
}

#[component]
fn SessionRow(session: SessionView) -> impl IntoView {
    let action = form_action(&format!("/account/credentials/{}/revoke", session.id));
    view! {
        <li class="account__row">
            <span>
                <strong>{session.device}</strong>
                {session.current.then_some(" (this browser)")}
                <br />
                <small>
                    "signed in " {session.signed_in.human_date()} ", last used "
                    {session.last_used.human_date()}
                </small>
            </span>
            {(!session.current).then(|| view! {
                <form method="post" action=action>
                    <button class="button button--quiet" type="submit">"Sign out"</button>
                </form>
            })}
        </li>
    }
}

#[component]
fn TokenRow(token: TokenView) -> impl IntoView {
    let action = form_action(&format!("/account/credentials/{}/revoke", token.id));
    let expires = token.expires.map_or_else(
        || "never expires".to_owned(),
        |at| format!("expires {}", at.human_date()),
    );
    view! {
        <li class="account__row">
            <span>
                <strong>{token.name}</strong>
                " · " {token.collection} " · " {token.scope}
                <br />
                <small>
                    "made " {token.created.human_date()} ", last used "
                    {token.last_used.human_date()} ", " {expires}
                </small>
            </span>
            <form method="post" action=action>
                <button class="button button--quiet" type="submit">"Revoke"</button>
            </form>
        </li>
    }
}
