//! The test harness: the real application over a fresh database per test (SQLite in a
//! temporary file, or a new PostgreSQL database when `TEST_DATABASE_URL` names a server),
//! a cookie-keeping client, and one-line factories.

#![allow(dead_code)]

use process_library::db::ids::*;

pub mod proxy;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test;
use diesel::prelude::*;
use process_library::app;
use process_library::config::Settings;
use process_library::db::{self, DbPool};
use process_library::domain::accounts::BuiltInRole;
use process_library::domain::validation::name_key;
use process_library::services::Instance;
use process_library::services::accounts::setup::{self, NewAccountInput};
use scraper::{Html, Selector};

pub const PASSWORD: &str = "correct horse battery";

static QUERIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// The text of every statement run while recording (see [`TestApp::statements_for`]).
static RECORDED: std::sync::Mutex<Option<Vec<String>>> = std::sync::Mutex::new(None);

fn count_queries() -> Option<Box<dyn diesel::connection::Instrumentation>> {
    Some(Box::new(
        |event: diesel::connection::InstrumentationEvent<'_>| {
            if let diesel::connection::InstrumentationEvent::StartQuery { query, .. } = event {
                let sql = query.to_string();
                let bookkeeping = ["PRAGMA", "SELECT 1", "BEGIN", "COMMIT", "ROLLBACK"]
                    .iter()
                    .any(|p| sql.trim_start().starts_with(p));
                if !bookkeeping {
                    QUERIES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if let Ok(mut recorded) = RECORDED.lock()
                        && let Some(statements) = recorded.as_mut()
                    {
                        let text = sql.split(" -- binds: ").next().unwrap_or_default();
                        statements.push(text.to_owned());
                    }
                }
            }
        },
    ))
}

/// Statements run so far by this test process (connections count from their creation).
pub fn queries_so_far() -> usize {
    QUERIES.load(std::sync::atomic::Ordering::SeqCst)
}

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

/// Where the test database lives, removed when the test ends.
enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

/// The PostgreSQL server of the tests (`TEST_DATABASE_URL`, or the local one `scripts/test`
/// makes sure of).
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn fresh_postgres(admin_url: String) -> (String, TestDb) {
    let name = format!("pl_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::establish(&admin_url).expect("PostgreSQL answers");
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .expect("create test database");
    let mut url = url::Url::parse(&admin_url).expect("the PostgreSQL URL is a URL");
    url.set_path(&name);
    (url.to_string(), TestDb::Postgres { admin_url, name })
}

fn fresh_database() -> (String, TestDb) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => fresh_postgres(admin_url),
        _ => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            (url, TestDb::Sqlite(dir))
        }
    }
}

