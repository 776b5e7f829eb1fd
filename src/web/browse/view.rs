//! The View page of a process in the account's library (also the share link's target).

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::accounts::Privilege;
use crate::error::AppError;
use crate::services::browse::library::{self, ProcessView};
use crate::services::library::share_link;
use crate::web::build::process_svg;
use crate::web::page::{self, PageContext, Section};
use crate::web::request::Request;

#[derive(Template)]
#[template(path = "browse/view.html")]
struct ViewPage {
    ctx: PageContext,
    view: ProcessView,
    publisher: String,
    included: usize,
    types: Vec<(&'static str, usize)>,
    connectors: Vec<(&'static str, usize)>,
    link: String,
    can_install: bool,
}

pub async fn page(req: Request, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let view = req
        .read(move |ctx| library::view(ctx, &ProcessId::from(&id), process_svg))
        .await?;
    let ctx = req
        .page(Section::Build, "/build/library", &view.process.name)
        .await?;
    page::ok(&ViewPage {
        ctx,
        publisher: if view.publisher.publisher_name.is_empty() {
            "Your partner".to_owned()
        } else {
            view.publisher.publisher_name.clone()
        },
        included: view.content.value.included,
        types: view.content.value.types.clone(),
        connectors: view.content.value.connectors.clone(),
        link: share_link(&req.instance().settings.public_url, &view.process),
        can_install: req.may(Privilege::BuildWrite),
        view,
    })
}
