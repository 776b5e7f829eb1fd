//! The JSON API: tokens made and revoked on Settings > API Tokens (shown once, stored hashed,
//! audited), what a token reaches (its user's accounts, with their privileges there, and
//! never another tenant), read-only tokens, problem+json errors, install with an
//! idempotency key, and the OpenAPI document naming every route.

use actix_web::http::{Method, StatusCode};
use serde_json::Value;

use crate::support::{PASSWORD, TestApp, World, library_world, shared_with_gold};

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Makes a token on the page as the signed-in user; returns its secret, read off the page.
async fn make_token(app: &mut TestApp, name: &str, access: &str) -> String {
    app.get("/settings/api-tokens").await;
    let made = app
        .post(
            "/settings/api-tokens",
            &[("name", name), ("expires", "30"), ("access", access)],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.header("cache-control"), "no-store");
    made.attr("#new-token", "value").expect("the token, once")
}

/// The API routes as registered in `src/api` (`{…}` left in).
fn api_routes() -> Vec<(String, String)> {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/api/mod.rs"))
        .expect("src/api/mod.rs");
    let mut routes = Vec::new();
    let mut rest = source.as_str();
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + ".route(".len()..];
        let call = &rest[..rest.find(".to(").unwrap_or(rest.len())];
        let method = if call.contains("web::post()") {
            "post"
        } else if call.contains("web::put()") {
            "put"
        } else if call.contains("web::delete()") {
            "delete"
        } else {
            "get"
        };
        if let Some(path) = call.split('"').nth(1) {
            routes.push((method.to_owned(), format!("/api/v1{path}")));
        }
    }
    routes
}

