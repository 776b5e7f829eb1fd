//! Every state-changing route with an id, read from the web layer's route registrations, sent
//! with another tenant's real ids, a valid CSRF token and plausible fields: by the administrator
//! of another primary account, and by the administrator of another managed account of the same
//! primary. Each answers 404 (or 403, or 422 when the form is refused first), never a success
//! nor a failure, never shows the other tenant's objects, and changes no row of any table. A
//! route whose parameters this test cannot fill fails it, so a new route is covered or noticed.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use process_library::db;

use crate::support::{PASSWORD, Tenant, TestApp, route_patterns, tenant};

/// In the name of every object of the tenant under attack.
const MARKER: &str = "Quokka";

/// POST routes with parameters, as registered (`{id}` and the like left in).
fn patterns() -> Vec<String> {
    route_patterns("web::post()")
        .into_iter()
        .filter(|route| route.contains('{'))
        .collect()
}

/// The objects an actor aims at: the other tenant's, on the side of the actor.
struct Target {
    component: String,
    connection: String,
    folder: String,
    parent: String,
    package: String,
    published: String,
    publication: String,
    role: String,
    group: String,
    account: String,
    group_user: String,
    group_user_email: String,
    user: String,
    invitation: String,
    installation: String,
    pack: String,
    instance: String,
    token: String,
}

impl Target {
    /// The objects of the tenant's primary account.
    fn primary(t: &Tenant) -> Self {
        Self {
            component: t.process.clone(),
            connection: t.connection.clone(),
            folder: t.folder.clone(),
            parent: t.root.clone(),
            package: t.package.clone(),
            published: t.published.clone(),
            publication: t.publication.clone(),
            role: t.role.clone(),
            group: t.group.clone(),
            account: t.customer.clone(),
            group_user: t.member.clone(),
            group_user_email: t.member_email.clone(),
            user: t.member.clone(),
            invitation: t.invitation.clone(),
            installation: t.installation.clone(),
            pack: t.pack.clone(),
            instance: t.instance.clone(),
            token: t.token.clone(),
        }
    }

    /// The objects of the tenant's managed account where it has them (its installed copy,
    /// folder and user), and of its primary account elsewhere.
    fn customer(t: &Tenant) -> Self {
        Self {
            component: t.installed.clone(),
            folder: t.customer_folder.clone(),
            parent: t.customer_root.clone(),
            user: t.clerk.clone(),
            ..Self::primary(t)
        }
    }
}

