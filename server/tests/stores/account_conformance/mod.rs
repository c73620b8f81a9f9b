//! The account conformance suite: behaviour every `AccountStore` backend must show. Each
//! backend's test file opens a fresh, empty store per test and runs these functions through
//! `account_conformance_tests!`.

use domain::accounts::{
    AccountStoreError, Collection, CollectionId, CollectionName, Credential, CredentialId,
    CredentialKind, Email, Link, LinkId, LinkPurpose, PasswordHash, Role, Scope, Secret,
    SharedAccountStore, User, UserId, MAX_MEMBERSHIPS,
};
use domain::model::Timestamp;
use std::time::Duration;

fn user(email: &str) -> User {
    User {
        id: UserId::generate(),
        email: Email::parse(email).unwrap(),
        password: None,
        created_at: Timestamp::now(),
    }
}

fn collection(name: &str) -> Collection {
    Collection {
        id: CollectionId::generate(),
        name: CollectionName::parse(name).unwrap(),
    }
}

/// A syntactically valid hash; the store never checks it.
fn hash(seed: char) -> PasswordHash {
    let salt = "c2FsdHNhbHRzYWx0c2FsdA";
    // 43 base64 characters hold 32 bytes; the last one's spare bits must be zero ('A').
    let body: String = std::iter::repeat_n(seed, 42).chain(['A']).collect();
    PasswordHash::from_phc(format!("$argon2id$v=19$m=19456,t=2,p=1${salt}${body}")).unwrap()
}

fn later(seconds: u64) -> Timestamp {
    let micros = Timestamp::now().as_micros() + i64::try_from(seconds * 1_000_000).unwrap();
    Timestamp::from_micros(micros).unwrap()
}

fn earlier(seconds: u64) -> Timestamp {
    let micros = Timestamp::now().as_micros() - i64::try_from(seconds * 1_000_000).unwrap();
    Timestamp::from_micros(micros).unwrap()
}

fn session(user: &UserId, device: &str) -> Credential {
    let now = Timestamp::now();
    Credential {
        id: CredentialId::generate(),
        user: *user,
        digest: Secret::generate().digest(),
        kind: CredentialKind::Session {
            device: device.into(),
        },
        created_at: now,
        last_used_at: now,
        expires_at: Some(later(3600)),
    }
}

fn token(user: &UserId, collection: &CollectionId) -> Credential {
    Credential {
        kind: CredentialKind::Token {
            name: "backup script".into(),
            collection: *collection,
            scope: Scope::Read,
        },
        expires_at: None,
        ..session(user, "")
    }
}

fn invite(collection: &CollectionId, role: Role, expires_at: Timestamp) -> Link {
    Link {
        id: LinkId::generate(),
        digest: Secret::generate().digest(),
        purpose: LinkPurpose::Invite {
            collection: *collection,
            role,
        },
        created_by: None,
        created_at: Timestamp::now(),
        expires_at,
    }
}

/// An owner with their own collection.
async fn owner_of(store: &SharedAccountStore, email: &str) -> (User, Collection) {
    let owner = user(email);
    let home = collection("Home");
    store.create_user(&owner).await.unwrap();
    store.create_collection(&home, &owner.id).await.unwrap();
    (owner, home)
}

pub async fn the_first_owner_is_created_once(store: SharedAccountStore) {
    assert!(!store.has_users().await.unwrap());
    let (first, home) = (user("first@example.org"), collection("Home"));
    store.create_first_owner(&first, &home).await.unwrap();
    assert!(store.has_users().await.unwrap());
    let account = store.account(&first.id).await.unwrap().unwrap();
    assert_eq!(account.email, first.email);
    assert_eq!(account.role_in(&home.id), Some(Role::Owner));
    assert_eq!(account.memberships[0].collection, home);

    let again = store
        .create_first_owner(&user("second@example.org"), &collection("Other"))
        .await;
    assert!(
        matches!(again, Err(AccountStoreError::AlreadySetUp)),
        "{again:?}"
    );
    let later_user = user("third@example.org");
    store.create_user(&later_user).await.unwrap();
    assert!(store
        .account(&later_user.id)
        .await
        .unwrap()
        .unwrap()
        .memberships
        .is_empty());
}

