//! The one authorisation check: who may do what in which collection.
//!
//! Every entry point (pages, form posts, server functions, the REST API, upload grants and
//! attaches) asks the [`Gate`] for a [`Permit`] before it touches items, and the item store
//! takes nothing else: its methods need a `Permit<Read>` or a `Permit<Edit>`, whose fields are
//! private to this module, so no code path can reach an item without passing here. The
//! sweeper and `shelf migrate` are the two exceptions, and use the store's unscoped calls.

use crate::accounts::{Account, Action, CollectionId, CredentialId, Role, Scope};
use std::marker::PhantomData;

/// Reading a collection's items and photos.
#[derive(Clone, Copy, Debug)]
pub struct Read;
/// Changing them.
#[derive(Clone, Copy, Debug)]
pub struct Edit;
/// Managing the collection's members and settings.
#[derive(Clone, Copy, Debug)]
pub struct Manage;

/// Proof that the gate let a visitor do `A` in one collection.
#[derive(Clone, Copy, Debug)]
pub struct Permit<A> {
    collection: CollectionId,
    role: Role,
    action: PhantomData<A>,
}

impl<A> Permit<A> {
    pub fn collection(&self) -> &CollectionId {
        &self.collection
    }

    /// The visitor's effective role there (a token's scope already applied).
    pub fn role(&self) -> Role {
        self.role
    }

    /// Every permit allows reading.
    pub fn read(&self) -> Permit<Read> {
        Permit {
            collection: self.collection,
            role: self.role,
            action: PhantomData,
        }
    }
}

/// Who is asking.
#[derive(Clone, Debug)]
pub enum Visitor {
    /// No credentials, or ones that did not check out.
    Anonymous,
    /// Signed in with a session.
    Session {
        account: Account,
        session: CredentialId,
    },
    /// A program with an API token, which works in one collection.
    Token {
        account: Account,
        token: CredentialId,
        collection: CollectionId,
        scope: Scope,
    },
}

impl Visitor {
    pub fn account(&self) -> Option<&Account> {
        match self {
            Visitor::Anonymous => None,
            Visitor::Session { account, .. } | Visitor::Token { account, .. } => Some(account),
        }
    }
}

/// What visitors without credentials may do, in the one collection the operator named
/// (`--anonymous-access read|edit`): the old service's clients send none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnonymousAccess {
    pub collection: CollectionId,
    /// [`Role::Viewer`] for `read`, [`Role::Editor`] for `edit`.
    pub role: Role,
}

/// Why the gate said no; the HTTP layers map it (401 with `WWW-Authenticate` or a redirect to
/// sign in; 403; 404).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// Anonymous, and anonymous visitors may not: signing in might help.
    #[error("sign in first")]
    SignInNeeded,
    /// A member whose role does not allow it.
    #[error("your role in this collection does not allow this")]
    Forbidden,
    /// Not a member: the collection's existence is not confirmed.
    #[error("no such collection")]
    NotFound,
}

/// Decides every request. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Gate {
    anonymous: Option<AnonymousAccess>,
}

impl Gate {
    pub fn new(anonymous: Option<AnonymousAccess>) -> Self {
        Self { anonymous }
    }

    pub fn anonymous(&self) -> Option<AnonymousAccess> {
        self.anonymous
    }

    pub fn read(
        &self,
        visitor: &Visitor,
        collection: &CollectionId,
    ) -> Result<Permit<Read>, Denied> {
        self.permit(visitor, collection, Action::Read)
    }

    pub fn edit(
        &self,
        visitor: &Visitor,
        collection: &CollectionId,
    ) -> Result<Permit<Edit>, Denied> {
        self.permit(visitor, collection, Action::Edit)
    }

    pub fn manage(
        &self,
        visitor: &Visitor,
        collection: &CollectionId,
    ) -> Result<Permit<Manage>, Denied> {
        self.permit(visitor, collection, Action::Manage)
    }

    /// The gate's answer in the collection a request names (a page's URL, a server
    /// function's argument) or, naming none, the visitor's default one (see
    /// [`Self::default_collection`]): what old clients and the REST API get.
    pub fn read_in(
        &self,
        visitor: &Visitor,
        named: Option<&CollectionId>,
    ) -> Result<Permit<Read>, Denied> {
        self.permit_in(visitor, named, Action::Read)
    }

