//! Settings > Roles: built-in roles (read-only) and the account's custom roles.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::AppState;
use crate::db::accounts::Role;
use crate::domain::accounts::{Privilege, Privileges};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::accounts::roles::{self, RoleInput};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::session::Actor;

/// A role as listed.
struct RoleRow {
    id: String,
    name: String,
    builtin: bool,
    privileges: String,
}

#[derive(Template)]
#[template(path = "accounts/roles.html")]
struct RolesPage {
    ctx: PageContext,
    roles: Vec<RoleRow>,
}

pub async fn list(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    actor.caller.require(Privilege::UserManagement)?;
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let all = blocking(move || roles::list(&pool, &caller)).await?;
    let rows = all
        .into_iter()
        .map(|r: Role| RoleRow {
            privileges: Privileges::parse(&r.privileges).to_string(),
            id: r.id,
            name: r.name,
            builtin: r.builtin,
        })
        .collect();
    let ctx = PageContext::signed_in(
        &state,
        &actor,
        Section::Settings,
        "/settings/roles",
        "Roles",
    )
    .await?;
    page::ok(&RolesPage { ctx, roles: rows })
}

/// A privilege checkbox.
struct PrivilegeBox {
    code: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "accounts/role_form.html")]
struct RoleFormPage {
    ctx: PageContext,
    action: String,
    button: &'static str,
    role_id: Option<String>,
    name: Field,
    privileges: Vec<PrivilegeBox>,
    privileges_error: Option<String>,
}

fn parse_form(pairs: &[(String, String)]) -> RoleInput {
    let name = pairs
        .iter()
        .find(|(k, _)| k == "role_name")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let codes: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "privilege")
        .map(|(_, v)| v.clone())
        .collect();
    RoleInput {
        name,
        privileges: roles::parse_privileges(&codes),
    }
}

async fn form_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    role_id: Option<String>,
    input: &RoleInput,
    errors: &FieldErrors,
) -> Result<RoleFormPage, AppError> {
    let (title, action, button) = match &role_id {
        Some(id) => ("Edit Role", format!("/settings/roles/{id}"), "Save"),
        None => ("New Role", "/settings/roles/new".to_owned(), "Create Role"),
    };
    Ok(RoleFormPage {
        ctx: PageContext::signed_in(state, actor, Section::Settings, "/settings/roles", title)
            .await?,
        action,
        button,
        role_id,
        name: Field::text("role_name", "Role Name")
            .required()
            .with(&input.name, errors),
        privileges: Privilege::ALL
            .iter()
            .map(|p| PrivilegeBox {
                code: p.code(),
                label: p.label(),
                checked: input.privileges.has(*p),
            })
            .collect(),
        privileges_error: errors.get("privileges").map(str::to_owned),
    })
}

pub async fn new_form(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    actor.caller.require(Privilege::UserManagement)?;
    page::ok(
        &form_page(
            &state,
            &actor,
            None,
            &RoleInput::default(),
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let input = parse_form(&pairs);
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let sent = input.clone();
    match blocking(move || roles::create(&pool, &caller, &sent)).await {
        Ok(_) => {
            page::redirect_with(
                &state,
                &actor,
                "/settings/roles",
                format!("Role {} created.", input.name.trim()),
            )
            .await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&state, &actor, None, &input, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}

pub async fn edit_form(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let id = path.into_inner();
    let role = blocking(move || roles::get_custom(&pool, &caller, &id)).await?;
    let input = RoleInput {
        name: role.name,
        privileges: Privileges::parse(&role.privileges),
    };
    page::ok(&form_page(&state, &actor, Some(role.id), &input, &FieldErrors::new()).await?)
}

pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let input = parse_form(&pairs);
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let id = path.into_inner();
    let (sent, role_id) = (input.clone(), id.clone());
    match blocking(move || roles::update(&pool, &caller, &role_id, &sent)).await {
        Ok(()) => {
            page::redirect_with(
                &state,
                &actor,
                "/settings/roles",
                format!("Role {} saved.", input.name.trim()),
            )
            .await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&state, &actor, Some(id), &input, &errors).await?,
        ),
        Err(other) => Err(other),
    }
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
    let name = blocking(move || roles::delete(&pool, &caller, &id)).await?;
    page::redirect_with(
        &state,
        &actor,
        "/settings/roles",
        format!("Role {name} deleted."),
    )
    .await
}
