//! The baseline of the benchmarks: a bare actix-web + diesel + askama page that runs one
//! indexed query and renders 20 rows, over the same database as the product.
//! `cargo bench --bench bare_page -- ADDRESS` serves it (DATABASE_URL names the database).

use actix_web::{App, HttpResponse, HttpServer, web};
use askama::Template;
use diesel::prelude::*;
use process_library::db::schema::published_processes;
use process_library::db::{self, DbPool};

#[derive(Template)]
#[template(
    source = "<!DOCTYPE html><html lang=\"en\"><head><title>Bare</title></head><body><main><h1>Bare</h1><ul>{% for (id, name, description) in rows %}<li><a href=\"/x/{{ id }}\">{{ name }}</a> {{ description }}</li>{% endfor %}</ul></main></body></html>",
    ext = "html"
)]
struct Bare {
    rows: Vec<(String, String, String)>,
}

/// The account whose published processes the page lists (found once at start-up).
struct Publisher(String);

async fn bare(pool: web::Data<DbPool>, publisher: web::Data<Publisher>) -> HttpResponse {
    let pool = pool.get_ref().clone();
    let publisher = publisher.0.clone();
    let rows = web::block(move || {
        db::read(&pool, |conn| {
            Ok(published_processes::table
                .filter(published_processes::account_id.eq(&publisher))
                .order((
                    published_processes::name_key.asc(),
                    published_processes::id.asc(),
                ))
                .limit(20)
                .select((
                    published_processes::id,
                    published_processes::name,
                    published_processes::description,
                ))
                .load::<(String, String, String)>(conn)?)
        })
    })
    .await;
    match rows {
        Ok(Ok(rows)) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(Bare { rows }.render().unwrap_or_default()),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "127.0.0.1:8181".to_owned());
    let url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://process-library.db".to_owned());
    let pool = db::connect_pool(&url, 4).map_err(std::io::Error::other)?;
    let publisher = db::read(&pool, |conn| {
        Ok(published_processes::table
            .select(published_processes::account_id)
            .first::<String>(conn)
            .optional()?)
    })
    .map_err(|e| std::io::Error::other(e.to_string()))?
    .unwrap_or_default();
    let publisher = web::Data::new(Publisher(publisher));
    let data = web::Data::new(pool);
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(publisher.clone())
                .route("/", web::get().to(bare))
        })
        .on_connect(|conn, _| {
            if let Some(tcp) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = tcp.set_nodelay(true);
            }
        })
        .bind(address)?;
        for addr in server.addrs() {
            println!("Listening on http://{addr}");
        }
        server.run().await
    })
}
