//! The application under test over its fresh database, and a browser-like client of it: a
//! cookie jar, the CSRF token of the last page seen, and whole responses to read.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test;
use process_library::app;
use process_library::config::Settings;
use process_library::db::{self, DbPool};
use process_library::services::Instance;
use scraper::{Html, Selector};

use super::database::{
    RECORDED, TestDb, count_queries, fresh_database, fresh_postgres, postgres_admin_url,
    queries_so_far,
};
use super::proxy;

type Call = Box<dyn Fn(test::TestRequest) -> Pin<Box<dyn Future<Output = Response>>>>;

/// A response, read whole.
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Response {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// Texts of the elements matching a CSS selector, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("valid selector");
        self.html()
            .select(&selector)
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector).into_iter().next().unwrap_or_default()
    }

    pub fn count(&self, selector: &str) -> usize {
        let selector = Selector::parse(selector).expect("valid selector");
        self.html().select(&selector).count()
    }

    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        let selector = Selector::parse(selector).expect("valid selector");
        self.html()
            .select(&selector)
            .next()
            .and_then(|e| e.value().attr(name).map(str::to_owned))
    }

    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

/// The application under test and a browser-like client with a cookie jar.
pub struct TestApp {
    call: Call,
    pub pool: DbPool,
    pub url: String,
    cookie: Option<String>,
    /// The signed CSRF cookie of the anonymous forms (sign-in, set-up).
    csrf_cookie: Option<String>,
    csrf: Option<String>,
    pub peer: SocketAddr,
    /// Texts no response may ever contain (secrets).
    forbidden: Vec<String>,
    pub sealer: process_library::services::secrets::Sealer,
    /// The services' instance behind the application (its caches and keys), for factories.
    pub instance: std::sync::Arc<Instance>,
    settings: Settings,
    _db: Option<TestDb>,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_settings(Settings::for_tests()).await
    }

    pub async fn with_settings(settings: Settings) -> Self {
        let _ = diesel::connection::set_default_instrumentation(count_queries);
        let (url, guard) = fresh_database();
        Self::over(url, Some(guard), settings).await
    }

    /// The application over a new SQLite file (whatever the backend of the run), for tests of
    /// what only SQLite does.
    pub async fn on_sqlite() -> Self {
        let _ = diesel::connection::set_default_instrumentation(count_queries);
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        Self::over(url, Some(TestDb::Sqlite(dir)), Settings::for_tests()).await
    }

    /// The application over a new PostgreSQL database (whatever the backend of the run), and
    /// that database's name.
    pub async fn on_postgres() -> (Self, String) {
        let _ = diesel::connection::set_default_instrumentation(count_queries);
        let (url, guard) = fresh_postgres(postgres_admin_url());
        let name = match &guard {
            TestDb::Postgres { name, .. } => name.clone(),
            TestDb::Sqlite(_) => String::new(),
        };
        (
            Self::over(url, Some(guard), Settings::for_tests()).await,
            name,
        )
    }

    /// The application over a new PostgreSQL database reached through `proxy` (whatever the
    /// backend of the run), for tests of a database that goes away.
    pub async fn on_postgres_through(proxy: &proxy::Proxy) -> Self {
        let _ = diesel::connection::set_default_instrumentation(count_queries);
        let (direct, guard) = fresh_postgres(postgres_admin_url());
        let mut url = url::Url::parse(&direct).expect("URL");
        url.set_host(Some("127.0.0.1")).expect("host");
        url.set_port(Some(proxy.addr.port())).expect("port");
        Self::over(url.to_string(), Some(guard), Settings::for_tests()).await
    }

    /// A second instance of the application over the same database (and the same keys), as
    /// when several servers share one PostgreSQL database.
    pub async fn another_instance(&self) -> Self {
        Self::over(self.url.clone(), None, self.settings.clone()).await
    }

    async fn over(url: String, guard: Option<TestDb>, settings: Settings) -> Self {
        let kept = settings.clone();
        let pool = db::connect_pool(&url, 4).expect("database opens");
        let sealer = process_library::services::secrets::Sealer::new(&settings.secret_key);
        let state =
            actix_web::web::Data::new(Instance::new(pool.clone(), settings).expect("state"));
        let instance = state.clone().into_inner();
        let service = Rc::new(test::init_service(app::build(state)).await);
        let call: Call = Box::new(move |req: test::TestRequest| {
            let service = service.clone();
            Box::pin(async move {
                let response = test::call_service(&*service, req.to_request()).await;
                let status = response.status();
                let headers = response.headers().clone();
                let body = test::read_body(response).await;
                Response {
                    status,
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                }
            })
        });
        Self {
            call,
            pool,
            url,
            cookie: None,
            csrf_cookie: None,
            csrf: None,
            peer: "127.0.0.1:40000".parse().expect("address"),
            forbidden: Vec::new(),
            sealer,
            instance,
            settings: kept,
            _db: guard,
        }
    }

    async fn send(&mut self, req: test::TestRequest) -> Response {
        let mut req = req.peer_addr(self.peer);
        let cookies: Vec<String> = [
            self.cookie.as_ref().map(|c| format!("pl_session={c}")),
            self.csrf_cookie.as_ref().map(|c| format!("pl_csrf={c}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !cookies.is_empty() {
            req = req.insert_header(("cookie", cookies.join("; ")));
        }
        let response = (self.call)(req).await;
        for secret in &self.forbidden {
            assert!(
                !response.body.contains(secret.as_str()),
                "a response shows the secret {secret:?}"
            );
            for (name, value) in &response.headers {
                assert!(
                    !value.to_str().unwrap_or_default().contains(secret.as_str()),
                    "header {name} shows a secret"
                );
            }
        }
        for set in response.set_cookies() {
            if let Some(value) = set.strip_prefix("pl_csrf=") {
                self.csrf_cookie = value.split(';').next().map(str::to_owned);
            }
            if let Some(value) = set.strip_prefix("pl_session=") {
                let value = value.split(';').next().unwrap_or_default();
                self.cookie = if value.is_empty() {
                    None
                } else {
                    Some(value.to_owned())
                };
            }
        }
        if let Some(token) = response.attr("input[name=csrf_token]", "value") {
            self.csrf = Some(token);
        }
        response
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.send(test::TestRequest::get().uri(path)).await
    }

    pub async fn head(&mut self, path: &str) -> Response {
        self.send(
            test::TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri(path),
        )
        .await
    }

    /// GETs a page and counts the statements it ran (the page must answer 200).
    pub async fn queries_for(&mut self, path: &str) -> usize {
        let before = queries_so_far();
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        queries_so_far() - before
    }

    /// Lets time pass for the application's session clock.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.settings.session.clock.advance(by);
    }

    /// The text of the statements a GET of `path` runs (without their bound values).
    pub async fn statements_for(&mut self, path: &str) -> Vec<String> {
        *RECORDED.lock().expect("recorder") = Some(Vec::new());
        let page = self.get(path).await;
        let statements = RECORDED
            .lock()
            .expect("recorder")
            .take()
            .unwrap_or_default();
        assert_eq!(page.status, StatusCode::OK, "{path}");
        statements
    }

    /// POSTs a form with the CSRF token of the last page seen (fetching `/login` first when
    /// no page has been seen yet).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        if self.csrf.is_none() {
            self.get("/login").await;
        }
        let token = self.csrf.clone().unwrap_or_default();
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        self.post_raw(path, &form, &[]).await
    }

    /// POSTs exactly these fields and headers (no token added).
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Response {
        let body = serde_urlencoded::to_string(fields).expect("form encodes");
        let mut req = test::TestRequest::post()
            .uri(path)
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .insert_header(("host", "localhost"))
            .set_payload(body);
        for (name, value) in headers {
            req = req.insert_header((name.to_string(), value.to_string()));
        }
        self.send(req).await
    }

    /// Calls the JSON API as a script would: no cookie, the token as `Authorization: Bearer`,
    /// a JSON body when given, and these extra headers.
    pub async fn api(
        &mut self,
        method: actix_web::http::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Response {
        let (cookie, csrf) = (self.cookie.take(), self.csrf_cookie.take());
        let mut req = test::TestRequest::default()
            .method(method)
            .uri(path)
            .insert_header(("host", "localhost"));
        if let Some(token) = token {
            req = req.insert_header(("authorization", format!("Bearer {token}")));
        }
        if let Some(body) = body {
            req = req
                .insert_header(("content-type", "application/json"))
                .set_payload(body.to_owned());
        }
        for (name, value) in headers {
            req = req.insert_header((name.to_string(), value.to_string()));
        }
        let response = self.send(req).await;
        (self.cookie, self.csrf_cookie) = (cookie, csrf);
        response
    }

    /// From now on, every response is checked not to contain this text.
    pub fn forbid(&mut self, secret: &str) {
        self.forbidden.push(secret.to_owned());
    }
    pub fn cookie(&self) -> Option<String> {
        self.cookie.clone()
    }

    pub fn set_cookie(&mut self, cookie: Option<String>) {
        self.cookie = cookie;
        self.csrf = None;
    }

    pub fn csrf(&self) -> Option<String> {
        self.csrf.clone()
    }

    /// Signs in through the form; panics unless it worked.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Response {
        self.get("/login").await;
        let response = self
            .post("/login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "sign-in of {email} failed: {}",
            response.body
        );
        response
    }

    pub async fn sign_out(&mut self) -> Response {
        self.get("/settings").await;
        self.post("/logout", &[]).await
    }
}
