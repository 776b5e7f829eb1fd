//! The View page of a process in the account's library (also the share link's target).

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::AppState;
use crate::domain::accounts::Privilege;
use crate::error::AppError;
use crate::services::browse::library::{self, ProcessView};
use crate::services::cache::Tagged;
use crate::services::library::share_link;
use crate::web::blocking;
use crate::web::build::process_svg;
use crate::web::page::{self, PageContext, Section};
use crate::web::session::Actor;

#[derive(Template)]
#[template(path = "browse/view.html")]
struct ViewPage {
    ctx: PageContext,
    view: ProcessView,
    publisher: String,
    included: usize,
    types: Vec<(&'static str, usize)>,
    connectors: Vec<(&'static str, usize)>,
    diagram: Arc<Tagged<String>>,
    link: String,
    can_install: bool,
}

/// The diagram of the published root, its shapes named after the packaged components, as
/// rendered once per publication.
fn diagram(state: &AppState, view: &ProcessView) -> Result<Arc<Tagged<String>>, AppError> {
    let content = &view.content.value;
    state
        .caches
        .diagrams
        .get_or_build(&content.publication.id, || {
            Ok(if content.shapes.is_empty() {
                String::new()
            } else {
                process_svg(&content.shapes, &content.shape_names)
            })
        })
}

pub async fn page(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let generation = actor.loaded.generation;
    let view = match library::cached_view(&state.caches, &actor.caller, generation, &id)? {
        Some(view) => view,
        None => {
            let shared = state.clone();
            let caller = actor.caller.clone();
            blocking(move || library::view(&shared.pool, &shared.caches, &caller, generation, &id))
                .await?
        }
    };
    let ctx = PageContext::signed_in(
        &state,
        &actor,
        Section::Build,
        "/build/library",
        &view.process.name,
    )
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
        diagram: diagram(&state, &view)?,
        link: share_link(&state.settings.public_url, &view.process),
        can_install: actor.access.privileges.has(Privilege::BuildWrite),
        view,
    })
}
