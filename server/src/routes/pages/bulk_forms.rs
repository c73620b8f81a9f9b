//! `POST /bulk`: the bulk-change page's form. The page comes back saying what changed (and
//! what could not, each item by name), or, refused as a whole, with the form and the reason.

use super::access::FormEditing;
use super::{log_store_error, render_page};
use crate::state::AppState;
use app::pages::{BulkAsk, BulkChoice, BulkFeedback};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::location_tree::LocationTree;
use domain::model::LocationId;
use domain::organise::{self, BulkAction, BulkError, Picked};

/// A change asked for, or why it cannot be made.
type Asked = Result<(BulkAction, String), String>;

pub async fn change(
    State(state): State<AppState>,
    FormEditing {
        permit,
        visitor,
        named,
    }: FormEditing,
    body: Bytes,
) -> Response {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let asked = BulkAsk::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let page = named.path("/bulk");
    let refuse = |error: String, status: StatusCode| {
        let feedback = BulkFeedback {
            asked: Some(asked.clone()),
            done: None,
            error: Some(error),
        };
        render_page(&state, &page, visitor.clone(), feedback, status)
    };
    let picked: Result<Vec<Picked>, String> =
        asked.picks.iter().map(|raw| Picked::parse(raw)).collect();
    let picked = match picked {
        Ok(picked) => picked,
        Err(problem) => return refuse(problem, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let action = match asked.choice {
        None => Err("Choose what to do: move, tag, remove tags or delete.".to_owned()),
        Some(choice) => action(&state, &permit, choice, &pairs).await,
    };
    let (action, done) = match action {
        Ok(action) => action,
        Err(problem) => return refuse(problem, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let changed =
        organise::change_picked(&state.photos, &*state.locations, &permit, &picked, &action).await;
    match changed {
        Ok(report) => {
            let feedback = BulkFeedback {
                asked: Some(asked.clone()),
                done: Some((done, report)),
                error: None,
            };
            render_page(&state, &page, visitor.clone(), feedback, StatusCode::OK).await
        }
        Err(BulkError::Store(error)) => {
            log_store_error(&error);
            let message = "The items could not be changed right now; try again.".to_owned();
            refuse(message, StatusCode::SERVICE_UNAVAILABLE).await
        }
        Err(refused) => refuse(refused.to_string(), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

/// The change the form's fields ask for (`to`; `tags`, typed to add, separated by commas;
/// `remove`, each a tag ticked to take away), and how the page will say it was done.
async fn action(
    state: &AppState,
    permit: &domain::access::Permit<domain::access::Edit>,
    choice: BulkChoice,
    fields: &[(String, String)],
) -> Asked {
    let all = |name: &'static str| {
        fields
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    match choice {
        BulkChoice::Move => match all("to").next().unwrap_or_default().trim() {
            "" => Err("Choose where to move them.".into()),
            "none" => Ok((BulkAction::MoveTo(None), "Taken out of any location".into())),
            raw => {
                let gone = || "That location no longer exists; pick another.".to_owned();
                let id = LocationId::parse(raw).map_err(|_| gone())?;
                let locations =
                    state
                        .locations
                        .locations(&permit.read())
                        .await
                        .map_err(|error| {
                            log_store_error(&error);
                            "The locations could not be read right now; try again.".to_owned()
                        })?;
                let tree = LocationTree::new(locations);
                tree.get(&id).ok_or_else(gone)?;
                let done = format!("Moved to {}", tree.path_text(&id));
                Ok((BulkAction::MoveTo(Some(id)), done))
            }
        },
        BulkChoice::Tag => {
            let typed: Vec<&str> = all("tags")
                .flat_map(|list| list.split([',', '\n']))
                .filter(|tag| !tag.trim().is_empty())
                .collect();
            let action = BulkAction::retag(typed, []).map_err(|e| e.to_string())?;
            Ok((action.clone(), format!("Tagged “{}”", named(&action))))
        }
        BulkChoice::Untag => {
            let action = BulkAction::retag([], all("remove")).map_err(|e| e.to_string())?;
            Ok((action.clone(), format!("Took away “{}”", named(&action))))
        }
        BulkChoice::Delete => Ok((BulkAction::Delete, "Deleted".into())),
    }
}

/// The tags a retag adds or takes away, as the page says them: "garage, tools".
fn named(action: &BulkAction) -> String {
    let BulkAction::Retag { add, remove } = action else {
        return String::new();
    };
    let tags: Vec<&str> = add.iter().chain(remove).map(|tag| tag.as_str()).collect();
    tags.join(", ")
}