/// The first owner may take over a collection that exists without members (the anonymous
/// one), under the name they choose.
pub async fn the_first_owner_takes_over_an_ownerless_collection(store: SharedAccountStore) {
    let named = Collection {
        id: CollectionId::named("Shelf"),
        name: CollectionName::parse("Shelf").unwrap(),
    };
    store.ensure_collection(&named).await.unwrap();
    let renamed = Collection {
        name: CollectionName::parse("Our house").unwrap(),
        ..named.clone()
    };
    let owner = user("owner@example.org");
    store.create_first_owner(&owner, &renamed).await.unwrap();
    assert_eq!(
        store.collection(&named.id).await.unwrap(),
        Some(renamed.clone())
    );
    let members = store.members(&named.id).await.unwrap();
    assert_eq!((members.len(), members[0].role), (1, Role::Owner));
    let account = store.account(&owner.id).await.unwrap().unwrap();
    assert_eq!(account.memberships[0].collection, renamed);
}

pub async fn users_are_created_once_per_email(store: SharedAccountStore) {
    let ann = user("ann@example.org");
    store.create_user(&ann).await.unwrap();
    assert!(store.has_users().await.unwrap());
    let twin = user("ann@example.org");
    let taken = store.create_user(&twin).await;
    assert!(
        matches!(taken, Err(AccountStoreError::EmailTaken)),
        "{taken:?}"
    );
    assert_eq!(store.user(&ann.id).await.unwrap(), Some(ann.clone()));
    assert_eq!(store.user(&twin.id).await.unwrap(), None);
    assert_eq!(
        store.user_by_email(&ann.email).await.unwrap(),
        Some(ann.clone())
    );
    let nobody = Email::parse("nobody@example.org").unwrap();
    assert_eq!(store.user_by_email(&nobody).await.unwrap(), None);

    store.set_password(&ann.id, &hash('a')).await.unwrap();
    let stored = store.user(&ann.id).await.unwrap().unwrap();
    assert_eq!(stored.password, Some(hash('a')));
    let missing = store.set_password(&UserId::generate(), &hash('b')).await;
    assert!(
        matches!(missing, Err(AccountStoreError::NotFound)),
        "{missing:?}"
    );
}

pub async fn roles_change_and_a_collection_keeps_an_owner(store: SharedAccountStore) {
    let (owner, home) = owner_of(&store, "owner@example.org").await;
    let bea = user("bea@example.org");
    store.create_user(&bea).await.unwrap();
    store
        .set_role(&home.id, &bea.id, Role::Editor)
        .await
        .unwrap();
    let account = store.account(&bea.id).await.unwrap().unwrap();
    assert_eq!(account.role_in(&home.id), Some(Role::Editor));

    let members = store.members(&home.id).await.unwrap();
    let listed: Vec<_> = members.iter().map(|m| (m.email.as_str(), m.role)).collect();
    assert_eq!(
        listed,
        [
            ("bea@example.org", Role::Editor),
            ("owner@example.org", Role::Owner)
        ]
    );

    for refused in [
        store.set_role(&home.id, &owner.id, Role::Viewer).await,
        store.remove_member(&home.id, &owner.id).await,
    ] {
        assert!(
            matches!(refused, Err(AccountStoreError::LastOwner)),
            "{refused:?}"
        );
    }
    store
        .set_role(&home.id, &bea.id, Role::Owner)
        .await
        .unwrap();
    store
        .set_role(&home.id, &owner.id, Role::Viewer)
        .await
        .unwrap();
    store.remove_member(&home.id, &owner.id).await.unwrap();
    assert!(store
        .account(&owner.id)
        .await
        .unwrap()
        .unwrap()
        .memberships
        .is_empty());
    let members = store.members(&home.id).await.unwrap();
    assert_eq!(members.len(), 1);

    let gone = store.remove_member(&home.id, &owner.id).await;
    assert!(matches!(gone, Err(AccountStoreError::NotFound)), "{gone:?}");
    let no_collection = store
        .set_role(&CollectionId::generate(), &bea.id, Role::Viewer)
        .await;
    assert!(
        matches!(no_collection, Err(AccountStoreError::NotFound)),
        "{no_collection:?}"
    );
    let no_user = store
        .set_role(&home.id, &UserId::generate(), Role::Viewer)
        .await;
    assert!(
        matches!(no_user, Err(AccountStoreError::NotFound)),
        "{no_user:?}"
    );
}

