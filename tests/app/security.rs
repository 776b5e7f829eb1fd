//! Every state-changing route, read from the route registrations in `src/web`, refuses a
//! missing, a wrong, and another session's CSRF token, and a cross-site request — and changes
//! nothing. A new POST route is covered without anyone listing it here.

use actix_web::http::StatusCode;

use crate::support::{PASSWORD, TestApp, route_patterns};

const TABLES: [&str; 19] = [
    "accounts",
    "users",
    "roles",
    "user_roles",
    "sessions",
    "audit_events",
    "folders",
    "components",
    "component_revisions",
    "component_refs",
    "packages",
    "package_components",
    "publisher_profiles",
    "published_processes",
    "publications",
    "account_groups",
    "group_members",
    "group_users",
    "group_resources",
];

/// The paths of every `web::post()` route registered in the web layer, with sample values in
/// place of their parameters.
fn post_routes() -> Vec<String> {
    routes("web::post()")
}

/// The paths of every route of a method, with sample values in place of their parameters.
fn routes(method: &str) -> Vec<String> {
    let mut routes: Vec<String> = route_patterns(method)
        .iter()
        .map(|path| {
            path.replace("{index}", "0")
                .replace("{action}", "remove")
                .split('/')
                .map(|part| {
                    if part.starts_with('{') {
                        "00000000-0000-4000-8000-00000000abcd"
                    } else {
                        part
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    routes.sort();
    routes.dedup();
    routes
}

/// A refused request: its name, its form fields and its extra headers.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<(&'a str, &'a str)>);

fn fingerprint(app: &TestApp) -> Vec<i64> {
    TABLES.iter().map(|t| app.count(t)).collect()
}

#[actix_web::test]
async fn every_post_route_refuses_forged_and_cross_site_requests_and_changes_nothing() {
    let routes = post_routes();
    assert!(
        routes.len() >= 30,
        "found {} POST routes: {routes:?}",
        routes.len()
    );
    assert!(
        routes.contains(&"/login".to_owned()) && routes.contains(&"/settings/roles/new".to_owned())
    );

    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.enable_library(&partner);
    let mut other = TestApp::new().await;
    other.get("/login").await;
    let foreign = other.csrf().expect("another session's token");
    app.sign_in("ada@partner.test", PASSWORD).await;
    app.get("/settings").await;
    let token = app.csrf().expect("this session's token");
    let before = fingerprint(&app);
    for route in &routes {
        let cases: [Case<'_>; 4] = [
            ("no token", vec![("name", "x")], vec![]),
            (
                "a wrong token",
                vec![("csrf_token", "forged"), ("name", "x")],
                vec![],
            ),
            (
                "another session's token",
                vec![("csrf_token", foreign.as_str()), ("name", "x")],
                vec![],
            ),
            (
                "a cross-site request",
                vec![("csrf_token", token.as_str()), ("name", "x")],
                vec![("origin", "https://evil.example")],
            ),
        ];
        for (case, fields, headers) in cases {
            let response = app.post_raw(route, &fields, &headers).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{route} with {case}"
            );
        }
    }
    let after = fingerprint(&app);
    let changed: Vec<&str> = TABLES
        .iter()
        .zip(before.iter().zip(&after))
        .filter(|(_, (a, b))| a != b)
        .map(|(t, _)| *t)
        .collect();
    assert!(changed.is_empty(), "rows changed in {changed:?}");
    assert_eq!(
        app.get("/settings").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

/// Ids that name nothing (well-formed, or not) find nothing on any page; the ids of another
/// tenant's real objects are sent to every page by the five-actor matrix (`actors.rs`).
#[actix_web::test]
async fn every_page_with_an_id_that_names_nothing_answers_404_or_403_and_never_fails() {
    let pages: Vec<String> = routes("web::get()")
        .into_iter()
        .filter(|r| r.contains("00000000-0000-4000-8000-00000000abcd"))
        .collect();
    assert!(
        pages.len() >= 12,
        "found {} pages with ids: {pages:?}",
        pages.len()
    );
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.enable_library(&partner);
    app.managed_account(&partner, "Customer", "boss@customer.test");
    for page in &pages {
        let anonymous = app.get(page).await;
        assert_eq!(
            anonymous.status,
            StatusCode::SEE_OTHER,
            "{page} for a visitor"
        );
        assert!(
            anonymous.location().starts_with("/login?next=%2F"),
            "{page}: {}",
            anonymous.location()
        );
    }
    for who in ["ada@partner.test", "boss@customer.test"] {
        app.set_cookie(None);
        app.sign_in(who, PASSWORD).await;
        for page in &pages {
            let response = app.get(page).await;
            assert!(
                matches!(
                    response.status,
                    StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
                ),
                "{page} for {who} answered {} for an object that is not theirs",
                response.status
            );
            assert_eq!(response.count("h1"), 1, "{page} answers a page");
        }
    }
}
