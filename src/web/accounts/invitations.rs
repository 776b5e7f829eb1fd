//! The invitations a signed-in user has received: the page of a user whose only
//! memberships are pending invitations (with Change Password), and Accept and Decline, which
//! also serve the *Invitations* table of Settings > Account Information.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::ids::*;
use crate::db::sessions::SessionUser;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::Instance;
use crate::services::accounts::invitations::{self, Person, Received};
use crate::services::accounts::sessions::Loaded;
use crate::services::accounts::users;
use crate::web::accounts::info::{PasswordFields, PasswordForm, password_fields};
use crate::web::accounts::signin::start_session;
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, Flash, PageContext, see_other};
use crate::web::session::Visitor;
use crate::web::session_store::{insert, keys};

/// A row of the *Invitations* table.
pub struct InvitationRow {
    pub id: String,
    pub account: String,
    pub role: String,
    pub invited_by: String,
    pub date: String,
}

impl From<Received> for InvitationRow {
    fn from(r: Received) -> Self {
        Self {
            id: r.id.into_string(),
            account: r.account,
            role: r.role,
            invited_by: r.invited_by,
            date: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

/// The invitations of a user, as rows of the table.
pub async fn rows(instance: &Instance, user_id: &UserId) -> Result<Vec<InvitationRow>, AppError> {
    let pool = instance.pool.clone();
    let user_id = user_id.clone();
    let received = blocking(move || invitations::received(&pool, &user_id)).await?;
    Ok(received.into_iter().map(InvitationRow::from).collect())
}

#[derive(Template)]
#[template(path = "accounts/invitations.html")]
struct InvitationsPage {
    ctx: PageContext,
    invitations: Vec<InvitationRow>,
    current: Field,
    new: Field,
    confirm: Field,
}

/// The signed-in user of the visit and their session (whether or not they reach an account).
fn signed_in(visitor: &Visitor) -> Result<(&Loaded, &SessionUser), AppError> {
    let loaded = visitor.loaded.as_ref().ok_or(AppError::Unauthenticated)?;
    let user = loaded.user.as_ref().ok_or(AppError::Unauthenticated)?;
    Ok((loaded, user))
}

async fn invitations_page(
    state: &web::Data<Instance>,
    visitor: &Visitor,
    errors: &FieldErrors,
    take_flash: bool,
) -> Result<InvitationsPage, AppError> {
    let (loaded, user) = signed_in(visitor)?;
    let flash = if take_flash {
        visitor
            .take_flash()
            .map(|(kind, message)| Flash { kind, message })
    } else {
        None
    };
    let PasswordFields {
        current,
        new,
        confirm,
    } = password_fields(errors);
    Ok(InvitationsPage {
        ctx: PageContext::personal(
            &user.name,
            &user.email,
            "Invitations",
            &loaded.session.csrf_token,
            flash,
        ),
        invitations: rows(state, &user.id).await?,
        current,
        new,
        confirm,
    })
}

/// Runs a service as the signed-in user of the visit, off the async workers.
async fn as_person<T: Send + 'static>(
    state: &web::Data<Instance>,
    visitor: &Visitor,
    service: impl FnOnce(&Instance, &Person<'_>) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let (_, user) = signed_in(visitor)?;
    let (shared, user, addr) = (state.clone(), user.clone(), visitor.client_addr.clone());
    blocking(move || {
        let person = Person {
            user_id: &user.id,
            email: &user.email,
            client_addr: &addr,
        };
        service(&shared, &person)
    })
    .await
}

/// The page of a user outside every account; a member of one finds the same table on
/// Settings > Account Information.
pub async fn page(state: web::Data<Instance>, visitor: Visitor) -> Result<HttpResponse, AppError> {
    signed_in(&visitor)?;
    if visitor.is_signed_in() {
        return Ok(see_other("/settings"));
    }
    page::ok(&invitations_page(&state, &visitor, &FieldErrors::new(), true).await?)
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// Accepts an invitation: the user joins the account and works in it from now on.
pub async fn accept(
    state: web::Data<Instance>,
    visitor: Visitor,
    path: web::Path<String>,
    _form: Form<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = InvitationId::from(path.into_inner());
    let account = as_person(&state, &visitor, move |instance, person| {
        invitations::accept(&instance.pool, person, &id)
    })
    .await?;
    insert(&visitor.cookie_session, keys::ACCOUNT, &account.id)?;
    visitor.flash(
        "status",
        &format!("You joined {}. You are now working in it.", account.name),
    )?;
    Ok(see_other("/"))
}

/// Declines an invitation: the account learns only that it was declined.
pub async fn decline(
    state: web::Data<Instance>,
    visitor: Visitor,
    path: web::Path<String>,
    _form: Form<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = InvitationId::from(path.into_inner());
    let name = as_person(&state, &visitor, move |instance, person| {
        invitations::decline(&instance.pool, person, &id)
    })
    .await?;
    visitor.flash("status", &format!("You declined the invitation to {name}."))?;
    let back = if visitor.is_signed_in() {
        "/settings"
    } else {
        "/invitations"
    };
    Ok(see_other(back))
}

/// Change Password for a user outside every account (members use Settings > Change
/// Password).
pub async fn password(
    state: web::Data<Instance>,
    visitor: Visitor,
    Form(form): Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    signed_in(&visitor)?;
    if visitor.is_signed_in() {
        return Ok(see_other("/settings/password"));
    }
    let input = form.into_input();
    let result = as_person(&state, &visitor, move |instance, person| {
        let cost = instance.settings.bcrypt_cost;
        users::change_own_password(instance, person, None, &input, cost)
    })
    .await;
    match result {
        Ok(started) => {
            start_session(&visitor, &started)?;
            Ok(see_other("/invitations"))
        }
        Err(AppError::Validation(errors)) => {
            let mut again = invitations_page(&state, &visitor, &errors, false).await?;
            again.ctx = again.ctx.with_errors(&errors);
            page::render(StatusCode::UNPROCESSABLE_ENTITY, &again)
        }
        Err(AppError::TooManyRequests(message)) => page::render(
            StatusCode::TOO_MANY_REQUESTS,
            &invitations_page(
                &state,
                &visitor,
                &FieldErrors::single("current_password", message),
                false,
            )
            .await?,
        ),
        Err(other) => Err(other),
    }
}