#[actix_web::test]
async fn a_token_is_shown_once_stored_hashed_and_dies_when_revoked() {
    let mut w = library_world().await;
    let secret = make_token(&mut w.app, "Nightly CI", "read").await;
    assert!(secret.starts_with("plt_"), "{secret}");
    assert_eq!(
        w.app
            .count(&format!("api_tokens WHERE token_hash = '{secret}'")),
        0,
        "only a hash is kept"
    );
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'user.api_token_create'"),
        1
    );
    w.app.forbid(&secret);
    let list = w.app.get("/settings/api-tokens").await;
    assert_eq!(list.count("#new-token"), 0, "never shown again");
    assert_eq!(list.texts("tbody td:first-child"), ["Nightly CI"]);

    let accounts = w
        .app
        .api(Method::GET, "/api/v1/accounts", Some(&secret), None, &[])
        .await;
    assert_eq!(accounts.status, StatusCode::OK, "{}", accounts.body);
    let names: Vec<String> = json(&accounts.body)["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, ["Acme Retail"]);
    assert!(accounts.set_cookies().is_empty(), "no cookie");

    // Revoked on the page, after a confirmation: refused from then on.
    let id = list
        .attr("tbody a.danger", "href")
        .expect("Revoke")
        .trim_end_matches("/revoke")
        .rsplit('/')
        .next()
        .expect("id")
        .to_owned();
    let confirm = w
        .app
        .get(&format!("/settings/api-tokens/{id}/revoke"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let done = w
        .app
        .post(&format!("/settings/api-tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let refused = w
        .app
        .api(Method::GET, "/api/v1/accounts", Some(&secret), None, &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    assert_eq!(json(&refused.body)["detail"], "The token has been revoked.");

    // A password change kills the others.
    let other = make_token(&mut w.app, "Deploy", "write").await;
    w.app.get("/settings/password").await;
    let changed = w
        .app
        .post(
            "/settings/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "another long password"),
                ("confirm_password", "another long password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let stale = w
        .app
        .api(Method::GET, "/api/v1/accounts", Some(&other), None, &[])
        .await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
    for bad in [None, Some("plt_nothing"), Some("garbage")] {
        let r = w
            .app
            .api(Method::GET, "/api/v1/accounts", bad, None, &[])
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad:?}");
        assert_eq!(r.header("www-authenticate"), "Bearer");
    }
}

#[actix_web::test]
async fn a_customer_browses_and_installs_through_the_api_and_never_reaches_another_tenant() {
    let mut w: World = library_world().await;
    let (_, orders) = shared_with_gold(&w, "Orders Sync");
    shared_with_gold(&w, "Invoice Sync");
    let reader = make_token(&mut w.app, "Reader", "read").await;
    let writer = make_token(&mut w.app, "Writer", "write").await;
    let acme = w.acme.clone();

    let library = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/accounts/{acme}/library?sort=name&limit=1"),
            Some(&reader),
            None,
            &[],
        )
        .await;
    assert_eq!(library.status, StatusCode::OK, "{}", library.body);
    let page = json(&library.body);
    assert_eq!(page["processes"][0]["name"], "Invoice Sync");
    let next = page["next"].as_str().expect("a next page").to_owned();
    let second = w
        .app
        .api(
            Method::GET,
            &format!(
                "/api/v1/accounts/{acme}/library?sort=name&limit=1&after={}",
                url_encoded(&next)
            ),
            Some(&reader),
            None,
            &[],
        )
        .await;
    let second = json(&second.body);
    assert_eq!(second["processes"][0]["name"], "Orders Sync");
    assert!(second["next"].is_null());
    let searched = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/accounts/{acme}/library?q=orders"),
            Some(&reader),
            None,
            &[],
        )
        .await;
    assert_eq!(
        json(&searched.body)["processes"].as_array().map(Vec::len),
        Some(1)
    );

    // A read-only token cannot install; a write token installs once per idempotency key.
    let install = format!("/api/v1/accounts/{acme}/library/{orders}/install");
    let refused = w
        .app
        .api(Method::POST, &install, Some(&reader), Some("{}"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(w.app.count("installations"), 0);
    let body = r#"{"local_name": "Orders from CI"}"#;
    let first = w
        .app
        .api(
            Method::POST,
            &install,
            Some(&writer),
            Some(body),
            &[("idempotency-key", "ci-run-1")],
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = w
        .app
        .api(
            Method::POST,
            &install,
            Some(&writer),
            Some(body),
            &[("idempotency-key", "ci-run-1")],
        )
        .await;
    assert_eq!(
        json(&again.body)["id"],
        json(&first.body)["id"],
        "the same installation"
    );
    assert_eq!(w.app.count("installations"), 1);
    let bad = w
        .app
        .api(
            Method::POST,
            &install,
            Some(&writer),
            Some(r#"{"local_name": "a\u0000b"}"#),
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.header("content-type"), "application/problem+json");
    assert!(
        json(&bad.body)["errors"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
    let listed = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/accounts/{acme}/installations"),
            Some(&reader),
            None,
            &[],
        )
        .await;
    let listed = json(&listed.body);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["installations"][0]["local_name"], "Orders from CI");
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'installation.create' AND source = 'api'"),
        1,
        "audited as coming from the API"
    );

    // Another tenant's accounts and processes answer 404, whatever the route.
    let gold = w.gold.clone();
    let publication = w.app.text_of(&format!(
        "SELECT latest_publication_id AS t FROM published_processes WHERE id = '{orders}'"
    ));
    let globex = w.globex.clone();
    let partner = w.partner.clone();
    for account in [globex.as_str(), partner.as_str(), "no-such-account"] {
        for (method, route) in api_routes() {
            if !route.contains("{account_id}") {
                continue;
            }
            let path = route
                .replace("{account_id}", account)
                .replace("{process_id}", &orders)
                .replace("{group_id}", &gold)
                .replace("{publication_id}", &publication);
            let (method, body) = match method.as_str() {
                "post" => (
                    Method::POST,
                    Some(r#"{"component_id": "x", "process_ids": []}"#),
                ),
                "put" => (Method::PUT, Some(r#"{"category": "CRM", "tags": []}"#)),
                "delete" => (Method::DELETE, None),
                _ => (Method::GET, None),
            };
            let r = w.app.api(method, &path, Some(&writer), body, &[]).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
            assert!(!r.body.contains("Orders Sync"));
        }
    }
    assert_eq!(w.app.count("installations"), 1, "nothing written elsewhere");
}

fn url_encoded(text: &str) -> String {
    serde_urlencoded::to_string([("v", text)])
        .expect("encodes")
        .trim_start_matches("v=")
        .to_owned()
}

#[actix_web::test]
async fn the_openapi_document_names_every_route_and_validates() {
    let mut app = TestApp::new().await;
    let doc = app
        .api(Method::GET, "/api/v1/openapi.json", None, None, &[])
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = json(&doc.body);
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
    let paths = doc["paths"].as_object().expect("paths");
    for (method, route) in api_routes() {
        assert!(
            paths
                .get(&route)
                .is_some_and(|p| p.get(method.as_str()).is_some()),
            "{method} {route} is missing from openapi.json"
        );
    }
    assert_eq!(
        paths
            .values()
            .map(|p| p.as_object().map_or(0, |o| o.len()))
            .sum::<usize>(),
        api_routes().len(),
        "and it names nothing else"
    );
    // Every operation answers something, every $ref resolves, and the scheme is declared.
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap_or_default();
        assert!(schemas.contains_key(name), "unresolved $ref {name}");
    }
    for (route, item) in paths {
        for (method, operation) in item.as_object().expect("operations") {
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {route} answers nothing"
            );
            assert!(operation["operationId"].is_string(), "{method} {route}");
        }
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[actix_web::test]
async fn a_partner_publishes_and_shares_through_the_api() {
    use process_library::domain::accounts::DeploymentModel;
    use process_library::domain::build::{Body, ComponentType};
    use process_library::services::library::legacy;
    let mut w = library_world().await;
    let component = w.app.component(
        &w.partner,
        "Orders Sync",
        Body::empty(ComponentType::Process),
    );
    legacy::set_model(&w.app.pool, "Partner Co", DeploymentModel::Legacy).expect("legacy");
    let (_, token) = w.app.api_token("ada@partner.test", "write");
    let partner = w.partner.clone();
    let base = format!("/api/v1/accounts/{partner}");

    let body =
        format!(r#"{{"component_id": "{component}", "description": "Orders, kept in step."}}"#);
    let published = w
        .app
        .api(
            Method::POST,
            &format!("{base}/published-processes"),
            Some(&token),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(published.status, StatusCode::CREATED, "{}", published.body);
    let unchanged = w
        .app
        .api(
            Method::POST,
            &format!("{base}/published-processes"),
            Some(&token),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(
        unchanged.status,
        StatusCode::CONFLICT,
        "nothing changed since"
    );
    assert_eq!(unchanged.header("content-type"), "application/problem+json");

    let listed = json(
        &w.app
            .api(
                Method::GET,
                &format!("{base}/published-processes"),
                Some(&token),
                None,
                &[],
            )
            .await
            .body,
    );
    let process = listed["processes"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let detail = json(
        &w.app
            .api(
                Method::GET,
                &format!("{base}/published-processes/{process}"),
                Some(&token),
                None,
                &[],
            )
            .await
            .body,
    );
    assert_eq!(detail["publications"][0]["version"], 1);
    assert_eq!(
        detail["publications"][0]["description"],
        "Orders, kept in step."
    );

    // Shared with Gold, then no more; Acme's library follows.
    let gold = w.gold.clone();
    let resources = format!("{base}/groups/{gold}/resources");
    let added = w
        .app
        .api(
            Method::POST,
            &resources,
            Some(&token),
            Some(&format!(r#"{{"process_ids": ["{process}"]}}"#)),
            &[],
        )
        .await;
    assert_eq!(json(&added.body)["added"], 1, "{}", added.body);
    let groups = json(
        &w.app
            .api(
                Method::GET,
                &format!("{base}/groups"),
                Some(&token),
                None,
                &[],
            )
            .await
            .body,
    );
    assert!(
        groups["groups"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g["name"] == "Gold"))
    );
    let shared = json(
        &w.app
            .api(Method::GET, &resources, Some(&token), None, &[])
            .await
            .body,
    );
    assert_eq!(shared["processes"][0]["name"], "Orders Sync");
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Orders Sync"]
    );
    let removed = w
        .app
        .api(
            Method::DELETE,
            &format!("{resources}/{process}"),
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    assert!(
        w.app
            .get("/build/library")
            .await
            .texts("article h2")
            .is_empty()
    );

    // Its category and tags, checked as on the page.
    let tags = format!("{base}/published-processes/{process}/tags");
    let refused = w
        .app
        .api(
            Method::PUT,
            &tags,
            Some(&token),
            Some(r#"{"category": "Gardening", "tags": ["a\u202eb"]}"#),
            &[],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(w.app.count("published_processes WHERE category <> ''"), 0);
    let comma = w
        .app
        .api(
            Method::PUT,
            &tags,
            Some(&token),
            Some(r#"{"category": "CRM", "tags": ["a,b"]}"#),
            &[],
        )
        .await;
    assert_eq!(
        comma.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        comma.body
    );
    let tagged = w
        .app
        .api(
            Method::PUT,
            &tags,
            Some(&token),
            Some(r#"{"category": "CRM", "tags": ["nightly", "Salesforce"]}"#),
            &[],
        )
        .await;
    assert_eq!(tagged.status, StatusCode::OK, "{}", tagged.body);
    let tagged = json(&tagged.body);
    assert_eq!(tagged["category"], "CRM");
    assert_eq!(tagged["tags"][1], "Salesforce");
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'published_process.categorize' AND source = 'api'"),
        1
    );

    // An older version is republished as the newest.
    w.app.execute(&format!(
        "UPDATE components SET revision = revision + 1 WHERE id = '{component}'"
    ));
    let second = w
        .app
        .api(
            Method::POST,
            &format!("{base}/published-processes"),
            Some(&token),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    let first = detail["publications"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let republished = w
        .app
        .api(
            Method::POST,
            &format!("{base}/publications/{first}/republish"),
            Some(&token),
            Some(r#"{"reason": "Back to the first"}"#),
            &[],
        )
        .await;
    assert_eq!(
        republished.status,
        StatusCode::CREATED,
        "{}",
        republished.body
    );
    assert_eq!(json(&republished.body)["version"], 3);
    assert_eq!(
        w.app
            .count("audit_events WHERE source = 'api' AND action LIKE 'publication.%'"),
        3
    );

    // The customer's administrator's token reaches none of it.
    let (_, customer) = w.app.api_token("admin@acme.test", "write");
    let refused = w
        .app
        .api(
            Method::GET,
            &format!("{base}/published-processes"),
            Some(&customer),
            None,
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn each_token_is_throttled_on_its_own() {
    let settings = process_library::config::Settings {
        api_requests_per_second: 1,
        ..process_library::config::Settings::for_tests()
    };
    let mut app = TestApp::with_settings(settings).await;
    app.primary_account("Partner Co", "ada@partner.test");
    let (_, first) = app.api_token("ada@partner.test", "read");
    let (_, second) = app.api_token("ada@partner.test", "read");
    // A burst of two, then one a second.
    for _ in 0..2 {
        let r = app
            .api(Method::GET, "/api/v1/accounts", Some(&first), None, &[])
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let throttled = app
        .api(Method::GET, "/api/v1/accounts", Some(&first), None, &[])
        .await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.header("content-type"), "application/problem+json");
    assert!(
        throttled
            .header("retry-after")
            .parse::<u64>()
            .is_ok_and(|s| s >= 1)
    );
    let other = app
        .api(Method::GET, "/api/v1/accounts", Some(&second), None, &[])
        .await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "another token is not held back"
    );
}

#[actix_web::test]
async fn every_write_route_refuses_nul_and_format_characters_and_writes_nothing() {
    let mut w = library_world().await;
    let (component, process) = shared_with_gold(&w, "Orders Sync");
    w.app.publish(&w.partner, &component, false);
    let first = w.app.text_of(&format!(
        "SELECT id AS t FROM publications WHERE published_process_id = '{process}' AND sequence = 1"
    ));
    let (_, partner_token) = w.app.api_token("ada@partner.test", "write");
    let (_, customer_token) = w.app.api_token("admin@acme.test", "write");
    let gold = w.gold.clone();
    for bad in [r"a\u0000b", r"a\u202eb"] {
        let body = format!(
            r#"{{"component_id": "{component}", "package_id": "{bad}", "description": "{bad}", "notes": "{bad}", "process_ids": ["{bad}"], "local_name": "{bad}", "folder_id": "{bad}", "new_folder": "{bad}", "reason": "{bad}", "category": "{bad}", "tags": ["{bad}"]}}"#
        );
        for (method, route) in api_routes() {
            let method = match method.as_str() {
                "post" => Method::POST,
                "put" => Method::PUT,
                _ => continue,
            };
            let customer = route.contains("/library/") || route.contains("/installations");
            let (account, token) = if customer {
                (w.acme.clone(), customer_token.clone())
            } else {
                (w.partner.clone(), partner_token.clone())
            };
            let path = route
                .replace("{account_id}", &account)
                .replace("{process_id}", &process)
                .replace("{group_id}", &gold)
                .replace("{publication_id}", &first);
            let before = w.app.count("audit_events");
            let r = w
                .app
                .api(method.clone(), &path, Some(&token), Some(&body), &[])
                .await;
            assert!(
                r.status.is_client_error(),
                "{method} {path} with {bad}: {} {}",
                r.status,
                r.body
            );
            assert_eq!(
                w.app.count("audit_events"),
                before,
                "{method} {path} wrote something"
            );
        }
    }
}

#[actix_web::test]
async fn every_route_refuses_a_user_without_its_privilege_and_shows_nothing() {
    let mut w = library_world().await;
    let (_, process) = shared_with_gold(&w, "Orders Sync");
    let publication = w.app.text_of(&format!(
        "SELECT latest_publication_id AS t FROM published_processes WHERE id = '{process}'"
    ));
    w.app.auditor(&w.partner, "auditor@partner.test");
    w.app.auditor(&w.acme, "auditor@acme.test");
    let (_, partner_auditor) = w.app.api_token("auditor@partner.test", "write");
    let (_, customer_auditor) = w.app.api_token("auditor@acme.test", "write");
    let gold = w.gold.clone();
    let mut checked = 0;
    for (method, route) in api_routes() {
        if !route.contains("{account_id}") {
            continue;
        }
        let customer = route.contains("/library") || route.contains("/installations");
        let (account, token) = if customer {
            (w.acme.clone(), customer_auditor.clone())
        } else {
            (w.partner.clone(), partner_auditor.clone())
        };
        let path = route
            .replace("{account_id}", &account)
            .replace("{process_id}", &process)
            .replace("{group_id}", &gold)
            .replace("{publication_id}", &publication);
        let (method, body) = match method.as_str() {
            "post" => (
                Method::POST,
                Some(format!(
                    r#"{{"component_id": "{process}", "process_ids": ["{process}"]}}"#
                )),
            ),
            "put" => (
                Method::PUT,
                Some(r#"{"category": "CRM", "tags": []}"#.to_owned()),
            ),
            "delete" => (Method::DELETE, None),
            _ => (Method::GET, None),
        };
        let before = w.app.count("audit_events");
        let r = w
            .app
            .api(method.clone(), &path, Some(&token), body.as_deref(), &[])
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{method} {path}: {}",
            r.body
        );
        assert!(
            !r.body.contains("Orders Sync"),
            "{method} {path} shows the process"
        );
        assert_eq!(
            w.app.count("audit_events"),
            before,
            "{method} {path} wrote something"
        );
        checked += 1;
    }
    assert!(checked >= 13, "every account route was called ({checked})");
}
