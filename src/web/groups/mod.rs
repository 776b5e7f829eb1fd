//! Settings > Account Groups: the list, New Account Group, rename and delete; the group's
//! Access Control and Resources pages live in their own files.

mod access;
mod resources;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::AppState;
use crate::db::groups::AccountGroup;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::groups;
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::session::Actor;

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
            web::post().to(access::remove_account),
        )
        .route(
            "/settings/groups/{id}/users",
            web::post().to(access::add_user),
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

pub async fn list(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let groups = blocking(move || groups::list(&pool, &caller)).await?;
    let ctx =
        PageContext::signed_in(&state, &actor, Section::Settings, HERE, "Account Groups").await?;
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

async fn new_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    name: &str,
    errors: &FieldErrors,
) -> Result<NewPage, AppError> {
    actor.caller.require_primary()?;
    actor
        .caller
        .require(crate::domain::accounts::Privilege::AccountGroupManagement)?;
    Ok(NewPage {
        ctx: PageContext::signed_in(state, actor, Section::Settings, HERE, "New Account Group")
            .await?,
        name: Field::text("name", "Group Name")
            .required()
            .with(name, errors),
    })
}

pub async fn new_form(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    page::ok(&new_page(&state, &actor, "", &FieldErrors::new()).await?)
}

pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    Form(form): Form<NameForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let name = form.name.clone();
    match blocking(move || groups::create(&pool, &caller, &name)).await {
        Ok(id) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("{HERE}/{id}"),
                format!("Account group {} created.", form.name.trim()),
            )
            .await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_page(&state, &actor, &form.name, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}

pub async fn rename(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(form): Form<NameForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (target, name) = (id.clone(), form.name.clone());
    match blocking(move || groups::rename(&pool, &caller, &target, &name)).await {
        Ok(()) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("{HERE}/{id}"),
                format!("Group renamed to {}.", form.name.trim()),
            )
            .await
        }
        Err(AppError::Validation(errors)) => {
            access::rerender(&state, &actor, id, &errors, &form.name).await
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "groups/delete.html")]
struct DeletePage {
    ctx: PageContext,
    id: String,
    name: String,
}

pub async fn delete_form(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    let group = blocking(move || groups::find(&pool, &caller, &target)).await?;
    if group.all_accounts {
        return Err(AppError::Conflict(
            "All Accounts cannot be deleted.".to_owned(),
        ));
    }
    let ctx = PageContext::signed_in(
        &state,
        &actor,
        Section::Settings,
        HERE,
        &format!("Delete {}", group.name),
    )
    .await?;
    page::ok(&DeletePage {
        ctx,
        id,
        name: group.name,
    })
}

pub async fn delete(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let id = path.into_inner();
    let name = blocking(move || groups::delete(&pool, &caller, &id)).await?;
    page::redirect_with(
        &state,
        &actor,
        HERE,
        format!("Account group {name} deleted."),
    )
    .await
}
