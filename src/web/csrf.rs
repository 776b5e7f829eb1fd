//! Form bodies with a CSRF token, compared in constant time before the form is read: a
//! signed-in session's synchronizer token, or, for the sign-in and set-up forms of an
//! anonymous visitor, the token of a signed cookie (double submit), so that an anonymous page
//! view writes nothing.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::domain::validation::{FieldErrors, has_forbidden_control};
use crate::error::AppError;
use crate::services::accounts::sessions::new_csrf;
use crate::web::session::{state, visitor};

/// The cookie of an anonymous visitor's CSRF token (signed with the cookie key).
pub const ANONYMOUS_COOKIE: &str = "pl_csrf";

/// The anonymous token the request's signed cookie carries, if its signature holds.
fn anonymous_token_of(req: &HttpRequest, key: &Key) -> Option<String> {
    let cookie = req.cookie(ANONYMOUS_COOKIE)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    let token = jar.signed(key).get(ANONYMOUS_COOKIE)?.value().to_owned();
    (!token.is_empty() && token.len() <= 64).then_some(token)
}

/// The token of an anonymous visitor's forms: the one their signed cookie carries, or a new
/// one with the cookie to set (nothing is stored on the server).
pub fn anonymous_token(
    req: &HttpRequest,
    key: &Key,
    secure: bool,
) -> (String, Option<Cookie<'static>>) {
    if let Some(token) = anonymous_token_of(req, key) {
        return (token, None);
    }
    let token = new_csrf();
    let mut jar = CookieJar::new();
    jar.signed_mut(key).add(
        Cookie::build(ANONYMOUS_COOKIE, token.clone())
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .finish(),
    );
    let cookie = jar.get(ANONYMOUS_COOKIE).cloned();
    (token, cookie)
}

/// The name of the hidden field that carries the token.
pub const FIELD: &str = "csrf_token";

/// A url-encoded form whose CSRF token matched the session's.
#[derive(Debug)]
pub struct Form<T>(pub T);

fn refused() -> AppError {
    AppError::Forbidden(
        "This form has expired or was not sent from this site. Go back, reload the page and try again.".to_owned(),
    )
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let visitor = visitor(&req).await?;
            let body = body.await.map_err(|_| {
                AppError::BadRequest("The form is too large or could not be read.".to_owned())
            })?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|_| AppError::BadRequest("The form could not be read.".to_owned()))?;
            let sent = pairs
                .iter()
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.as_bytes())
                .unwrap_or_default();
            let anonymous;
            let expected = match visitor.session() {
                Some(session) => session.csrf_token.as_bytes(),
                None => {
                    let key = state(&req)?.csrf_key.clone();
                    anonymous = anonymous_token_of(&req, &key).unwrap_or_default();
                    anonymous.as_bytes()
                }
            };
            if expected.is_empty() || !bool::from(sent.ct_eq(expected)) {
                return Err(refused());
            }
            if let Some((name, _)) = pairs.iter().find(|(_, v)| has_forbidden_control(v)) {
                let label: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
                return Err(AppError::Validation(FieldErrors::single(
                    "form",
                    format!(
                        "The field {label} holds a control character; remove it and send the form again."
                    ),
                )));
            }
            let value = serde_urlencoded::from_bytes(&body).map_err(|_| {
                AppError::BadRequest(
                    "The form is missing a field or has a malformed one.".to_owned(),
                )
            })?;
            Ok(Form(value))
        })
    }
}
