//! The stylesheet and other static assets, compiled into the binary so that it runs from
//! anywhere.

use actix_web::{HttpResponse, web};

const APP_CSS: &str = include_str!("../../static/app.css");

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/app.css", web::get().to(app_css));
}

async fn app_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(APP_CSS)
}
