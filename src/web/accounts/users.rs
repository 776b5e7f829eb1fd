//! Settings > Users: the account's users, Add User, Remove.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::{BuiltInRole, Privilege};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::accounts::roles;
use crate::services::accounts::users::{self, AccountUser, AddUserInput, Added};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section};
use crate::web::session::Actor;

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
    state: &web::Data<AppState>,
    actor: &Actor,
    form: &AddUserForm,
    errors: &FieldErrors,
) -> Result<UsersPage, AppError> {
    actor.caller.require(Privilege::UserManagement)?;
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (list, all_roles) =
        blocking(move || Ok((users::list(&pool, &caller)?, roles::list(&pool, &caller)?))).await?;
    let chosen = if form.role.is_empty() {
        BuiltInRole::StandardUser.id()
    } else {
        form.role.as_str()
    };
    Ok(UsersPage {
        ctx: PageContext::signed_in(state, actor, Section::Settings, "/settings/users", "Users")
            .await?,
        users: list,
        me: actor.user.id.clone(),
        email: Field::text("email", "Email")
            .kind("email")
            .required()
            .with(&form.email, errors),
        name: Field::text("name", "Name")
            .help("Only for a new user; an existing user keeps their name and password.")
            .with(&form.name, errors),
        password: Field::text("password", "Password")
            .kind("password")
            .autocomplete("new-password")
            .maxlength(200)
            .help("At least 8 characters; only for a new user.")
            .with("", errors),
        roles: all_roles
            .into_iter()
            .map(|r| Choice {
                selected: r.id == chosen,
                value: r.id,
                label: r.name,
            })
            .collect(),
        role_error: errors.get("role").map(str::to_owned),
    })
}

pub async fn list(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    page::ok(&users_page(&state, &actor, &AddUserForm::default(), &FieldErrors::new()).await?)
}

pub async fn add(
    state: web::Data<AppState>,
    actor: Actor,
    Form(form): Form<AddUserForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let cost = state.settings.bcrypt_cost;
    let input = AddUserInput {
        email: form.email.clone(),
        name: form.name.clone(),
        password: form.password.clone(),
        role_id: form.role.clone(),
    };
    match blocking(move || users::add(&pool, &caller, &input, cost)).await {
        Ok(added) => {
            let message = match added {
                Added::NewUser => format!("User {} added.", form.email.trim()),
                Added::ExistingUser => {
                    format!("{} now has access to this account.", form.email.trim())
                }
            };
            page::redirect_with(&state, &actor, "/settings/users", message).await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &users_page(&state, &actor, &form, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn remove(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    _form: Form<Empty>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let user_id = path.into_inner();
    let email = blocking(move || users::remove(&pool, &caller, &user_id)).await?;
    page::redirect_with(
        &state,
        &actor,
        "/settings/users",
        format!("{email} was removed from this account."),
    )
    .await
}
