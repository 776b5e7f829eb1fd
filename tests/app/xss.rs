//! Markup typed into any text field comes back escaped on every page that shows it.

use process_library::db::ids::*;
use process_library::domain::build::{Body, ComponentType};
use process_library::services::{accounts::roles, build::folders, groups};

use crate::support::{PASSWORD, TestApp};

const PAYLOADS: [&str; 25] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<style>*{display:none}</style>",
    "<math><mtext></mtext><img src=x onerror=alert(1)></math>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<link rel=stylesheet href=//evil.test/x.css>",
    "<meta http-equiv=refresh content=0;url=//evil.test>",
    "<base href=//evil.test/>",
    "<form action=//evil.test><button>x</button></form>",
    "{{7*7}}<b>bold</b>",
    "&lt;script&gt;<u>u</u>",
];

#[actix_web::test]
async fn every_payload_is_escaped_wherever_it_is_shown() {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.enable_library(&partner);
    let caller = app.admin(&partner);
    let root = app.root_folder(&partner);
    let customer = app.managed_account(&partner, "Customer", "boss@customer.test");
    let all = process_library::db::read(&app.pool, |c| {
        process_library::db::groups::find_all_accounts_group(c, &AccountId::from(&partner))
    })
    .expect("query")
    .expect("group");
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let name = format!("X{i} {payload}");
        roles::create(
            &caller,
            &roles::RoleInput {
                name: name.clone(),
                privileges: process_library::domain::accounts::Privileges::of(&[
                    process_library::domain::accounts::Privilege::BuildRead,
                ]),
            },
        )
        .expect("role");
        groups::create(&caller, &name).expect("group");
        folders::create(&caller, &FolderId::from(&root), &name.replace('/', "|")).expect("folder");
        let process = app.component(&partner, &name, Body::empty(ComponentType::Process));
        let (published, _) = app.publish(&partner, &process, false);
        groups::add_resources(&caller, &all.id, &[ProcessId::from(published)]).expect("share");
    }
    app.sign_in("ada@partner.test", PASSWORD).await;
    let mut pages = vec![
        "/build".to_owned(),
        "/deploy".to_owned(),
        "/manage/process-library".to_owned(),
        "/settings/roles".to_owned(),
        "/settings/users".to_owned(),
        "/settings/groups".to_owned(),
        "/settings/audit".to_owned(),
        "/build/components/new".to_owned(),
    ];
    let first = app
        .get("/build")
        .await
        .attr("tbody a", "href")
        .expect("a component");
    pages.push(first);
    for page in &pages {
        check(&mut app, page).await;
    }
    app.set_cookie(None);
    app.sign_in("boss@customer.test", PASSWORD).await;
    let library = "/build/library?sort=name".to_owned();
    check(&mut app, &library).await;
    let view = app
        .get(&library)
        .await
        .attr("article a", "href")
        .expect("View");
    check(&mut app, &view).await;
    let _ = customer;
}

async fn check(app: &mut TestApp, path: &str) {
    let page = app.get(path).await;
    assert_eq!(page.status, actix_web::http::StatusCode::OK, "{path}");
    let mut shown = 0;
    for payload in PAYLOADS {
        assert!(!page.body.contains(payload), "{path} shows {payload:?} raw");
        shown += usize::from(page.body.contains(&format!(
            "X{}",
            PAYLOADS.iter().position(|p| *p == payload).unwrap_or(0)
        )));
    }
    assert!(shown > 0, "{path} shows the named objects");
    for tag in [
        "script",
        "iframe",
        "object",
        "embed",
        "base",
        "meta[http-equiv]",
        "[onerror]",
        "[onload]",
        "[onfocus]",
        "[onmouseover]",
        "[ontoggle]",
        "b",
        "u",
    ] {
        assert_eq!(
            page.count(tag),
            0,
            "{path} has a {tag} element from user input"
        );
    }
}
