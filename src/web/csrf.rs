//! Form bodies with a synchronizer CSRF token: every POST form carries the session's token,
//! compared in constant time before the form is read.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::domain::validation::{FieldErrors, has_forbidden_control};
use crate::error::AppError;
use crate::web::session::visitor;

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
            let expected = visitor
                .session()
                .map(|s| s.csrf_token.as_bytes())
                .unwrap_or_default();
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
