//! The Legacy deployment model: the operator's command, *Publishable Components* with their
//! status, *Publish Latest Revision* (refused while nothing changed), the Legacy history and
//! *View Component Publications*, API services that join packs but never a library, and the
//! walls between the two models and between tenants.

use actix_web::http::StatusCode;
use process_library::domain::accounts::DeploymentModel;
use process_library::domain::build::{Body, ComponentType, Endpoint, HttpMethod};
use process_library::services::library::legacy::{self, ModelOutcome};

use crate::support::{PASSWORD, World, connection, connector_process, library_world};

async fn as_partner(w: &mut World) {
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    w.app.get("/manage").await;
}

/// Saves a component through its page as it is, which makes its next revision.
async fn resave(w: &mut World, id: &str, fields: &[(&str, &str)]) {
    let url = format!("/build/components/{id}");
    let page = w.app.get(&url).await;
    let revision = page
        .attr("input[name=revision]", "value")
        .expect("revision");
    let folder = page
        .attr("#f-folder option[selected]", "value")
        .expect("folder");
    let mut all = vec![("revision", revision.as_str()), ("folder", folder.as_str())];
    all.extend_from_slice(fields);
    let saved = w.app.post(&url, &all).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

/// The status badge of each listed component, by name.
async fn statuses(w: &mut World, query: &str) -> Vec<String> {
    w.app
        .get(&format!("/manage/process-library{query}"))
        .await
        .texts("ul.packaged li")
        .into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn api_service() -> Body {
    Body::ApiService {
        endpoints: vec![Endpoint {
            process: String::new(),
            path: "/orders".into(),
            method: HttpMethod::Get,
        }],
    }
}

#[actix_web::test]
async fn the_command_sets_a_primary_accounts_model_and_is_audited() {
    let w = library_world().await;
    assert!(
        legacy::set_model(&w.app.pool, "Acme Retail", DeploymentModel::Legacy).is_err(),
        "a managed account publishes nothing"
    );
    assert!(legacy::set_model(&w.app.pool, "Nobody", DeploymentModel::Legacy).is_err());
    assert_eq!(
        legacy::set_model(&w.app.pool, "partner co", DeploymentModel::Legacy).expect("set"),
        ModelOutcome::Changed
    );
    assert_eq!(
        legacy::set_model(&w.app.pool, "Partner Co", DeploymentModel::Legacy).expect("again"),
        ModelOutcome::Unchanged
    );
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'account.deployment_model_set'"),
        1
    );
}

#[actix_web::test]
async fn a_legacy_account_publishes_its_latest_revision_without_packaging() {
    let mut w = library_world().await;
    let conn = w.app.component(&w.partner, "Warehouse DB", connection());
    let process = w
        .app
        .component(&w.partner, "Orders Sync", connector_process(&conn));
    let api = w.app.component(&w.partner, "Orders API", api_service());
    legacy::set_model(&w.app.pool, "Partner Co", DeploymentModel::Legacy).expect("legacy");
    as_partner(&mut w).await;

    // Every process and API service is listed, packaged or not, with its type and status.
    let page = w.app.get("/manage/process-library").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("#packaged-heading"), "Publishable Components");
    assert_eq!(
        statuses(&mut w, "").await,
        [
            "Orders API API Service · Partner Co Unpublished",
            "Orders Sync Process · Partner Co Unpublished"
        ]
    );
    assert_eq!(
        statuses(&mut w, "?kind=api_service").await,
        ["Orders API API Service · Partner Co Unpublished"]
    );
    assert_eq!(w.app.count("packages"), 0);

    // The packaged way is closed to a Legacy account.
    assert_eq!(
        w.app
            .get(&format!(
                "/manage/process-library/processes/{process}/publish"
            ))
            .await
            .status,
        StatusCode::CONFLICT
    );

    // Publish Latest Revision: the process with the connection it uses.
    let form = w
        .app
        .get(&format!(
            "/manage/process-library/processes/{process}/publish-latest"
        ))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.text("h1"), "Publish Latest Revision");
    let published = w
        .app
        .post(
            &format!("/manage/process-library/processes/{process}/publish-latest"),
            &[
                ("description", "Keeps orders in step."),
                ("include_passwords", "on"),
                ("notes", "First"),
            ],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert_eq!(
        w.app
            .count("packages WHERE implicit AND component_count = 2"),
        1,
        "an implicit package froze the process and its connection"
    );
    assert_eq!(
        w.app.get("/deploy/packages").await.count("tbody tr"),
        0,
        "the Deploy page lists no implicit package"
    );

    // Unchanged: refused beside the form, and nothing is published.
    let again = w
        .app
        .post(
            &format!("/manage/process-library/processes/{process}/publish-latest"),
            &[("description", "Again"), ("notes", "")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        again.attr(".error-summary a", "href").as_deref(),
        Some("#f-revision"),
        "the summary leads to the note that says why"
    );
    assert_eq!(again.count("#f-revision"), 1);
    assert!(
        again
            .text("[role=alert]")
            .contains("nothing it uses has changed"),
        "{}",
        again.text("[role=alert]")
    );
    assert_eq!(w.app.count("publications"), 1);
    assert_eq!(
        statuses(&mut w, "?kind=process").await,
        ["Orders Sync Process · Partner Co Published"]
    );

    // A change to the connection it uses makes it Published with Changes.
    resave(
        &mut w,
        &conn,
        &[
            ("name", "Warehouse DB"),
            ("description", "Moved"),
            ("connector", "salesforce"),
            ("url", "https://login.example.org"),
            ("username", "api"),
        ],
    )
    .await;
    assert_eq!(
        statuses(&mut w, "?kind=process").await,
        ["Orders Sync Process · Partner Co Published with Changes"]
    );
    assert_eq!(
        statuses(&mut w, "?status=changed").await,
        ["Orders Sync Process · Partner Co Published with Changes"]
    );
    assert_eq!(
        statuses(&mut w, "?status=unpublished").await,
        ["Orders API API Service · Partner Co Unpublished"]
    );
    let second = w
        .app
        .post(
            &format!("/manage/process-library/processes/{process}/publish-latest"),
            &[("description", "Keeps orders in step."), ("notes", "Moved")],
        )
        .await;
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);

    // The Legacy history: Boomi's columns and actions.
    let page = w
        .app
        .get(&format!("/manage/process-library?selected={process}"))
        .await;
    assert_eq!(
        page.texts("section[aria-labelledby=selected-heading] table thead th"),
        [
            "Version",
            "Actions",
            "Published By",
            "Date Published",
            "Publication Id",
            "Notes",
            "Include Passwords"
        ]
    );
    assert_eq!(
        page.texts("section[aria-labelledby=selected-heading] tbody td:last-child"),
        ["No", "Yes"]
    );
    let links = page.texts("section[aria-labelledby=selected-heading] tbody td.links a");
    assert!(
        links.contains(&"Re-Publish this Version".to_owned()),
        "{links:?}"
    );
    let components_link = page
        .attr(
            "section[aria-labelledby=selected-heading] tbody tr:last-child td.links a[href$=components]",
            "href",
        )
        .expect("View Component Publications");
    let frozen = w.app.get(&components_link).await;
    assert_eq!(frozen.text("h1"), "Components in this Publication Version");
    assert_eq!(
        frozen.texts("tbody td:last-child"),
        ["2", "2"],
        "version 1 froze both at revision 2"
    );

    // The API service is published the same way; it joins packs, never a group or a library.
    let api_published = w
        .app
        .post(
            &format!("/manage/process-library/processes/{api}/publish-latest"),
            &[("description", "Orders over HTTP."), ("notes", "")],
        )
        .await;
    assert_eq!(api_published.status, StatusCode::SEE_OTHER);
    let gold = w.gold.clone();
    let offered = w
        .app
        .get(&format!("/settings/groups/{gold}/resources/add"))
        .await
        .texts("fieldset label");
    assert!(
        !offered.iter().any(|o| o.contains("Orders API")),
        "{offered:?}"
    );
    w.app.execute(&format!(
        "UPDATE accounts SET features = 'process-library integration-packs' WHERE id = '{}'",
        w.partner
    ));
    w.app.get("/manage").await;
    let created = w
        .app
        .post(
            "/manage/integration-packs/new",
            &[
                ("name", "Order Pack"),
                ("description", ""),
                ("attachment", "single"),
            ],
        )
        .await;
    let pack = created.location();
    let offered = w
        .app
        .get(&format!("{pack}/members/add"))
        .await
        .texts("fieldset label");
    assert!(
        offered.contains(&"Orders API (API Service)".to_owned()),
        "{offered:?}"
    );
}

