//! Settings > Account Groups: the list, New Account Group, rename and delete; the group's
//! Access Control and Resources pages live in their own files.

use crate::db::ids::*;
mod access;
mod resources;

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::groups::AccountGroup;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::groups;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::request::{Redirect, Request};

pub const HERE: &str = "/settings/groups";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(HERE, web::get().to(list))
        .route("/settings/groups/new", web::get().to(new_form))
        .route("/settings/groups/new", web::post().to(create))
        .route("/settings/groups/{id}", web::get().to(access::page))
        .route("/settings/groups/{id}/rename", web::post().to(rename))
        .route("/settings/groups/{id}/delete", web::get().to(delete_form))
        .route("/settings/groups/{id}/delete", web::post().to(delete))
        .route(
            "/settings/groups/{id}/accounts/add",
            web::get().to(access::chooser),
        )
        .route(
            "/settings/groups/{id}/accounts/add",
            web::post().to(access::add_accounts),
        )
        .route(
            "/settings/groups/{id}/accounts/{account}/remove",
            web::get().to(access::remove_account_form),
        )
        .route(
            "/settings/groups/{id}/accounts/{account}/remove",
            web::post().to(access::remove_account),
        )
        .route(
            "/settings/groups/{id}/users",
            web::post().to(access::add_user),
        )
        .route(
            "/settings/groups/{id}/users/{user}/role",
            web::get().to(access::user_role_form),
        )
        .route(
            "/settings/groups/{id}/users/{user}/role",
            web::post().to(access::change_user_role),
        )
        .route(
            "/settings/groups/{id}/users/{user}/remove",
            web::get().to(access::remove_user_form),
        )
        .route(
            "/settings/groups/{id}/users/{user}/remove",
            web::post().to(access::remove_user),
        )
        .route(
            "/settings/groups/{id}/resources",
            web::get().to(resources::page),
        )
        .route(
            "/settings/groups/{id}/resources/add",
            web::get().to(resources::chooser),
        )
        .route(
            "/settings/groups/{id}/resources/add",
            web::post().to(resources::add),
        )
        .route(
            "/settings/groups/{id}/resources/{process}/remove",
            web::get().to(resources::remove_form),
        )
        .route(
            "/settings/groups/{id}/resources/{process}/remove",
            web::post().to(resources::remove),
        );
}

#[derive(Template)]
#[template(path = "groups/list.html")]
struct ListPage {
    ctx: PageContext,
    groups: Vec<AccountGroup>,
}

pub async fn list(req: Request) -> Result<HttpResponse, AppError> {
    let groups = req.run(groups::list).await?;
    let ctx = req.page(Section::Settings, HERE, "Account Groups").await?;
    page::ok(&ListPage { ctx, groups })
}

#[derive(Template)]
#[template(path = "groups/new.html")]
struct NewPage {
    ctx: PageContext,
    name: Field,
}

#[derive(Debug, Default, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

async fn new_page(req: &Request, name: &str, errors: &FieldErrors) -> Result<NewPage, AppError> {
    req.caller().require_primary()?;
    req.caller()
        .require(crate::domain::accounts::Privilege::AccountGroupManagement)?;
    Ok(NewPage {
        ctx: req
            .page(Section::Settings, HERE, "New Account Group")
            .await?,
        name: Field::text("name", "Group Name")
            .required()
            .with(name, errors),
    })
}

pub async fn new_form(req: Request) -> Result<HttpResponse, AppError> {
    page::ok(&new_page(&req, "", &FieldErrors::new()).await?)
}

pub async fn create(req: Request, Form(form): Form<NameForm>) -> Result<HttpResponse, AppError> {
    let name = form.name.clone();
    req.submit(
        move |ctx| {
            let id = groups::create(ctx, &name)?;
            Ok(Redirect::to(format!("{HERE}/{id}"))
                .with(format!("Account group {} created.", name.trim())))
        },
        async |errors| new_page(&req, &form.name, &errors).await,
    )
    .await
}

pub async fn rename(
    req: Request,
    path: web::Path<String>,
    Form(form): Form<NameForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (target, name) = (id.clone(), form.name.clone());
    req.submit(
        move |ctx| {
            groups::rename(ctx, &GroupId::from(&target), &name)?;
            Ok(Redirect::to(format!("{HERE}/{target}"))
                .with(format!("Group renamed to {}.", name.trim())))
        },
        async |errors| access::page_with_errors(&req, id, &errors, &form.name).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "groups/delete.html")]
struct DeletePage {
    ctx: PageContext,
    id: String,
    name: String,
}

pub async fn delete_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let target = id.clone();
    let group = req
        .run(move |ctx| groups::find(ctx, &GroupId::from(&target)))
        .await?;
    if group.is_system() {
        return Err(AppError::Conflict(format!(
            "{} is a system group: it cannot be deleted.",
            group.name
        )));
    }
    let ctx = req
        .page(Section::Settings, HERE, &format!("Delete {}", group.name))
        .await?;
    page::ok(&DeletePage {
        ctx,
        id,
        name: group.name,
    })
}

pub async fn delete(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    req.act(move |ctx| {
        let name = groups::delete(ctx, &GroupId::from(&id))?;

        Ok(Redirect::to(HERE).with(format!("Account group {name} deleted.")))
    })
    .await
}
