//! HTTP: routes, extractors, pages. Handlers parse, call one service, then redirect or render;
//! they never touch the database themselves.

pub mod accounts;
pub mod api_tokens;
pub mod assets;
pub mod audit;
pub mod browse;
pub mod build;
pub mod confirm;
pub mod csrf;
pub mod dates;
pub mod deploy;
pub mod errors;
pub mod groups;
pub mod library;
pub mod packs;
pub mod page;
pub mod page_parts;
pub mod pairs;
pub mod request;
pub mod sections;
pub mod security;
pub mod session;
pub mod session_store;

use actix_web::web;

use crate::error::AppError;

/// Every route of the product but the static assets (which need no session).
pub fn routes(cfg: &mut web::ServiceConfig) {
    accounts::routes(cfg);
    api_tokens::routes(cfg);
    browse::routes(cfg);
    build::routes(cfg);
    deploy::routes(cfg);
    library::routes(cfg);
    groups::routes(cfg);
    packs::routes(cfg);
    sections::routes(cfg);
    audit::routes(cfg);
}

/// Runs blocking work (diesel, bcrypt) off the async workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    web::block(f).await?
}

/// The 404 page for every unknown address.
pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
