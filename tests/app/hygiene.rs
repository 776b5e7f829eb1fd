//! Text hygiene at every door: NUL, other C0 controls, DEL and Unicode format characters
//! (zero-width spaces and joiners, direction overrides and isolates, the byte order mark) sent
//! into every query parameter, path segment and form field of every route, read from the web
//! layer's registrations and its form and query structs, by the owner of the objects named.
//! Nothing answers 5xx, on either backend.

use actix_web::http::StatusCode;

use crate::support::{PASSWORD, Tenant, TestApp, route_patterns, struct_fields, tenant};

const PAYLOADS: [&str; 9] = [
    "a\u{0}b",
    "\u{1}",
    "line\u{1f}",
    "del\u{7f}",
    "Administrator\u{200B}",
    "\u{202E}evil",
    "\u{FEFF}bom",
    "\u{2066}isolate\u{2069}",
    "zwj\u{200D}",
];

/// The characters sent into every query parameter on its own.
const QUERY_PAYLOADS: [&str; 4] = [
    "a\u{0}b",
    "Administrator\u{200B}",
    "\u{202E}evil",
    "\u{FEFF}bom",
];

/// The owner's id for each path parameter of a route.
fn own(part: &str, route: &str, t: &Tenant) -> Option<String> {
    Some(match (part, route) {
        ("{id}", r) if r.starts_with("/build/components/") && r.ends_with("/source") => {
            t.installed.clone()
        }
        ("{id}", r) if r.starts_with("/build/components/") => t.process.clone(),
        ("{id}", r) if r.starts_with("/build/installations/") => t.installation.clone(),
        ("{id}", r) if r.starts_with("/manage/jobs/") => t.job.clone(),
        ("{id}", r) if r.starts_with("/manage/integration-packs/instances/") => t.instance.clone(),
        ("{id}", r) if r.starts_with("/manage/integration-packs/") => t.pack.clone(),
        ("{process}", r) if r.starts_with("/manage/integration-packs/") => t.published.clone(),
        ("{index}", _) => "0".to_owned(),
        ("{action}", _) => "up".to_owned(),
        ("{id}", r) if r.starts_with("/build/folders/") => t.folder.clone(),
        ("{id}", r) if r.starts_with("/build/library/installations/") => t.installation.clone(),
        ("{id}", r) if r.starts_with("/build/library/") => t.published.clone(),
        ("{id}", r) if r.starts_with("/deploy/packages/") => t.package.clone(),
        ("{component}", _) => t.process.clone(),
        ("{id}", r) if r.starts_with("/manage/process-library/publications/") => {
            t.publication.clone()
        }
        ("{id}", r) if r.starts_with("/settings/users/") => t.member.clone(),
        ("{id}", r) if r.starts_with("/settings/roles/") => t.role.clone(),
        ("{id}", r) if r.starts_with("/settings/groups/") => t.group.clone(),
        ("{account}", _) => t.customer.clone(),
        ("{user}", _) => t.member.clone(),
        ("{process}", _) => t.published.clone(),
        ("{id}", r) if r.starts_with("/invitations/") => t.invitation.clone(),
        ("{id}", r) if r.starts_with("/settings/api-tokens/") => t.token.clone(),
        _ => return None,
    })
}

/// The route with the owner's ids, and each variant with one parameter replaced by `text`.
fn paths(route: &str, t: &Tenant, text: &str) -> Result<Vec<String>, String> {
    let parts: Vec<&str> = route.split('/').collect();
    let filled = parts
        .iter()
        .map(|part| {
            if part.starts_with('{') {
                own(part, route, t).ok_or_else(|| format!("no object for {part} in {route}"))
            } else {
                Ok((*part).to_owned())
            }
        })
        .collect::<Result<Vec<String>, String>>()?;
    let mut all = vec![filled.join("/")];
    for (n, part) in parts.iter().enumerate() {
        if part.starts_with('{') {
            let mut variant = filled.clone();
            variant[n] = encode(text);
            all.push(variant.join("/"));
        }
    }
    Ok(all)
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The session of whoever owns a route's objects: the customer for its library pages, the
/// partner's administrator elsewhere.
fn owner_of(route: &str, partner: &Option<String>, customer: &Option<String>) -> Option<String> {
    if route.starts_with("/build/library")
        || route.starts_with("/build/installations/")
        || route.ends_with("/source")
    {
        customer.clone()
    } else {
        partner.clone()
    }
}

#[actix_web::test]
async fn no_control_or_format_character_anywhere_answers_a_server_error() {
    let mut app = TestApp::new().await;
    let t = tenant(&app, "Partner Co", "partner.test", "Quokka");
    app.sign_in("admin@partner.test", PASSWORD).await;
    let partner = app.cookie();
    app.set_cookie(None);
    app.sign_in("boss@customer.partner.test", PASSWORD).await;
    let customer = app.cookie();

    let queries = struct_fields("Query");
    let fields = struct_fields("Form");
    assert!(
        queries.len() >= 5 && fields.len() >= 20,
        "{queries:?} {fields:?}"
    );
    let mut failures = Vec::new();
    let mut sent = 0usize;
    for text in PAYLOADS {
        for route in route_patterns("web::get()") {
            app.set_cookie(owner_of(&route, &partner, &customer));
            let all = paths(&route, &t, text).unwrap_or_else(|e| panic!("{e}"));
            let mut targets: Vec<String> = all.clone();
            // Each query parameter alone (a wrong one would hide the others behind a 404), for
            // one character of each kind: C0 controls are refused alike.
            if QUERY_PAYLOADS.contains(&text) {
                targets.extend(
                    queries
                        .iter()
                        .map(|name| format!("{}?{name}={}", all[0], encode(text))),
                );
            }
            for target in targets {
                let r = app.get(&target).await;
                sent += 1;
                if r.status.is_server_error() {
                    failures.push(format!("GET {target:?} answered {}", r.status));
                }
            }
        }
        for route in route_patterns("web::post()") {
            if route == "/logout" {
                continue;
            }
            app.set_cookie(owner_of(&route, &partner, &customer));
            // A page of the owner first, for the session's CSRF token.
            app.get("/settings/password").await;
            let form: Vec<(&str, &str)> = fields.iter().map(|f| (f.as_str(), text)).collect();
            for path in paths(&route, &t, text).unwrap_or_else(|e| panic!("{e}")) {
                let r = app.post(&path, &form).await;
                sent += 1;
                if r.status.is_server_error() {
                    failures.push(format!("POST {path:?} with {text:?} answered {}", r.status));
                }
                if r.status == StatusCode::SEE_OTHER && r.location() == "/login" {
                    failures.push(format!("POST {path:?} signed the owner out"));
                }
            }
        }
    }
    assert!(sent > 500, "only {sent} requests");
    assert!(
        failures.is_empty(),
        "{} of {sent} answers were server errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
