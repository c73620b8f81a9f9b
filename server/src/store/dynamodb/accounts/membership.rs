//! The writes of one membership change, kept on both sides: the member record under the
//! collection and the entry in the user's `roles` map, plus the collection's `members` and
//! `owners` counts, whose conditions enforce the last owner and [`MAX_MEMBERSHIPS`].

use super::super::expression::Expression;
use super::codec;
use super::keys;
use super::transaction::{Why, Writes};
use crate::store::dynamodb::record::n;
use domain::accounts::{AccountStoreError, Collection, Role, User, UserId, MAX_MEMBERSHIPS};

/// A change from `current` to `new` (`None`: not a member).
pub struct Change {
    pub collection: Collection,
    pub user: User,
    pub current: Option<Role>,
    pub new: Option<Role>,
}

fn is_owner(role: Option<Role>) -> i64 {
    i64::from(role == Some(Role::Owner))
}

pub fn writes(writes: &mut Writes<'_>, change: &Change) -> Result<(), AccountStoreError> {
    let collection_id = &change.collection.id;
    let member = keys::member(collection_id, &change.user.id);
    // The member record, conditional on what was read: a concurrent change means read again.
    match (change.current, change.new) {
        (None, Some(role)) => writes.put(
            codec::member_record(collection_id, &change.user, role),
            Some("attribute_not_exists(#pk)"),
            Expression::new(),
            Why::Changed,
        )?,
        (Some(current), Some(role)) => writes.update(
            member,
            "SET #role = :role",
            "#role = :current",
            Expression::new()
                .name("#role", keys::ROLE)
                .value(":role", codec::s_role(role))
                .value(":current", codec::s_role(current)),
            Why::Changed,
        )?,
        (Some(current), None) => writes.delete(
            member,
            "#role = :current",
            Expression::new()
                .name("#role", keys::ROLE)
                .value(":current", codec::s_role(current)),
            Why::Changed,
        )?,
        (None, None) => return Ok(()),
    }
    match change.new {
        Some(role) => add_to_user(
            writes,
            &change.collection,
            &change.user.id,
            role,
            change.current.is_none(),
        )?,
        None => writes.update(
            keys::user(&change.user.id),
            "REMOVE #roles.#collection",
            "attribute_exists(#pk)",
            Expression::new()
                .name("#roles", keys::ROLES)
                .name("#collection", &collection_id.to_string()),
            Why::NotFound,
        )?,
    }
    let members = i64::from(change.new.is_some()) - i64::from(change.current.is_some());
    let owners = is_owner(change.new) - is_owner(change.current);
    if members == 0 && owners == 0 {
        return Ok(());
    }
    let mut condition = "attribute_exists(#pk)".to_owned();
    let why = if owners < 0 {
        condition.push_str(" AND #owners > :one");
        Why::LastOwner
    } else if members > 0 {
        condition.push_str(" AND #members < :max");
        Why::TooManyMembers
    } else {
        Why::NotFound
    };
    writes.update(
        keys::collection(collection_id),
        "ADD #members :members, #owners :owners",
        &condition,
        Expression::new()
            .name("#members", keys::MEMBERS)
            .name("#owners", keys::OWNERS)
            .value(":members", n(members))
            .value(":owners", n(owners))
            .value(":max", n(MAX_MEMBERSHIPS)),
        why,
    )
}

/// The entry in the user's `roles` map; a new membership must keep the user within
/// [`MAX_MEMBERSHIPS`] collections.
pub fn add_to_user(
    writes: &mut Writes<'_>,
    collection: &Collection,
    user: &UserId,
    role: Role,
    new: bool,
) -> Result<(), AccountStoreError> {
    let condition = if new {
        "attribute_exists(#pk) AND size(#roles) < :max"
    } else {
        "attribute_exists(#pk)"
    };
    writes.update(
        keys::user(user),
        "SET #roles.#collection = :membership",
        condition,
        Expression::new()
            .name("#roles", keys::ROLES)
            .name("#collection", &collection.id.to_string())
            .value(":membership", codec::membership(collection, role))
            .value(":max", n(MAX_MEMBERSHIPS)),
        if new {
            Why::TooManyMembers
        } else {
            Why::NotFound
        },
    )
}
