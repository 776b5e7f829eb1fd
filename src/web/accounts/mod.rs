//! Pages of the accounts area: set-up, sign-in, and the Settings pages for accounts, users,
//! roles and one's own password.

mod info;
mod invitations;
mod managed;
mod roles;
mod setup;
mod signin;
mod users;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(setup::home))
        .route("/setup", web::post().to(setup::submit))
        .route("/login", web::get().to(signin::form))
        .route("/login", web::post().to(signin::submit))
        .route("/logout", web::post().to(signin::sign_out))
        .route("/switch", web::get().to(signin::switch_page))
        .route("/switch", web::post().to(signin::switch))
        .route("/invitations", web::get().to(invitations::page))
        .route(
            "/invitations/password",
            web::post().to(invitations::password),
        )
        .route(
            "/invitations/{id}/accept",
            web::post().to(invitations::accept),
        )
        .route(
            "/invitations/{id}/decline",
            web::post().to(invitations::decline),
        )
        .route("/settings", web::get().to(info::page))
        .route("/settings/password", web::get().to(info::password_form))
        .route("/settings/password", web::post().to(info::password_submit))
        .route("/settings/accounts", web::get().to(managed::list))
        .route("/settings/accounts/new", web::get().to(managed::form))
        .route("/settings/accounts/new", web::post().to(managed::submit))
        .route("/settings/users", web::get().to(users::list))
        .route("/settings/users", web::post().to(users::add))
        .route(
            "/settings/users/{id}/remove",
            web::get().to(users::remove_form),
        )
        .route("/settings/users/{id}/remove", web::post().to(users::remove))
        .route("/settings/roles", web::get().to(roles::list))
        .route("/settings/roles/new", web::get().to(roles::new_form))
        .route("/settings/roles/new", web::post().to(roles::create))
        .route("/settings/roles/{id}", web::get().to(roles::edit_form))
        .route("/settings/roles/{id}", web::post().to(roles::update))
        .route(
            "/settings/roles/{id}/delete",
            web::get().to(roles::delete_form),
        )
        .route("/settings/roles/{id}/delete", web::post().to(roles::delete));
}
