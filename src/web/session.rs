//! The session cookie and the extractors that say who is calling: `Visitor` (anyone, with
//! the session if there is one) and `Actor` (a signed-in user in their current account).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_session::{Session as CookieSession, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::db::sessions::{Session, SessionUser};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Instance;
use crate::services::accounts::Access;
use crate::services::accounts::sessions::{self, Loaded};
use crate::web::blocking;
use crate::web::session_store::{self, keys};

/// The name of the session cookie (its value: the session key, signed).
pub const COOKIE: &str = "pl_session";

/// The client's address as the socket saw it (forwarding headers are not trusted).
pub fn client_addr(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

pub fn state(req: &HttpRequest) -> Result<web::Data<Instance>, AppError> {
    req.app_data::<web::Data<Instance>>()
        .cloned()
        .ok_or_else(|| AppError::internal("application state missing"))
}

/// Anyone: the session when the cookie names a live one.
#[derive(Clone)]
pub struct Visitor {
    /// Shared by the request's extractors (taken from the request's extensions by each).
    pub loaded: Option<Arc<Loaded>>,
    pub client_addr: String,
    /// The session of the request as actix-session keeps it: what a handler changes in it is
    /// saved after the response (and a new key is issued on renewal).
    pub cookie_session: CookieSession,
}

impl std::fmt::Debug for Visitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Visitor")
            .field("loaded", &self.loaded)
            .field("client_addr", &self.client_addr)
            .finish_non_exhaustive()
    }
}

impl Visitor {
    pub fn session(&self) -> Option<&Session> {
        self.loaded.as_ref().map(|l| &l.session)
    }

    /// Signed in with access to at least one account (a user who lost every account may
    /// sign in again as someone else).
    pub fn is_signed_in(&self) -> bool {
        self.loaded.as_ref().is_some_and(|l| l.access.is_some())
    }

    /// Stores a message for the next page (`status` or `alert`).
    pub fn flash(&self, kind: &str, message: &str) -> Result<(), AppError> {
        self.cookie_session
            .insert(keys::FLASH, format!("{kind}:{message}"))
            .map_err(AppError::internal)
    }

    /// Takes the pending message, if any, so that it shows once.
    pub fn take_flash(&self) -> Option<(String, String)> {
        // Only a message that is there is removed: a removal marks the session changed,
        // which writes it after the response.
        if !self.cookie_session.contains_key(keys::FLASH) {
            return None;
        }
        let text = self.cookie_session.remove_as::<String>(keys::FLASH)?.ok()?;
        let (kind, message) = text.split_once(':').unwrap_or(("status", &text));
        Some((kind.to_owned(), message.to_owned()))
    }
}

/// Loads the visitor once per request (later extractors reuse it).
pub async fn visitor(req: &HttpRequest) -> Result<Visitor, AppError> {
    if let Some(v) = req.extensions().get::<Visitor>() {
        return Ok(v.clone());
    }
    let state = state(req)?;
    let cookie_session = req.get_session();
    let id_hash = {
        let entries = cookie_session.entries();
        if let Some(message) = session_store::get::<String>(&entries, keys::UNAVAILABLE) {
            return Err(AppError::Unavailable(message));
        }
        session_store::get::<String>(&entries, keys::ID)
    };
    let loaded = match id_hash {
        Some(id_hash) => match session_store::take_loaded(&id_hash) {
            Some(loaded) => Some(loaded),
            // Another request of the same session took what the store read: read it again.
            None => {
                let shared = state.clone();
                blocking(move || {
                    sessions::load(
                        &shared.pool,
                        &shared.caches,
                        &id_hash,
                        &shared.settings.session,
                        None,
                    )
                })
                .await?
            }
        },
        None => None,
    };
    let visitor = Visitor {
        loaded: loaded.map(Arc::new),
        client_addr: client_addr(req),
        cookie_session,
    };
    req.extensions_mut().insert(visitor.clone());
    Ok(visitor)
}

impl FromRequest for Visitor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { visitor(&req).await })
    }
}

/// A signed-in user acting in their current account.
#[derive(Debug, Clone)]
pub struct Actor {
    pub visitor: Visitor,
    pub user: SessionUser,
    pub access: Access,
    /// The session as loaded for the request (its row: `loaded.session`).
    pub loaded: Arc<Loaded>,
    pub caller: Caller,
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            // The actor keeps the visitor for its session (the loaded part moves out of it).
            let mut visitor = visitor(&req).await?;
            let loaded = visitor.loaded.take().ok_or(AppError::Unauthenticated)?;
            let user = loaded.user.clone().ok_or(AppError::Unauthenticated)?;
            let access = loaded.access.clone().ok_or_else(|| {
                AppError::Forbidden(
                    "Your user has no access to any account. Ask an administrator to add you."
                        .to_owned(),
                )
            })?;
            let caller = Caller::signed_in(&user.id, &user.email, &access, &visitor.client_addr);
            Ok(Actor {
                visitor,
                user,
                access,
                loaded,
                caller,
            })
        })
    }
}