    pub fn edit_in(
        &self,
        visitor: &Visitor,
        named: Option<&CollectionId>,
    ) -> Result<Permit<Edit>, Denied> {
        self.permit_in(visitor, named, Action::Edit)
    }

    pub fn manage_in(
        &self,
        visitor: &Visitor,
        named: Option<&CollectionId>,
    ) -> Result<Permit<Manage>, Denied> {
        self.permit_in(visitor, named, Action::Manage)
    }

    fn permit_in<A>(
        &self,
        visitor: &Visitor,
        named: Option<&CollectionId>,
        action: Action,
    ) -> Result<Permit<A>, Denied> {
        match named.copied().or_else(|| self.default_collection(visitor)) {
            Some(collection) => self.permit(visitor, &collection, action),
            None if matches!(visitor, Visitor::Anonymous) => Err(Denied::SignInNeeded),
            None => Err(Denied::NotFound),
        }
    }

    /// The collection a request that names none works in: a token's own, the first one a
    /// signed-in user belongs to, or the one anonymous access names.
    pub fn default_collection(&self, visitor: &Visitor) -> Option<CollectionId> {
        match visitor {
            Visitor::Token { collection, .. } => Some(*collection),
            Visitor::Session { account, .. } => account
                .memberships
                .first()
                .map(|membership| membership.collection.id)
                .or(self.anonymous.map(|access| access.collection)),
            Visitor::Anonymous => self.anonymous.map(|access| access.collection),
        }
    }

    /// The visitor's effective role in `collection`, if any.
    pub fn role(&self, visitor: &Visitor, collection: &CollectionId) -> Option<Role> {
        let anonymous = self
            .anonymous
            .filter(|access| access.collection == *collection)
            .map(|access| access.role);
        let member = match visitor {
            Visitor::Anonymous => None,
            Visitor::Session { account, .. } => account.role_in(collection),
            // A token works only in its collection and never beyond its user's current role.
            Visitor::Token {
                account,
                collection: own,
                scope,
                ..
            } => (own == collection)
                .then(|| account.role_in(collection))
                .flatten()
                .map(|role| match scope {
                    Scope::Read => Role::Viewer.min(role),
                    Scope::ReadWrite => Role::Editor.min(role),
                }),
        };
        member.max(anonymous)
    }