/// The paths of a route filled with the target's ids (one per action where the route takes
/// one).
fn fill(pattern: &str, t: &Target) -> Result<Vec<String>, String> {
    let mut paths = vec![String::new()];
    for (n, part) in pattern.split('/').enumerate() {
        let values: Vec<String> = match (part, pattern) {
            (p, _) if !p.starts_with('{') => vec![p.to_owned()],
            ("{id}", r) if r.starts_with("/build/components/") => vec![t.component.clone()],
            ("{index}", r) if r.starts_with("/build/components/") => vec!["0".to_owned()],
            ("{action}", r) if r.starts_with("/build/components/") => {
                ["up", "down", "remove", "operation"]
                    .map(str::to_owned)
                    .to_vec()
            }
            ("{id}", r) if r.starts_with("/build/folders/") => vec![t.folder.clone()],
            ("{id}", r) if r.starts_with("/build/library/") => vec![t.published.clone()],
            ("{id}", r) if r.starts_with("/build/installations/") => {
                vec![t.installation.clone()]
            }
            ("{id}", r) if r.starts_with("/deploy/packages/") => vec![t.package.clone()],
            ("{component}", r) if r.starts_with("/manage/process-library/processes/") => {
                vec![t.component.clone()]
            }
            ("{id}", r) if r.starts_with("/manage/process-library/publications/") => {
                vec![t.publication.clone()]
            }
            ("{id}", r) if r.starts_with("/settings/users/") => vec![t.user.clone()],
            ("{id}", r) if r.starts_with("/settings/roles/") => vec![t.role.clone()],
            ("{id}", r) if r.starts_with("/settings/groups/") => vec![t.group.clone()],
            ("{id}", r) if r.starts_with("/manage/integration-packs/instances/") => {
                vec![t.instance.clone()]
            }
            ("{id}", r) if r.starts_with("/manage/integration-packs/") => vec![t.pack.clone()],
            ("{process}", r) if r.starts_with("/manage/integration-packs/") => {
                vec![t.published.clone()]
            }
            ("{account}", r) if r.starts_with("/settings/groups/") => vec![t.account.clone()],
            ("{user}", r) if r.starts_with("/settings/groups/") => vec![t.group_user.clone()],
            ("{process}", r) if r.starts_with("/settings/groups/") => vec![t.published.clone()],
            ("{id}", r) if r.starts_with("/invitations/") => vec![t.invitation.clone()],
            ("{id}", r) if r.starts_with("/settings/api-tokens/") => vec![t.token.clone()],
            _ => return Err(format!("no object for {part} in {pattern}")),
        };
        paths = paths
            .iter()
            .flat_map(|path| {
                values.iter().map(move |value| {
                    if n == 0 {
                        value.clone()
                    } else {
                        format!("{path}/{value}")
                    }
                })
            })
            .collect();
    }
    Ok(paths)
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

fn texts(app: &TestApp, sql: &str) -> Vec<String> {
    db::read(&app.pool, |conn| {
        Ok(diesel::sql_query(sql)
            .load::<Text>(conn)?
            .into_iter()
            .map(|t| t.v)
            .collect())
    })
    .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}

/// Every table of the application.
fn tables(app: &TestApp) -> Vec<String> {
    let sql = if app.is_postgres() {
        "SELECT CAST(tablename AS TEXT) AS v FROM pg_tables WHERE schemaname = 'public' \
         ORDER BY tablename"
    } else {
        "SELECT name AS v FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' ORDER BY name"
    };
    texts(app, sql)
}

/// What the objects of every tenant hold that a change would touch.
const CHECKSUMS: [&str; 13] = [
    "SELECT id || '|' || account_id || '|' || folder_id || '|' || name || '|' || description \
     || '|' || CAST(revision AS TEXT) || '|' || COALESCE(CAST(deleted_at AS TEXT), '-') AS v \
     FROM components ORDER BY id",
    "SELECT id || '|' || COALESCE(parent_id, '-') || '|' || name AS v FROM folders ORDER BY id",
    "SELECT id || '|' || version || '|' || notes || '|' \
     || COALESCE(CAST(deleted_at AS TEXT), '-') AS v FROM packages ORDER BY id",
    "SELECT id || '|' || name || '|' || privileges AS v FROM roles ORDER BY id",
    "SELECT id || '|' || name AS v FROM account_groups ORDER BY id",
    "SELECT group_id || '|' || account_id AS v FROM group_members ORDER BY group_id, account_id",
    "SELECT group_id || '|' || user_id || '|' || role_id AS v FROM group_users \
     ORDER BY group_id, user_id",
    "SELECT group_id || '|' || published_process_id AS v FROM group_resources \
     ORDER BY group_id, published_process_id",
    "SELECT id || '|' || name || '|' || description || '|' || CAST(latest_sequence AS TEXT) \
     || '|' || CAST(install_count AS TEXT) AS v FROM published_processes ORDER BY id",
    "SELECT id || '|' || notes || '|' || description AS v FROM publications ORDER BY id",
    "SELECT id || '|' || folder_id || '|' || local_name AS v FROM installations ORDER BY id",
    "SELECT user_id || '|' || account_id || '|' || role_id AS v FROM user_roles \
     ORDER BY user_id, account_id, role_id",
    "SELECT id || '|' || name || '|' || status || '|' || features AS v FROM accounts ORDER BY id",
];

/// The row count of every table and the contents of [`CHECKSUMS`], one line each.
fn fingerprint(app: &TestApp) -> Vec<String> {
    let mut lines: Vec<String> = tables(app)
        .iter()
        .map(|table| format!("{table}: {} rows", app.count(table)))
        .collect();
    for sql in CHECKSUMS {
        lines.extend(texts(app, sql));
    }
    lines
}

/// The lines of `after` that differ from `before`.
fn differences(before: &[String], after: &[String]) -> Vec<String> {
    let gone = before
        .iter()
        .filter(|l| !after.contains(l))
        .map(|l| format!("- {l}"));
    let new = after
        .iter()
        .filter(|l| !before.contains(l))
        .map(|l| format!("+ {l}"));
    gone.chain(new).collect()
}

/// The current revision of a component.
fn revision(app: &TestApp, component: &str) -> String {
    texts(
        app,
        &format!("SELECT CAST(revision AS TEXT) AS v FROM components WHERE id = '{component}'"),
    )
    .pop()
    .expect("the component")
}

/// Sends every route, filled with the target's ids, as `email`; returns what went wrong.
async fn attack(app: &mut TestApp, email: &str, target: &Target) -> Vec<String> {
    app.set_cookie(None);
    app.sign_in(email, PASSWORD).await;
    app.get("/build").await;
    let revision = revision(app, &target.component);
    let fields: Vec<(&str, &str)> = vec![
        ("name", "Hijacked"),
        ("description", "Hijacked"),
        ("notes", "Hijacked"),
        ("version", "9.9"),
        ("folder", &target.folder),
        ("parent", &target.parent),
        ("package", &target.package),
        ("role", &target.role),
        ("role_name", "Hijacked"),
        ("privilege", "build_read"),
        ("email", &target.group_user_email),
        ("account", &target.account),
        ("process", &target.published),
        ("pack", &target.pack),
        ("revision", &revision),
        ("shape", "connector"),
        ("component", &target.connection),
        ("label", "Hijacked"),
        ("operation_0", ""),
        ("token", "foreign-install"),
        ("new_folder", ""),
        ("local_name", "Hijacked"),
        ("to", "2"),
    ];
    let mut failures = Vec::new();
    let mut paths = Vec::new();
    for pattern in patterns() {
        match fill(&pattern, target) {
            Ok(filled) => paths.extend(filled),
            Err(e) => failures.push(e),
        }
    }
    let mut before = fingerprint(app);
    for path in &paths {
        let r = app.post(path, &fields).await;
        let after = fingerprint(app);
        let changed = differences(&before, &after);
        if !changed.is_empty() {
            failures.push(format!(
                "DEFECT: {path} as {email} changed another tenant's data ({}):\n  {}",
                r.status,
                changed.join("\n  ")
            ));
            before = after;
        }
        let refused = matches!(
            r.status,
            StatusCode::NOT_FOUND | StatusCode::FORBIDDEN | StatusCode::UNPROCESSABLE_ENTITY
        );
        if !refused {
            failures.push(format!(
                "DEFECT: {path} as {email} answered {} to another tenant's ids",
                r.status
            ));
        } else if r.body.contains(MARKER) {
            failures.push(format!(
                "{path} as {email} answered {} showing another tenant's objects",
                r.status
            ));
        }
    }
    failures
}

#[actix_web::test]
async fn every_post_route_with_an_id_refuses_another_tenants_objects_and_changes_nothing() {
    let patterns = patterns();
    assert!(patterns.len() >= 20, "found {patterns:?}");
    let mut app = TestApp::new().await;
    let rival = tenant(&app, "Rival Co", "rival.test", MARKER);
    tenant(&app, "Partner Co", "partner.test", "Wombat");
    app.managed_account(&rival.primary, "Bystander Ltd", "boss@bystander.test");

    let mut failures = attack(&mut app, "admin@partner.test", &Target::primary(&rival)).await;
    failures.extend(attack(&mut app, "boss@bystander.test", &Target::customer(&rival)).await);
    assert!(
        failures.is_empty(),
        "{} answers were wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // The objects are real: their owners reach them.
    app.set_cookie(None);
    app.sign_in("admin@rival.test", PASSWORD).await;
    for page in [
        format!("/build/components/{}", rival.process),
        format!("/deploy/packages/{}", rival.package),
        format!("/settings/groups/{}", rival.group),
        format!("/settings/roles/{}", rival.role),
    ] {
        assert_eq!(app.get(&page).await.status, StatusCode::OK, "{page}");
    }
    // The same request from the owner does change the group, and the fingerprint sees it.
    let before = fingerprint(&app);
    let rename = format!("/settings/groups/{}/rename", rival.group);
    let r = app.post(&rename, &[("name", "Hijacked")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{rename} by its owner");
    assert!(
        !differences(&before, &fingerprint(&app)).is_empty(),
        "the fingerprint notices a change"
    );
    app.set_cookie(None);
    app.sign_in("boss@customer.rival.test", PASSWORD).await;
    for page in [
        format!("/build/components/{}", rival.installed),
        format!("/build/library/installations/{}", rival.installation),
    ] {
        assert_eq!(app.get(&page).await.status, StatusCode::OK, "{page}");
    }
}
