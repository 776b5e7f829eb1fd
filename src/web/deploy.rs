//! Deploy > Packaged Components: the list, Create Packaged Component, a package's manifest,
//! Delete and Restore.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::db::deploy::{Package, PackageFilter, PackagedComponent};
use crate::domain::accounts::Privilege;
use crate::domain::build::ComponentType;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::deploy::{self, NewPackage};
use crate::web::confirm::{self, Confirm};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::request::{Redirect, Request};

const PAGE_SIZE: i64 = 50;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/deploy", web::get().to(list))
        .route("/deploy/packages/new", web::get().to(new_form))
        .route("/deploy/packages/new", web::post().to(create))
        .route("/deploy/packages/{id}", web::get().to(details))
        .route("/deploy/packages/{id}/delete", web::get().to(delete_form))
        .route("/deploy/packages/{id}/delete", web::post().to(delete))
        .route("/deploy/packages/{id}/restore", web::post().to(restore));
}

fn kind_label(code: &str) -> &'static str {
    ComponentType::from_code(code).map_or("Component", |k| k.label())
}

fn sharing(shareable: bool) -> &'static str {
    if shareable { "Allowed" } else { "Not Allowed" }
}

fn status(package: &Package) -> &'static str {
    if package.deleted_at.is_some() {
        "Deleted"
    } else {
        "Active"
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    sharing: String,
    #[serde(default)]
    deleted: String,
    #[serde(default)]
    before: String,
}

#[derive(Template)]
#[template(path = "deploy/list.html")]
struct ListPage {
    ctx: PageContext,
    q: String,
    kinds: Select,
    sharing: Select,
    show_deleted: bool,
    packages: Vec<Package>,
    next: Option<String>,
    can_create: bool,
}

fn parse_cursor(text: &str) -> Option<(NaiveDateTime, String)> {
    let (at, id) = text.split_once('~')?;
    Some((
        NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.f").ok()?,
        id.to_owned(),
    ))
}

