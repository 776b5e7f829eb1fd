//! One error type for the whole product, rendered as an HTML page with the right status.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::domain::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("sign-in required")]
    Unauthenticated,
    #[error("invalid input")]
    Validation(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// A form's values conflict with what exists (409): the form is shown again with them.
    #[error("refused")]
    Refused(FieldErrors),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// A cache-only service context was asked for database work (`services::Ctx`); the web
    /// layer then runs the service again off the async workers. Never shown to anyone.
    #[error("the database is needed")]
    NeedsDatabase,
}

impl AppError {
    pub fn forbidden() -> Self {
        Self::Forbidden(
            "You do not have the privilege to open this page in this account.".to_owned(),
        )
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::single(field, message))
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::Conflict(
                "Someone else just made the same change. Reload the page to see it.".to_owned(),
            ),
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => Self::Unavailable(format!("{LOST_MARK}: {}", info.message())),
            Error::DatabaseError(_, info) if unavailable(info.message()) => {
                Self::Unavailable(info.message().to_owned())
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        Self::Validation(errors)
    }
}

/// What an error page said, kept on its response so that the web layer can show it again
/// inside a signed-in user's layout (`web::errors`).
#[derive(Debug, Clone)]
pub struct Shown {
    pub title: String,
    pub message: String,
    pub messages: Vec<String>,
    pub reference: Option<String>,
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    messages: Vec<String>,
    reference: Option<String>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Unauthenticated => StatusCode::SEE_OTHER,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) | Self::Refused(_) => StatusCode::CONFLICT,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) | Self::NeedsDatabase => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if matches!(self, Self::Unauthenticated) {
            return HttpResponse::SeeOther()
                .insert_header(("Location", "/login"))
                .finish();
        }
        let mut reference = None;
        let (title, message): (&str, &str) = match self {
            Self::NotFound => (
                "Page not found",
                "There is nothing at this address, or you cannot see it.",
            ),
            Self::Forbidden(reason) => ("Access denied", reason),
            Self::Validation(_) => (
                "Please correct the form",
                "Some of the values sent were not accepted.",
            ),
            Self::BadRequest(reason) => ("Bad request", reason),
            Self::Conflict(reason) => ("This cannot be done", reason),
            Self::Refused(errors) => (
                "This cannot be done",
                errors.iter().next().map_or("", |(_, message)| message),
            ),
            Self::TooManyRequests(reason) => ("Too many attempts", reason),
            Self::Unavailable(cause) => {
                let id = correlation_id();
                tracing::error!(correlation_id = %id, cause = %cause, "database unavailable");
                reference = Some(id);
                (
                    "Service unavailable",
                    "The database cannot be reached right now. Please try again shortly.",
                )
            }
            Self::Internal(_) | Self::NeedsDatabase => {
                let id = correlation_id();
                tracing::error!(correlation_id = %id, cause = %self, "internal error");
                reference = Some(id);
                (
                    "Something went wrong",
                    "The request could not be completed. Nothing was changed.",
                )
            }
            Self::Unauthenticated => ("Sign in", "Please sign in."),
        };
        let messages = match self {
            Self::Validation(errors) => errors.iter().map(|(_, m)| m.to_owned()).collect(),
            _ => Vec::new(),
        };
        let page = ErrorPage {
            title,
            message,
            messages,
            reference,
        };
        let body = page.render().unwrap_or_else(|_| title.to_owned());
        let mut response = HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body);
        response.extensions_mut().insert(Shown {
            title: title.to_owned(),
            message: message.to_owned(),
            messages: page.messages,
            reference: page.reference,
        });
        response
    }
}

/// How the cause of an error through a connection the driver found closed begins.
const LOST_MARK: &str = "connection lost";

/// Messages of a connection the database dropped (a restart, a fail-over, a network cut).
const LOST: [&str; 6] = [
    LOST_MARK,
    "terminating connection",
    "server closed the connection",
    "no connection to the server",
    "could not receive data",
    "could not send data",
];

/// Whether an error says the connection it came through is lost (then the work can be tried on
/// a new one), rather than that the database cannot serve it.
pub fn lost_connection(error: &AppError) -> bool {
    let AppError::Unavailable(message) = error else {
        return false;
    };
    let message = message.to_ascii_lowercase();
    LOST.iter().any(|m| message.contains(m))
}

/// Messages of a database that is there but cannot serve: read-only, locked for too long,
/// out of space, or gone.
fn unavailable(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "readonly",
        "read-only",
        "database is locked",
        "disk i/o",
        "database or disk is full",
    ]
    .iter()
    .chain(LOST.iter())
    .any(|m| message.contains(m))
}

fn correlation_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_cannot_serve_answers_503() {
        use diesel::result::{DatabaseErrorKind, Error};
        let readonly = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("attempt to write a readonly database".to_owned()),
        );
        assert_eq!(
            AppError::from(readonly).status_code(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        let closed = Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            Box::new("server closed the connection".to_owned()),
        );
        assert_eq!(
            AppError::from(closed).status_code(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        let other = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("syntax error".to_owned()),
        );
        assert_eq!(
            AppError::from(other).status_code(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        let page = AppError::Unavailable("down".to_owned()).error_response();
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn only_a_lost_connection_is_worth_a_new_one() {
        use diesel::result::{DatabaseErrorKind, Error};
        let closed = Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            Box::new("SSL error: unexpected eof while reading".to_owned()),
        );
        assert!(lost_connection(&AppError::from(closed)));
        let terminated = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("FATAL: terminating connection due to administrator command".to_owned()),
        );
        assert!(lost_connection(&AppError::from(terminated)));
        for cannot_serve in [
            "attempt to write a readonly database",
            "cannot execute INSERT in a read-only transaction",
            "database is locked",
        ] {
            let error = AppError::from(Error::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new(cannot_serve.to_owned()),
            ));
            assert_eq!(error.status_code(), StatusCode::SERVICE_UNAVAILABLE);
            assert!(!lost_connection(&error), "{cannot_serve}");
        }
        assert!(!lost_connection(&AppError::NotFound));
    }
}