/// Two owners demoting each other at once: one of the two changes must be refused.
pub async fn concurrent_demotions_leave_an_owner(store: SharedAccountStore) {
    let (ann, home) = owner_of(&store, "ann@example.org").await;
    let bea = user("bea@example.org");
    store.create_user(&bea).await.unwrap();
    store
        .set_role(&home.id, &bea.id, Role::Owner)
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        store.set_role(&home.id, &ann.id, Role::Editor),
        store.set_role(&home.id, &bea.id, Role::Editor),
    );
    assert!(a.is_ok() != b.is_ok(), "exactly one demotion: {a:?} {b:?}");
    let owners = store
        .members(&home.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|member| member.role == Role::Owner)
        .count();
    assert_eq!(owners, 1);
}

pub async fn memberships_are_bounded(store: SharedAccountStore) {
    let (_, home) = owner_of(&store, "owner@example.org").await;
    for n in 1..MAX_MEMBERSHIPS {
        let member = user(&format!("member{n}@example.org"));
        store.create_user(&member).await.unwrap();
        store
            .set_role(&home.id, &member.id, Role::Viewer)
            .await
            .unwrap();
    }
    let one_more = user("one.more@example.org");
    store.create_user(&one_more).await.unwrap();
    let full = store.set_role(&home.id, &one_more.id, Role::Viewer).await;
    assert!(
        matches!(
            full,
            Err(AccountStoreError::TooManyMembers {
                max: MAX_MEMBERSHIPS
            })
        ),
        "{full:?}"
    );
    assert_eq!(
        store.members(&home.id).await.unwrap().len(),
        MAX_MEMBERSHIPS
    );
}

pub async fn ensured_collections_exist_once_without_members(store: SharedAccountStore) {
    let named = Collection {
        id: CollectionId::named("Old service"),
        name: CollectionName::parse("Old service").unwrap(),
    };
    assert_eq!(store.collection(&named.id).await.unwrap(), None);
    store.ensure_collection(&named).await.unwrap();
    store.ensure_collection(&named).await.unwrap();
    assert_eq!(
        store.collection(&named.id).await.unwrap(),
        Some(named.clone())
    );
    assert!(store.members(&named.id).await.unwrap().is_empty());
    assert!(!store.has_users().await.unwrap());
}

pub async fn credentials_are_found_listed_touched_and_deleted(store: SharedAccountStore) {
    let (ann, home) = owner_of(&store, "ann@example.org").await;
    let phone = session(&ann.id, "Firefox on Android");
    store.create_credential(&phone).await.unwrap();
    let laptop = session(&ann.id, "Chrome on Linux");
    store.create_credential(&laptop).await.unwrap();
    let script = token(&ann.id, &home.id);
    store.create_credential(&script).await.unwrap();

    let (found, account) = store.credential(&ann.id, &phone.id).await.unwrap().unwrap();
    assert_eq!(found, phone);
    assert_eq!(account.role_in(&home.id), Some(Role::Owner));
    let (found, _) = store
        .credential(&ann.id, &script.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, script);
    let other_user = UserId::generate();
    assert_eq!(
        store.credential(&other_user, &phone.id).await.unwrap(),
        None
    );
    let listed: Vec<_> = store
        .credentials(&ann.id)
        .await
        .unwrap()
        .into_iter()
        .map(|credential| credential.id)
        .collect();
    assert_eq!(listed, [script.id, laptop.id, phone.id], "newest first");

    let (used, expires) = (later(60), later(7200));
    store
        .touch_credential(&ann.id, &phone.id, used, Some(expires))
        .await
        .unwrap();
    let (touched, _) = store.credential(&ann.id, &phone.id).await.unwrap().unwrap();
    assert_eq!(
        (touched.last_used_at, touched.expires_at),
        (used, Some(expires))
    );

    assert!(store.delete_credential(&ann.id, &laptop.id).await.unwrap());
    assert!(!store.delete_credential(&ann.id, &laptop.id).await.unwrap());
    store
        .touch_credential(&ann.id, &laptop.id, used, None)
        .await
        .unwrap();
    assert_eq!(
        store.credential(&ann.id, &laptop.id).await.unwrap(),
        None,
        "stays deleted"
    );

    let tablet = session(&ann.id, "Safari on iPad");
    store.create_credential(&tablet).await.unwrap();
    assert_eq!(
        store
            .delete_sessions(&ann.id, Some(&tablet.id))
            .await
            .unwrap(),
        1
    );
    let left: Vec<_> = store
        .credentials(&ann.id)
        .await
        .unwrap()
        .into_iter()
        .map(|credential| credential.id)
        .collect();
    assert_eq!(
        left,
        [tablet.id, script.id],
        "the kept session and the token"
    );
    assert_eq!(store.delete_sessions(&ann.id, None).await.unwrap(), 1);
    assert_eq!(store.credentials(&ann.id).await.unwrap(), [script]);
}

