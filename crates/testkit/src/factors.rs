//! Two-factor sign-in for tests: accounts that need a second factor are bound to an
//! authenticator through the store's own enrolment, and a test asks for the code the app would
//! show now, as a person would read it off their phone.
//!
//! The secrets are kept here per database and account. A code is taken once: when the last
//! code of an account was of the current 30-second step, the test clock moves on a step first.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use linkong_core::two_factor::{Authenticator, required};
use linkong_store::users::User;

use crate::TestDb;

/// (database url, username) → (base32 secret, last step whose code was handed out).
type Secrets = Mutex<HashMap<(String, String), (String, i64)>>;

fn secrets() -> &'static Secrets {
    static SECRETS: OnceLock<Secrets> = OnceLock::new();
    SECRETS.get_or_init(|| Mutex::new(HashMap::new()))
}

fn now_step(db: &TestDb) -> i64 {
    db.clock.now().timestamp() / 30
}

/// Binds `user` to an authenticator through the store (begin, then confirm with a code), when
/// its role needs one and it has none yet. Returns its recovery codes (empty when nothing was
/// done).
pub async fn ensure_factor(db: &TestDb, user: &User) -> Vec<String> {
    if !required(user.role)
        || db
            .store
            .factor_status(user.id)
            .await
            .expect("factor status")
            .enrolled
    {
        return Vec::new();
    }
    let enrolment = db.store.begin_enrolment(user).await.expect("enrolment");
    let secret = enrolment.secret.replace(' ', "");
    let key = (db.url.clone(), user.username.clone());
    secrets()
        .lock()
        .expect("secrets")
        .insert(key, (secret, i64::MIN));
    let code = factor_code(db, &user.username);
    db.store
        .confirm_enrolment(user, None, &code, "")
        .await
        .expect("store answers")
        .expect("the app's code is accepted")
}

/// [`ensure_factor`] for an account known by name.
pub async fn ensure_factor_of(db: &TestDb, username: &str) {
    if let Some(user) = db.store.user_by_name(username).await.expect("user") {
        ensure_factor(db, &user).await;
    }
}

/// The code `username`'s app shows now (a step later than the last one handed out, moving the
/// test clock on when needed). Panics for an account not bound here.
pub fn factor_code(db: &TestDb, username: &str) -> String {
    let key = (db.url.clone(), username.to_owned());
    let mut secrets = secrets().lock().expect("secrets");
    let (secret, last) = secrets
        .get_mut(&key)
        .unwrap_or_else(|| panic!("{username} has no authenticator bound by the testkit"));
    if now_step(db) <= *last {
        db.clock
            .advance(chrono::Duration::seconds(30 * (*last - now_step(db) + 1)));
    }
    *last = now_step(db);
    Authenticator::from_base32(secret, username)
        .expect("secret")
        .code_at(db.clock.now().timestamp())
}

/// Whether the testkit holds an authenticator of `username` on `db`.
pub fn has_factor(db: &TestDb, username: &str) -> bool {
    secrets()
        .lock()
        .expect("secrets")
        .contains_key(&(db.url.clone(), username.to_owned()))
}
