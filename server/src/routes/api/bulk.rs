//! `POST /api/items/bulk`: move, tag, untag or delete many items at once: the ones named, or
//! every item a list query shows.

use super::access::Editing;
use super::error::{ApiError, ErrorBody};
use super::json_body::{JsonObject, ObjectReader};
use axum::extract::State;
use axum::Json;
use domain::list_query::{ListQuery, ListQueryError};
use domain::location_store::SharedLocationStore;
use domain::model::LocationId;
use domain::organise::{self, BulkAction, BulkError, ChangeReport, Picked, RetagError};
use domain::photos::Photos;
use utoipa::ToSchema;

/// Body of `POST /api/items/bulk`: which items (`items` or `matching`, one of them), and what
/// to do to each (`action`, with `to` for `move` and the tags for `tag`). Other fields are
/// refused (422).
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkChangeBody {
    /// The items, 1 to 1000, each as `{id}.{version}`: the version it was seen at, so an item
    /// changed since is reported in `failed` rather than changed; a bare `{id}` changes the
    /// item as it is now.
    #[schema(min_items = 1, max_items = 1000, pattern = r"^[^.]+(\.[0-9]+)?$")]
    items: Option<Vec<String>>,
    /// Every item `GET /api/items` with these parameters lists (at most 1000; more is
    /// refused), each changed from the version read just before.
    matching: Option<MatchingBody>,
    action: BulkActionName,
    /// For `move`: the location's id, or `null` for none (required).
    #[schema(value_type = Option<String>, format = Uuid)]
    to: Option<Option<String>>,
    /// For `tag`: tags to add.
    #[schema(max_items = 20)]
    add_tags: Option<Vec<String>>,
    /// For `tag`: tags to take away (compared ignoring case, accents and punctuation), any
    /// number of them.
    remove_tags: Option<Vec<String>>,
}

/// The list query whose items a bulk change reaches, as `GET /api/items` takes it.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchingBody {
    /// A search.
    #[schema(max_length = 200)]
    q: Option<String>,
    /// Tags every item has.
    #[schema(max_items = 10)]
    tag: Option<Vec<String>>,
    /// A location's id: items in it or anywhere inside it. Blank: everywhere, as in
    /// `GET /api/items` (whose `in` a form may send empty).
    #[schema(rename = "in")]
    #[serde(rename = "in")]
    within: Option<String>,
}

/// What a bulk change does to each item.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BulkActionName {
    /// File it in `to`.
    Move,
    /// Add `add_tags`, take away `remove_tags`.
    Tag,
    /// Delete it and its photos.
    Delete,
}

impl BulkChangeBody {
    const FIELDS: &'static [&'static str] = &[
        "items",
        "matching",
        "action",
        "to",
        "add_tags",
        "remove_tags",
    ];

    /// The body's fields, each of its type (`None` where it is not, or without an action);
    /// what they mean together is [`BulkChangeBody::selection`]'s and
    /// [`BulkChangeBody::action`]'s to say.
    fn read(reader: &mut ObjectReader) -> Option<Self> {
        let matching = reader
            .optional_object("matching", MatchingBody::FIELDS)
            .map(|mut nested| {
                let matching = MatchingBody {
                    q: nested.optional_string("q"),
                    tag: nested.optional_strings("tag"),
                    within: nested.optional_string("in"),
                };
                reader.merge("matching", nested);
                matching
            });
        let action = reader.required_string("action").and_then(|raw| {
            let action = BulkActionName::parse(&raw);
            if action.is_none() {
                reader.fail("action", "must be `move`, `tag` or `delete`");
            }
            action
        });
        let (items, to) = (
            reader.optional_strings("items"),
            reader.nullable_string("to"),
        );
        let add_tags = reader.optional_strings("add_tags");
        let remove_tags = reader.optional_strings("remove_tags");
        action.map(|action| Self {
            items,
            matching,
            action,
            to,
            add_tags,
            remove_tags,
        })
    }
}

impl MatchingBody {
    const FIELDS: &'static [&'static str] = &["q", "tag", "in"];
}

impl BulkActionName {
    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "move" => Some(Self::Move),
            "tag" => Some(Self::Tag),
            "delete" => Some(Self::Delete),
            _ => None,
        }
    }
}

/// Which items, before they are looked up.
enum Selection {
    Picked(Vec<Picked>),
    Matching(ListQuery),
}

/// Change many items at once. Each item is changed with its own conditional write; the answer
/// says how many changed and lists those that could not be (changed since they were seen,
/// deleted meanwhile), so nothing is silently lost.
#[utoipa::path(post, path = "/api/items/bulk", tag = "items", request_body = BulkChangeBody,
    responses(
        (status = 200, description = "What was changed, and what could not be", body = ChangeReport),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid or unknown fields, nothing or more than 1000 items selected, no such location", body = ErrorBody),
    ))]
