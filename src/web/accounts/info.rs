//! Settings > Account Information, and changing one's own password.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::accounts::{Feature, Features, Privilege};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::accounts::{setup, users};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section, see_other};
use crate::web::session::{Actor, session_cookie};

#[derive(Template)]
#[template(path = "accounts/info.html")]
struct InfoPage {
    ctx: PageContext,
    details: Option<Details>,
}

struct Details {
    id: String,
    name: String,
    kind: String,
    created: String,
    features: Vec<(&'static str, bool)>,
}

pub async fn page(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let details = if actor
        .access
        .privileges
        .has(Privilege::AccountAdministration)
    {
        let pool = state.pool.clone();
        let caller = actor.caller.clone();
        let account = blocking(move || setup::account_information(&pool, &caller)).await?;
        let features = Features::parse(&account.features);
        Some(Details {
            id: account.id,
            name: account.name,
            kind: actor.access.kind.label().to_owned(),
            created: account.created_at.format("%Y-%m-%d").to_string(),
            features: Feature::ALL
                .iter()
                .map(|f| (f.label(), features.has(*f)))
                .collect(),
        })
    } else {
        None
    };
    let ctx = PageContext::signed_in(
        &state,
        &actor,
        Section::Settings,
        "/settings",
        "Account Information and Setup",
    )
    .await?;
    page::ok(&InfoPage { ctx, details })
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    ctx: PageContext,
    current: Field,
    new: Field,
    confirm: Field,
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn password_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    errors: &FieldErrors,
) -> Result<PasswordPage, AppError> {
    let password = |name, label| {
        Field::text(name, label)
            .kind("password")
            .required()
            .maxlength(200)
            .with("", errors)
    };
    Ok(PasswordPage {
        ctx: PageContext::signed_in(
            state,
            actor,
            Section::Settings,
            "/settings/password",
            "Change Password",
        )
        .await?,
        current: password("current_password", "Current Password").autocomplete("current-password"),
        new: password("new_password", "New Password")
            .autocomplete("new-password")
            .help("At least 8 characters."),
        confirm: password("confirm_password", "Confirm New Password").autocomplete("new-password"),
    })
}

pub async fn password_form(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<HttpResponse, AppError> {
    page::ok(&password_page(&state, &actor, &FieldErrors::new()).await?)
}

pub async fn password_submit(
    state: web::Data<AppState>,
    actor: Actor,
    Form(form): Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let cost = state.settings.bcrypt_cost;
    let input = users::ChangePasswordInput {
        current: form.current_password,
        new: form.new_password,
        confirm: form.confirm_password,
    };
    match blocking(move || users::change_password(&pool, &caller, &input, cost)).await {
        Ok(token) => {
            let mut response = see_other("/settings/password");
            response
                .add_cookie(&session_cookie(&token, state.settings.secure_cookies))
                .map_err(AppError::internal)?;
            Ok(response)
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &password_page(&state, &actor, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}
