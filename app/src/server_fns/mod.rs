//! Server functions: what the pages' islands call. Their bodies run only on the server.

mod account;
mod bulk;
mod items;
mod locations;
mod members;
mod photos;
mod visitor;

pub use account::*;
pub use bulk::*;
pub use items::*;
pub use locations::*;
pub use members::*;
pub use photos::*;
pub use visitor::*;

use leptos::prelude::ServerFnError;

/// The message of a failed server function call, in the user's words: what the server said,
/// without the framework's prefixes, or that it could not be reached.
pub fn user_message(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => message.clone(),
        _ => "The server could not be reached. Check your connection.".to_owned(),
    }
}

/// Counts upload grants against the limit of a request's client: the server's rate limiter
/// puts this in the extensions of a request for several photos' upload URLs instead of counting
/// the request, so that each photo is counted, all of them or none (`Err`: how long until the
/// client's next window).
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct GrantAllowance(
    pub std::sync::Arc<dyn Fn(u32) -> Result<(), std::time::Duration> + Send + Sync>,
);

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use domain::access::{Denied, Edit, Gate, Manage, Permit, Read, Visitor};
    use domain::accounts::CollectionId;
    use domain::item_store::{SharedItemStore, StoreError};
    use domain::model::{ItemId, PhotoId};
    use domain::photo_store::PhotoStoreError;
    use domain::photos::{PhotoError, Photos, Signer};
    use leptos::prelude::*;

    pub fn store() -> Result<SharedItemStore, ServerFnError> {
        use_context::<SharedItemStore>()
            .ok_or_else(|| ServerFnError::new("the item store is not configured"))
    }

    pub fn locations() -> Result<domain::location_store::SharedLocationStore, ServerFnError> {
        use_context::<domain::location_store::SharedLocationStore>()
            .ok_or_else(|| ServerFnError::new("the location store is not configured"))
    }

    /// Who sent this request: what the server's authentication layer found, put in the
    /// request's extensions (anonymous if it found nothing).
    pub fn visitor() -> Visitor {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Visitor>().cloned())
            .unwrap_or(Visitor::Anonymous)
    }

    pub fn accounts() -> Result<domain::accounts::Accounts, ServerFnError> {
        use_context::<domain::accounts::Accounts>()
            .ok_or_else(|| ServerFnError::new("accounts are not configured"))
    }

    pub fn gate() -> Result<Gate, ServerFnError> {
        use_context::<Gate>().ok_or_else(|| ServerFnError::new("the gate is not configured"))
    }

    /// The gate's answer in the collection the page names (its viewer's, see
    /// [`crate::components::Viewer::collection_id`]) or the visitor's default one, as a server
    /// function error (with the status the API would answer) when it is no.
    fn permit<A>(
        collection: Option<&str>,
        decide: impl FnOnce(&Gate, &Visitor, Option<&CollectionId>) -> Result<Permit<A>, Denied>,
    ) -> Result<Permit<A>, ServerFnError> {
        let gate = gate()?;
        collection
            .map(|raw| CollectionId::parse(raw).map_err(|_| Denied::NotFound))
            .transpose()
            .and_then(|named| decide(&gate, &visitor(), named.as_ref()))
            .map_err(|denied| {
                let (status, message) = match denied {
                    Denied::SignInNeeded => (http::StatusCode::UNAUTHORIZED, "Sign in first."),
                    Denied::Forbidden => (
                        http::StatusCode::FORBIDDEN,
                        "Your role in this collection does not allow this.",
                    ),
                    Denied::NotFound => {
                        (http::StatusCode::NOT_FOUND, "There is no such collection.")
                    }
                };
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(status);
                }
                ServerFnError::new(message)
            })
    }

    pub fn read_permit(collection: Option<&str>) -> Result<Permit<Read>, ServerFnError> {
        permit(collection, Gate::read_in)
    }

    pub fn edit_permit(collection: Option<&str>) -> Result<Permit<Edit>, ServerFnError> {
        permit(collection, Gate::edit_in)
    }

    pub fn manage_permit(collection: Option<&str>) -> Result<Permit<Manage>, ServerFnError> {
        permit(collection, Gate::manage_in)
    }

    pub fn item_id(raw: &str) -> Result<ItemId, ServerFnError> {
        ItemId::parse(raw).map_err(|_| ServerFnError::new("This item no longer exists."))
    }

    pub fn photo_id(raw: &str) -> Result<PhotoId, ServerFnError> {
        PhotoId::parse(raw).map_err(|_| ServerFnError::new("This photo was already removed."))
    }

    /// What signs list cursors (the server's one secret, as for uploads).
    pub fn signer() -> Result<Signer, ServerFnError> {
        use_context::<Signer>().ok_or_else(|| ServerFnError::new("the signer is not configured"))
    }

    pub fn photos() -> Result<Photos, ServerFnError> {
        use_context::<Photos>()
            .ok_or_else(|| ServerFnError::new("the photo store is not configured"))
    }

    /// A photo operation's failure as one photo's outcome among several.
    pub fn photo_message(error: PhotoError) -> String {
        super::user_message(&photo_error(error))
    }

    /// Counts `grants` upload grants against the client's limit, or refuses them all with a
    /// 429.
    pub fn count_grants(grants: usize) -> Result<(), ServerFnError> {
        let allowance = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<super::GrantAllowance>().cloned())
            .ok_or_else(|| ServerFnError::new("the upload rate limit is not configured"))?;
        let grants = u32::try_from(grants).unwrap_or(u32::MAX);
        (allowance.0)(grants).map_err(|wait| {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::TOO_MANY_REQUESTS);
                response.insert_header(http::header::RETRY_AFTER, seconds.max(1).into());
            }
            ServerFnError::new(format!(
                "Too many photos were sent from here lately; try again in {} minutes.",
                seconds.div_ceil(60).max(1)
            ))
        })
    }

    /// A photo operation's failure in words for the person using the page.
    pub fn photo_error(error: PhotoError) -> ServerFnError {
        let message = match error {
            PhotoError::ItemNotFound => "This item no longer exists.".to_owned(),
            PhotoError::PhotoNotFound => "This photo was already removed.".to_owned(),
            PhotoError::VersionConflict { .. } => {
                "The item was changed meanwhile; reload the page and try again.".to_owned()
            }
            PhotoError::TooManyPhotos { max } => {
                format!("An item can have at most {max} photos.")
            }
            PhotoError::TooManyPending { max, retry_after } => format!(
                "{max} photos of this item are still uploading; try again in {} minutes.",
                retry_after.as_secs().div_ceil(60).max(1)
            ),
            PhotoError::TooLarge { max, .. } => {
                format!(
                    "The photo is too large to upload (the limit is {} MB).",
                    max / 1_000_000
                )
            }
            PhotoError::UnsupportedType { .. } | PhotoError::Invalid(_) => {
                tracing::warn!(error = ?error, "photo refused");
                "The photo could not be accepted; try picking it again.".to_owned()
            }
            PhotoError::Store(store) => return internal(store),
            PhotoError::Files(PhotoStoreError::OutOfSpace { .. }) => {
                tracing::warn!(error = ?error, "photo refused: disk space floor reached");
                "The server has no room for more photos right now.".to_owned()
            }
            PhotoError::Files(files) => {
                tracing::error!(error = %files, source = ?std::error::Error::source(&files), "photo store call failed");
                "The photo could not be stored right now; please try again.".to_owned()
            }
        };
        ServerFnError::new(message)
    }

    /// The filter of a list's query as the server functions take it (`tags` separated by
    /// commas: a tag has none); one that asks for nothing showable is refused with the reason
    /// the page shows (a 400).
    pub async fn list_filter(
        permit: &Permit<Read>,
        search: Option<String>,
        tags: Option<String>,
        within: Option<String>,
    ) -> Result<Option<domain::item_filter::ItemFilter>, ServerFnError> {
        use domain::list_query::{ListQuery, ListQueryError};
        let asked = ListQuery {
            search,
            tags: tags
                .unwrap_or_default()
                .split(',')
                .map(str::to_owned)
                .collect(),
            within,
        };
        asked
            .filter(&*locations()?, permit)
            .await
            .map_err(|error| match error {
                ListQueryError::Store(error) => internal(error),
                refused => ServerFnError::Args(refused.to_string()),
            })
    }

    /// Logs the details and tells the browser only that it failed.
    pub fn internal(error: StoreError) -> ServerFnError {
        tracing::error!(error = %error, source = ?std::error::Error::source(&error), "store call failed");
        match error {
            StoreError::Unavailable(_) => {
                ServerFnError::new("The server is busy; please try again in a moment.")
            }
            _ => ServerFnError::new("Something went wrong on the server; please try again."),
        }
    }
}
