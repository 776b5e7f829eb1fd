//! The home page, and the one-time set-up of the first primary account.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::accounts::Privilege;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::Instance;
use crate::services::accounts::setup::{self, NewAccountInput};
use crate::web::accounts::signin::anonymous_csrf;
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, Flash, PageContext, see_other};
use crate::web::session::Visitor;

#[derive(Template)]
#[template(path = "accounts/setup.html")]
struct SetupPage {
    ctx: PageContext,
    account_name: Field,
    admin_email: Field,
    admin_name: Field,
    admin_password: Field,
}

#[derive(Debug, Default, Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    pub account_name: String,
    #[serde(default)]
    pub admin_email: String,
    #[serde(default)]
    pub admin_name: String,
    #[serde(default)]
    pub admin_password: String,
}

impl SetupForm {
    pub fn input(&self) -> NewAccountInput {
        NewAccountInput {
            account_name: self.account_name.clone(),
            admin_email: self.admin_email.clone(),
            admin_name: self.admin_name.clone(),
            admin_password: self.admin_password.clone(),
        }
    }
}

/// The four fields of a new account and its administrator (set-up and New Managed Account).
/// Name and password are optional where the administrator may be an existing user.
pub fn account_fields(form: &SetupForm, errors: &FieldErrors, new_admin: bool) -> [Field; 4] {
    let need = |field: Field| if new_admin { field.required() } else { field };
    [
        Field::text("account_name", "Account Name")
            .required()
            .autocomplete("organization")
            .with(&form.account_name, errors),
        Field::text("admin_email", "Administrator Email")
            .kind("email")
            .required()
            .autocomplete("off")
            .with(&form.admin_email, errors),
        need(Field::text("admin_name", "Administrator Name"))
            .help(if new_admin {
                "The administrator's full name."
            } else {
                NAME_HELP
            })
            .with(&form.admin_name, errors),
        need(Field::text("admin_password", "Administrator Password"))
            .kind("password")
            .autocomplete("new-password")
            .maxlength(200)
            .help("At least 8 characters.")
            .with("", errors),
    ]
}

const NAME_HELP: &str =
    "Needed for a new user only: an existing user keeps their name and password.";

fn setup_page(
    csrf: &str,
    flash: Option<Flash>,
    form: &SetupForm,
    errors: &FieldErrors,
) -> SetupPage {
    let [account_name, admin_email, admin_name, admin_password] =
        account_fields(form, errors, true);
    SetupPage {
        ctx: PageContext::anonymous("Set up Process Library", csrf, flash),
        account_name,
        admin_email,
        admin_name,
        admin_password,
    }
}

/// `/`: the set-up form on an empty database, otherwise the user's landing page or sign-in.
pub async fn home(
    req: HttpRequest,
    state: web::Data<Instance>,
    visitor: Visitor,
) -> Result<HttpResponse, AppError> {
    if let Some(access) = visitor.loaded.as_ref().and_then(|l| l.access.as_ref()) {
        let landing = if access.privileges.has(Privilege::BuildRead) {
            "/build"
        } else {
            "/settings"
        };
        return Ok(see_other(landing));
    }
    if visitor.loaded.as_ref().is_some_and(|l| l.user.is_some()) {
        // Signed in outside every account: their invitations, if any.
        return Ok(see_other("/invitations"));
    }
    let shared = state.clone();
    if !blocking(move || setup::setup_open(&shared.pool)).await? {
        return Ok(see_other("/login"));
    }
    let (csrf, cookie) = anonymous_csrf(&req, &state, &visitor);
    let mut response = page::ok(&setup_page(
        &csrf,
        None,
        &SetupForm::default(),
        &FieldErrors::new(),
    ))?;
    if let Some(cookie) = cookie {
        response.add_cookie(&cookie).map_err(AppError::internal)?;
    }
    Ok(response)
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<Instance>,
    visitor: Visitor,
    Form(form): Form<SetupForm>,
) -> Result<HttpResponse, AppError> {
    let input = form.input();
    let addr = visitor.client_addr.clone();
    let cost = state.settings.bcrypt_cost;
    let csrf = anonymous_csrf(&req, &state, &visitor).0;
    let shared = state.clone();
    let done = blocking(move || setup::first_run(&shared.pool, &input, &addr, cost));
    match done.await {
        Ok(_) => Ok(see_other("/login?set-up=done")),
        Err(AppError::Validation(errors)) => {
            let mut again = setup_page(&csrf, None, &form, &errors);
            again.ctx = again.ctx.with_errors(&errors);
            page::render(StatusCode::UNPROCESSABLE_ENTITY, &again)
        }
        Err(other) => Err(other),
    }
}
