//! Deprecate (with a successor and a reason) and Undeprecate a published process.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::ids::*;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::deprecation::{self, DeprecateInput};
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

const HERE: &str = "/manage/process-library";

#[derive(Template)]
#[template(path = "library/deprecate.html")]
struct DeprecatePage {
    ctx: PageContext,
    component_id: String,
    name: String,
    successor: Select,
    reason: Field,
}

async fn deprecate_page(
    req: &Request,
    component_id: String,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<DeprecatePage, AppError> {
    let id = component_id.clone();
    let data = req
        .run(move |ctx| deprecation::form(ctx, &ComponentId::from(&id)))
        .await?;
    let fresh = form.0.is_empty();
    let chosen = if fresh {
        data.process
            .successor_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    } else {
        form.get("successor").to_owned()
    };
    let reason = if fresh {
        data.process.deprecation_reason.clone()
    } else {
        form.get("reason").to_owned()
    };
    let successor = Select::new(
        "successor",
        "Successor",
        data.successors
            .iter()
            .map(|p| Choice::new(p.id.to_string(), p.name.clone(), p.id.as_str() == chosen))
            .collect(),
    )
    .optional("No successor")
    .help("Customers are pointed to it: by name, and by a link where they can see it.")
    .error(errors, "successor");
    let title = format!("Deprecate {}", data.process.name);
    Ok(DeprecatePage {
        ctx: req.page(Section::Manage, HERE, &title).await?,
        component_id,
        name: data.process.name,
        successor,
        reason: Field::text("reason", "Reason")
            .kind("textarea")
            .maxlength(500)
            .required()
            .help("Shown to customers on the process and on their installed copies.")
            .with(&reason, errors),
    })
}

pub async fn form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    page::ok(
        &deprecate_page(
            &req,
            path.into_inner(),
            &Pairs::default(),
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn submit(
    req: Request,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let component_id = path.into_inner();
    let form = Pairs(pairs);
    let input = DeprecateInput {
        successor: form.get("successor").to_owned(),
        reason: form.get("reason").to_owned(),
    };
    let target = component_id.clone();
    req.submit(
        move |ctx| {
            let process = deprecation::deprecate(ctx, &ComponentId::from(&target), &input)?;
            Ok(
                Redirect::to(format!("{HERE}?selected={}", process.component_id))
                    .with(format!("{} is deprecated.", process.name)),
            )
        },
        async |errors| deprecate_page(&req, component_id, &form, &errors).await,
    )
    .await
}

pub async fn undeprecate(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    req.act(move |ctx| {
        let process = deprecation::undeprecate(ctx, &ComponentId::from(&id))?;
        Ok(
            Redirect::to(format!("{HERE}?selected={}", process.component_id))
                .with(format!("{} is no longer deprecated.", process.name)),
        )
    })
    .await
}
