//! Settings > API Tokens: every signed-in user's own personal access tokens of the JSON API.
//! A new token is shown once, in the answer to the POST that made it (never through a
//! redirect or the session); *Revoke* asks first.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::api_tokens::ApiToken;
use crate::db::ids::TokenId;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::api_tokens::{self, ACCESSES, EXPIRIES, NewToken};
use crate::web::csrf::Form;
use crate::web::page::{self, Field, PageContext, Section, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

const HERE: &str = "/settings/api-tokens";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(HERE, web::get().to(list))
        .route(HERE, web::post().to(create))
        .route(
            "/settings/api-tokens/{id}/revoke",
            web::get().to(revoke_form),
        )
        .route("/settings/api-tokens/{id}/revoke", web::post().to(revoke));
}

struct TokenRow {
    id: String,
    name: String,
    access: &'static str,
    created: String,
    expires: String,
    /// "Active", "Expired" or "Revoked".
    state: &'static str,
}

#[derive(Template)]
#[template(path = "accounts/api_tokens.html")]
struct TokensPage {
    ctx: PageContext,
    tokens: Vec<TokenRow>,
    name: Field,
    expires: Select,
    access: Select,
    /// The token just made, shown this once.
    created: Option<(String, String)>,
    api_base: String,
}

fn row(token: ApiToken, now: chrono::NaiveDateTime) -> TokenRow {
    TokenRow {
        state: if token.revoked_at.is_some() {
            "Revoked"
        } else if token.expires_at.is_some_and(|at| at <= now) {
            "Expired"
        } else {
            "Active"
        },
        access: ACCESSES
            .iter()
            .find(|(code, _)| *code == token.access)
            .map_or("", |(_, label)| label),
        created: crate::web::dates::minute(&token.created_at),
        expires: token
            .expires_at
            .map_or_else(|| "Never".to_owned(), |at| crate::web::dates::minute(&at)),
        id: token.id.into_string(),
        name: token.name,
    }
}

async fn tokens_page(
    req: &Request,
    form: &Pairs,
    errors: &FieldErrors,
    created: Option<(String, String)>,
) -> Result<TokensPage, AppError> {
    let (tokens, now) = req
        .run(|ctx| Ok((api_tokens::list(ctx)?, ctx.now())))
        .await?;
    let chosen = |name: &str, default: &'static str| {
        let value = form.get(name);
        if value.is_empty() {
            default.to_owned()
        } else {
            value.to_owned()
        }
    };
    let expires_now = chosen("expires", "90");
    let access_now = chosen("access", "read");
    Ok(TokensPage {
        ctx: req.page(Section::Settings, HERE, "API Tokens").await?,
        tokens: tokens.into_iter().map(|t| row(t, now)).collect(),
        name: Field::text("name", "Token Name")
            .required()
            .maxlength(100)
            .help("Say what uses it, such as \"Nightly CI\".")
            .with(form.get("name"), errors),
        expires: Select::new(
            "expires",
            "Expires",
            page::choices(
                EXPIRIES.map(|(code, label, _)| (code, label)),
                &expires_now,
            ),
        )
        .error(errors, "expires"),
        access: Select::new(
            "access",
            "Access",
            page::choices(ACCESSES, &access_now),
        )
        .help("Read only tokens can only read (GET); Read and write tokens also publish, share and install, within your privileges.")
        .error(errors, "access"),
        created,
        api_base: format!("{}/api/v1", req.instance().settings.public_url.trim_end_matches('/')),
    })
}

pub async fn list(req: Request) -> Result<HttpResponse, AppError> {
    page::ok(&tokens_page(&req, &Pairs::default(), &FieldErrors::new(), None).await?)
}

/// Makes a token and answers with it, once (200, never stored in a page cache).
pub async fn create(
    req: Request,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = Pairs(pairs);
    let input = NewToken {
        name: form.get("name").to_owned(),
        expires: form.get("expires").to_owned(),
        access: form.get("access").to_owned(),
    };
    match req.run(move |ctx| api_tokens::create(ctx, &input)).await {
        Ok((token, secret)) => {
            let page = tokens_page(
                &req,
                &Pairs::default(),
                &FieldErrors::new(),
                Some((token.name, secret)),
            )
            .await?;
            let mut response = page::ok(&page)?;
            response.headers_mut().insert(
                actix_web::http::header::CACHE_CONTROL,
                actix_web::http::header::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(AppError::Validation(errors)) => {
            let mut again = tokens_page(&req, &form, &errors, None).await?;
            again.ctx = again.ctx.with_errors(&errors);
            page::render(StatusCode::UNPROCESSABLE_ENTITY, &again)
        }
        Err(other) => Err(other),
    }
}

pub async fn revoke_form(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let target = TokenId::from(id.clone());
    let token = req.run(move |ctx| api_tokens::find(ctx, &target)).await?;
    crate::web::confirm::page(
        &req,
        crate::web::confirm::Confirm {
            section: Section::Settings,
            current: HERE,
            title: format!("Revoke {}", token.name),
            what: format!(
                "Scripts that use {} are refused from now on. A revoked token cannot be brought back; make a new one instead.",
                token.name
            ),
            action: format!("{HERE}/{id}/revoke"),
            button: "Revoke",
            cancel: HERE.to_owned(),
        },
    )
    .await
}

pub async fn revoke(
    req: Request,
    path: web::Path<String>,
    _form: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = TokenId::from(path.into_inner());
    req.act(move |ctx| {
        let name = api_tokens::revoke(ctx, &id)?;
        Ok(Redirect::to(HERE).with(format!("{name} revoked.")))
    })
    .await
}
