//! The yardstick of the benchmarks: a lean page of the same stack (actix-web, diesel, r2d2,
//! askama) in the shape of TechEmpower's *fortunes*: one indexed range query on a small table
//! (`bare_fortunes`, 20 rows, made at start-up if missing) rendered as 20 escaped rows, over
//! the same database as the product. `/heavier` is the earlier, heavier yardstick: the same
//! shape over the product's `published_processes` through the product's read path.
//! `cargo bench --bench bare_page -- ADDRESS` serves both (DATABASE_URL names the database).

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

diesel::table! {
    bare_fortunes (id) {
        id -> Integer,
        message -> Text,
    }
}

#[derive(Template)]
#[template(
    source = "<!DOCTYPE html><html lang=\"en\"><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>{% for (id, message) in rows %}<tr><td>{{ id }}</td><td>{{ message }}</td></tr>{% endfor %}</table></body></html>",
    ext = "html"
)]
struct Fortunes {
    rows: Vec<(i32, String)>,
}

/// The lean page's 20 rows: a pooled connection, one range query by primary key on the
/// backend's own connection.
async fn fortunes(pool: &DbPool) -> Option<Vec<(i32, String)>> {
    let pool = pool.clone();
    let rows = web::block(move || {
        db::read(&pool, |conn| {
            Ok(process_library::on_backend!(conn, |c| {
                bare_fortunes::table
                    .filter(bare_fortunes::id.between(1, 20))
                    .order(bare_fortunes::id)
                    .load::<(i32, String)>(c)
            })?)
        })
    })
    .await;
    rows.ok()?.ok()
}

fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// The lean page: its 20 rows rendered.
async fn lean(pool: web::Data<DbPool>) -> HttpResponse {
    match fortunes(pool.get_ref()).await {
        Some(rows) => html(Fortunes { rows }.render().unwrap_or_default()),
        None => HttpResponse::InternalServerError().finish(),
    }
}

/// The lean page padded to `?bytes=N` with a comment: what sending a page of that size costs
/// the same stack (Browse's page is about 17 KB, the lean page 1.3 KB).
async fn lean_sized(pool: web::Data<DbPool>, query: web::Query<Sized>) -> HttpResponse {
    match fortunes(pool.get_ref()).await {
        Some(rows) => {
            let mut body = Fortunes { rows }.render().unwrap_or_default();
            let pad = query.bytes.min(1 << 20).saturating_sub(body.len() + 7);
            body.push_str("<!--");
            body.push_str(&" ".repeat(pad));
            body.push_str("-->");
            html(body)
        }
        None => HttpResponse::InternalServerError().finish(),
    }
}

#[derive(serde::Deserialize)]
struct Sized {
    bytes: usize,
}

/// Makes the lean page's table if it is missing: 20 short messages, one needing escaping.
fn ensure_fortunes(pool: &DbPool) -> Result<(), String> {
    db::read(pool, |conn| {
        diesel::sql_query(
            "CREATE TABLE IF NOT EXISTS bare_fortunes (id INTEGER PRIMARY KEY, message TEXT NOT NULL)",
        )
        .execute(conn)?;
        let have: i64 = bare_fortunes::table.count().get_result(conn)?;
        if have == 0 {
            for i in 1..=20 {
                let message = format!(
                    "Fortune {i}: a computer program does what you tell it to do{}",
                    if i == 7 { " <script>alert(\"no\")</script>" } else { "" }
                );
                diesel::insert_into(bare_fortunes::table)
                    .values((bare_fortunes::id.eq(i), bare_fortunes::message.eq(message)))
                    .execute(conn)?;
            }
        }
        Ok(())
    })
    .map_err(|e| e.to_string())
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
    ensure_fortunes(&pool).map_err(std::io::Error::other)?;
    let publisher = web::Data::new(Publisher(publisher));
    let data = web::Data::new(pool);
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(publisher.clone())
                .route("/", web::get().to(lean))
                .route("/sized", web::get().to(lean_sized))
                .route("/heavier", web::get().to(bare))
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
