//! Builds the actix application (used by `serve` and by the tests alike) and runs the server.

use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Condition, ErrorHandlers, from_fn};
use actix_web::web::{self as aweb, Data};
use actix_web::{App, HttpServer};

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};

use crate::error::AppError;
use crate::services::Instance;
use crate::services::accounts::sessions;
use crate::web::session_store::DbSessionStore;

/// Request bodies larger than this are refused (forms are small).
const MAX_BODY: usize = 256 * 1024;

/// The application with every route, the security middleware and the 404 page.
pub fn build(
    state: Data<Instance>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let sessions = session_middleware(&state);
    App::new()
        .app_data(state)
        .app_data(aweb::PayloadConfig::new(MAX_BODY))
        .app_data(aweb::QueryConfig::default().error_handler(|_, _| {
            AppError::BadRequest("The address has a malformed query.".to_owned()).into()
        }))
        .app_data(aweb::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .wrap(from_fn(crate::web::security::middleware))
        .wrap(Condition::new(
            logs_requests(),
            actix_web::middleware::Logger::new("%s \"%r\" %Dms"),
        ))
        .configure(crate::web::assets::routes)
        .service(aweb::scope("/api/v1").configure(crate::api::routes))
        .service(
            aweb::scope("")
                .wrap(ErrorHandlers::new().default_handler(crate::web::errors::in_layout))
                .wrap(sessions)
                .configure(crate::web::routes)
                .default_service(aweb::to(crate::web::not_found)),
        )
}

/// Whether each request is logged (a line at level `info` of actix-web's logger): when the
/// log filter would drop that line, the logger is not installed at all (it would still
/// format each request's line and read the clock).
fn logs_requests() -> bool {
    tracing::enabled!(target: "actix_web::middleware::logger", tracing::Level::INFO)
}

/// actix-session over our store: a browser-session cookie `pl_session` holding only the
/// signed session key, `HttpOnly`, `SameSite=Lax`, `Secure` when served over TLS. The store is
/// written only when a request changed the session (no write for an unchanged one); the idle
/// and absolute limits are the store's, judged on load.
fn session_middleware(state: &Data<Instance>) -> SessionMiddleware<DbSessionStore> {
    let instance = state.clone().into_inner();
    let secure = instance.settings.secure_cookies;
    let key = instance.cookie_key.clone();
    SessionMiddleware::builder(DbSessionStore::new(instance), key)
        .cookie_name(crate::web::session::COOKIE.to_owned())
        .cookie_secure(secure)
        .cookie_http_only(true)
        .cookie_same_site(actix_web::cookie::SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Signed)
        .session_lifecycle(
            BrowserSession::default()
                .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
        )
        .build()
}

/// Serves until interrupted; expired sessions are purged every few minutes, and SQLite's
/// write-ahead log is copied back into the database every second.
pub async fn serve(state: Data<Instance>, listener: std::net::TcpListener) -> std::io::Result<()> {
    let checkpointer = state.clone();
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let state = checkpointer.clone();
            let tended = aweb::block(move || crate::db::connection::checkpoint(&state.pool)).await;
            if matches!(tended, Ok(Ok(false))) {
                break;
            }
        }
    });
    let purger = state.clone();
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            let state = purger.clone();
            let _ =
                aweb::block(move || sessions::purge_expired(&state.pool, &state.settings.session))
                    .await;
        }
    });
    let worker = state.clone().into_inner();
    actix_web::rt::spawn(async move {
        let name = crate::services::jobs::worker_name();
        let mut tick = actix_web::rt::time::interval(Duration::from_millis(500));
        loop {
            tick.tick().await;
            let (instance, name) = (worker.clone(), name.clone());
            // A batch at a time, so that a long job never holds a blocking thread for long.
            match aweb::block(move || crate::services::jobs::work(&instance, &name, 100)).await {
                Ok(Err(error)) => tracing::warn!(%error, "background work failed; retrying"),
                Err(error) => tracing::warn!(%error, "background work stopped; retrying"),
                Ok(Ok(_)) => {}
            }
        }
    });
    let shared = Arc::new(state);
    let server = HttpServer::new(move || build(shared.as_ref().clone()))
        .on_connect(|conn, _| {
            if let Some(tcp) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = tcp.set_nodelay(true);
            }
        })
        .shutdown_timeout(2)
        .listen(listener)?;
    for addr in server.addrs() {
        println!("Listening on http://{addr}");
    }
    server.run().await
}
