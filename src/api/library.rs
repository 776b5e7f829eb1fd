//! The library through the API: the accounts a token reaches, a managed account's library
//! (search, sort, keyset paging), one process of it, install, and the account's installations.
// utoipa's generated code names a parameters struct by a path that this module does not need.
#![allow(unused_qualifications)]

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;
use super::auth::{Api, read, run};
use super::body::Body;
use crate::db::browse::{Installation, LibraryFilter};
use crate::db::ids::{FolderId, ProcessId};
use crate::db::library::PublishedProcess;
use crate::services::browse::install::{self, InstallInput};
use crate::services::browse::library::{self as browse, Rendering};
use crate::web::browse::library::{cursor_of, cursor_text, sort_of};

/// Processes a page of the library holds at most.
const MAX_LIMIT: usize = 100;

/// An account the token's user reaches.
#[derive(Serialize, ToSchema)]
pub struct AccountOut {
    pub id: String,
    pub name: String,
    /// `primary` or `managed`.
    pub kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountList {
    pub accounts: Vec<AccountOut>,
    /// More accounts are reachable than listed.
    pub more: bool,
}

/// The accounts the token's user reaches, by name.
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    responses(
        (status = 200, body = AccountList),
        (status = 401, description = "No token, or not a live one", content_type = "application/problem+json")
    )
)]
pub async fn accounts(api: Api) -> Result<HttpResponse, ApiError> {
    let pool = api.instance().pool.clone();
    let bearer = api.bearer.clone();
    let (accounts, more) =
        crate::web::blocking(move || crate::services::api_tokens::reachable(&pool, &bearer))
            .await?;
    Ok(HttpResponse::Ok().json(AccountList {
        accounts: accounts
            .into_iter()
            .map(|a| AccountOut {
                id: a.id.into_string(),
                name: a.name,
                kind: a.kind,
            })
            .collect(),
        more,
    }))
}

/// A published process as a library shows it.
#[derive(Serialize, ToSchema)]
pub struct ProcessOut {
    pub id: String,
    pub name: String,
    pub description: String,
    /// `process` or `api_service`.
    pub component_type: String,
    pub latest_version: i32,
    #[schema(value_type = String, format = DateTime)]
    pub latest_published_at: chrono::NaiveDateTime,
    pub component_count: i32,
    pub install_count: i64,
    pub deprecated: bool,
    /// The highest version this account installed, if any.
    pub installed_version: Option<i32>,
    /// One of the categories, or empty.
    pub category: String,
    pub tags: Vec<String>,
    /// The connectors its latest publication uses (codes such as `salesforce`).
    pub connectors: Vec<String>,
}

fn process_out(p: &PublishedProcess, installed: Option<i32>) -> ProcessOut {
    ProcessOut {
        id: p.id.to_string(),
        name: p.name.clone(),
        description: p.description.clone(),
        component_type: p.component_type.clone(),
        latest_version: p.latest_sequence,
        latest_published_at: p.latest_published_at,
        component_count: p.component_count,
        install_count: p.install_count,
        deprecated: p.is_deprecated(),
        installed_version: installed,
        category: p.category.clone(),
        tags: p.tag_list().map(str::to_owned).collect(),
        connectors: p.connector_codes().map(str::to_owned).collect(),
    }
}

/// A facet's value and how many processes it would show.
#[derive(Serialize, ToSchema)]
pub struct FacetOut {
    pub value: String,
    pub count: usize,
}

