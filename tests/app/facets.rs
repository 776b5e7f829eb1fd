//! Categories and tags: set on Manage > Process Library (checked, audited), offered by Browse
//! as facets whose counts follow the search and the other facet, in the address, and through
//! the API; a facet costs no statement beyond the page's.

use actix_web::http::{Method, StatusCode};

use process_library::domain::build::{Body, Connector};

use crate::support::{PASSWORD, World, connector_process, library_world, share, shared_with_gold};

async fn as_partner(w: &mut World) {
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    w.app.get("/manage").await;
}

async fn tag(w: &mut World, component: &str, category: &str, tags: &str) -> StatusCode {
    w.app
        .post(
            &format!("/manage/process-library/processes/{component}/tags"),
            &[("category", category), ("tags", tags)],
        )
        .await
        .status
}

#[actix_web::test]
async fn a_customer_narrows_the_library_by_category_and_tag_with_counts_that_add_up() {
    let mut w = library_world().await;
    let (orders, _) = shared_with_gold(&w, "Orders Sync");
    let (invoices, _) = shared_with_gold(&w, "Invoice Sync");
    let (ledger, _) = shared_with_gold(&w, "Ledger Export");
    shared_with_gold(&w, "Plain Process");
    as_partner(&mut w).await;

    // Checked beside the fields, nothing saved.
    let eleven = (0..11)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        tag(&mut w, &orders, "CRM", &eleven).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let refused = w
        .app
        .post(
            &format!("/manage/process-library/processes/{orders}/tags"),
            &[("category", "Gardening"), ("tags", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!refused.text("#f-category-error").is_empty());
    assert_eq!(w.app.count("published_processes WHERE category <> ''"), 0);

    assert_eq!(
        tag(&mut w, &orders, "CRM", "Nightly, Salesforce").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        tag(&mut w, &invoices, "ERP", "nightly, batch").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        tag(&mut w, &ledger, "CRM", "batch").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'published_process.categorize'"),
        3
    );
    let page = w
        .app
        .get(&format!("/manage/process-library?selected={orders}"))
        .await;
    assert_eq!(
        page.attr("#f-tags", "value").as_deref(),
        Some("Nightly, Salesforce")
    );

    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let facets =
        |r: &crate::support::Response, id: &str| r.texts(&format!("ul[aria-labelledby={id}] li"));
    let all = w.app.get("/build/library?sort=name").await;
    assert_eq!(facets(&all, "category-facet"), ["CRM (2)", "ERP (1)"]);
    assert_eq!(
        facets(&all, "tag-facet"),
        ["batch (2)", "nightly (2)", "Salesforce (1)"]
    );

    // A category narrows the cards and the tags' counts; a tag then narrows further.
    let crm = w.app.get("/build/library?sort=name&category=CRM").await;
    assert_eq!(crm.texts("article h2"), ["Ledger Export", "Orders Sync"]);
    assert_eq!(
        facets(&crm, "tag-facet"),
        ["batch (1)", "Nightly (1)", "Salesforce (1)"]
    );
    assert!(facets(&crm, "category-facet").contains(&"Any category".to_owned()));
    let crm_batch = w
        .app
        .get("/build/library?sort=name&category=CRM&tag=BATCH")
        .await;
    assert_eq!(crm_batch.texts("article h2"), ["Ledger Export"]);
    assert_eq!(
        facets(&crm_batch, "category-facet"),
        ["CRM (1)", "ERP (1)", "Any category"],
        "the categories counted over the tag chosen"
    );
    // The search narrows the counts too.
    let searched = w.app.get("/build/library?q=sync").await;
    assert_eq!(facets(&searched, "category-facet"), ["CRM (1)", "ERP (1)"]);
    // The links keep the search.
    let link = searched
        .attr("ul[aria-labelledby=category-facet] a", "href")
        .expect("a facet link");
    assert!(
        link.contains("q=sync") && link.contains("category=CRM"),
        "{link}"
    );

    // A facet costs no statement beyond the page's.
    let plain = w.app.queries_for("/build/library?sort=name").await;
    let narrowed = w
        .app
        .queries_for("/build/library?sort=name&category=ERP&tag=nightly")
        .await;
    assert_eq!(plain, narrowed);

    // Through the API.
    let (_, token) = w.app.api_token("admin@acme.test", "read");
    let acme = w.acme.clone();
    let api = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/accounts/{acme}/library?category=CRM&sort=name"),
            Some(&token),
            None,
            &[],
        )
        .await;
    let body: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(body["processes"][1]["tags"][1], "Salesforce");
    assert_eq!(body["categories"][0]["value"], "CRM");
    assert_eq!(body["categories"][0]["count"], 2);
}

/// A process of the partner using a connection of this connector, published and shared with
/// Gold; returns its component.
fn shared_with_connector(w: &World, name: &str, connector: Connector) -> String {
    let conn = w.app.component(
        &w.partner,
        &format!("{name} Connection"),
        Body::Connection {
            connector,
            url: "https://example.test".into(),
            username: "bot".into(),
            password: None,
        },
    );
    let process = w.app.component(&w.partner, name, connector_process(&conn));
    let (published, _) = w.app.publish(&w.partner, &process, false);
    share(w, &w.gold, &published);
    process
}

#[actix_web::test]
async fn the_connector_facet_counts_the_connectors_of_each_latest_publication() {
    let mut w = library_world().await;
    let orders = shared_with_connector(&w, "Orders Sync", Connector::Salesforce);
    shared_with_connector(&w, "Invoice Drop", Connector::Ftp);
    shared_with_connector(&w, "Lead Sync", Connector::Salesforce);
    shared_with_gold(&w, "Plain Process");
    as_partner(&mut w).await;
    assert_eq!(tag(&mut w, &orders, "CRM", "").await, StatusCode::SEE_OTHER);

    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let facet = |r: &crate::support::Response| r.texts("ul[aria-labelledby=connector-facet] li");
    let all = w.app.get("/build/library?sort=name").await;
    assert_eq!(facet(&all), ["Salesforce (2)", "FTP (1)"]);
    let salesforce = w
        .app
        .get("/build/library?sort=name&connector=salesforce")
        .await;
    assert_eq!(salesforce.texts("article h2"), ["Lead Sync", "Orders Sync"]);
    assert_eq!(
        salesforce.texts("ul[aria-labelledby=category-facet] li"),
        ["CRM (1)"],
        "the categories counted over the connector chosen"
    );
    assert!(facet(&salesforce).contains(&"Any connector".to_owned()));
    // Combined with a category, and kept by the search form.
    let both = w
        .app
        .get("/build/library?sort=name&connector=salesforce&category=CRM")
        .await;
    assert_eq!(both.texts("article h2"), ["Orders Sync"]);
    assert_eq!(
        both.attr("input[type=hidden][name=connector]", "value")
            .as_deref(),
        Some("salesforce")
    );
    // An unknown connector is no filter at all.
    let unknown = w.app.get("/build/library?sort=name&connector=telex").await;
    assert_eq!(unknown.texts("article h2").len(), 4);

    // Through the API.
    let (_, token) = w.app.api_token("admin@acme.test", "read");
    let api = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/accounts/{}/library?connector=ftp", w.acme),
            Some(&token),
            None,
            &[],
        )
        .await;
    let body: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(body["processes"].as_array().map(Vec::len), Some(1));
    assert_eq!(body["processes"][0]["connectors"][0], "ftp");
    assert_eq!(body["connectors"][0]["value"], "salesforce");
    assert_eq!(body["connectors"][0]["count"], 2);

    // Processes published before connectors were kept get them at start-up, once.
    w.app
        .execute("UPDATE published_processes SET connectors = ''");
    w.app
        .execute("DELETE FROM data_migrations WHERE name = 'published-connectors'");
    process_library::services::accounts::setup::prepare_database(&w.app.pool).expect("prepare");
    assert_eq!(
        w.app
            .count("published_processes WHERE connectors = 'salesforce'"),
        2
    );
    assert_eq!(
        w.app.count("published_processes WHERE connectors = 'ftp'"),
        1
    );
}
