//! A partner's library through the API: its published processes and their publications,
//! publish (from a shareable package, or under the Legacy model from the latest revision),
//! republish, and its account groups' resources (list, add, remove).
// utoipa's generated code names a parameters struct by a path that this module does not need.
#![allow(unused_qualifications)]

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiError;
use super::auth::{Api, run};
use super::body::Body;
use crate::db::ids::{ComponentId, GroupId, PackageId, ProcessId, PublicationId};
use crate::db::library::{Publication, PublishedProcess};
use crate::domain::accounts::DeploymentModel;
use crate::error::AppError;
use crate::services::groups;
use crate::services::library::legacy::{self, LegacyInput};
use crate::services::library::publishing::{self, PublishInput};
use crate::services::library::tagging;

/// Publications a process's answer lists at most (newest first).
const HISTORY: i64 = 50;
/// Resources a group's answer lists at most.
const RESOURCES: i64 = 500;

/// A published process (or API service) of the partner's library.
#[derive(Serialize, ToSchema)]
pub struct PublishedOut {
    pub id: String,
    pub component_id: String,
    pub name: String,
    /// `process` or `api_service`.
    pub component_type: String,
    pub description: String,
    pub latest_version: i32,
    pub install_count: i64,
    pub deprecated: bool,
    /// One of the categories, or empty.
    pub category: String,
    pub tags: Vec<String>,
    /// The connectors its latest publication uses (codes such as `salesforce`).
    pub connectors: Vec<String>,
}

fn published_out(p: &PublishedProcess) -> PublishedOut {
    PublishedOut {
        id: p.id.to_string(),
        component_id: p.component_id.to_string(),
        name: p.name.clone(),
        component_type: p.component_type.clone(),
        description: p.description.clone(),
        latest_version: p.latest_sequence,
        install_count: p.install_count,
        deprecated: p.is_deprecated(),
        category: p.category.clone(),
        tags: p.tag_list().map(str::to_owned).collect(),
        connectors: p.connector_codes().map(str::to_owned).collect(),
    }
}

/// One version of a published process.
#[derive(Serialize, ToSchema)]
pub struct PublicationOut {
    pub id: String,
    pub version: i32,
    pub package_id: String,
    pub package_version: String,
    pub description: String,
    pub include_passwords: bool,
    pub notes: String,
    pub published_by: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub published_at: chrono::NaiveDateTime,
}

