//! Pages of the primary account's process library: the Publisher tab, Manage > Process
//! Library, publishing, publication details, comparison and republishing.

mod analytics;
mod deprecate;
mod install_for;
mod legacy;
mod manage;
mod publication;
mod publish;
mod publisher;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/settings/publisher", web::get().to(publisher::form))
        .route("/settings/publisher", web::post().to(publisher::save))
        .route("/manage/process-library", web::get().to(manage::page))
        .route(
            "/manage/process-library/review",
            web::post().to(publish::review),
        )
        .route(
            "/manage/process-library/publish-selected",
            web::post().to(publish::publish_selected),
        )
        .route(
            "/manage/process-library/processes/{component}/publish",
            web::get().to(publish::form),
        )
        .route(
            "/manage/process-library/processes/{component}/publish",
            web::post().to(publish::submit),
        )
        .route(
            "/manage/process-library/processes/{component}/deprecate",
            web::get().to(deprecate::form),
        )
        .route(
            "/manage/process-library/processes/{component}/deprecate",
            web::post().to(deprecate::submit),
        )
        .route(
            "/manage/process-library/processes/{component}/undeprecate",
            web::post().to(deprecate::undeprecate),
        )
        .route(
            "/manage/process-library/processes/{component}/install-for-accounts",
            web::get().to(install_for::form),
        )
        .route(
            "/manage/process-library/processes/{component}/install-for-accounts",
            web::post().to(install_for::submit),
        )
        .route(
            "/manage/process-library/processes/{component}/audience",
            web::get().to(install_for::who_can_see),
        )
        .route("/manage/jobs/{id}", web::get().to(install_for::job))
        .route(
            "/manage/process-library/processes/{component}/analytics",
            web::get().to(analytics::page),
        )
        .route(
            "/manage/process-library/processes/{component}/analytics.csv",
            web::get().to(analytics::csv),
        )
        .route(
            "/manage/process-library/publications/{id}",
            web::get().to(publication::details),
        )
        .route(
            "/manage/process-library/processes/{component}/tags",
            web::post().to(manage::save_tags),
        )
        .route(
            "/manage/process-library/processes/{component}/publish-latest",
            web::get().to(legacy::form),
        )
        .route(
            "/manage/process-library/processes/{component}/publish-latest",
            web::post().to(legacy::submit),
        )
        .route(
            "/manage/process-library/publications/{id}/components",
            web::get().to(legacy::components),
        )
        .route(
            "/manage/process-library/publications/{id}/compare",
            web::get().to(publication::compare),
        )
        .route(
            "/manage/process-library/publications/{id}/republish",
            web::get().to(publication::republish_form),
        )
        .route(
            "/manage/process-library/publications/{id}/republish",
            web::post().to(publication::republish),
        );
}
