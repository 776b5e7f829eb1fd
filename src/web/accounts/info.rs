//! Settings > Account Information, and changing one's own password.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use serde::Deserialize;

use crate::domain::accounts::{Feature, Features, Privilege};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::accounts::{setup, users};
use crate::web::accounts::invitations::{InvitationRow, rows};
use crate::web::accounts::signin::start_session;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section, see_other};
use crate::web::request::Request;

#[derive(Template)]
#[template(path = "accounts/info.html")]
struct InfoPage {
    ctx: PageContext,
    details: Option<Details>,
    invitations: Vec<InvitationRow>,
}

struct Details {
    id: String,
    name: String,
    kind: String,
    created: String,
    features: Vec<(&'static str, bool)>,
}

pub async fn page(req: Request) -> Result<HttpResponse, AppError> {
    let details = if req.may(Privilege::AccountAdministration) {
        let account = req.run(setup::account_information).await?;
        let features = Features::parse(&account.features);
        Some(Details {
            id: account.id.into_string(),
            name: account.name,
            kind: req.actor.access.kind.label().to_owned(),
            created: account.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            // The optional features are a partner's (publishing); a managed account browses
            // and installs whatever its partner has.
            features: if account.parent_id.is_none() {
                Feature::ALL
                    .iter()
                    .map(|f| (f.label(), features.has(*f)))
                    .collect()
            } else {
                Vec::new()
            },
        })
    } else {
        None
    };
    let ctx = req
        .page(
            Section::Settings,
            "/settings",
            "Account Information and Setup",
        )
        .await?;
    let invitations = rows(req.instance(), req.caller().user_id()).await?;
    page::ok(&InfoPage {
        ctx,
        details,
        invitations,
    })
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    ctx: PageContext,
    current: Field,
    new: Field,
    confirm: Field,
}

/// The Change Password form as sent (Settings, and the page of a user outside every account).
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

impl PasswordForm {
    pub fn into_input(self) -> users::ChangePasswordInput {
        users::ChangePasswordInput {
            current: self.current_password,
            new: self.new_password,
            confirm: self.confirm_password,
        }
    }
}

/// The three fields of Change Password, with the errors beside them.
pub struct PasswordFields {
    pub current: Field,
    pub new: Field,
    pub confirm: Field,
}

pub fn password_fields(errors: &FieldErrors) -> PasswordFields {
    let password = |name, label| {
        Field::text(name, label)
            .kind("password")
            .required()
            .maxlength(200)
            .with("", errors)
    };
    PasswordFields {
        current: password("current_password", "Current Password").autocomplete("current-password"),
        new: password("new_password", "New Password")
            .autocomplete("new-password")
            .help("At least 8 characters."),
        confirm: password("confirm_password", "Confirm New Password").autocomplete("new-password"),
    }
}

async fn password_page(req: &Request, errors: &FieldErrors) -> Result<PasswordPage, AppError> {
    let PasswordFields {
        current,
        new,
        confirm,
    } = password_fields(errors);
    Ok(PasswordPage {
        ctx: req
            .page(Section::Settings, "/settings/password", "Change Password")
            .await?,
        current,
        new,
        confirm,
    })
}

pub async fn password_form(req: Request) -> Result<HttpResponse, AppError> {
    page::ok(&password_page(&req, &FieldErrors::new()).await?)
}

pub async fn password_submit(
    req: Request,
    Form(form): Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let cost = req.instance().settings.bcrypt_cost;
    let input = form.into_input();
    match req
        .run(move |ctx| users::change_password(ctx, &input, cost))
        .await
    {
        Ok(started) => {
            start_session(&req.actor.visitor, &started)?;
            Ok(see_other("/settings/password"))
        }
        Err(AppError::Validation(errors)) => {
            let mut again = password_page(&req, &errors).await?;
            again.ctx = again.ctx.with_errors(&errors);
            page::render(StatusCode::UNPROCESSABLE_ENTITY, &again)
        }
        // Locked by the sign-in throttle: the form again, saying how long to wait.
        Err(AppError::TooManyRequests(message)) => page::render(
            StatusCode::TOO_MANY_REQUESTS,
            &password_page(&req, &FieldErrors::single("current_password", message)).await?,
        ),
        Err(other) => Err(other),
    }
}
