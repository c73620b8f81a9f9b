//! What a change to many items reports back: how many, and the items it could not change,
//! each a link to open it.

use super::collection_href;
use domain::organise::{ChangeReport, ItemFailure};
use leptos::prelude::*;

/// "1 item", "3 items".
pub fn item_count(n: u64) -> String {
    match n {
        1 => "1 item".to_owned(),
        n => format!("{n} items"),
    }
}

/// The items a change could not make, each with why.
#[component]
pub fn FailedItems(failures: Vec<ItemFailure>) -> impl IntoView {
    view! {
        <ul>
            {failures
                .into_iter()
                .map(|failure| {
                    // An item that no longer exists has no name to show nor page to open.
                    if failure.name.is_empty() {
                        return view! { <li>"An item — " {failure.reason}</li> }.into_any();
                    }
                    let href = collection_href(&format!("/items/{}", failure.id));
                    view! { <li><a href=href>{failure.name}</a> " — " {failure.reason}</li> }
                        .into_any()
                })
                .collect_view()}
        </ul>
    }
}

/// What a change to many items did: `headline`, then how many needed nothing and, after
/// `failed_intro`, the items it could not change (an error notice when there are any).
#[component]
pub fn ChangeNotice(
    headline: String,
    report: ChangeReport,
    failed_intro: String,
    /// Anything more to say (what to do next).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let unchanged = (report.unchanged > 0).then(|| {
        view! { <p>{format!("{} needed no change.", item_count(report.unchanged as u64))}</p> }
    });
    let failed = (!report.failed.is_empty()).then(|| {
        view! {
            <p>{failed_intro}</p>
            <FailedItems failures=report.failed />
        }
    });
    let class = if failed.is_some() {
        "notice notice--error"
    } else {
        "notice"
    };
    view! {
        <div class=class role="status">
            <p>{headline}</p>
            {unchanged}
            {children.map(|children| children())}
            {failed}
        </div>
    }
}