#[actix_web::test]
async fn the_models_keep_to_their_own_ways_and_tenants_to_their_own_components() {
    let mut w = library_world().await;
    let process = w.app.component(
        &w.partner,
        "Orders Sync",
        Body::empty(ComponentType::Process),
    );
    let conn = w.app.component(&w.partner, "Warehouse DB", connection());
    as_partner(&mut w).await;
    // A packaged account has no Publish Latest Revision.
    assert_eq!(
        w.app
            .post(
                &format!("/manage/process-library/processes/{process}/publish-latest"),
                &[("description", ""), ("notes", "")],
            )
            .await
            .status,
        StatusCode::CONFLICT
    );
    legacy::set_model(&w.app.pool, "Partner Co", DeploymentModel::Legacy).expect("legacy");
    // Only a process or an API service is publishable.
    assert_eq!(
        w.app
            .get(&format!(
                "/manage/process-library/processes/{conn}/publish-latest"
            ))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Another partner, Legacy too, reaches none of it.
    let other = w.app.primary_account("Other Partner", "eve@other.test");
    w.app.enable_library(&other);
    legacy::set_model(&w.app.pool, "Other Partner", DeploymentModel::Legacy).expect("legacy");
    w.app.set_cookie(None);
    w.app.sign_in("eve@other.test", PASSWORD).await;
    w.app.get("/manage").await;
    for path in [
        format!("/manage/process-library/processes/{process}/publish-latest"),
        format!("/manage/process-library?selected={process}"),
    ] {
        assert_eq!(
            w.app.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let refused = w
        .app
        .post(
            &format!("/manage/process-library/processes/{process}/publish-latest"),
            &[("description", "Mine now"), ("notes", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(w.app.count("publications"), 0);
    assert!(
        !w.app
            .get("/manage/process-library")
            .await
            .body
            .contains("Orders Sync")
    );
}