#[derive(Serialize, ToSchema)]
pub struct LibraryPage {
    pub processes: Vec<ProcessOut>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
    /// Categories with their counts over the search and the other filters (most first).
    pub categories: Vec<FacetOut>,
    /// Tags with their counts over the search and the other filters (most first).
    pub tags: Vec<FacetOut>,
    /// Connector codes with their counts over the search and the other filters (most first).
    pub connectors: Vec<FacetOut>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LibraryQuery {
    /// Text found in the name or the description.
    #[serde(default)]
    pub q: String,
    /// `popular` (the default), `date` or `name`.
    #[serde(default)]
    pub sort: String,
    /// The `next` of the page before.
    #[serde(default)]
    pub after: String,
    /// Processes a page holds (1–100, 20 by default).
    pub limit: Option<usize>,
    /// Also list deprecated processes.
    #[serde(default)]
    pub show_deprecated: bool,
    /// Only this category.
    #[serde(default)]
    pub category: String,
    /// Only processes with this tag (compared as names are).
    #[serde(default)]
    pub tag: String,
    /// Only processes whose latest publication uses this connector (a code such as
    /// `salesforce`).
    #[serde(default)]
    pub connector: String,
}

/// A page of the account's library (Build Read Access).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{account_id}/library",
    params(("account_id" = String, Path, description = "The account"), LibraryQuery),
    responses(
        (status = 200, body = LibraryPage),
        (status = 404, description = "No such account for this token", content_type = "application/problem+json")
    )
)]
pub async fn library(
    api: Api,
    path: web::Path<String>,
    query: web::Query<LibraryQuery>,
) -> Result<HttpResponse, ApiError> {
    let ctx = api.ctx_in(path.into_inner()).await?;
    let query = query.into_inner();
    let sort = sort_of(&query.sort);
    let limit = query.limit.unwrap_or(20).clamp(1, MAX_LIMIT);
    let filter = LibraryFilter {
        text: Some(crate::domain::validation::name_key(&query.q)).filter(|t| !t.is_empty()),
        sort,
        after: cursor_of(sort, &query.after),
        before: None,
        show_deprecated: query.show_deprecated,
        publishers: Vec::new(),
        category: Some(query.category.trim().to_owned()).filter(|c| !c.is_empty()),
        tag: Some(crate::domain::validation::name_key(&query.tag)).filter(|t| !t.is_empty()),
        connector: Some(query.connector.trim().to_owned()).filter(|c| !c.is_empty()),
    };
    let page = read(ctx, move |ctx| {
        browse::rendered(ctx, &filter, limit, Rendering::Json, |lib| {
            (library_json(lib, sort), None, None)
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(page.value.html.clone()))
}

fn facet_out<'a>(values: impl Iterator<Item = (&'a String, usize)>) -> Vec<FacetOut> {
    values
        .map(|(value, count)| FacetOut {
            value: value.clone(),
            count,
        })
        .collect()
}

/// A page of the library as the API answers it (kept rendered, as the Browse page's cards).
fn library_json(page: &browse::Library, sort: crate::db::browse::Sort) -> String {
    let next = if page.more {
        page.entries.last().map(|e| cursor_text(sort, e))
    } else {
        None
    };
    let answer = LibraryPage {
        processes: page
            .entries
            .iter()
            .map(|e| process_out(&e.process, e.installed))
            .collect(),
        next,
        categories: facet_out(page.facets.categories.iter().map(|(v, n)| (v, *n))),
        tags: facet_out(page.facets.tags.iter().map(|(_, v, n)| (v, *n))),
        connectors: facet_out(page.facets.connectors.iter().map(|(v, n)| (v, *n))),
    };
    serde_json::to_string(&answer).unwrap_or_else(|_| "{}".to_owned())
}

/// One process of the account's library (Build Read Access).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{account_id}/library/{process_id}",
    params(
        ("account_id" = String, Path, description = "The account"),
        ("process_id" = String, Path, description = "The published process")
    ),
    responses(
        (status = 200, body = ProcessOut),
        (status = 404, description = "Not in this account's library", content_type = "application/problem+json")
    )
)]
pub async fn process(
    api: Api,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (account, process) = path.into_inner();
    let ctx = api.ctx_in(account).await?;
    let entry = run(ctx, move |ctx| {
        browse::entry(ctx, &ProcessId::from(process))
    })
    .await?;
    Ok(HttpResponse::Ok().json(process_out(&entry.process, entry.installed)))
}

