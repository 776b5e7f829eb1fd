//! Settings > Accounts: the managed accounts of a primary account.

use actix_web::HttpResponse;
use askama::Template;

use crate::db::accounts::Account;
use crate::domain::accounts::Privilege;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::accounts::setup;
use crate::web::accounts::setup::{SetupForm, account_fields};
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::request::{Redirect, Request};

#[derive(Template)]
#[template(path = "accounts/managed_list.html")]
struct ListPage {
    ctx: PageContext,
    accounts: Vec<Account>,
}

pub async fn list(req: Request) -> Result<HttpResponse, AppError> {
    let accounts = req.run(setup::list_managed_accounts).await?;
    let ctx = req
        .page(Section::Settings, "/settings/accounts", "Accounts")
        .await?;
    page::ok(&ListPage { ctx, accounts })
}

#[derive(Template)]
#[template(path = "accounts/managed_new.html")]
struct NewPage {
    ctx: PageContext,
    fields: [Field; 4],
}

fn allowed(req: &Request) -> Result<(), AppError> {
    req.caller().require_primary()?;
    req.caller().require(Privilege::AccountAdministration)
}

async fn new_page(
    req: &Request,
    form: &SetupForm,
    errors: &FieldErrors,
) -> Result<NewPage, AppError> {
    let ctx = req
        .page(
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

pub async fn form(req: Request) -> Result<HttpResponse, AppError> {
    allowed(&req)?;
    page::ok(&new_page(&req, &SetupForm::default(), &FieldErrors::new()).await?)
}

pub async fn submit(req: Request, Form(form): Form<SetupForm>) -> Result<HttpResponse, AppError> {
    allowed(&req)?;
    let input = form.input();
    let cost = req.instance().settings.bcrypt_cost;
    req.submit(
        move |ctx| {
            let created = setup::create_managed_account(ctx, &input, cost)?;
            let (name, email) = (input.account_name.trim(), input.admin_email.trim());
            let message = if created.invited {
                format!("Managed account {name} created. Invitation sent to {email}.")
            } else {
                format!("Managed account {name} created; a new user {email} administers it.")
            };
            Ok(Redirect::to("/settings/accounts").with(message))
        },
        async |errors| new_page(&req, &form, &errors).await,
    )
    .await
}
