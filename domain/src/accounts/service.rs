//! [`Accounts`]: first run, sign-in, sessions and sign-out, over the account store.

use super::{
    label, AccountStoreError, Collection, CollectionId, CollectionName, Credential, CredentialId,
    CredentialKind, Email, HashingError, Link, LinkId, LinkPurpose, NewPassword, Passwords, Secret,
    SecretToken, SharedAccountStore, User, UserId,
};
use crate::access::{Manage, Permit, Read, Visitor};
use crate::model::{FieldErrors, Timestamp};
use std::time::Duration;

/// Lifetimes and limits of sign-ins. Explicit, so the README can say them.
#[derive(Clone, Copy, Debug)]
pub struct AccountSettings {
    /// A session unused this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_max: Duration,
    /// How stale a session's "last used" may get before a request records a new one: a write
    /// on every request would double what each costs.
    pub touch_every: Duration,
    /// How long a looked-up session is trusted without asking the store again; a session
    /// revoked on another instance stops working here within this time.
    pub cache_for: Duration,
    /// Failed sign-ins for one email within `failure_window` before further tries wait.
    pub failures_per_account: u32,
    pub failure_window: Duration,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            session_idle: Duration::from_secs(14 * 24 * 3600),
            session_max: Duration::from_secs(90 * 24 * 3600),
            touch_every: Duration::from_secs(5 * 60),
            cache_for: Duration::from_secs(10),
            failures_per_account: 10,
            failure_window: Duration::from_secs(15 * 60),
        }
    }
}

/// Most sessions remembered per instance: bounds the cache's memory (each entry is an
/// account with its memberships, a few KB at most).
const CACHED_SESSIONS: u64 = 10_000;