    fn permit<A>(
        &self,
        visitor: &Visitor,
        collection: &CollectionId,
        action: Action,
    ) -> Result<Permit<A>, Denied> {
        match self.role(visitor, collection) {
            Some(role) if role.allows(action) => Ok(Permit {
                collection: *collection,
                role,
                action: PhantomData,
            }),
            _ if matches!(visitor, Visitor::Anonymous) => Err(Denied::SignInNeeded),
            Some(_) => Err(Denied::Forbidden),
            None => Err(Denied::NotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{Collection, CollectionName, Email, Membership, UserId};

    fn account(memberships: &[(CollectionId, Role)]) -> Account {
        Account {
            id: UserId::generate(),
            email: Email::parse("ann@example.org").unwrap(),
            memberships: memberships
                .iter()
                .map(|(id, role)| Membership {
                    collection: Collection {
                        id: *id,
                        name: CollectionName::parse("Home").unwrap(),
                    },
                    role: *role,
                })
                .collect(),
        }
    }

    fn session(memberships: &[(CollectionId, Role)]) -> Visitor {
        Visitor::Session {
            account: account(memberships),
            session: CredentialId::generate(),
        }
    }

    #[test]
    fn members_get_what_their_role_allows_and_others_nothing() {
        let (home, shop) = (CollectionId::generate(), CollectionId::generate());
        let gate = Gate::new(None);
        let viewer = session(&[(home, Role::Viewer)]);
        assert!(gate.read(&viewer, &home).is_ok());
        assert_eq!(gate.edit(&viewer, &home).unwrap_err(), Denied::Forbidden);
        assert_eq!(gate.read(&viewer, &shop).unwrap_err(), Denied::NotFound);
        let owner = session(&[(home, Role::Owner)]);
        assert_eq!(gate.manage(&owner, &home).unwrap().role(), Role::Owner);
        assert_eq!(
            gate.read(&Visitor::Anonymous, &home).unwrap_err(),
            Denied::SignInNeeded
        );
        assert_eq!(gate.default_collection(&Visitor::Anonymous), None);
        assert_eq!(
            gate.read_in(&Visitor::Anonymous, None).unwrap_err(),
            Denied::SignInNeeded
        );
        assert_eq!(gate.edit_in(&viewer, None).unwrap_err(), Denied::Forbidden);
        assert_eq!(
            gate.read_in(&session(&[]), None).unwrap_err(),
            Denied::NotFound
        );
        assert_eq!(gate.manage_in(&owner, None).unwrap().collection(), &home);
    }

    #[test]
    fn a_named_collection_is_decided_as_itself_and_no_default_stands_in() {
        let (home, shop) = (CollectionId::generate(), CollectionId::generate());
        let gate = Gate::new(None);
        let member_of_both = session(&[(home, Role::Viewer), (shop, Role::Editor)]);
        assert_eq!(
            gate.edit_in(&member_of_both, Some(&shop))
                .unwrap()
                .collection(),
            &shop
        );
        assert_eq!(
            gate.edit_in(&member_of_both, None).unwrap_err(),
            Denied::Forbidden,
            "the default is the first membership"
        );
        let only_home = session(&[(home, Role::Owner)]);
        assert_eq!(
            gate.read_in(&only_home, Some(&shop)).unwrap_err(),
            Denied::NotFound
        );
        let token = Visitor::Token {
            account: account(&[(home, Role::Owner), (shop, Role::Owner)]),
            token: CredentialId::generate(),
            collection: home,
            scope: Scope::ReadWrite,
        };
        assert_eq!(
            gate.read_in(&token, Some(&shop)).unwrap_err(),
            Denied::NotFound
        );
    }

    #[test]
    fn tokens_work_in_their_collection_within_scope_and_role() {
        let (home, shop) = (CollectionId::generate(), CollectionId::generate());
        let gate = Gate::new(None);
        let token = |role, scope| Visitor::Token {
            account: account(&[(home, role), (shop, Role::Owner)]),
            token: CredentialId::generate(),
            collection: home,
            scope,
        };
        let read_only = token(Role::Owner, Scope::Read);
        assert_eq!(gate.read(&read_only, &home).unwrap().role(), Role::Viewer);
        assert_eq!(gate.edit(&read_only, &home).unwrap_err(), Denied::Forbidden);
        assert_eq!(gate.read(&read_only, &shop).unwrap_err(), Denied::NotFound);
        let writer = token(Role::Owner, Scope::ReadWrite);
        assert_eq!(gate.edit(&writer, &home).unwrap().role(), Role::Editor);
        assert_eq!(gate.manage(&writer, &home).unwrap_err(), Denied::Forbidden);
        let demoted = token(Role::Viewer, Scope::ReadWrite);
        assert_eq!(gate.edit(&demoted, &home).unwrap_err(), Denied::Forbidden);
        assert_eq!(gate.default_collection(&writer), Some(home));
    }

    #[test]
    fn anonymous_access_covers_its_collection_only() {
        let (legacy, home) = (CollectionId::generate(), CollectionId::generate());
        let gate = Gate::new(Some(AnonymousAccess {
            collection: legacy,
            role: Role::Viewer,
        }));
        assert!(gate.read(&Visitor::Anonymous, &legacy).is_ok());
        assert_eq!(
            gate.edit(&Visitor::Anonymous, &legacy).unwrap_err(),
            Denied::SignInNeeded
        );
        assert_eq!(
            gate.read(&Visitor::Anonymous, &home).unwrap_err(),
            Denied::SignInNeeded
        );
        assert_eq!(gate.default_collection(&Visitor::Anonymous), Some(legacy));
        let editor = session(&[(legacy, Role::Editor)]);
        assert!(
            gate.edit(&editor, &legacy).is_ok(),
            "membership counts beside it"
        );
    }
}
