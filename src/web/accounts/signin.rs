//! Sign in, sign out, and switching the current account.

use crate::db::ids::*;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::Instance;
use crate::services::accounts::access;
use crate::services::accounts::sessions::{self, SignIn};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, Flash, PageContext, see_other};
use crate::web::request::{Redirect, Request};
use crate::web::session::{Visitor, removal_cookie, session_cookie};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: PageContext,
    email: Field,
    password: Field,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// The CSRF token of the visitor's session, starting an anonymous session when there is none
/// (its cookie is returned to be set).
pub async fn ensure_session(
    state: &web::Data<Instance>,
    visitor: &Visitor,
) -> Result<
    (
        String,
        Option<Flash>,
        Option<actix_web::cookie::Cookie<'static>>,
    ),
    AppError,
> {
    if let Some(session) = visitor.session() {
        let shared = state.clone();
        let session = session.clone();
        let csrf = session.csrf_token.clone();
        let flash = blocking(move || sessions::take_flash(&shared.pool, &session)).await?;
        return Ok((
            csrf,
            flash.map(|(kind, message)| Flash { kind, message }),
            None,
        ));
    }
    let now = state.settings.session.clock.now();
    let shared = state.clone();
    let (token, session) = blocking(move || sessions::start_anonymous(&shared.pool, now)).await?;
    Ok((
        session.csrf_token,
        None,
        Some(session_cookie(&token, state.settings.secure_cookies)),
    ))
}

fn login_page(csrf: &str, flash: Option<Flash>, email: &str, errors: &FieldErrors) -> LoginPage {
    LoginPage {
        ctx: PageContext::anonymous("Sign in", csrf, flash),
        email: Field::text("email", "Email")
            .kind("email")
            .required()
            .autocomplete("username")
            .with(email, errors),
        password: Field::text("password", "Password")
            .kind("password")
            .required()
            .autocomplete("current-password")
            .maxlength(200),
    }
}

pub async fn form(state: web::Data<Instance>, visitor: Visitor) -> Result<HttpResponse, AppError> {
    if visitor.is_signed_in() {
        return Ok(see_other("/"));
    }
    let (csrf, flash, cookie) = ensure_session(&state, &visitor).await?;
    let mut response = page::ok(&login_page(&csrf, flash, "", &FieldErrors::new()))?;
    if let Some(cookie) = cookie {
        response.add_cookie(&cookie).map_err(AppError::internal)?;
    }
    Ok(response)
}

pub async fn submit(
    state: web::Data<Instance>,
    visitor: Visitor,
    Form(form): Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let email = form.email.clone();
    let client_addr = visitor.client_addr.clone();
    let previous = visitor.session().map(|s| s.id_hash.clone());
    let app = state.clone();
    let result = blocking(move || {
        let attempt = SignIn {
            email: &form.email,
            password: &form.password,
            client_addr: &client_addr,
            previous_session: previous.as_deref(),
            now: app.settings.session.clock.now(),
        };
        sessions::sign_in(&app.pool, &app.throttle, attempt, app.settings.bcrypt_cost)
    })
    .await;
    let csrf = visitor
        .session()
        .map(|s| s.csrf_token.clone())
        .unwrap_or_default();
    match result {
        Ok(signed) => {
            let mut response = see_other(signed.landing);
            response
                .add_cookie(&session_cookie(
                    &signed.token,
                    state.settings.secure_cookies,
                ))
                .map_err(AppError::internal)?;
            Ok(response)
        }
        Err(AppError::Validation(errors)) => {
            let message = errors
                .get("form")
                .unwrap_or("Invalid email or password")
                .to_owned();
            let flash = Some(Flash {
                kind: "alert".to_owned(),
                message,
            });
            page::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &login_page(&csrf, flash, &email, &FieldErrors::new()),
            )
        }
        Err(AppError::TooManyRequests(message)) => {
            let flash = Some(Flash {
                kind: "alert".to_owned(),
                message,
            });
            page::render(
                StatusCode::TOO_MANY_REQUESTS,
                &login_page(&csrf, flash, &email, &FieldErrors::new()),
            )
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn sign_out(
    state: web::Data<Instance>,
    visitor: Visitor,
    _form: Form<Empty>,
) -> Result<HttpResponse, AppError> {
    if let Some(loaded) = visitor.loaded.clone() {
        let addr = visitor.client_addr.clone();
        let shared = state.clone();
        blocking(move || sessions::sign_out(&shared.pool, &loaded, &addr)).await?;
    }
    let mut response = see_other("/login");
    response
        .add_cookie(&removal_cookie(state.settings.secure_cookies))
        .map_err(AppError::internal)?;
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    account: String,
}

pub async fn switch(req: Request, Form(form): Form<SwitchForm>) -> Result<HttpResponse, AppError> {
    let loaded = req.actor.loaded.clone();
    req.act(move |ctx| {
        let name = sessions::switch_account(ctx.pool()?, &loaded, &AccountId::from(&form.account))?;
        Ok(Redirect::to("/").with(format!("You are now working in {name}.")))
    })
    .await
}

#[derive(Template)]
#[template(path = "accounts/switch.html")]
struct SwitchPage {
    ctx: PageContext,
    q: String,
    accounts: Vec<crate::db::accounts::Account>,
    more: bool,
}

#[derive(Debug, Deserialize)]
pub struct SwitchQuery {
    #[serde(default)]
    q: String,
}

/// Every account the user can switch to, searchable (for users who reach many).
pub async fn switch_page(
    req: Request,
    query: web::Query<SwitchQuery>,
) -> Result<HttpResponse, AppError> {
    let q: String = query.into_inner().q.chars().take(100).collect();
    let text = q.clone();
    let (accounts, more) = req
        .run(move |ctx| access::find_switchable(ctx, &text))
        .await?;
    let ctx = req
        .page(page::Section::Settings, "", "Switch Account")
        .await?;
    page::ok(&SwitchPage {
        ctx,
        q,
        accounts,
        more,
    })
}