fn publication_out(p: Publication, package_version: String) -> PublicationOut {
    PublicationOut {
        id: p.id.into_string(),
        version: p.sequence,
        package_id: p.package_id.into_string(),
        package_version,
        description: p.description,
        include_passwords: p.include_passwords,
        notes: p.notes,
        published_by: p.published_by,
        published_at: p.published_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct PublishedList {
    pub processes: Vec<PublishedOut>,
}

/// The partner's published processes and API services, by name (Process Library privilege).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{account_id}/published-processes",
    params(("account_id" = String, Path, description = "The primary account")),
    responses(
        (status = 200, body = PublishedList),
        (status = 403, description = "No Process Library privilege, or the feature is off", content_type = "application/problem+json"),
        (status = 404, description = "Not a primary account this token reaches", content_type = "application/problem+json")
    )
)]
pub async fn list(api: Api, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let ctx = api.ctx_in(path.into_inner()).await?;
    let processes = run(ctx, publishing::published).await?;
    Ok(HttpResponse::Ok().json(PublishedList {
        processes: processes.iter().map(published_out).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PublishedDetail {
    pub process: PublishedOut,
    /// The latest publications (at most 50), newest first.
    pub publications: Vec<PublicationOut>,
}

/// One published process with its publications (Process Library privilege).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{account_id}/published-processes/{process_id}",
    params(
        ("account_id" = String, Path, description = "The primary account"),
        ("process_id" = String, Path, description = "The published process")
    ),
    responses(
        (status = 200, body = PublishedDetail),
        (status = 404, description = "Not a published process of this account", content_type = "application/problem+json")
    )
)]
pub async fn get(api: Api, path: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    let (account, process) = path.into_inner();
    let ctx = api.ctx_in(account).await?;
    let (process, publications) = run(ctx, move |ctx| {
        publishing::history(ctx, &ProcessId::from(process), HISTORY)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PublishedDetail {
        process: published_out(&process),
        publications: publications
            .into_iter()
            .map(|(p, version)| publication_out(p, version))
            .collect(),
    }))
}

/// A published process's category and tags, as *Save Category and Tags* sets them.
#[derive(Deserialize, ToSchema)]
pub struct TagsIn {
    /// One of CRM, ERP, E-commerce, Finance, HR, Marketing, Data Sync, Other; empty for none.
    #[serde(default)]
    pub category: String,
    /// Up to 10 tags of up to 30 characters.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Sets the category and the tags of a published process (Process Library privilege, a
/// read-and-write token); answers the process as it now is.
#[utoipa::path(
    put,
    path = "/api/v1/accounts/{account_id}/published-processes/{process_id}/tags",
    params(
        ("account_id" = String, Path, description = "The primary account"),
        ("process_id" = String, Path, description = "The published process")
    ),
    request_body = TagsIn,
    responses(
        (status = 200, body = PublishedOut),
        (status = 404, description = "Not a published process of this account", content_type = "application/problem+json"),
        (status = 422, description = "A value was refused", content_type = "application/problem+json")
    )
)]
pub async fn set_tags(
    api: Api,
    path: web::Path<(String, String)>,
    body: Body<TagsIn>,
) -> Result<HttpResponse, ApiError> {
    let (account, process) = path.into_inner();
    let body = body.0;
    if body.tags.iter().any(|t| t.contains(',')) {
        return Err(AppError::invalid("tags", "A tag cannot hold a comma.").into());
    }
    let ctx = api.ctx_in(account).await?;
    let process = run(ctx, move |ctx| {
        let id = ProcessId::from(process);
        let (found, _) = publishing::history(ctx, &id, 1)?;
        tagging::save(
            ctx,
            &found.component_id,
            &body.category,
            &body.tags.join(", "),
        )?;
        publishing::history(ctx, &id, 1).map(|(p, _)| p)
    })
    .await?;
    Ok(HttpResponse::Ok().json(published_out(&process)))
}

/// What to publish.
#[derive(Deserialize, ToSchema)]
pub struct PublishIn {
    /// The process or API service.
    pub component_id: String,
    /// A shareable package of it (packaged components); left out under the Legacy model,
    /// which publishes the component's latest revision.
    #[serde(default)]
    pub package_id: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub include_passwords: bool,
    #[serde(default)]
    pub notes: String,
}

/// Publishes a new version (Process Library privilege, a read-and-write token).
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{account_id}/published-processes",
    params(("account_id" = String, Path, description = "The primary account")),
    request_body = PublishIn,
    responses(
        (status = 201, body = PublicationOut),
        (status = 409, description = "Nothing new to publish, or the other deployment model's way", content_type = "application/problem+json"),
        (status = 422, description = "A value was refused", content_type = "application/problem+json")
    )
)]
pub async fn publish(
    api: Api,
    path: web::Path<String>,
    body: Body<PublishIn>,
) -> Result<HttpResponse, ApiError> {
    let ctx = api.ctx_in(path.into_inner()).await?;
    let body = body.0;
    let publication = run(ctx, move |ctx| {
        if ctx.caller().deployment_model() == DeploymentModel::Legacy {
            legacy::publish_latest(
                ctx,
                &LegacyInput {
                    component_id: ComponentId::from(body.component_id),
                    description: body.description,
                    include_passwords: body.include_passwords,
                    notes: body.notes,
                },
            )
        } else {
            publishing::publish(
                ctx,
                &PublishInput {
                    component_id: ComponentId::from(body.component_id),
                    package_id: PackageId::from(body.package_id),
                    description: body.description,
                    include_passwords: body.include_passwords,
                    notes: body.notes,
                },
            )
        }
    })
    .await?;
    Ok(HttpResponse::Created().json(publication_out(publication, String::new())))
}

/// Why an older version is published again.
#[derive(Deserialize, ToSchema, Default)]
pub struct RepublishIn {
    #[serde(default)]
    pub reason: String,
}