pub async fn invites_work_once(store: SharedAccountStore) {
    let (_, home) = owner_of(&store, "owner@example.org").await;
    let link = invite(&home.id, Role::Editor, later(3600));
    store.create_link(&link).await.unwrap();
    assert_eq!(
        store.invite(&home.id, &link.id).await.unwrap(),
        Some(link.clone())
    );
    assert_eq!(
        store.invites(&home.id).await.unwrap(),
        std::slice::from_ref(&link)
    );
    assert_eq!(
        store
            .invite(&CollectionId::generate(), &link.id)
            .await
            .unwrap(),
        None
    );

    let bea = user("bea@example.org");
    store.create_user(&bea).await.unwrap();
    let role = store
        .redeem_invite(&home.id, &link.id, &bea.id, Timestamp::now())
        .await
        .unwrap();
    assert_eq!(role, Role::Editor);
    let account = store.account(&bea.id).await.unwrap().unwrap();
    assert_eq!(account.role_in(&home.id), Some(Role::Editor));
    assert_eq!(store.invite(&home.id, &link.id).await.unwrap(), None);
    assert!(store.invites(&home.id).await.unwrap().is_empty());

    let cem = user("cem@example.org");
    store.create_user(&cem).await.unwrap();
    let used = store
        .redeem_invite(&home.id, &link.id, &cem.id, Timestamp::now())
        .await;
    assert!(
        matches!(used, Err(AccountStoreError::LinkUnusable)),
        "{used:?}"
    );

    let expired = invite(&home.id, Role::Viewer, earlier(1));
    store.create_link(&expired).await.unwrap();
    let late = store
        .redeem_invite(&home.id, &expired.id, &cem.id, Timestamp::now())
        .await;
    assert!(
        matches!(late, Err(AccountStoreError::LinkUnusable)),
        "{late:?}"
    );

    let revoked = invite(&home.id, Role::Viewer, later(3600));
    store.create_link(&revoked).await.unwrap();
    assert!(store.revoke_invite(&home.id, &revoked.id).await.unwrap());
    assert!(!store.revoke_invite(&home.id, &revoked.id).await.unwrap());
    let after_revoke = store
        .redeem_invite(&home.id, &revoked.id, &cem.id, Timestamp::now())
        .await;
    assert!(
        matches!(after_revoke, Err(AccountStoreError::LinkUnusable)),
        "{after_revoke:?}"
    );
    assert!(store
        .account(&cem.id)
        .await
        .unwrap()
        .unwrap()
        .memberships
        .is_empty());
}

pub async fn an_invite_never_lowers_a_role(store: SharedAccountStore) {
    let (owner, home) = owner_of(&store, "owner@example.org").await;
    let link = invite(&home.id, Role::Viewer, later(3600));
    store.create_link(&link).await.unwrap();
    let role = store
        .redeem_invite(&home.id, &link.id, &owner.id, Timestamp::now())
        .await
        .unwrap();
    assert_eq!(role, Role::Owner);
    let account = store.account(&owner.id).await.unwrap().unwrap();
    assert_eq!(account.role_in(&home.id), Some(Role::Owner));
}

/// Two people following one invite at once: one joins, the other is told it was used.
pub async fn an_invite_followed_twice_at_once_admits_one(store: SharedAccountStore) {
    let (_, home) = owner_of(&store, "owner@example.org").await;
    let link = invite(&home.id, Role::Viewer, later(3600));
    store.create_link(&link).await.unwrap();
    let (bea, cem) = (user("bea@example.org"), user("cem@example.org"));
    store.create_user(&bea).await.unwrap();
    store.create_user(&cem).await.unwrap();
    let now = Timestamp::now();
    let (a, b) = tokio::join!(
        store.redeem_invite(&home.id, &link.id, &bea.id, now),
        store.redeem_invite(&home.id, &link.id, &cem.id, now),
    );
    assert!(a.is_ok() != b.is_ok(), "exactly one joins: {a:?} {b:?}");
    assert!(matches!(
        a.err().or(b.err()),
        Some(AccountStoreError::LinkUnusable)
    ));
    assert_eq!(store.members(&home.id).await.unwrap().len(), 2);
}

