//! The session cookie and the extractors that say who is calling: `Visitor` (anyone, with
//! the session if there is one) and `Actor` (a signed-in user in their current account).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::db::sessions::{Session, SessionUser};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::Instance;
use crate::services::accounts::Access;
use crate::services::accounts::sessions::{self, Loaded};

pub const COOKIE: &str = "pl_session";

/// The session cookie: only a random id, `HttpOnly`, `SameSite=Lax`, `Secure` over TLS.
pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// A cookie that removes the session cookie from the browser.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure);
    cookie.set_max_age(time::Duration::ZERO);
    cookie.set_expires(time::OffsetDateTime::UNIX_EPOCH);
    cookie
}

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
#[derive(Debug, Clone)]
pub struct Visitor {
    pub loaded: Option<Loaded>,
    pub client_addr: String,
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
}

/// Loads the visitor once per request (later extractors reuse it).
pub async fn visitor(req: &HttpRequest) -> Result<Visitor, AppError> {
    if let Some(v) = req.extensions().get::<Visitor>() {
        return Ok(v.clone());
    }
    let state = state(req)?;
    let token = req
        .cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|t| !t.is_empty() && t.len() <= 64);
    let loaded = match token {
        Some(token) => {
            let policy = state.settings.session.clone();
            let state = state.clone();
            web::block(move || sessions::load(&state.pool, &state.caches, &token, policy)).await??
        }
        None => None,
    };
    let visitor = Visitor {
        loaded,
        client_addr: client_addr(req),
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
    pub session: Session,
    pub user: SessionUser,
    pub access: Access,
    pub loaded: Loaded,
    pub caller: Caller,
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let visitor = visitor(&req).await?;
            let loaded = visitor.loaded.ok_or(AppError::Unauthenticated)?;
            let user = loaded.user.clone().ok_or(AppError::Unauthenticated)?;
            let access = loaded.access.clone().ok_or_else(|| {
                AppError::Forbidden(
                    "Your user has no access to any account. Ask an administrator to add you."
                        .to_owned(),
                )
            })?;
            let caller = Caller::signed_in(&user.id, &user.email, &access, &visitor.client_addr);
            Ok(Actor {
                session: loaded.session.clone(),
                user,
                access,
                loaded,
                caller,
            })
        })
    }
}
