//! Preview Library As: a partner sees a managed account's library exactly as its users do
//! (the same processes, marks and order, without links into the account), and no other
//! tenant's.

use actix_web::http::StatusCode;
use process_library::domain::build::{Body, ComponentType};

use crate::support::{PASSWORD, install, library_world, share, shared_with_gold};

#[actix_web::test]
async fn a_partner_previews_a_customers_library_exactly() {
    let mut w = library_world().await;
    let (_, gold_only) = shared_with_gold(&w, "Gold Sync");
    let everyone = w.app.component(
        &w.partner,
        "Everyone Sync",
        Body::empty(ComponentType::Process),
    );
    let (everyone_pp, _) = w.app.publish(&w.partner, &everyone, false);
    share(&w, &w.all, &everyone_pp);
    install(&mut w.app, &gold_only, "Gold Sync").await;
    let own = w.app.get("/build/library?sort=name").await;
    assert_eq!(own.texts("article h2"), ["Everyone Sync", "Gold Sync"]);

    let rival = w.app.primary_account("Rival Inc", "boss@rival.test");
    w.app.enable_library(&rival);
    let stranger = w
        .app
        .managed_account(&rival, "Rival Customer", "boss@rivalcustomer.test");
    assert_eq!(
        w.app.get("/manage/process-library/preview").await.status,
        StatusCode::NOT_FOUND,
        "a managed account has no library to manage"
    );

    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let chooser = w.app.get("/manage/process-library/preview").await;
    assert_eq!(chooser.text("h1"), "Preview Library As");
    assert_eq!(
        chooser.texts("#f-account option"),
        ["Choose…", "Acme Retail", "Globex"]
    );
    let preview = w
        .app
        .get(&format!(
            "/manage/process-library/preview?account={}&sort=name",
            w.acme
        ))
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.text(".callout.preview").contains("Acme Retail"));
    assert_eq!(preview.texts("article h2"), own.texts("article h2"));
    assert_eq!(preview.texts("article .marks"), own.texts("article .marks"));
    assert_eq!(preview.texts("article .muted"), own.texts("article .muted"));
    assert_eq!(preview.count("article a"), 0, "read-only");
    let globex = w
        .app
        .get(&format!(
            "/manage/process-library/preview?account={}",
            w.globex
        ))
        .await;
    assert_eq!(globex.texts("article h2"), ["Everyone Sync"]);
    let search = w
        .app
        .get(&format!(
            "/manage/process-library/preview?account={}&q=gold",
            w.acme
        ))
        .await;
    assert_eq!(search.texts("article h2"), ["Gold Sync"]);
    assert_eq!(
        search.attr("form[role=search] input[name=account]", "value"),
        Some(w.acme.clone())
    );
    assert_eq!(
        w.app
            .get(&format!(
                "/manage/process-library/preview?account={stranger}"
            ))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "another partner's customer"
    );
}
