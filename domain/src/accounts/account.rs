//! A signed-in user as every request sees them.

use super::{Action, CollectionId, Email, Membership, Role, UserId};
use serde::{Deserialize, Serialize};

/// Most collections one user may belong to, and most members one collection may have: bounds
/// what a session lookup reads and what one membership change writes.
pub const MAX_MEMBERSHIPS: usize = 50;

/// Who a user is and where they belong: what a session or token lookup returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: UserId,
    pub email: Email,
    /// Sorted by collection name.
    pub memberships: Vec<Membership>,
}

impl Account {
    pub fn role_in(&self, collection: &CollectionId) -> Option<Role> {
        self.memberships
            .iter()
            .find(|membership| membership.collection.id == *collection)
            .map(|membership| membership.role)
    }

    pub fn may(&self, action: Action, collection: &CollectionId) -> bool {
        self.role_in(collection)
            .is_some_and(|role| role.allows(action))
    }
}
