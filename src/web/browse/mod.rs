//! Build > Browse Process Library: the managed account's library, View, Install and its
//! result.

mod install;
pub(crate) mod library;
mod update;
mod view;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/build/library", web::get().to(library::page))
        .route(
            "/manage/process-library/preview",
            web::get().to(library::preview),
        )
        .route(
            "/build/library/installations/{id}",
            web::get().to(install::complete),
        )
        .route("/build/library/{id}", web::get().to(view::page))
        .route("/build/library/{id}/install", web::get().to(install::form))
        .route(
            "/build/library/{id}/install",
            web::post().to(install::submit),
        )
        .route(
            "/build/installations/{id}/update",
            web::get().to(update::form),
        )
        .route(
            "/build/installations/{id}/update",
            web::post().to(update::submit),
        )
        .route(
            "/build/components/{id}/source",
            web::get().to(update::compare_with_source),
        );
}