/// A session just created: the cookie's value and when it ends.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub cookie: String,
    pub expires_at: Timestamp,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Deliberately one error for "no such account" and "wrong password".
    #[error("the email or the password is wrong")]
    Wrong,
    #[error("too many failed sign-ins; try again later")]
    Throttled { retry_after: Duration },
    #[error(transparent)]
    Hashing(#[from] HashingError),
    #[error(transparent)]
    Store(#[from] AccountStoreError),
}

/// Prefix of API tokens, so that secret scanners (and people) recognise a leaked one.
pub const TOKEN_PREFIX: &str = "shelf_";

/// Most API tokens one user may hold.
pub const MAX_TOKENS: usize = 20;

/// How long an invite link works.
pub const INVITE_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long a set-password link works.
pub const PASSWORD_LINK_TTL: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// Not a link we made, used, revoked or expired: all the same to the person holding it.
    #[error("this link does not work (any more)")]
    Unusable,
    #[error("the password is not acceptable")]
    Invalid(String),
    #[error(transparent)]
    Hashing(#[from] HashingError),
    #[error(transparent)]
    Store(AccountStoreError),
}

impl From<AccountStoreError> for LinkError {
    fn from(error: AccountStoreError) -> Self {
        match error {
            AccountStoreError::LinkUnusable | AccountStoreError::NotFound => LinkError::Unusable,
            other => LinkError::Store(other),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// A field at fault and why.
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Store(#[from] AccountStoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Hashing(#[from] HashingError),
    #[error(transparent)]
    Store(#[from] AccountStoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("Shelf already has an owner")]
    AlreadySetUp,
    /// Signing up with an invite that was used, revoked or has expired.
    #[error("this invite does not work (any more)")]
    InviteUnusable,
    #[error("some fields are invalid")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Hashing(#[from] HashingError),
    #[error(transparent)]
    Store(AccountStoreError),
}

/// The account operations. Cheap to clone: clones share the store, the hashing slots and
/// the session cache.
#[derive(Clone)]
pub struct Accounts {
    store: SharedAccountStore,
    passwords: Passwords,
    settings: AccountSettings,
    /// The collection the first owner gets: the one anonymous access names, which already
    /// holds the items from before accounts and the old clients' ones.
    first_collection: Collection,
    /// Sessions looked up recently, by credential: `None` remembers "no such session" too,
    /// so a flood of stale cookies does not reach the store either.
    sessions: moka::sync::Cache<(UserId, CredentialId), Option<(Credential, super::Account)>>,
}

fn after(time: Timestamp, duration: Duration) -> Timestamp {
    let micros = i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
    Timestamp::from_micros(time.as_micros().saturating_add(micros)).unwrap_or(time)
}

fn since(earlier: Timestamp, now: Timestamp) -> Duration {
    Duration::from_micros(u64::try_from(now.as_micros() - earlier.as_micros()).unwrap_or(0))
}

impl Accounts {
    pub fn new(
        store: SharedAccountStore,
        passwords: Passwords,
        settings: AccountSettings,
        first_collection: Collection,
    ) -> Self {
        let sessions = moka::sync::Cache::builder()
            .max_capacity(CACHED_SESSIONS)
            .time_to_live(settings.cache_for)
            .support_invalidation_closures()
            .build();
        Self {
            store,
            passwords,
            settings,
            first_collection,
            sessions,
        }
    }

    pub fn store(&self) -> &SharedAccountStore {
        &self.store
    }

    pub fn settings(&self) -> AccountSettings {
        self.settings
    }

    /// Whether nobody has an account yet: the first-run page is open until someone does.
    pub async fn needs_setup(&self) -> Result<bool, AccountStoreError> {
        Ok(!self.store.has_users().await?)
    }

    /// The first run: the owner's account and their first collection, and a session for them.
    pub async fn set_up(
        &self,
        email: &str,
        password: &str,
        collection: &str,
        device: &str,
    ) -> Result<NewSession, SetupError> {
        let ((email, password), name) = Self::new_owner(email, password, collection)?;
        let user = User {
            id: UserId::generate(),
            email,
            password: Some(self.passwords.hash(&password).await?),
            created_at: Timestamp::now(),
        };
        let collection = Collection {
            id: self.first_collection.id,
            name,
        };
        match self.store.create_first_owner(&user, &collection).await {
            Ok(()) => {}
            Err(AccountStoreError::AlreadySetUp) => return Err(SetupError::AlreadySetUp),
            Err(error) => return Err(SetupError::Store(error)),
        }
        self.start_session(&user.id, device)
            .await
            .map_err(SetupError::Store)
    }

    /// A new collection owned by `user`, who may then invite others to it. Refused with
    /// [`AccountStoreError::TooManyMembers`] for a user in the most collections allowed.
    pub async fn create_collection(
        &self,
        user: &UserId,
        name: CollectionName,
    ) -> Result<Collection, AccountStoreError> {
        let collection = Collection {
            id: CollectionId::generate(),
            name,
        };
        self.store.create_collection(&collection, user).await?;
        // Their cached account lacks the membership: the next request must see it here (other
        // instances within `cache_for`).
        self.forget_account(user);
        Ok(collection)
    }

    /// Checks an email and password; a new session if they match. Failures count against
    /// the email in the store (so the limit holds across instances); past the limit, every
    /// try waits for the window to end, right or wrong, and costs no hashing.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        device: &str,
    ) -> Result<NewSession, SignInError> {
        let now = Timestamp::now();
        let email = Email::parse(email).ok();
        if let Some(email) = &email {
            if let Some(failures) = self.store.sign_in_failures(email, now).await? {
                if failures.count >= self.settings.failures_per_account {
                    return Err(SignInError::Throttled {
                        retry_after: since(now, failures.window_ends),
                    });
                }
            }
        }
        let user = match &email {
            Some(email) => self.store.user_by_email(email).await?,
            None => None,
        };
        let stored = user.as_ref().and_then(|user| user.password.as_ref());
        // Always one hash: an unknown email takes as long as a wrong password.
        let matches = self.passwords.verify(password, stored).await?;
        let (Some(user), true) = (user, matches) else {
            if let Some(email) = &email {
                self.store
                    .record_sign_in_failure(email, now, self.settings.failure_window)
                    .await?;
            }
            return Err(SignInError::Wrong);
        };
        self.store.clear_sign_in_failures(&user.email).await?;
        if let Some(stored) = &user.password {
            if Passwords::is_outdated(stored) {
                if let Ok(password) = NewPassword::parse(password, None) {
                    let hash = self.passwords.hash(&password).await?;
                    self.store.set_password(&user.id, &hash).await?;
                }
            }
        }
        Ok(self.start_session(&user.id, device).await?)
    }

    async fn start_session(
        &self,
        user: &UserId,
        device: &str,
    ) -> Result<NewSession, AccountStoreError> {
        let now = Timestamp::now();
        let secret = Secret::generate();
        let id = CredentialId::generate();
        let expires_at = after(
            now,
            self.settings.session_idle.min(self.settings.session_max),
        );
        self.store
            .create_credential(&Credential {
                id,
                user: *user,
                digest: secret.digest(),
                kind: CredentialKind::Session {
                    device: label(device),
                },
                created_at: now,
                last_used_at: now,
                expires_at: Some(expires_at),
            })
            .await?;
        let token = SecretToken {
            owner: user.as_uuid(),
            id: id.as_uuid(),
            secret,
        };
        Ok(NewSession {
            cookie: token.encode(""),
            expires_at: after(now, self.settings.session_max),
        })
    }

    /// An account made by the operator (`shelf users add`): the first owner while there are no
    /// accounts (as the first-run page makes), else a member of the first collection with
    /// `role`. Without a password, it has none until a set-password link sets one.
    pub async fn add_user(
        &self,
        email: &str,
        role: super::Role,
        password: Option<&str>,
    ) -> Result<User, SetupError> {
        let email = Email::parse(email).map_err(|message| {
            SetupError::Invalid(FieldErrors::from([("email".to_owned(), message)]))
        })?;
        let password = match password {
            None => None,
            Some(raw) => {
                let password = NewPassword::parse(raw, Some(&email)).map_err(|message| {
                    SetupError::Invalid(FieldErrors::from([("password".to_owned(), message)]))
                })?;
                Some(self.passwords.hash(&password).await?)
            }
        };
        let user = User {
            id: UserId::generate(),
            email,
            password,
            created_at: Timestamp::now(),
        };
        let store_error = |error: AccountStoreError| match error {
            AccountStoreError::EmailTaken => SetupError::Invalid(FieldErrors::from([(
                "email".to_owned(),
                "An account with this email already exists.".to_owned(),
            )])),
            other => SetupError::Store(other),
        };
        let first = role == super::Role::Owner
            && !self.store.has_users().await.map_err(SetupError::Store)?;
        if first {
            match self
                .store
                .create_first_owner(&user, &self.first_collection)
                .await
            {
                Ok(()) => return Ok(user),
                Err(AccountStoreError::AlreadySetUp) => {}
                Err(error) => return Err(store_error(error)),
            }
        }
        self.store.create_user(&user).await.map_err(store_error)?;
        self.store
            .ensure_collection(&self.first_collection)
            .await
            .map_err(SetupError::Store)?;
        self.store
            .set_role(&self.first_collection.id, &user.id, role)
            .await
            .map_err(SetupError::Store)?;
        Ok(user)
    }

    /// An invite to the permit's collection as `role`: the token for `/join?token=…`.
    pub async fn create_invite(
        &self,
        permit: &Permit<Manage>,
        role: super::Role,
        created_by: &UserId,
    ) -> Result<String, AccountStoreError> {
        let purpose = LinkPurpose::Invite {
            collection: *permit.collection(),
            role,
        };
        self.issue_link(purpose, Some(*created_by), INVITE_TTL)
            .await
    }

    /// A new one-time link: the token its URL carries (the link's owner, its id and the
    /// secret whose digest is stored).
    async fn issue_link(
        &self,
        purpose: LinkPurpose,
        created_by: Option<UserId>,
        lifetime: Duration,
    ) -> Result<String, AccountStoreError> {
        let now = Timestamp::now();
        let secret = Secret::generate();
        let link = Link {
            id: LinkId::generate(),
            digest: secret.digest(),
            purpose,
            created_by,
            created_at: now,
            expires_at: after(now, lifetime),
        };
        self.store.create_link(&link).await?;
        Ok(SecretToken {
            owner: link.owner(),
            id: link.id.as_uuid(),
            secret,
        }
        .encode(""))
    }

    /// The link a presented token names, if it is stored, unexpired, and the secret matches.
    fn checked(link: Option<Link>, token: &SecretToken) -> Result<Link, LinkError> {
        link.filter(|link| !link.is_expired(Timestamp::now()) && link.digest.matches(&token.secret))
            .ok_or(LinkError::Unusable)
    }

    /// What an invite link offers, if it still works: the collection and the role.
    pub async fn invite(&self, token: &str) -> Result<(Collection, super::Role), LinkError> {
        let (collection, link) = self.usable_invite(token).await?;
        let LinkPurpose::Invite { role, .. } = link.purpose else {
            return Err(LinkError::Unusable);
        };
        Ok((collection, role))
    }

    /// Joins the invite's collection (the invite is used up), which it returns.
    pub async fn accept_invite(
        &self,
        token: &str,
        user: &UserId,
    ) -> Result<CollectionId, LinkError> {
        let (collection, link) = self.usable_invite(token).await?;
        self.redeem(&collection.id, &link.id, user).await?;
        Ok(collection.id)
    }

    async fn redeem(
        &self,
        collection: &CollectionId,
        link: &LinkId,
        user: &UserId,
    ) -> Result<super::Role, LinkError> {
        let role = self
            .store
            .redeem_invite(collection, link, user, Timestamp::now())
            .await?;
        self.forget_account(user);
        Ok(role)
    }

    /// A new account from an invite: the account, its membership and a session.
    pub async fn sign_up_with_invite(
        &self,
        token: &str,
        email: &str,
        password: &str,
        device: &str,
    ) -> Result<NewSession, SetupError> {
        // Checked before the account is made, so a dead invite makes no account; used after.
        let (collection, link) = self
            .usable_invite(token)
            .await
            .map_err(|_| SetupError::InviteUnusable)?;
        let taken = "An account with this email exists: sign in to accept the invite.";
        let user = self
            .add_account(Self::new_account(email, password)?, taken)
            .await?;
        match self.redeem(&collection.id, &link.id, &user.id).await {
            Ok(_) => {}
            Err(LinkError::Store(error)) => return Err(SetupError::Store(error)),
            Err(_) => return Err(SetupError::InviteUnusable),
        }
        self.start_session(&user.id, device)
            .await
            .map_err(SetupError::Store)
    }

    /// Open sign-up (`--sign-up open`): a new account owning a new collection of its own, and
    /// a session. The two are two writes: should the second fail, the account signs in to no
    /// collection, and the page it lands on offers to create one.
    pub async fn sign_up(
        &self,
        email: &str,
        password: &str,
        collection: &str,
        device: &str,
    ) -> Result<NewSession, SetupError> {
        let (account, name) = Self::new_owner(email, password, collection)?;
        let taken = "An account with this email exists: sign in instead.";
        let user = self.add_account(account, taken).await?;
        self.create_collection(&user.id, name)
            .await
            .map_err(SetupError::Store)?;
        self.start_session(&user.id, device)
            .await
            .map_err(SetupError::Store)
    }

    /// A new account's email and password, checked.
    fn new_account(email: &str, password: &str) -> Result<(Email, NewPassword), SetupError> {
        let mut errors = FieldErrors::new();
        let account = Self::parse_account(email, password, &mut errors);
        account.ok_or(SetupError::Invalid(errors))
    }

    /// A new account with a first collection of its own: all three fields checked at once, so
    /// the form shows every error together.
    fn new_owner(
        email: &str,
        password: &str,
        collection: &str,
    ) -> Result<((Email, NewPassword), CollectionName), SetupError> {
        let mut errors = FieldErrors::new();
        let account = Self::parse_account(email, password, &mut errors);
        let name = CollectionName::parse(collection)
            .map_err(|message| errors.insert("collection".into(), message))
            .ok();
        account.zip(name).ok_or(SetupError::Invalid(errors))
    }

    fn parse_account(
        email: &str,
        password: &str,
        errors: &mut FieldErrors,
    ) -> Option<(Email, NewPassword)> {
        let email = Email::parse(email)
            .map_err(|message| errors.insert("email".into(), message))
            .ok();
        let password = NewPassword::parse(password, email.as_ref())
            .map_err(|message| errors.insert("password".into(), message))
            .ok();
        email.zip(password)
    }

    /// Stores a new account; `taken` is what the email field says if the email has one.
    async fn add_account(
        &self,
        (email, password): (Email, NewPassword),
        taken: &str,
    ) -> Result<User, SetupError> {
        let user = User {
            id: UserId::generate(),
            email,
            password: Some(self.passwords.hash(&password).await?),
            created_at: Timestamp::now(),
        };
        match self.store.create_user(&user).await {
            Ok(()) => Ok(user),
            Err(AccountStoreError::EmailTaken) => Err(SetupError::Invalid(FieldErrors::from([(
                "email".to_owned(),
                taken.to_owned(),
            )]))),
            Err(error) => Err(SetupError::Store(error)),
        }
    }

    async fn usable_invite(&self, token: &str) -> Result<(Collection, Link), LinkError> {
        let token = SecretToken::decode(token, "").ok_or(LinkError::Unusable)?;
        let collection = CollectionId::from_uuid(token.owner);
        let stored = self
            .store
            .invite(&collection, &LinkId::from_uuid(token.id))
            .await?;
        let link = Self::checked(stored, &token)?;
        let collection = self
            .store
            .collection(&collection)
            .await?
            .ok_or(LinkError::Unusable)?;
        Ok((collection, link))
    }

    /// The collection's members, for anyone who may read it.
    pub async fn members(
        &self,
        permit: &Permit<Read>,
    ) -> Result<Vec<super::Member>, AccountStoreError> {
        self.store.members(permit.collection()).await
    }

    /// The collection's open invites, for its owners.
    pub async fn invites(&self, permit: &Permit<Manage>) -> Result<Vec<Link>, AccountStoreError> {
        self.store.invites(permit.collection()).await
    }

    pub async fn revoke_invite(
        &self,
        permit: &Permit<Manage>,
        id: &LinkId,
    ) -> Result<bool, AccountStoreError> {
        self.store.revoke_invite(permit.collection(), id).await
    }

    /// Changes a member's role (the store keeps an owner).
    pub async fn set_role(
        &self,
        permit: &Permit<Manage>,
        user: &UserId,
        role: super::Role,
    ) -> Result<(), AccountStoreError> {
        self.store.set_role(permit.collection(), user, role).await?;
        self.forget_account(user);
        Ok(())
    }

    pub async fn remove_member(
        &self,
        permit: &Permit<Manage>,
        user: &UserId,
    ) -> Result<(), AccountStoreError> {
        self.store.remove_member(permit.collection(), user).await?;
        self.forget_account(user);
        Ok(())
    }

    /// Drops this instance's cached lookups of the user's credentials, whose account (roles)
    /// just changed; other instances see the change within `cache_for`.
    fn forget_account(&self, user: &UserId) {
        let user = *user;
        if let Err(error) = self
            .sessions
            .invalidate_entries_if(move |(owner, _), _| *owner == user)
        {
            tracing::warn!(error = %error, "cached sessions not dropped; they expire on their own");
        }
    }

    /// A one-time link that sets `user`'s password (a reset, or the first password of an
    /// account made on the command line): the token for `/set-password/{token}`.
    pub async fn issue_password_link(
        &self,
        user: &UserId,
        created_by: Option<UserId>,
    ) -> Result<String, AccountStoreError> {
        let purpose = LinkPurpose::SetPassword { user: *user };
        self.issue_link(purpose, created_by, PASSWORD_LINK_TTL)
            .await
    }

    /// The account a set-password link is for, if it still works.
    pub async fn password_link_user(&self, token: &str) -> Result<User, LinkError> {
        let (user, _) = self.usable_password_link(token).await?;
        Ok(user)
    }

    /// Sets the password with a link (which then stops working), ends every session of the
    /// account (whoever knew the old password is signed out), and signs this browser in.
    pub async fn set_password_with_link(
        &self,
        token: &str,
        password: &str,
        device: &str,
    ) -> Result<NewSession, LinkError> {
        let (user, link) = self.usable_password_link(token).await?;
        let password =
            NewPassword::parse(password, Some(&user.email)).map_err(LinkError::Invalid)?;
        let hash = self.passwords.hash(&password).await?;
        self.store
            .redeem_password_link(&user.id, &link, &hash, Timestamp::now())
            .await?;
        self.sign_out_everywhere(&user.id, None).await?;
        self.store.clear_sign_in_failures(&user.email).await?;
        Ok(self.start_session(&user.id, device).await?)
    }

    async fn usable_password_link(&self, token: &str) -> Result<(User, LinkId), LinkError> {
        let token = SecretToken::decode(token, "").ok_or(LinkError::Unusable)?;
        let (user, id) = (UserId::from_uuid(token.owner), LinkId::from_uuid(token.id));
        let link = Self::checked(self.store.password_link(&user, &id).await?, &token)?;
        let user = self.store.user(&user).await?.ok_or(LinkError::Unusable)?;
        Ok((user, link.id))
    }

    /// A new API token for `collection` (where the user must be a member): the string to show
    /// once (only its digest is kept) and its record.
    pub async fn create_token(
        &self,
        account: &super::Account,
        name: &str,
        collection: &super::CollectionId,
        scope: super::Scope,
        lifetime: Option<Duration>,
    ) -> Result<(String, Credential), TokenError> {
        let name = label(name);
        if name.is_empty() {
            return Err(TokenError::Invalid(
                "name",
                "Name the token (what uses it).".into(),
            ));
        }
        if account.role_in(collection).is_none() {
            return Err(TokenError::Invalid(
                "collection",
                "Pick one of your collections.".into(),
            ));
        }
        let existing = self.store.credentials(&account.id).await?;
        if existing.iter().filter(|c| !c.is_session()).count() >= MAX_TOKENS {
            return Err(TokenError::Invalid(
                "name",
                format!("You have {MAX_TOKENS} tokens already; revoke one first."),
            ));
        }
        let now = Timestamp::now();
        let secret = Secret::generate();
        let credential = Credential {
            id: CredentialId::generate(),
            user: account.id,
            digest: secret.digest(),
            kind: CredentialKind::Token {
                name,
                collection: *collection,
                scope,
            },
            created_at: now,
            last_used_at: now,
            expires_at: lifetime.map(|lifetime| after(now, lifetime)),
        };
        self.store.create_credential(&credential).await?;
        let token = SecretToken {
            owner: account.id.as_uuid(),
            id: credential.id.as_uuid(),
            secret,
        };
        Ok((token.encode(TOKEN_PREFIX), credential))
    }

    /// Who an `Authorization: Bearer` token belongs to: `None` for anything that is not a live
    /// token of ours.
    pub async fn token(&self, bearer: &str) -> Result<Option<Visitor>, AccountStoreError> {
        let Some(token) = SecretToken::decode(bearer, TOKEN_PREFIX) else {
            return Ok(None);
        };
        let Some((credential, account)) = self.live(&token).await? else {
            return Ok(None);
        };
        let CredentialKind::Token {
            collection, scope, ..
        } = credential.kind
        else {
            return Ok(None);
        };
        Ok(Some(Visitor::Token {
            account,
            token: credential.id,
            collection,
            scope,
        }))
    }

    /// The credential a presented token names, if it is live and the secret matches; its use
    /// is recorded every `touch_every`.
    async fn live(
        &self,
        token: &SecretToken,
    ) -> Result<Option<(Credential, super::Account)>, AccountStoreError> {
        let key = (
            UserId::from_uuid(token.owner),
            CredentialId::from_uuid(token.id),
        );
        let found = match self.sessions.get(&key) {
            Some(found) => found,
            None => {
                let found = self.store.credential(&key.0, &key.1).await?;
                self.sessions.insert(key, found.clone());
                found
            }
        };
        let now = Timestamp::now();
        let Some((credential, account)) = found else {
            return Ok(None);
        };
        if credential.is_expired(now) || !credential.digest.matches(&token.secret) {
            return Ok(None);
        }
        if since(credential.last_used_at, now) >= self.settings.touch_every {
            self.touch(&credential, now).await?;
        }
        Ok(Some((credential, account)))
    }

    /// The user's sessions and tokens, newest first.
    pub async fn credentials(&self, user: &UserId) -> Result<Vec<Credential>, AccountStoreError> {
        self.store.credentials(user).await
    }

    /// Ends one session or revokes one token of the user (here at once; on other instances
    /// within `cache_for`).
    pub async fn revoke(
        &self,
        user: &UserId,
        id: &CredentialId,
    ) -> Result<bool, AccountStoreError> {
        let revoked = self.store.delete_credential(user, id).await?;
        self.sessions.invalidate(&(*user, *id));
        Ok(revoked)
    }

    /// A new password, given the current one; every other session ends.
    pub async fn change_password(
        &self,
        user: &UserId,
        keep: &CredentialId,
        current: &str,
        new: &str,
    ) -> Result<(), ChangePasswordError> {
        let user = self
            .store
            .user(user)
            .await?
            .ok_or(ChangePasswordError::WrongPassword)?;
        if !self
            .passwords
            .verify(current, user.password.as_ref())
            .await?
        {
            return Err(ChangePasswordError::WrongPassword);
        }
        let password =
            NewPassword::parse(new, Some(&user.email)).map_err(ChangePasswordError::Invalid)?;
        let hash = self.passwords.hash(&password).await?;
        self.store.set_password(&user.id, &hash).await?;
        self.sign_out_everywhere(&user.id, Some(keep)).await?;
        Ok(())
    }

    /// Who a session cookie belongs to: `None` for anything that is not a live session.
    /// Looked up in the store at most once per `cache_for` per instance.
    pub async fn session(&self, cookie: &str) -> Result<Option<Visitor>, AccountStoreError> {
        let Some(token) = SecretToken::decode(cookie, "") else {
            return Ok(None);
        };
        let Some((credential, account)) = self.live(&token).await? else {
            return Ok(None);
        };
        if !credential.is_session() {
            return Ok(None);
        }
        Ok(Some(Visitor::Session {
            account,
            session: credential.id,
        }))
    }

    /// Records a use. A session's idle end moves on, never past its absolute one; a token's
    /// end stays where its owner put it.
    async fn touch(
        &self,
        credential: &Credential,
        now: Timestamp,
    ) -> Result<(), AccountStoreError> {
        let expires_at = if credential.is_session() {
            let absolute = after(credential.created_at, self.settings.session_max);
            Some(after(now, self.settings.session_idle).min(absolute))
        } else {
            credential.expires_at
        };
        self.store
            .touch_credential(&credential.user, &credential.id, now, expires_at)
            .await?;
        // Dropped rather than updated: the cached copy may be up to `cache_for` old, and
        // refreshing its age would let a revocation made elsewhere go unseen for longer.
        self.sessions.invalidate(&(credential.user, credential.id));
        Ok(())
    }

    /// Ends one session (here at once; on other instances within `cache_for`).
    pub async fn sign_out(
        &self,
        user: &UserId,
        session: &CredentialId,
    ) -> Result<(), AccountStoreError> {
        self.store.delete_credential(user, session).await?;
        self.sessions.invalidate(&(*user, *session));
        Ok(())
    }

    /// Ends every session of the user but `keep`.
    pub async fn sign_out_everywhere(
        &self,
        user: &UserId,
        keep: Option<&CredentialId>,
    ) -> Result<usize, AccountStoreError> {
        let ended = self.store.delete_sessions(user, keep).await?;
        let user = *user;
        let keep = keep.copied();
        self.sessions
            .invalidate_entries_if(move |(owner, id), _| *owner == user && Some(*id) != keep)
            .map_err(|e| AccountStoreError::Internal(e.to_string().into()))?;
        Ok(ended)
    }
}