/// What to install, and where.
#[derive(Deserialize, ToSchema, Default)]
pub struct InstallIn {
    /// The copy's name (the process's name by default).
    #[serde(default)]
    pub local_name: String,
    /// The folder to install into (the account's root folder by default).
    #[serde(default)]
    pub folder_id: String,
    /// A new folder to make inside it and install into.
    #[serde(default)]
    pub new_folder: String,
}

/// An installation: a copy of one publication in the account.
#[derive(Serialize, ToSchema)]
pub struct InstallationOut {
    pub id: String,
    pub process_id: String,
    pub version: i32,
    pub local_name: String,
    pub folder_id: String,
    /// The copy of the process itself.
    pub root_component_id: String,
    #[schema(value_type = String, format = DateTime)]
    pub installed_at: chrono::NaiveDateTime,
    pub installed_by: Option<String>,
}

fn installation_out(i: Installation) -> InstallationOut {
    InstallationOut {
        id: i.id.into_string(),
        process_id: i.published_process_id.into_string(),
        version: i.sequence,
        local_name: i.local_name,
        folder_id: i.folder_id.into_string(),
        root_component_id: i.root_component_id.into_string(),
        installed_at: i.installed_at,
        installed_by: i.installed_by,
    }
}

/// Installs a copy of the process's latest publication (Build Read and Write Access). The
/// same `Idempotency-Key` header again answers the first installation instead of a second.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{account_id}/library/{process_id}/install",
    params(
        ("account_id" = String, Path, description = "The account"),
        ("process_id" = String, Path, description = "The published process"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeats of the same key install once")
    ),
    request_body(content = InstallIn, description = "Where and under which name (all optional)"),
    responses(
        (status = 201, body = InstallationOut),
        (status = 403, description = "A read-only token, or no Build Write Access", content_type = "application/problem+json"),
        (status = 404, description = "Not in this account's library", content_type = "application/problem+json"),
        (status = 422, description = "A value was refused", content_type = "application/problem+json")
    )
)]
pub async fn install(
    api: Api,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Body<InstallIn>,
) -> Result<HttpResponse, ApiError> {
    let (account, process) = path.into_inner();
    let body = body.0;
    let key = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), |k| format!("api:{k}"));
    let ctx = api.ctx_in(account).await?;
    let installation = run(ctx, move |ctx| {
        let process_id = ProcessId::from(process);
        let folder_id = if body.folder_id.is_empty() {
            FolderId::from(
                crate::services::build::folders::tree(ctx)?
                    .value
                    .root()
                    .map(|f| f.id.clone())
                    .unwrap_or_default(),
            )
        } else {
            FolderId::from(body.folder_id)
        };
        let local_name = if body.local_name.trim().is_empty() {
            browse::entry(ctx, &process_id)?.process.name.clone()
        } else {
            body.local_name
        };
        install::install(
            ctx,
            &process_id,
            &InstallInput {
                folder_id,
                new_folder: body.new_folder,
                local_name,
                idempotency_key: key,
                bindings: Default::default(),
                on_behalf_of: None,
            },
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(installation_out(installation)))
}

#[derive(Serialize, ToSchema)]
pub struct InstallationList {
    /// How many installations the account made.
    pub total: i64,
    /// The latest, newest first (at most 100).
    pub installations: Vec<InstallationOut>,
}

/// The account's installations, newest first (Build Read Access).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{account_id}/installations",
    params(("account_id" = String, Path, description = "The account")),
    responses(
        (status = 200, body = InstallationList),
        (status = 404, description = "No such account for this token", content_type = "application/problem+json")
    )
)]
pub async fn installations(api: Api, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let ctx = api.ctx_in(path.into_inner()).await?;
    let (total, latest) = run(ctx, |ctx| install::latest(ctx, 100)).await?;
    Ok(HttpResponse::Ok().json(InstallationList {
        total,
        installations: latest.into_iter().map(installation_out).collect(),
    }))
}