pub async fn list(req: Request, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let q: String = query.q.trim().chars().take(100).collect();
    let kind = ComponentType::from_code(&query.kind);
    let filter = PackageFilter {
        name_contains: Some(crate::domain::validation::name_key(&q)).filter(|t| !t.is_empty()),
        component_type: kind.map(|k| k.code().to_owned()),
        shareable: match query.sharing.as_str() {
            "allowed" => Some(true),
            "not_allowed" => Some(false),
            _ => None,
        },
        include_deleted: !query.deleted.is_empty(),
        component_id: None,
        before: parse_cursor(&query.before),
    };
    let f = filter.clone();
    let mut packages = req
        .run(move |ctx| deploy::list(ctx, &f, PAGE_SIZE + 1))
        .await?;
    let next = if packages.len() as i64 > PAGE_SIZE {
        packages.truncate(PAGE_SIZE as usize);
        packages.last().map(|p| {
            let cursor = format!("{}~{}", p.created_at.format("%Y-%m-%dT%H:%M:%S%.6f"), p.id);
            serde_urlencoded::to_string([
                ("q", q.as_str()),
                ("type", query.kind.as_str()),
                ("sharing", query.sharing.as_str()),
                ("deleted", query.deleted.as_str()),
                ("before", cursor.as_str()),
            ])
            .unwrap_or_default()
        })
    } else {
        None
    };
    let kinds = Select::new(
        "type",
        "Component Type",
        ComponentType::ALL
            .iter()
            .map(|k| Choice::new(k.code(), k.label(), Some(*k) == kind))
            .collect(),
    )
    .optional("All types");
    let sharing = Select::new(
        "sharing",
        "Sharing",
        page::choices(
            [("allowed", "Allowed"), ("not_allowed", "Not Allowed")],
            &query.sharing,
        ),
    )
    .optional("Any sharing");
    let ctx = req
        .page(Section::Deploy, "/deploy", "Packaged Components")
        .await?;
    page::ok(&ListPage {
        ctx,
        q,
        kinds,
        sharing,
        show_deleted: filter.include_deleted,
        packages,
        next,
        can_create: req.may(Privilege::PackagedComponentManagement),
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    component: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    shareable: Option<String>,
}

#[derive(Template)]
#[template(path = "deploy/new.html")]
struct NewPage {
    ctx: PageContext,
    component: Select,
    version: Field,
    notes: Field,
    shareable: bool,
    shareable_error: Option<String>,
}

async fn new_page(
    req: &Request,
    form: &NewForm,
    errors: &FieldErrors,
) -> Result<NewPage, AppError> {
    let components = req.run(deploy::packageable).await?;
    let component = Select::new(
        "component",
        "Component",
        components
            .iter()
            .map(|c| {
                Choice::new(
                    c.id.clone(),
                    format!("{} ({})", c.name, kind_label(&c.component_type)),
                    c.id == form.component,
                )
            })
            .collect(),
    )
    .required()
    .error(errors, "component");
    Ok(NewPage {
        ctx: req
            .page(Section::Deploy, "/deploy", "Create Packaged Component")
            .await?,
        component,
        version: Field::text("version", "Version")
            .maxlength(40)
            .help("Leave empty for the next number (1.0, 2.0, …). Unique per component.")
            .with(&form.version, errors),
        notes: Field::text("notes", "Package Notes")
            .kind("textarea")
            .maxlength(2000)
            .with(&form.notes, errors),
        shareable: form.shareable.is_some(),
        shareable_error: errors.get("shareable").map(str::to_owned),
    })
}

pub async fn new_form(req: Request, query: web::Query<NewForm>) -> Result<HttpResponse, AppError> {
    page::ok(&new_page(&req, &query.into_inner(), &FieldErrors::new()).await?)
}

pub async fn create(req: Request, Form(form): Form<NewForm>) -> Result<HttpResponse, AppError> {
    let input = NewPackage {
        component_id: ComponentId::from(form.component.clone()),
        version: form.version.clone(),
        notes: form.notes.clone(),
        shareable: form.shareable.is_some(),
    };
    req.submit(
        move |ctx| {
            let id = deploy::create(ctx, &input)?;
            Ok(Redirect::to(format!("/deploy/packages/{id}")).with("Packaged component created."))
        },
        async |errors| new_page(&req, &form, &errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "deploy/details.html")]
struct DetailsPage {
    ctx: PageContext,
    package: Package,
    kind: &'static str,
    sharing: &'static str,
    status: &'static str,
    manifest: Vec<(PackagedComponent, &'static str)>,
    can_manage: bool,
    published: Option<i32>,
}

pub async fn details(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (package, manifest, published) = req
        .run(move |ctx| deploy::details(ctx, &PackageId::from(&id)))
        .await?;
    let title = format!("{} {}", package.component_name, package.version);
    let ctx = req.page(Section::Deploy, "/deploy", &title).await?;
    page::ok(&DetailsPage {
        ctx,
        kind: kind_label(&package.component_type),
        sharing: sharing(package.shareable),
        status: status(&package),
        manifest: manifest
            .into_iter()
            .map(|m| {
                let kind = kind_label(&m.component_type);
                (m, kind)
            })
            .collect(),
        package,
        can_manage: req.may(Privilege::PackagedComponentManagement),
        published,
    })
}

async fn set_deleted(req: Request, id: String, deleted: bool) -> Result<HttpResponse, AppError> {
    req.act(move |ctx| {
        let label = deploy::set_deleted(ctx, &PackageId::from(&id), deleted)?;
        let verb = if deleted { "deleted" } else { "restored" };
        Ok(Redirect::to(format!("/deploy/packages/{id}")).with(format!("{label} {verb}.")))
    })
    .await
}

pub async fn delete(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    set_deleted(req, path.into_inner(), true).await
}

pub async fn restore(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    set_deleted(req, path.into_inner(), false).await
}

/// Asks before deleting a package.
pub async fn delete_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    req.caller()
        .require(Privilege::PackagedComponentManagement)?;
    let id = path.into_inner();
    let target = id.clone();
    let (package, _, _) = req
        .run(move |ctx| deploy::details(ctx, &PackageId::from(&target)))
        .await?;
    let label = format!("{} {}", package.component_name, package.version);
    confirm::page(
        &req,
        Confirm {
            section: Section::Deploy,
            current: "/deploy",
            title: format!("Delete package {label}"),
            what: format!(
                "The packaged component {label} will be deleted. It keeps its version label and can be restored."
            ),
            action: format!("/deploy/packages/{id}/delete"),
            button: "Delete",
            cancel: format!("/deploy/packages/{id}"),
        },
    )
    .await
}