/// Publishes an older version again as the newest (Process Library privilege).
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{account_id}/publications/{publication_id}/republish",
    params(
        ("account_id" = String, Path, description = "The primary account"),
        ("publication_id" = String, Path, description = "An older publication")
    ),
    request_body(content = RepublishIn, description = "Optional"),
    responses(
        (status = 201, body = PublicationOut),
        (status = 409, description = "Already the latest version", content_type = "application/problem+json")
    )
)]
pub async fn republish(
    api: Api,
    path: web::Path<(String, String)>,
    body: Body<RepublishIn>,
) -> Result<HttpResponse, ApiError> {
    let (account, publication) = path.into_inner();
    let reason = body.0.reason;
    let ctx = api.ctx_in(account).await?;
    let made = run(ctx, move |ctx| {
        publishing::republish(ctx, &PublicationId::from(publication), &reason)
    })
    .await?;
    Ok(HttpResponse::Created().json(publication_out(made, String::new())))
}

/// An account group of the partner.
#[derive(Serialize, ToSchema)]
pub struct GroupOut {
    pub id: String,
    pub name: String,
    /// *All Accounts* or *All Platform Accounts*: members by definition.
    pub system: bool,
}

#[derive(Serialize, ToSchema)]
pub struct GroupList {
    pub groups: Vec<GroupOut>,
}

/// The partner's account groups (Account Group Management privilege).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{account_id}/groups",
    params(("account_id" = String, Path, description = "The primary account")),
    responses((status = 200, body = GroupList))
)]
pub async fn groups(api: Api, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let ctx = api.ctx_in(path.into_inner()).await?;
    let groups = run(ctx, groups::list).await?;
    Ok(HttpResponse::Ok().json(GroupList {
        groups: groups
            .into_iter()
            .map(|g| GroupOut {
                system: g.is_system(),
                id: g.id.into_string(),
                name: g.name,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ResourceList {
    /// The published processes the group shares, by name (at most 500).
    pub processes: Vec<PublishedOut>,
    /// More are shared than listed.
    pub more: bool,
}

/// What a group shares (Account Group Management privilege).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{account_id}/groups/{group_id}/resources",
    params(
        ("account_id" = String, Path, description = "The primary account"),
        ("group_id" = String, Path, description = "The group")
    ),
    responses((status = 200, body = ResourceList))
)]
pub async fn resources(
    api: Api,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (account, group) = path.into_inner();
    let ctx = api.ctx_in(account).await?;
    let page = run(ctx, move |ctx| {
        groups::resources_page(
            ctx,
            &GroupId::from(group),
            crate::db::seek::Seek::First,
            RESOURCES,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(ResourceList {
        processes: page.resources.iter().map(published_out).collect(),
        more: page.later,
    }))
}

/// Processes to share through a group.
#[derive(Deserialize, ToSchema)]
pub struct ResourcesIn {
    pub process_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Added {
    /// How many were not shared through the group yet.
    pub added: usize,
}

/// Shares published processes through a group (Account Group Management privilege).
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{account_id}/groups/{group_id}/resources",
    params(
        ("account_id" = String, Path, description = "The primary account"),
        ("group_id" = String, Path, description = "The group")
    ),
    request_body = ResourcesIn,
    responses(
        (status = 200, body = Added),
        (status = 422, description = "A process cannot be shared (an API service, another account's)", content_type = "application/problem+json")
    )
)]
pub async fn add_resources(
    api: Api,
    path: web::Path<(String, String)>,
    body: Body<ResourcesIn>,
) -> Result<HttpResponse, ApiError> {
    let (account, group) = path.into_inner();
    let ids: Vec<ProcessId> = body
        .0
        .process_ids
        .into_iter()
        .map(ProcessId::from)
        .collect();
    let ctx = api.ctx_in(account).await?;
    let added = run(ctx, move |ctx| {
        groups::add_resources(ctx, &GroupId::from(group), &ids)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Added { added }))
}

/// Stops sharing a process through a group (installed copies stay their accounts').
#[utoipa::path(
    delete,
    path = "/api/v1/accounts/{account_id}/groups/{group_id}/resources/{process_id}",
    params(
        ("account_id" = String, Path, description = "The primary account"),
        ("group_id" = String, Path, description = "The group"),
        ("process_id" = String, Path, description = "The published process")
    ),
    responses(
        (status = 204, description = "No longer shared through the group"),
        (status = 404, description = "Not shared through this group", content_type = "application/problem+json")
    )
)]
pub async fn remove_resource(
    api: Api,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (account, group, process) = path.into_inner();
    let ctx = api.ctx_in(account).await?;
    run(ctx, move |ctx| {
        groups::remove_resource(ctx, &GroupId::from(group), &ProcessId::from(process))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
