//! Errors as `application/problem+json` (RFC 9457): the status, a title, what went wrong, and
//! for refused input each field's message.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::error::AppError;

/// Why an API request was not done.
#[derive(Debug)]
pub enum ApiError {
    /// No token, or one that is not (or no longer) valid: 401.
    Unauthorized(&'static str),
    /// A read-only token asked to change something: 403.
    ReadOnly,
    /// The token's requests come too fast: 429, with when to try again.
    Throttled(std::time::Duration),
    /// What the services answered.
    App(AppError),
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self::App(error)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unauthorized(why) => write!(f, "unauthorized: {why}"),
            Self::ReadOnly => write!(f, "read-only token"),
            Self::Throttled(wait) => write!(f, "throttled for {wait:?}"),
            Self::App(error) => write!(f, "{error}"),
        }
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError<'a>>,
}

#[derive(Serialize)]
struct FieldError<'a> {
    field: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn into_response(self) -> HttpResponse {
        self.error_response()
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::ReadOnly => StatusCode::FORBIDDEN,
            Self::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            // Never a redirect to a sign-in page.
            Self::App(AppError::Unauthenticated) => StatusCode::UNAUTHORIZED,
            Self::App(error) => error.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let mut errors = Vec::new();
        let (title, detail) = match self {
            Self::Unauthorized(why) => ("Unauthorized", (*why).to_owned()),
            Self::ReadOnly => (
                "Forbidden",
                "This token is read only: make a Read and write token to change things.".to_owned(),
            ),
            Self::Throttled(wait) => (
                "Too many requests",
                format!("Slow down: try again in {} s.", wait.as_secs().max(1)),
            ),
            Self::App(error) => match error {
                AppError::NotFound => (
                    "Not found",
                    "There is nothing at this address, or the token cannot see it.".to_owned(),
                ),
                AppError::Forbidden(reason) => ("Forbidden", reason.clone()),
                AppError::Unauthenticated => ("Unauthorized", "Send a token.".to_owned()),
                AppError::Validation(fields) | AppError::Refused(fields) => {
                    errors = fields
                        .iter()
                        .map(|(field, message)| FieldError { field, message })
                        .collect();
                    (
                        if status == StatusCode::CONFLICT {
                            "Conflict"
                        } else {
                            "Unprocessable content"
                        },
                        "Some values were not accepted: see errors.".to_owned(),
                    )
                }
                AppError::BadRequest(reason) => ("Bad request", reason.clone()),
                AppError::Conflict(reason) => ("Conflict", reason.clone()),
                AppError::TooManyRequests(reason) => ("Too many requests", reason.clone()),
                AppError::Unavailable(cause) => {
                    tracing::error!(cause = %cause, "database unavailable");
                    (
                        "Service unavailable",
                        "The database cannot be reached right now.".to_owned(),
                    )
                }
                AppError::Internal(_) | AppError::NeedsDatabase => {
                    tracing::error!(cause = %error, "internal error");
                    (
                        "Internal error",
                        "The request could not be completed. Nothing was changed.".to_owned(),
                    )
                }
            },
        };
        let body = Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail,
            errors,
        };
        let mut response = HttpResponse::build(status);
        response.content_type("application/problem+json");
        if let Self::Throttled(wait) = self {
            response.insert_header(("Retry-After", wait.as_secs().max(1).to_string()));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(body)
    }
}
