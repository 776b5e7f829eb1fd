//! The routes the web layer registers, read from its source.

/// The paths of every route of a method (`web::get()`, `web::post()`) registered in the web
/// layer, as registered (`{id}` and the like left in).
pub fn route_patterns(method: &str) -> Vec<String> {
    let mut patterns = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/web"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/web").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("source");
            let mut rest = source.as_str();
            while let Some(at) = rest.find(".route(") {
                rest = &rest[at + ".route(".len()..];
                let call = &rest[..rest.find(".to(").unwrap_or(rest.len())];
                if !call.contains(method) {
                    continue;
                }
                if let Some(route) = call.split('"').nth(1) {
                    patterns.push(route.to_owned());
                }
            }
        }
    }
    patterns.sort();
    patterns.dedup();
    patterns
}