pub async fn change(
    Editing(permit): Editing,
    State(locations): State<SharedLocationStore>,
    State(photos): State<Photos>,
    JsonObject(body): JsonObject,
) -> Result<Json<ChangeReport>, ApiError> {
    let mut reader = ObjectReader::new(body, BulkChangeBody::FIELDS);
    let parsed = BulkChangeBody::read(&mut reader).and_then(|body| {
        let selection = body.selection(&mut reader);
        selection.zip(body.action(&mut reader))
    });
    let (selection, action) = reader.finish(parsed)?;
    let report = match selection {
        Selection::Picked(picked) => {
            organise::change_picked(&photos, &*locations, &permit, &picked, &action).await
        }
        Selection::Matching(query) => {
            let filter = query
                .filter(&*locations, &permit.read())
                .await
                .map_err(matching_refused)?;
            let filter = filter.as_ref();
            organise::change_matching(&photos, &*locations, &permit, filter, &action).await
        }
    }
    .map_err(refused)?;
    Ok(Json(report))
}

impl BulkChangeBody {
    /// `items` or `matching`, exactly one.
    fn selection(&self, reader: &mut ObjectReader) -> Option<Selection> {
        match (&self.items, &self.matching) {
            (Some(_), Some(_)) => {
                reader.fail("matching", "give `items` or `matching`, not both");
                None
            }
            (None, None) => {
                reader.fail("items", "is required (or `matching`)");
                None
            }
            (Some(items), None) => {
                let picked: Result<Vec<Picked>, String> =
                    items.iter().map(|raw| Picked::parse(raw)).collect();
                picked
                    .map(Selection::Picked)
                    .map_err(|problem| reader.fail("items", problem))
                    .ok()
            }
            (None, Some(matching)) => Some(Selection::Matching(ListQuery {
                search: matching.q.clone(),
                tags: matching.tag.clone().unwrap_or_default(),
                within: matching.within.clone(),
            })),
        }
    }

    /// What `action` does, with the fields it needs; fields of another action are refused.
    fn action(&self, reader: &mut ObjectReader) -> Option<BulkAction> {
        let action = &self.action;
        let given = |field: &str, present: bool| present.then(|| field.to_owned());
        let foreign = match action {
            BulkActionName::Move => [
                given("add_tags", self.add_tags.is_some()),
                given("remove_tags", self.remove_tags.is_some()),
            ],
            BulkActionName::Tag => [given("to", self.to.is_some()), None],
            BulkActionName::Delete => [
                given("to", self.to.is_some()),
                given(
                    "add_tags",
                    self.add_tags.is_some() || self.remove_tags.is_some(),
                ),
            ],
        };
        for field in foreign.into_iter().flatten() {
            reader.fail(&field, "is not for this action");
        }
        match action {
            BulkActionName::Move => match &self.to {
                None => {
                    reader.fail("to", "is required to move (null: out of any location)");
                    None
                }
                Some(None) => Some(BulkAction::MoveTo(None)),
                Some(Some(raw)) => LocationId::parse(raw)
                    .map(|id| BulkAction::MoveTo(Some(id)))
                    .map_err(|_| reader.fail("to", "is not a location of this collection"))
                    .ok(),
            },
            BulkActionName::Tag => {
                let add = self.add_tags.iter().flatten().map(String::as_str);
                let remove = self.remove_tags.iter().flatten().map(String::as_str);
                BulkAction::retag(add, remove)
                    .map_err(|error| match error {
                        RetagError::Add(problem) => reader.fail("add_tags", problem),
                        RetagError::Remove(problem) => reader.fail("remove_tags", problem),
                    })
                    .ok()
            }
            BulkActionName::Delete => Some(BulkAction::Delete),
        }
    }
}

/// A `matching` that asks for nothing showable: its field named under `matching`.
fn matching_refused(error: ListQueryError) -> ApiError {
    match error {
        ListQueryError::Refused { parameter, problem } => {
            ApiError::invalid_fields([(format!("matching.{parameter}"), problem)].into())
        }
        ListQueryError::Store(error) => error.into(),
    }
}

/// A bulk change refused as a whole: the field at fault named (422).
fn refused(error: BulkError) -> ApiError {
    let message = error.to_string();
    let field = match error {
        BulkError::NothingPicked | BulkError::TooMany => "items",
        BulkError::NoSuchLocation => "to",
        BulkError::NoTags => "add_tags",
        BulkError::Store(error) => return error.into(),
    };
    ApiError::invalid_fields([(field.to_owned(), message)].into())
}
