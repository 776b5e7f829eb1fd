//! Settings > Publisher.

use actix_web::HttpResponse;
use askama::Template;
use serde::Deserialize;

use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::publisher::{self, PublisherInput};
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section};
use crate::web::request::{Redirect, Request};

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
    req: &Request,
    form: &PublisherForm,
    errors: &FieldErrors,
) -> Result<PublisherPage, AppError> {
    Ok(PublisherPage {
        ctx: req
            .page(Section::Settings, "/settings/publisher", "Publisher")
            .await?,
        fields: [
            Field::text("publisher_name", "Publisher Name")
                .required()
                .help("Shown on every process you publish.")
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

pub async fn form(req: Request) -> Result<HttpResponse, AppError> {
    let profile = req.run(publisher::get).await?;
    let form = PublisherForm {
        publisher_name: profile.publisher_name,
        publisher_email: profile.publisher_email,
        publisher_url: profile.publisher_url,
        support_email: profile.support_email,
        support_url: profile.support_url,
    };
    page::ok(&render(&req, &form, &FieldErrors::new()).await?)
}

pub async fn save(req: Request, Form(form): Form<PublisherForm>) -> Result<HttpResponse, AppError> {
    let input = PublisherInput {
        publisher_name: form.publisher_name.clone(),
        publisher_email: form.publisher_email.clone(),
        publisher_url: form.publisher_url.clone(),
        support_email: form.support_email.clone(),
        support_url: form.support_url.clone(),
    };
    req.submit(
        move |ctx| {
            publisher::save(ctx, &input)?;

            Ok(Redirect::to("/settings/publisher").with("Publisher profile saved."))
        },
        async |errors| render(&req, &form, &errors).await,
    )
    .await
}
