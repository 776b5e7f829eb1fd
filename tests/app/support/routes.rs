//! The routes the web layer registers, read from its source.

/// The paths of every route of a method (`web::get()`, `web::post()`) registered in the web
/// layer, as registered (`{id}` and the like left in).
pub fn route_patterns(method: &str) -> Vec<String> {
    let mut patterns = Vec::new();
    for source in web_sources() {
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
    patterns.sort();
    patterns.dedup();
    patterns
}

/// The source of every file of the web layer.
fn web_sources() -> Vec<String> {
    let mut sources = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/web"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/web").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push(std::fs::read_to_string(&path).expect("source"));
            }
        }
    }
    sources
}

/// The field names of the web layer's structs whose name ends with `suffix` (`Form`, `Query`):
/// the form fields and query parameters its handlers read.
pub fn struct_fields(suffix: &str) -> Vec<String> {
    let mut names = Vec::new();
    for source in web_sources() {
        let mut rest = source.as_str();
        while let Some(at) = rest.find("struct ") {
            rest = &rest[at + "struct ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let Some(open) = rest.find('{') else { break };
            if !name.ends_with(suffix) || rest[..open].contains(';') {
                continue;
            }
            let body = &rest[open + 1..rest[open..].find('}').map_or(rest.len(), |c| open + c)];
            for line in body.lines() {
                let line = line.trim().trim_start_matches("pub ");
                if let Some((field, _)) = line.split_once(':')
                    && !field.is_empty()
                    && field.chars().all(|c| c.is_alphanumeric() || c == '_')
                {
                    names.push(field.to_owned());
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}
