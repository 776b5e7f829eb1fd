//! Settings > Accounts: the managed accounts of a primary account.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::AppState;
use crate::db::accounts::Account;
use crate::domain::accounts::Privilege;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::accounts::setup;
use crate::web::accounts::setup::{SetupForm, account_fields};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::session::Actor;

#[derive(Template)]
#[template(path = "accounts/managed_list.html")]
struct ListPage {
    ctx: PageContext,
    accounts: Vec<Account>,
}

pub async fn list(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let accounts = blocking(move || setup::list_managed_accounts(&pool, &caller)).await?;
    let ctx = PageContext::signed_in(
        &state,
        &actor,
        Section::Settings,
        "/settings/accounts",
        "Accounts",
    )
    .await?;
    page::ok(&ListPage { ctx, accounts })
}

#[derive(Template)]
#[template(path = "accounts/managed_new.html")]
struct NewPage {
    ctx: PageContext,
    fields: [Field; 4],
}

fn allowed(actor: &Actor) -> Result<(), AppError> {
    actor.caller.require_primary()?;
    actor.caller.require(Privilege::AccountAdministration)
}

async fn new_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    form: &SetupForm,
    errors: &FieldErrors,
) -> Result<NewPage, AppError> {
    let ctx = PageContext::signed_in(
        state,
        actor,
        Section::Settings,
        "/settings/accounts",
        "New Managed Account",
    )
    .await?;
    Ok(NewPage {
        ctx,
        fields: account_fields(form, errors, false),
    })
}

pub async fn form(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    allowed(&actor)?;
    page::ok(&new_page(&state, &actor, &SetupForm::default(), &FieldErrors::new()).await?)
}

pub async fn submit(
    state: web::Data<AppState>,
    actor: Actor,
    Form(form): Form<SetupForm>,
) -> Result<HttpResponse, AppError> {
    allowed(&actor)?;
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let input = form.input();
    let cost = state.settings.bcrypt_cost;
    match blocking(move || setup::create_managed_account(&pool, &caller, &input, cost)).await {
        Ok(created) => {
            let who = if created.user_existed {
                "the existing user"
            } else {
                "a new user"
            };
            let message = format!(
                "Managed account {} created; {who} {} administers it.",
                form.account_name.trim(),
                form.admin_email.trim()
            );
            page::redirect_with(&state, &actor, "/settings/accounts", message).await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_page(&state, &actor, &form, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}
