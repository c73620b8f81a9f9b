//! `/members`: who is in the collection; owners invite, change roles and remove members here.
//! Plain forms; the server answers with this page again (a new invite link shown once).

use crate::components::{collection_form_action, collection_href, Viewer};
use crate::server_fns::{members_summary, CollectionMembers};
use domain::accounts::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the page shows after one of its posts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersFeedback {
    /// An invite link just made, shown this once.
    pub new_invite: Option<String>,
    pub notice: Option<String>,
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let feedback = use_context::<MembersFeedback>().unwrap_or_default();
    let collection = Viewer::current().collection_id();
    let summary = members_summary(collection);
    // A collection's path holds only characters a query may hold as they are.
    let sign_in = format!("/sign-in?next={}", collection_href("/members"));
    view! {
        <Title text="Members" />
        <h1>"Members"</h1>
        {Suspend::new(async move {
            match summary.await {
                Ok(Some(summary)) => view! { <Members summary feedback /> }.into_any(),
                Ok(None) => view! { <p><a href=sign_in>"Sign in"</a> " to see the members."</p> }.into_any(),
                Err(error) => view! { <super::LoadError error /> }.into_any(),
            }
        })}
    }
}

fn role_options(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .rev()
        .map(|role| view! { <option value=role.as_str() selected=role == selected>{role.as_str()}</option> })
        .collect_view()
}

#[component]
fn Members(summary: CollectionMembers, feedback: MembersFeedback) -> impl IntoView {
    let owner = summary.role == Role::Owner;
    let notice = feedback.notice.map(|notice| {
        view! { <div class="notice notice--error" role="alert"><p>{notice}</p></div> }
    });
    let new_invite = feedback.new_invite.map(|link| {
        view! {
            <div class="notice" role="status">
                <p>"Send this invite link to the person you invite. It works once, for 7 days, and is not shown again."</p>
                <p><code class="token">{link}</code></p>
            </div>
        }
    });
    let me = summary.me.clone();
    let rows = summary
        .members
        .into_iter()
        .map(|(id, email, role)| {
            let you = id == me;
            let controls = owner.then(|| {
                let role_action = collection_form_action(&format!("/members/{id}/role"));
                let remove_action = collection_form_action(&format!("/members/{id}/remove"));
                view! {
                    <form method="post" action=role_action class="account__inline">
                        <label class="visually-hidden" for=format!("role-{id}")>"Role"</label>
                        <select id=format!("role-{id}") name="role">{role_options(role)}</select>
                        <button class="button button--quiet" type="submit">"Change"</button>
                    </form>
                    <form method="post" action=remove_action>
                        <button class="button button--quiet" type="submit">"Remove"</button>
                    </form>
                }
            });
            view! {
                <li class="account__row">
                    <span><strong>{email}</strong>{you.then_some(" (you)")}<br /><small>{role.as_str()}</small></span>
                    {controls}
                </li>
            }
        })
        .collect_view();
    let invites = summary
        .invites
        .into_iter()
        .map(|(id, role, expires)| {
            let action = collection_form_action(&format!("/members/invites/{id}/revoke"));
            view! {
                <li class="account__row">
                    <span>"Invite as " {role.as_str()} <br /><small>"expires " {expires.human_date()}</small></span>
                    <form method="post" action=action>
                        <button class="button button--quiet" type="submit">"Revoke"</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        {notice}
        <ul class="account__list">{rows}</ul>
        {owner.then(|| view! {
            <section class="account__section" aria-labelledby="invite-heading">
                <h2 id="invite-heading">"Invite someone"</h2>
                {new_invite}
                <ul class="account__list">{invites}</ul>
                <form method="post" action=collection_form_action("/members/invites") class="account__inline">
                    <label for="invite-role">"As"</label>
                    <select id="invite-role" name="role">{role_options(Role::Editor)}</select>
                    <button class="button button--primary" type="submit">"Make an invite link"</button>
                </form>
            </section>
        })}
    }
}