pub async fn password_links_set_the_password_once(store: SharedAccountStore) {
    let ann = user("ann@example.org");
    store.create_user(&ann).await.unwrap();
    let link = Link {
        purpose: LinkPurpose::SetPassword { user: ann.id },
        ..invite(&CollectionId::generate(), Role::Viewer, later(3600))
    };
    store.create_link(&link).await.unwrap();
    assert_eq!(
        store.password_link(&ann.id, &link.id).await.unwrap(),
        Some(link.clone())
    );
    store
        .redeem_password_link(&ann.id, &link.id, &hash('p'), Timestamp::now())
        .await
        .unwrap();
    assert_eq!(
        store.user(&ann.id).await.unwrap().unwrap().password,
        Some(hash('p'))
    );
    let again = store
        .redeem_password_link(&ann.id, &link.id, &hash('q'), Timestamp::now())
        .await;
    assert!(
        matches!(again, Err(AccountStoreError::LinkUnusable)),
        "{again:?}"
    );
    assert_eq!(
        store.user(&ann.id).await.unwrap().unwrap().password,
        Some(hash('p'))
    );

    let expired = Link {
        purpose: LinkPurpose::SetPassword { user: ann.id },
        ..invite(&CollectionId::generate(), Role::Viewer, earlier(1))
    };
    store.create_link(&expired).await.unwrap();
    let late = store
        .redeem_password_link(&ann.id, &expired.id, &hash('r'), Timestamp::now())
        .await;
    assert!(
        matches!(late, Err(AccountStoreError::LinkUnusable)),
        "{late:?}"
    );
}

pub async fn sign_in_failures_count_within_a_window(store: SharedAccountStore) {
    let email = Email::parse("ann@example.org").unwrap();
    let window = Duration::from_secs(900);
    let start = Timestamp::now();
    assert_eq!(store.sign_in_failures(&email, start).await.unwrap(), None);
    let first = store
        .record_sign_in_failure(&email, start, window)
        .await
        .unwrap();
    let second = store
        .record_sign_in_failure(&email, later(1), window)
        .await
        .unwrap();
    assert_eq!((first.count, second.count), (1, 2));
    assert_eq!(
        second.window_ends, first.window_ends,
        "the window does not slide"
    );
    assert_eq!(
        store.sign_in_failures(&email, later(2)).await.unwrap(),
        Some(second)
    );
    let after_window = later(901);
    assert_eq!(
        store.sign_in_failures(&email, after_window).await.unwrap(),
        None
    );
    let fresh = store
        .record_sign_in_failure(&email, after_window, window)
        .await
        .unwrap();
    assert_eq!(fresh.count, 1);
    assert!(fresh.window_ends > second.window_ends);

    let other = Email::parse("bea@example.org").unwrap();
    store
        .record_sign_in_failure(&other, start, window)
        .await
        .unwrap();
    store.clear_sign_in_failures(&email).await.unwrap();
    assert_eq!(
        store.sign_in_failures(&email, after_window).await.unwrap(),
        None
    );
    assert!(store
        .sign_in_failures(&other, later(2))
        .await
        .unwrap()
        .is_some());
}

/// Generates one `#[tokio::test]` per suite function for a backend. `$open` is an async
/// expression yielding `(SharedAccountStore, guard)`; the guard lives as long as the test.
#[macro_export]
macro_rules! account_conformance_tests {
    ($open:expr) => {
        $crate::account_conformance_tests!(@each $open;
            the_first_owner_is_created_once, the_first_owner_takes_over_an_ownerless_collection,
            users_are_created_once_per_email,
            roles_change_and_a_collection_keeps_an_owner, concurrent_demotions_leave_an_owner,
            memberships_are_bounded, ensured_collections_exist_once_without_members,
            credentials_are_found_listed_touched_and_deleted, invites_work_once,
            an_invite_never_lowers_a_role, an_invite_followed_twice_at_once_admits_one,
            password_links_set_the_password_once, sign_in_failures_count_within_a_window);
    };
    (@each $open:expr; $($name:ident),*) => {
        mod accounts {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (store, _guard) = $open.await;
                    $crate::account_conformance::$name(store).await;
                }
            )*
        }
    };
}
