//! Settings > Publisher.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::publisher::{self, PublisherInput};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::session::Actor;

#[derive(Template)]
#[template(path = "library/publisher.html")]
struct PublisherPage {
    ctx: PageContext,
    fields: [Field; 5],
}

#[derive(Debug, Default, Deserialize)]
pub struct PublisherForm {
    #[serde(default)]
    publisher_name: String,
    #[serde(default)]
    publisher_email: String,
    #[serde(default)]
    publisher_url: String,
    #[serde(default)]
    support_email: String,
    #[serde(default)]
    support_url: String,
}

async fn render(
    state: &web::Data<AppState>,
    actor: &Actor,
    form: &PublisherForm,
    errors: &FieldErrors,
) -> Result<PublisherPage, AppError> {
    Ok(PublisherPage {
        ctx: PageContext::signed_in(
            state,
            actor,
            Section::Settings,
            "/settings/publisher",
            "Publisher",
        )
        .await?,
        fields: [
            Field::text("publisher_name", "Publisher Name")
                .help("Shown on every process you publish; required to publish.")
                .with(&form.publisher_name, errors),
            Field::text("publisher_email", "Publisher Email")
                .kind("email")
                .with(&form.publisher_email, errors),
            Field::text("publisher_url", "Publisher URL")
                .kind("url")
                .maxlength(2000)
                .with(&form.publisher_url, errors),
            Field::text("support_email", "Support Email")
                .kind("email")
                .with(&form.support_email, errors),
            Field::text("support_url", "Support URL")
                .kind("url")
                .maxlength(2000)
                .with(&form.support_url, errors),
        ],
    })
}

pub async fn form(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let profile = blocking(move || publisher::get(&pool, &caller)).await?;
    let form = PublisherForm {
        publisher_name: profile.publisher_name,
        publisher_email: profile.publisher_email,
        publisher_url: profile.publisher_url,
        support_email: profile.support_email,
        support_url: profile.support_url,
    };
    page::ok(&render(&state, &actor, &form, &FieldErrors::new()).await?)
}

pub async fn save(
    state: web::Data<AppState>,
    actor: Actor,
    Form(form): Form<PublisherForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let input = PublisherInput {
        publisher_name: form.publisher_name.clone(),
        publisher_email: form.publisher_email.clone(),
        publisher_url: form.publisher_url.clone(),
        support_email: form.support_email.clone(),
        support_url: form.support_url.clone(),
    };
    match blocking(move || publisher::save(&pool, &caller, &input)).await {
        Ok(()) => {
            page::redirect_with(
                &state,
                &actor,
                "/settings/publisher",
                "Publisher profile saved.".to_owned(),
            )
            .await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &render(&state, &actor, &form, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}