/// The application under test and a browser-like client with a cookie jar.
pub struct TestApp {
    call: Call,
    pub pool: DbPool,
    pub url: String,
    cookie: Option<String>,
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
            csrf: None,
            peer: "127.0.0.1:40000".parse().expect("address"),
            forbidden: Vec::new(),
            sealer,
            instance,
            settings: kept,
            _db: guard,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }

    async fn send(&mut self, req: test::TestRequest) -> Response {
        let mut req = req.peer_addr(self.peer);
        if let Some(cookie) = &self.cookie {
            req = req.insert_header(("cookie", format!("pl_session={cookie}")));
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

    /// From now on, every response is checked not to contain this text.
    pub fn forbid(&mut self, secret: &str) {
        self.forbidden.push(secret.to_owned());
    }

    /// The operator acting as an administrator of an account, for calling services directly.
    pub fn admin(&self, account_id: &str) -> process_library::services::Ctx {
        let account = db::read(&self.pool, |conn| {
            db::accounts::get_account(conn, &AccountId::from(account_id))
        })
        .expect("account");
        process_library::services::Ctx::new(
            self.instance.clone(),
            process_library::services::Caller::operator(&account, "factory@test"),
            None,
        )
    }

    /// The first account in which a user holds a role.
    pub fn admin_account(&self, email: &str) -> String {
        db::read(&self.pool, |conn| {
            let user = db::accounts::find_user_by_email(conn, email)?.expect("user");
            Ok(db::accounts::list_memberships(conn, &user.id)?
                .remove(0)
                .0
                .id)
        })
        .expect("account")
        .into_string()
    }

    /// Turns the Process Library feature on and sets a Publisher Name.
    pub fn enable_library(&self, account_id: &str) {
        let account = db::read(&self.pool, |conn| {
            db::accounts::get_account(conn, &AccountId::from(account_id))
        })
        .expect("account");
        setup::set_feature(
            &self.pool,
            &account.name,
            process_library::domain::accounts::Feature::ProcessLibrary,
            true,
        )
        .expect("feature");
        process_library::services::library::publisher::save(
            &self.admin(account_id),
            &process_library::services::library::publisher::PublisherInput {
                publisher_name: format!("{} Integrations", account.name),
                ..Default::default()
            },
        )
        .expect("publisher");
    }

    /// Packages a component as shareable and publishes it; returns (published process id,
    /// publication id).
    pub fn publish(
        &self,
        account_id: &str,
        component_id: &str,
        include_passwords: bool,
    ) -> (String, String) {
        use process_library::services::{deploy, library::publishing};
        let caller = self.admin(account_id);
        let package = deploy::create(
            &caller,
            &deploy::NewPackage {
                component_id: ComponentId::from(component_id.to_owned()),
                version: String::new(),
                notes: String::new(),
                shareable: true,
            },
        )
        .expect("package");
        let publication = publishing::publish(
            &caller,
            &publishing::PublishInput {
                component_id: ComponentId::from(component_id.to_owned()),
                package_id: PackageId::from(package),
                description: "Shared for tests".to_owned(),
                include_passwords,
                notes: String::new(),
            },
        )
        .expect("publication");
        (
            publication.published_process_id.into_string(),
            publication.id.into_string(),
        )
    }

    /// The root folder of an account.
    pub fn root_folder(&self, account_id: &str) -> String {
        db::read(&self.pool, |conn| {
            db::build::find_root_folder(conn, &AccountId::from(account_id))
        })
        .expect("query")
        .expect("root fo.into_string()lder")
        .id
        .into_string()
    }

    /// A component of a type in the account's root folder, with a body; returns its id.
    pub fn component(
        &self,
        account_id: &str,
        name: &str,
        body: process_library::domain::build::Body,
    ) -> String {
        use process_library::services::build::components;
        let caller = self.admin(account_id);
        let folder = self.root_folder(account_id);
        let id = components::create(
            &caller,
            &components::NewComponent {
                name: name.to_owned(),
                component_type: body.component_type().code().to_owned(),
                folder_id: FolderId::from(folder),
                description: format!("{name} for tests"),
                template_id: String::new(),
            },
        )
        .expect("component");
        let draft = components::BodyDraft {
            body,
            secrets: Vec::new(),
        };
        components::save(
            &caller,
            &id,
            components::SaveComponent {
                name: name.to_owned(),
                folder_id: FolderId::from(self.root_folder(account_id)),
                description: format!("{name} for tests"),
                revision: 1,
                draft: Some(draft),
            },
        )
        .expect("component body");
        id.into_string()
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

    /// A primary account with its administrator (password [`PASSWORD`]); returns the account id.
    pub fn primary_account(&self, name: &str, admin_email: &str) -> String {
        let input = NewAccountInput {
            account_name: name.to_owned(),
            admin_email: admin_email.to_owned(),
            admin_name: format!("Admin of {name}"),
            admin_password: PASSWORD.to_owned(),
        };
        setup::create_primary_account(&self.pool, &input, 4)
            .expect("primary account")
            .account_id
            .into_string()
    }

    /// A managed account of a primary, with its administrator; returns the account id.
    pub fn managed_account(&self, parent_id: &str, name: &str, admin_email: &str) -> String {
        let input = NewAccountInput {
            account_name: name.to_owned(),
            admin_email: admin_email.to_owned(),
            admin_name: format!("Admin of {name}"),
            admin_password: PASSWORD.to_owned(),
        };
        db::write(&self.pool, |conn| {
            let by = process_library::services::audit::By {
                user_id: None,
                email: None,
                source: process_library::domain::audit::Source::Cli,
                client_addr: None,
            };
            setup::create_account(
                conn,
                &input,
                process_library::domain::accounts::AccountKind::Managed,
                Some(parent_id),
                &by,
                4,
            )
        })
        .expect("managed account")
        .account_id
        .into_string()
    }

    /// A user (password [`PASSWORD`]) holding a built-in role in an account; returns the user id.
    pub fn user(&self, account_id: &str, email: &str, role: BuiltInRole) -> String {
        let hash = bcrypt::hash(PASSWORD, 4).expect("hash");
        db::write(&self.pool, |conn| {
            let id = match db::accounts::find_user_by_email(conn, &name_key(email))? {
                Some(user) => user.id,
                None => {
                    let id = db::new_id();
                    db::accounts::insert_user(
                        conn,
                        &db::accounts::NewUser {
                            id: &id,
                            email,
                            email_key: &name_key(email),
                            name: email,
                            password_hash: &hash,
                            security_stamp: &db::new_id(),
                            created_at: db::now(),
                        },
                    )?;
                    UserId::from(id)
                }
            };
            db::accounts::insert_user_role(
                conn,
                &id,
                &AccountId::from(account_id),
                &RoleId::from(role.id()),
                db::now(),
            )?;
            Ok(id)
        })
        .expect("user")
        .into_string()
    }

    /// Counts the rows of a table (to prove that nothing was written).
    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        db::read(&self.pool, |conn| {
            Ok(
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                    .get_result::<Count>(conn)?
                    .n,
            )
        })
        .expect("count")
    }

    /// Runs a statement directly (to age a session, for instance).
    pub fn execute(&self, sql: &str) {
        db::read(&self.pool, |conn| Ok(diesel::sql_query(sql).execute(conn)?))
            .expect("statement runs");
    }
}
