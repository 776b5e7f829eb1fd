//! Pages of the Build section: the component list, folders, components and processes.

mod body_form;
mod component;
mod diagram;
mod folders;
mod list;
mod new;
mod shapes;

use actix_web::web;

pub use diagram::process_svg;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/build", web::get().to(list::page))
        .route("/build/folders/new", web::get().to(folders::new_form))
        .route("/build/folders/new", web::post().to(folders::create))
        .route("/build/folders/{id}", web::get().to(folders::edit_form))
        .route("/build/folders/{id}", web::post().to(folders::rename))
        .route(
            "/build/folders/{id}/delete",
            web::get().to(folders::delete_form),
        )
        .route(
            "/build/folders/{id}/delete",
            web::post().to(folders::delete),
        )
        .route("/build/components/new", web::get().to(new::form))
        .route("/build/components/new", web::post().to(new::create))
        .route("/build/components/{id}", web::get().to(component::page))
        .route("/build/components/{id}", web::post().to(component::save))
        .route(
            "/build/components/{id}/copy",
            web::post().to(component::copy),
        )
        .route(
            "/build/components/{id}/delete",
            web::get().to(component::delete_form),
        )
        .route(
            "/build/components/{id}/delete",
            web::post().to(component::delete),
        )
        .route("/build/components/{id}/shapes", web::post().to(shapes::add))
        .route(
            "/build/components/{id}/shapes/{index}/{action}",
            web::post().to(shapes::change),
        );
}
