//! The number of statements a page runs does not grow with the data: each hot page is counted
//! on a small world and on a larger one, and the larger may not take more. (It may take fewer:
//! the Build page's search finds a text that the larger world holds more often among the first
//! components by name, without asking the trigram index.)

use process_library::db::ids::*;
use process_library::domain::build::{Body, ComponentType};
use process_library::services::groups;

use crate::build::{connection, connector_process};
use crate::support::{PASSWORD, TestApp};

/// A partner with `n` published processes (each with a connection), `n` managed accounts,
/// `n` groups holding them all and sharing every process, and one installation per process
/// in the heavy customer's account; the partner's administrator is signed in.
pub async fn world(n: usize) -> (TestApp, Vec<String>) {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.enable_library(&partner);
    let caller = app.admin(&partner);
    let accounts: Vec<String> = (0..n)
        .map(|i| {
            app.managed_account(
                &partner,
                &format!("Customer {i:03}"),
                &format!("admin{i}@customers.test"),
            )
        })
        .collect();
    let heavy = app.managed_account(&partner, "Heavy Customer", "heavy@customers.test");
    let mut published = Vec::new();
    let mut processes = Vec::new();
    for i in 0..n {
        let conn = app.component(&partner, &format!("Connection {i:03}"), connection());
        let process = app.component(
            &partner,
            &format!("Process {i:03}"),
            connector_process(&conn),
        );
        app.component(
            &partner,
            &format!("Profile {i:03}"),
            Body::empty(ComponentType::Profile),
        );
        published.push(app.publish(&partner, &process, false).0);
        processes.push(process);
    }
    let mut group_ids = Vec::new();
    for g in 0..n {
        let group = groups::create(&caller, &format!("Group {g:03}")).expect("group");
        let mut members = accounts.clone();
        members.push(heavy.clone());
        let members: Vec<AccountId> = members.iter().map(AccountId::from).collect();
        groups::add_members(&caller, &GroupId::from(&group), &members).expect("members");
        let shared: Vec<ProcessId> = published.iter().map(ProcessId::from).collect();
        groups::add_resources(&caller, &GroupId::from(&group), &shared).expect("resources");
        group_ids.push(group);
    }
    let heavy_caller = app.admin(&heavy);
    let root = app.root_folder(&heavy);
    for (i, pp) in published.iter().enumerate() {
        let input = process_library::services::browse::install::InstallInput {
            folder_id: FolderId::from(root.clone()),
            new_folder: String::new(),
            local_name: format!("Installed {i:03}"),
            idempotency_key: format!("key-{i}"),
        };
        process_library::services::browse::install::install(
            &heavy_caller,
            &ProcessId::from(pp),
            &input,
        )
        .expect("install");
    }
    app.sign_in("ada@partner.test", PASSWORD).await;
    (
        app,
        vec![
            processes[0].clone(),
            published[0].clone(),
            group_ids[0].clone(),
        ],
    )
}

/// The hot pages of the partner's administrator and of the heavy customer.
pub fn pages(ids: &[String]) -> (Vec<String>, Vec<String>) {
    let (process, published, group) = (&ids[0], &ids[1], &ids[2]);
    let partner_pages = vec![
        "/build".to_owned(),
        "/build?q=process".to_owned(),
        // A text held nowhere: looked for through the trigram index of names.
        "/build?q=held+nowhere".to_owned(),
        "/deploy".to_owned(),
        "/manage/process-library".to_owned(),
        format!("/manage/process-library?selected={process}"),
        "/settings/groups".to_owned(),
        format!("/settings/groups/{group}"),
        format!("/settings/groups/{group}/resources"),
        format!("/settings/groups/{group}/accounts/add"),
        "/settings/audit".to_owned(),
        "/settings/users".to_owned(),
    ];
    let customer_pages = vec![
        "/build/library".to_owned(),
        "/build/library?sort=name&q=process".to_owned(),
        "/build/library?sort=date".to_owned(),
        format!("/build/library/{published}"),
        format!("/build/library/{published}/install"),
        "/build/components/new".to_owned(),
        "/build".to_owned(),
    ];
    (partner_pages, customer_pages)
}

/// The statements each hot page runs, for the partner's administrator and the heavy customer.
async fn counts(app: &mut TestApp, ids: &[String]) -> Vec<(String, usize)> {
    let (partner_pages, customer_pages) = pages(ids);
    let mut out = Vec::new();
    for page in partner_pages {
        out.push((page.clone(), app.queries_for(&page).await));
    }
    app.set_cookie(None);
    app.sign_in("heavy@customers.test", PASSWORD).await;
    for page in customer_pages {
        out.push((page.clone(), app.queries_for(&page).await));
    }
    out
}

#[actix_web::test]
async fn page_query_counts_do_not_grow_with_the_data() {
    let (mut small, small_ids) = world(2).await;
    let (mut large, large_ids) = world(7).await;
    let few = counts(&mut small, &small_ids).await;
    let many = counts(&mut large, &large_ids).await;
    println!("{few:?}");
    for ((page, a), (_, b)) in few.iter().zip(&many) {
        assert!(
            b <= a,
            "{page} runs {a} statements on the small world and {b} on the larger one"
        );
        assert!(*a <= 16, "{page} runs {a} statements");
    }
}
