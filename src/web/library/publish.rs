//! Publish Package for one process, and Review and Publish for several.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::AppState;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::library::publishing::{self, PublishInput};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::session::Actor;

const HERE: &str = "/manage/process-library";

#[derive(Template)]
#[template(path = "library/publish.html")]
struct PublishPage {
    ctx: PageContext,
    component_id: String,
    name: String,
    publisher_ready: bool,
    package: Select,
    description: Field,
    include_passwords: bool,
    notes: Field,
}

async fn publish_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    component_id: String,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<PublishPage, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let id = component_id.clone();
    let data = blocking(move || publishing::publish_form(&pool, &caller, &id)).await?;
    let chosen = form.get("package");
    let package = Select::new(
        "package",
        "Package Version",
        data.packages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let selected = if chosen.is_empty() {
                    i == 0
                } else {
                    p.id == chosen
                };
                Choice::new(
                    p.id.clone(),
                    format!("{} ({})", p.version, p.created_at.format("%Y-%m-%d")),
                    selected,
                )
            })
            .collect(),
    )
    .required()
    .help("Shareable, not deleted packages of this process, latest first.")
    .error(errors, "package");
    Ok(PublishPage {
        ctx: PageContext::signed_in(state, actor, Section::Manage, HERE, "Publish Package").await?,
        component_id,
        name: data.component.name,
        publisher_ready: data.publisher_ready,
        package,
        description: Field::text("description", "Publication Description")
            .kind("textarea")
            .maxlength(4000)
            .help("Public: managed accounts read it in their library.")
            .with(form.get("description"), errors),
        include_passwords: form.checked("include_passwords"),
        notes: Field::text("notes", "Publication Notes")
            .kind("textarea")
            .maxlength(4000)
            .help("Internal: seen by your account only.")
            .with(form.get("notes"), errors),
    })
}

pub async fn form(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    page::ok(
        &publish_page(
            &state,
            &actor,
            path.into_inner(),
            &Pairs::default(),
            &FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn submit(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let component_id = path.into_inner();
    let form = Pairs(pairs);
    let input = PublishInput {
        component_id: component_id.clone(),
        package_id: form.get("package").to_owned(),
        description: form.get("description").to_owned(),
        include_passwords: form.checked("include_passwords"),
        notes: form.get("notes").to_owned(),
    };
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    match blocking(move || publishing::publish(&pool, &caller, &input)).await {
        Ok(publication) => {
            let message = format!("Published as version {}.", publication.sequence);
            page::redirect_with(
                &state,
                &actor,
                &format!("{HERE}?selected={component_id}"),
                message,
            )
            .await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &publish_page(&state, &actor, component_id, &form, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}

struct ReviewRow {
    id: String,
    name: String,
    version: Option<String>,
}

#[derive(Template)]
#[template(path = "library/review.html")]
struct ReviewPage {
    ctx: PageContext,
    rows: Vec<ReviewRow>,
    notes: Field,
    ready: bool,
}

async fn review_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    ids: Vec<String>,
    form: &Pairs,
    errors: &FieldErrors,
) -> Result<ReviewPage, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let found = blocking(move || publishing::review(&pool, &caller, &ids)).await?;
    let rows: Vec<ReviewRow> = found
        .into_iter()
        .map(|(c, p)| ReviewRow {
            id: c.id,
            name: c.name,
            version: p.map(|p| p.version),
        })
        .collect();
    Ok(ReviewPage {
        ctx: PageContext::signed_in(state, actor, Section::Manage, HERE, "Review and Publish")
            .await?,
        ready: !rows.is_empty() && rows.iter().all(|r| r.version.is_some()),
        rows,
        notes: Field::text("notes", "Publication Notes")
            .kind("textarea")
            .maxlength(4000)
            .with(form.get("notes"), errors),
    })
}

fn chosen(form: &Pairs) -> Vec<String> {
    form.all("component")
        .into_iter()
        .take(500)
        .map(str::to_owned)
        .collect()
}

/// Shows what publishing the ticked processes would publish (nothing changes yet).
pub async fn review(
    state: web::Data<AppState>,
    actor: Actor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = Pairs(pairs);
    let ids = chosen(&form);
    if ids.is_empty() {
        return page::redirect_with(
            &state,
            &actor,
            HERE,
            "Tick the processes to publish first.".to_owned(),
        )
        .await;
    }
    page::ok(&review_page(&state, &actor, ids, &Pairs::default(), &FieldErrors::new()).await?)
}

pub async fn publish_selected(
    state: web::Data<AppState>,
    actor: Actor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = Pairs(pairs);
    let ids = chosen(&form);
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (sent, notes) = (ids.clone(), form.get("notes").to_owned());
    match blocking(move || publishing::publish_latest(&pool, &caller, &sent, &notes)).await {
        Ok(n) => {
            page::redirect_with(
                &state,
                &actor,
                HERE,
                format!("Published {}.", page::count(n, "process", "processes")),
            )
            .await
        }
        Err(AppError::Validation(errors)) => page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &review_page(&state, &actor, ids, &form, &errors).await?,
        ),
        Err(other) => Err(other),
    }
}
