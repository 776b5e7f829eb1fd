//! Settings > Users: the account's users, Add User, Remove.

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::accounts::{BuiltInRole, Privilege};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::accounts::roles;
use crate::services::accounts::users::{self, AccountUser, AddUserInput, Added, Removed};
use crate::web::confirm::{self, Confirm};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section};
use crate::web::request::{Redirect, Request};

#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersPage {
    ctx: PageContext,
    users: Vec<AccountUser>,
    me: String,
    email: Field,
    name: Field,
    password: Field,
    roles: Vec<Choice>,
    role_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AddUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
}

async fn users_page(
    req: &Request,
    form: &AddUserForm,
    errors: &FieldErrors,
) -> Result<UsersPage, AppError> {
    req.caller().require(Privilege::UserManagement)?;
    let (list, all_roles) = req
        .run(|ctx| Ok((users::list(ctx)?, roles::list(ctx)?)))
        .await?;
    let chosen = if form.role.is_empty() {
        BuiltInRole::StandardUser.id()
    } else {
        form.role.as_str()
    };
    Ok(UsersPage {
        ctx: req
            .page(Section::Settings, "/settings/users", "Users")
            .await?,
        users: list,
        me: req.actor.user.id.clone().into_string(),
        email: Field::text("email", "Email")
            .kind("email")
            .required()
            .with(&form.email, errors),
        name: Field::text("name", "Name")
            .help("Only for a new user; an existing user is invited and keeps their name and password.")
            .with(&form.name, errors),
        password: Field::text("password", "Password")
            .kind("password")
            .autocomplete("new-password")
            .maxlength(200)
            .help("At least 8 characters; only for a new user.")
            .with("", errors),
        roles: {
            // The first role stays the default when none is chosen (the select's first option is
            // the empty placeholder of a required select).
            let any = all_roles.iter().any(|r| r.id == chosen);
            all_roles
                .into_iter()
                .enumerate()
                .map(|(i, r)| Choice {
                    selected: r.id == chosen || (!any && i == 0),
                    value: r.id.into_string(),
                    label: r.name,
                })
                .collect()
        },
        role_error: errors.get("role").map(str::to_owned),
    })
}

pub async fn list(req: Request) -> Result<HttpResponse, AppError> {
    page::ok(&users_page(&req, &AddUserForm::default(), &FieldErrors::new()).await?)
}

pub async fn add(req: Request, Form(form): Form<AddUserForm>) -> Result<HttpResponse, AppError> {
    let cost = req.instance().settings.bcrypt_cost;
    let input = AddUserInput {
        email: form.email.clone(),
        name: form.name.clone(),
        password: form.password.clone(),
        role_id: RoleId::from(form.role.clone()),
    };
    req.submit(
        move |ctx| {
            let added = users::add(ctx, &input, cost)?;
            let email = input.email.trim();
            let message = match added {
                Added::NewUser => format!("User {email} added."),
                Added::Granted => format!("{email} now has this role in this account."),
                Added::Invited => format!("Invitation sent to {email}."),
            };
            Ok(Redirect::to("/settings/users").with(message))
        },
        async |errors| users_page(&req, &form, &errors).await,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn remove(
    req: Request,
    path: web::Path<String>,
    _form: Form<Empty>,
) -> Result<HttpResponse, AppError> {
    let user_id = path.into_inner();
    req.act(move |ctx| {
        let message = match users::remove(ctx, &user_id)? {
            Removed::Member(email) => format!("{email} was removed from this account."),
            Removed::Invitation(email) => format!("The invitation of {email} was withdrawn."),
        };
        Ok(Redirect::to("/settings/users").with(message))
    })
    .await
}

/// Asks before removing a user from the account, or withdrawing an invitation.
pub async fn remove_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let all = req.run(users::list).await?;
    let user = all
        .into_iter()
        .find(|u| u.id == id && u.id != req.actor.user.id.as_str())
        .ok_or(AppError::NotFound)?;
    let (title, what) = if user.invited {
        (
            format!("Remove the invitation of {}", user.email),
            format!(
                "The invitation of {} will be withdrawn: they will not join this account.",
                user.email
            ),
        )
    } else {
        (
            format!("Remove {} from this account", user.email),
            format!(
                "{} will lose every role in this account and its sessions here end; their user stays, with any other account of theirs.",
                user.email
            ),
        )
    };
    confirm::page(
        &req,
        Confirm {
            section: Section::Settings,
            current: "/settings/users",
            title,
            what,
            action: format!("/settings/users/{id}/remove"),
            button: "Remove",
            cancel: "/settings/users".to_owned(),
        },
    )
    .await
}
