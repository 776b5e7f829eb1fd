//! Manage > Overview: a partner's figures, most installed and last published processes count
//! only its own; a customer sees only its own installations; nothing of another tenant shows.

use actix_web::http::StatusCode;
use process_library::domain::build::{Body, ComponentType};

use crate::support::{PASSWORD, install, library_world, shared_with_gold};

#[actix_web::test]
async fn the_overview_counts_only_the_accounts_own() {
    let mut w = library_world().await;
    let (_, orders) = shared_with_gold(&w, "Orders Sync");
    shared_with_gold(&w, "Invoice Sync");
    let rival = w.app.primary_account("Rival Inc", "boss@rival.test");
    w.app.enable_library(&rival);
    let secret = w.app.component(
        &rival,
        "Rival Secret Sync",
        Body::empty(ComponentType::Process),
    );
    w.app.publish(&rival, &secret, false);
    w.app
        .managed_account(&rival, "Rival Customer", "admin@rivalcustomer.test");

    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    let empty = w.app.get("/manage").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.text("ul.figures li"), "0 installations");
    assert_eq!(empty.text(".empty-state p"), "Nothing is installed yet.");
    install(&mut w.app, &orders, "My Orders").await;
    let acme = w.app.get("/manage").await;
    assert_eq!(acme.text("ul.figures li"), "1 installation");
    assert_eq!(
        acme.texts("section[aria-labelledby=installed-heading] tbody td:first-child"),
        ["My Orders"]
    );

    w.app.set_cookie(None);
    w.app.sign_in("admin@globex.test", PASSWORD).await;
    let globex = w.app.get("/manage").await;
    assert_eq!(
        globex.text("ul.figures li"),
        "0 installations",
        "Acme's are its own"
    );

    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let partner = w.app.get("/manage").await;
    let figures = partner.texts("ul.figures li");
    assert!(figures.iter().any(|f| f == "1 installation"), "{figures:?}");
    assert!(
        figures.iter().any(|f| f == "2 managed accounts"),
        "{figures:?}"
    );
    let published = figures
        .iter()
        .find(|f| f.ends_with("published processes"))
        .expect("published processes");
    let body = partner.text("main");
    assert!(
        !body.contains("Rival"),
        "another partner's processes never show"
    );
    let popular = partner.texts("section[aria-labelledby=popular-heading] tbody td:first-child");
    assert_eq!(
        popular.first().map(String::as_str),
        Some("Orders Sync"),
        "{popular:?}"
    );
    assert!(
        partner
            .texts("section[aria-labelledby=recent-heading] tbody td:first-child")
            .contains(&"Invoice Sync".to_owned())
    );

    w.app.set_cookie(None);
    w.app.sign_in("boss@rival.test", PASSWORD).await;
    let rival_page = w.app.get("/manage").await;
    let rival_figures = rival_page.texts("ul.figures li");
    assert!(
        rival_figures.iter().any(|f| f == "1 published process"),
        "{rival_figures:?} (the partner's: {published})"
    );
    assert!(
        rival_figures.iter().any(|f| f == "0 installations"),
        "{rival_figures:?}"
    );
    assert!(
        rival_figures.iter().any(|f| f == "1 managed account"),
        "{rival_figures:?}"
    );
    assert!(!rival_page.text("main").contains("Orders Sync"));
}
