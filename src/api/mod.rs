//! The JSON API under `/api/v1` (SPEC §6.5): one more layer over the same services as the
//! pages, with the same privileges and tenant walls. A personal access token
//! (`Authorization: Bearer`) acts as its user in the account of the path; no cookies, no CSRF;
//! errors are `application/problem+json`; each token is throttled on its own. The OpenAPI 3.1
//! document at `/api/v1/openapi.json` is generated from the handlers' annotations.

mod auth;
mod body;
mod library;
mod problem;
mod publishing;

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

pub use auth::Api;
pub use problem::ApiError;

/// Every route of the API.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(openapi))
        .route("/accounts", web::get().to(library::accounts))
        .route(
            "/accounts/{account_id}/library",
            web::get().to(library::library),
        )
        .route(
            "/accounts/{account_id}/library/{process_id}",
            web::get().to(library::process),
        )
        .route(
            "/accounts/{account_id}/library/{process_id}/install",
            web::post().to(library::install),
        )
        .route(
            "/accounts/{account_id}/installations",
            web::get().to(library::installations),
        )
        .route(
            "/accounts/{account_id}/published-processes",
            web::get().to(publishing::list),
        )
        .route(
            "/accounts/{account_id}/published-processes",
            web::post().to(publishing::publish),
        )
        .route(
            "/accounts/{account_id}/published-processes/{process_id}",
            web::get().to(publishing::get),
        )
        .route(
            "/accounts/{account_id}/published-processes/{process_id}/tags",
            web::put().to(publishing::set_tags),
        )
        .route(
            "/accounts/{account_id}/publications/{publication_id}/republish",
            web::post().to(publishing::republish),
        )
        .route(
            "/accounts/{account_id}/groups",
            web::get().to(publishing::groups),
        )
        .route(
            "/accounts/{account_id}/groups/{group_id}/resources",
            web::get().to(publishing::resources),
        )
        .route(
            "/accounts/{account_id}/groups/{group_id}/resources",
            web::post().to(publishing::add_resources),
        )
        .route(
            "/accounts/{account_id}/groups/{group_id}/resources/{process_id}",
            web::delete().to(publishing::remove_resource),
        )
        .default_service(web::to(not_found));
}

async fn not_found() -> HttpResponse {
    ApiError::from(crate::error::AppError::NotFound).into_response()
}

/// The document: every route above, with its parameters, bodies and answers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Process Library API",
        version = "1",
        description = "Partners and their customers' process libraries, for scripts and CI. Authenticate with a personal access token from Settings > API Tokens: `Authorization: Bearer TOKEN`."
    ),
    paths(
        openapi,
        library::accounts,
        library::library,
        library::process,
        library::install,
        library::installations,
        publishing::list,
        publishing::publish,
        publishing::get,
        publishing::set_tags,
        publishing::republish,
        publishing::groups,
        publishing::resources,
        publishing::add_resources,
        publishing::remove_resource
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The OpenAPI 3.1 document of this API (no token needed).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"))
)]
pub async fn openapi() -> HttpResponse {
    match ApiDoc::openapi().to_pretty_json() {
        Ok(json) => HttpResponse::Ok()
            .content_type("application/json")
            .body(json),
        Err(error) => ApiError::from(crate::error::AppError::internal(error)).into_response(),
    }
}
