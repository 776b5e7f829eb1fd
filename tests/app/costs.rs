//! The number of statements a page runs does not grow with the data: each hot page is counted
//! on a small world and on a larger one, and the larger may not take more. (It may take fewer:
//! the Build page's search finds a text that the larger world holds more often among the first
//! components by name, without asking the trigram index.)

use crate::support::{PASSWORD, TestApp, hot_pages, scale_world};

/// The statements each hot page runs, for the partner's administrator and the heavy customer.
async fn counts(app: &mut TestApp, ids: &[String]) -> Vec<(String, usize)> {
    let (partner_pages, customer_pages) = hot_pages(ids);
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
    let (mut small, small_ids) = scale_world(2).await;
    let (mut large, large_ids) = scale_world(7).await;
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
