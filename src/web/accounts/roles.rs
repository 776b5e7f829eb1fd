//! Settings > Roles: built-in roles (read-only) and the account's custom roles.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::accounts::Role;
use crate::domain::accounts::{Privilege, Privileges};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::accounts::roles::{self, RoleInput};
use crate::web::confirm::{self, Confirm};
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::request::{Redirect, Request};

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

pub async fn list(req: Request) -> Result<HttpResponse, AppError> {
    req.caller().require(Privilege::UserManagement)?;
    let all = req.run(roles::list).await?;
    let rows = all
        .into_iter()
        .map(|r: Role| RoleRow {
            privileges: Privileges::parse(&r.privileges).to_string(),
            id: r.id.into_string(),
            name: r.name,
            builtin: r.builtin,
        })
        .collect();
    let ctx = req
        .page(Section::Settings, "/settings/roles", "Roles")
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
    req: &Request,
    role_id: Option<String>,
    input: &RoleInput,
    errors: &FieldErrors,
) -> Result<RoleFormPage, AppError> {
    let (title, action, button) = match &role_id {
        Some(id) => ("Edit Role", format!("/settings/roles/{id}"), "Save"),
        None => ("New Role", "/settings/roles/new".to_owned(), "Create Role"),
    };
    Ok(RoleFormPage {
        ctx: req
            .page(Section::Settings, "/settings/roles", title)
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

pub async fn new_form(req: Request) -> Result<HttpResponse, AppError> {
    req.caller().require(Privilege::UserManagement)?;
    page::ok(&form_page(&req, None, &RoleInput::default(), &FieldErrors::new()).await?)
}

pub async fn create(
    req: Request,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let input = parse_form(&pairs);
    let sent = input.clone();
    req.submit(
        move |ctx| {
            roles::create(ctx, &sent)?;
            Ok(Redirect::to("/settings/roles").with(format!("Role {} created.", sent.name.trim())))
        },
        async |errors| form_page(&req, None, &input, &errors).await,
    )
    .await
}

pub async fn edit_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let role = req
        .run(move |ctx| roles::get_custom(ctx, &RoleId::from(&id)))
        .await?;
    let input = RoleInput {
        name: role.name,
        privileges: Privileges::parse(&role.privileges),
    };
    page::ok(
        &form_page(
            &req,
            Some(role.id.into_string()),
            &input,
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn update(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let input = parse_form(&pairs);
    let id = path.into_inner();
    let (sent, role_id) = (input.clone(), id.clone());
    req.submit(
        move |ctx| {
            roles::update(ctx, &RoleId::from(&role_id), &sent)?;
            Ok(Redirect::to("/settings/roles").with(format!("Role {} saved.", sent.name.trim())))
        },
        async |errors| form_page(&req, Some(id), &input, &errors).await,
    )
    .await
}

pub async fn delete(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    req.act(move |ctx| {
        let name = roles::delete(ctx, &RoleId::from(&id))?;

        Ok(Redirect::to("/settings/roles").with(format!("Role {name} deleted.")))
    })
    .await
}

/// Asks before deleting a role.
pub async fn delete_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let target = id.clone();
    let role = req
        .run(move |ctx| roles::get_custom(ctx, &RoleId::from(&target)))
        .await?;
    confirm::page(
        &req,
        Confirm {
            section: Section::Settings,
            current: "/settings/roles",
            title: format!("Delete role {}", role.name),
            what: format!(
                "The role {} will be deleted for good. A role can be deleted only when no user holds it.",
                role.name
            ),
            action: format!("/settings/roles/{id}/delete"),
            button: "Delete",
            cancel: format!("/settings/roles/{id}"),
        },
    )
    .await
}
