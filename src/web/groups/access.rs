//! A group's Access Control: its accounts (with the Add Accounts chooser) and its users.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::HERE;
use crate::app::AppState;
use crate::db::accounts::Account;
use crate::domain::accounts::BuiltInRole;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::cache::Tagged;
use crate::services::groups::{self, GroupPage};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::session::Actor;

const MEMBERS_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "groups/access.html")]
struct AccessPage {
    ctx: PageContext,
    data: Arc<Tagged<GroupPage>>,
    rename: Field,
    email: Field,
    role: Select,
    next: Option<String>,
}

async fn load(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: String,
    after: Option<String>,
) -> Result<Arc<Tagged<GroupPage>>, AppError> {
    let generation = actor.loaded.generation;
    let (caches, caller) = (&state.caches, &actor.caller);
    if let Some(found) = groups::cached_page(
        caches,
        caller,
        generation,
        &id,
        after.as_deref(),
        MEMBERS_PAGE,
    )? {
        return Ok(found);
    }
    let shared = state.clone();
    let caller = actor.caller.clone();
    blocking(move || {
        groups::page(
            &shared.pool,
            &shared.caches,
            &caller,
            generation,
            &id,
            after.as_deref(),
            MEMBERS_PAGE,
        )
    })
    .await
}

async fn render(
    state: &web::Data<AppState>,
    actor: &Actor,
    data: Arc<Tagged<GroupPage>>,
    form: &Pairs,
    errors: &FieldErrors,
    rename: Option<&str>,
) -> Result<AccessPage, AppError> {
    let chosen = if form.get("role").is_empty() {
        BuiltInRole::StandardUser.id()
    } else {
        form.get("role")
    };
    let role = Select::new(
        "role",
        "Role",
        data.roles
            .iter()
            .map(|r| Choice::new(r.id.clone(), r.name.clone(), r.id == chosen))
            .collect(),
    )
    .required()
    .error(errors, "role");
    let next = if data.more_members {
        data.members.last().map(|m| m.name_key.clone())
    } else {
        None
    };
    Ok(AccessPage {
        ctx: PageContext::signed_in(state, actor, Section::Settings, HERE, &data.group.name)
            .await?,
        rename: Field::text("name", "Group Name")
            .required()
            .with(rename.unwrap_or(&data.group.name), errors),
        email: Field::text("email", "Email")
            .kind("email")
            .required()
            .with(form.get("email"), errors),
        role,
        next,
        data,
    })
}

pub async fn page(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let after = Some(query.into_inner().after).filter(|a| !a.is_empty());
    let data = load(&state, &actor, path.into_inner(), after).await?;
    page::ok(
        &render(
            &state,
            &actor,
            data,
            &Pairs::default(),
            &FieldErrors::new(),
            None,
        )
        .await?,
    )
}

/// The Access Control page again with errors beside the fields (422).
pub async fn rerender(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: String,
    errors: &FieldErrors,
    rename: &str,
) -> Result<HttpResponse, AppError> {
    let data = load(state, actor, id, None).await?;
    page::render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &render(state, actor, data, &Pairs::default(), errors, Some(rename)).await?,
    )
}

pub async fn remove_account(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(String, String)>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, account) = path.into_inner();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    let name = blocking(move || groups::remove_member(&pool, &caller, &target, &account)).await?;
    page::redirect_with(
        &state,
        &actor,
        &format!("{HERE}/{id}"),
        format!("{name} removed from the group."),
    )
    .await
}

pub async fn add_user(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (target, email, role) = (
        id.clone(),
        form.get("email").to_owned(),
        form.get("role").to_owned(),
    );
    match blocking(move || groups::add_user(&pool, &caller, &target, &email, &role)).await {
        Ok(()) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("{HERE}/{id}"),
                format!("{} added to the group.", form.get("email").trim()),
            )
            .await
        }
        Err(AppError::Validation(errors)) => {
            let data = load(&state, &actor, id, None).await?;
            page::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &render(&state, &actor, data, &form, &errors, None).await?,
            )
        }
        Err(other) => Err(other),
    }
}

pub async fn remove_user(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(String, String)>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, user) = path.into_inner();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    let email = blocking(move || groups::remove_user(&pool, &caller, &target, &user)).await?;
    page::redirect_with(
        &state,
        &actor,
        &format!("{HERE}/{id}"),
        format!("{email} removed from the group."),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct ChooserQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "groups/accounts_chooser.html")]
struct ChooserPage {
    ctx: PageContext,
    id: String,
    group_name: String,
    q: String,
    accounts: Vec<Account>,
    next: Option<String>,
    error: Option<String>,
}

const CHOOSER_PAGE: i64 = 100;

async fn chooser_page(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: String,
    q: String,
    after: String,
    error: Option<String>,
) -> Result<ChooserPage, AppError> {
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let (target, search, from) = (id.clone(), q.trim().to_lowercase(), after.clone());
    let (group, mut accounts) = blocking(move || {
        let search = Some(search.as_str()).filter(|s| !s.is_empty());
        let from = Some(from.as_str()).filter(|s| !s.is_empty());
        groups::member_candidates(&pool, &caller, &target, search, from, CHOOSER_PAGE + 1)
    })
    .await?;
    let next = if accounts.len() as i64 > CHOOSER_PAGE {
        accounts.truncate(CHOOSER_PAGE as usize);
        accounts.last().map(|a| {
            serde_urlencoded::to_string([("q", q.as_str()), ("after", a.name_key.as_str())])
                .unwrap_or_default()
        })
    } else {
        None
    };
    Ok(ChooserPage {
        ctx: PageContext::signed_in(state, actor, Section::Settings, HERE, "Add Accounts").await?,
        id,
        group_name: group.name,
        q,
        accounts,
        next,
        error,
    })
}

pub async fn chooser(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<ChooserQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let q: String = query.q.chars().take(100).collect();
    page::ok(&chooser_page(&state, &actor, path.into_inner(), q, query.after, None).await?)
}

pub async fn add_accounts(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = Pairs(pairs);
    let chosen: Vec<String> = form
        .all("account")
        .into_iter()
        .take(1000)
        .map(str::to_owned)
        .collect();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    match blocking(move || groups::add_members(&pool, &caller, &target, &chosen)).await {
        Ok(n) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("{HERE}/{id}"),
                format!(
                    "{} added to the group.",
                    page::count(n, "account", "accounts")
                ),
            )
            .await
        }
        Err(AppError::Validation(errors)) => {
            let error = errors.get("accounts").map(str::to_owned);
            let page = chooser_page(
                &state,
                &actor,
                id,
                form.get("q").to_owned(),
                String::new(),
                error,
            )
            .await?;
            page::render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other),
    }
}
