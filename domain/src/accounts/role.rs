//! What a member of a collection may do.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A member's role in one collection. Each role can do everything the ones below it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Reads items and photos.
    Viewer,
    /// Also creates, edits and deletes items and their photos.
    Editor,
    /// Also manages members, invites and the collection's settings, and may delete it.
    Owner,
}

/// Something a request wants to do in a collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// List, search and view items and their photos.
    Read,
    /// Create, edit and delete items; upload, attach, remove and reorder photos.
    Edit,
    /// Invite, change roles, remove members, rename the collection.
    Manage,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Owner];

    /// The least role that may do `action`.
    pub fn needed_for(action: Action) -> Self {
        match action {
            Action::Read => Role::Viewer,
            Action::Edit => Role::Editor,
            Action::Manage => Role::Owner,
        }
    }

    pub fn allows(self, action: Action) -> bool {
        self >= Self::needed_for(action)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == raw.trim())
            .ok_or_else(|| "Role must be owner, editor or viewer.".to_owned())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_allows_exactly_its_actions() {
        let table = [
            (Role::Viewer, [true, false, false]),
            (Role::Editor, [true, true, false]),
            (Role::Owner, [true, true, true]),
        ];
        for (role, allowed) in table {
            let actions = [Action::Read, Action::Edit, Action::Manage];
            for (action, expected) in actions.into_iter().zip(allowed) {
                assert_eq!(role.allows(action), expected, "{role} {action:?}");
            }
        }
    }

    #[test]
    fn roles_parse_from_their_names_only() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        for bad in ["", "admin", "Owner", "own"] {
            assert!(Role::parse(bad).is_err(), "{bad}");
        }
    }
}
