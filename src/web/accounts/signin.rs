//! Sign in, sign out, and switching the current account.

use crate::db::ids::*;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::Instance;
use crate::services::accounts::access;
use crate::services::accounts::sessions::{self, SignIn, Started};
use crate::web::blocking;
use crate::web::csrf::{Form, anonymous_token};
use crate::web::page::{self, Field, Flash, PageContext, see_other};
use crate::web::request::Request;
use crate::web::security::is_local_path;
use crate::web::session::Visitor;
use crate::web::session_store::{insert, keys};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: PageContext,
    email: Field,
    password: Field,
    /// The page to return to after signing in, when it is a local path.
    next: String,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// The page to return to after signing in (a local path).
    #[serde(default)]
    next: String,
}

/// The CSRF token of the sign-in and set-up forms: the session's when there is one (a user
/// without any account yet), otherwise the anonymous one of a signed cookie, with the cookie
/// to set when it is new: an anonymous page view writes nothing on the server.
pub fn anonymous_csrf(
    req: &HttpRequest,
    state: &Instance,
    visitor: &Visitor,
) -> (String, Option<actix_web::cookie::Cookie<'static>>) {
    match visitor.session() {
        Some(session) => (session.csrf_token.clone(), None),
        None => anonymous_token(req, &state.csrf_key, state.settings.secure_cookies),
    }
}

/// Stores a new signed-in session under a new key (the middleware issues it after the
/// response; any previous session's key is forgotten).
pub fn start_session(visitor: &Visitor, started: &Started) -> Result<(), AppError> {
    let session = &visitor.cookie_session;
    session.clear();
    insert(session, keys::USER, &started.user_id)?;
    if let Some(account) = &started.account_id {
        insert(session, keys::ACCOUNT, account)?;
    }
    insert(session, keys::STAMP, &started.security_stamp)?;
    insert(session, keys::CSRF, &started.csrf_token)?;
    insert(session, keys::CREATED, &started.created_at)?;
    if let Some(flash) = &started.flash {
        insert(session, keys::FLASH, flash)?;
    }
    session.renew();
    Ok(())
}

/// Whether sign-in may send the user back to `next`: a local path other than the sign-in page.
fn returns_to(next: &str) -> bool {
    is_local_path(next) && !next.starts_with("/login")
}

fn login_page(
    csrf: &str,
    flash: Option<Flash>,
    email: &str,
    next: &str,
    errors: &FieldErrors,
) -> LoginPage {
    LoginPage {
        next: if is_local_path(next) {
            next.to_owned()
        } else {
            String::new()
        },
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

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    #[serde(default, rename = "set-up")]
    set_up: String,
    #[serde(default)]
    next: String,
}

pub async fn form(
    req: HttpRequest,
    state: web::Data<Instance>,
    visitor: Visitor,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    if visitor.is_signed_in() {
        return Ok(see_other(if returns_to(&query.next) {
            &query.next
        } else {
            "/"
        }));
    }
    let (csrf, cookie) = anonymous_csrf(&req, &state, &visitor);
    let flash = (query.set_up == "done").then(|| Flash {
        kind: "status".to_owned(),
        message: "Your account is ready. Sign in with the administrator's e-mail and password."
            .to_owned(),
    });
    let mut response = page::ok(&login_page(
        &csrf,
        flash,
        "",
        &query.next,
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
    Form(form): Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let email = form.email.clone();
    let next = form.next.clone();
    let client_addr = visitor.client_addr.clone();
    let app = state.clone();
    let result = blocking(move || {
        let attempt = SignIn {
            email: &form.email,
            password: &form.password,
            client_addr: &client_addr,
            now: app.settings.session.clock.now(),
        };
        sessions::sign_in(&app.pool, &app.throttle, attempt, app.settings.bcrypt_cost)
    })
    .await;
    let csrf = anonymous_csrf(&req, &state, &visitor).0;
    match result {
        Ok(signed) => {
            start_session(&visitor, &signed.session)?;
            // Back to the page asked for, when it is one of this site and the user has an
            // account to see it in.
            let back = signed.landing == "/" && returns_to(&next);
            Ok(see_other(if back { &next } else { signed.landing }))
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
                &login_page(&csrf, flash, &email, &next, &FieldErrors::new()),
            )
        }
        Err(AppError::TooManyRequests(message)) => {
            let flash = Some(Flash {
                kind: "alert".to_owned(),
                message,
            });
            page::render(
                StatusCode::TOO_MANY_REQUESTS,
                &login_page(&csrf, flash, &email, &next, &FieldErrors::new()),
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
    // The store forgets the key and the cookie is removed.
    visitor.cookie_session.purge();
    Ok(see_other("/login"))
}

#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    account: String,
}

pub async fn switch(req: Request, Form(form): Form<SwitchForm>) -> Result<HttpResponse, AppError> {
    let loaded = req.actor.loaded.clone();
    let target = req
        .run(move |ctx| {
            sessions::switch_account(ctx.pool()?, &loaded, &AccountId::from(&form.account))
        })
        .await?;
    let session = &req.actor.visitor;
    insert(&session.cookie_session, keys::ACCOUNT, &target.id)?;
    session.flash(
        "status",
        &format!("You are now working in {}.", target.name),
    )?;
    Ok(see_other("/"))
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
