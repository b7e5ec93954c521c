//! No module of a crate depends on another that depends back on it, directly or around a circle:
//! a change to one then never needs the other first. A module here is a file or directory under
//! `src/`; a reference is any `crate::` or `super::` path outside the tests. A child naming its
//! parent, or a parent its child, is no cycle: only modules side by side count, each standing for
//! everything inside it.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// The module a source file is: `ingest/reply.rs` is `ingest::reply`, `ingest/mod.rs` is `ingest`.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut module: Module = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        module.pop();
    }
    module
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths a file names through `crate::` and `super::`, as module paths from the crate root;
/// a `{…}` group gives each of its first segments.
fn references(code: &str, me: &Module) -> Vec<Module> {
    let mut found = Vec::new();
    for anchor in ["crate::", "super::"] {
        for (at, _) in code.match_indices(anchor) {
            if code[..at].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let base: Module = if anchor == "crate::" { Vec::new() } else { me[..me.len().saturating_sub(1)].to_vec() };
            let rest = &code[at + anchor.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                for item in group.split(',') {
                    let first: String = item.trim().chars().take_while(|c| is_ident(*c)).collect();
                    if !first.is_empty() {
                        found.push([base.clone(), vec![first]].concat());
                    }
                }
            } else {
                let path: String = rest.chars().take_while(|c| is_ident(*c) || *c == ':').collect();
                found.push([base, path.split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect()].concat());
            }
        }
    }
    found
}

/// The items the crate root re-exports (`pub use ingest::{Event, Ingested};`), each with the
/// module it comes from: `crate::Event` names `ingest`.
fn re_exports(src: &Path) -> BTreeMap<String, String> {
    let root = ["lib.rs", "main.rs"].iter().find_map(|f| std::fs::read_to_string(src.join(f)).ok()).unwrap_or_default();
    let mut from = BTreeMap::new();
    for statement in root.split(';') {
        let statement = statement.trim();
        let Some(path) = statement.strip_prefix("pub use ").or_else(|| statement.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let module: String = path.chars().take_while(|c| is_ident(*c)).collect();
        let items = path.rsplit("::").next().unwrap_or_default().trim_matches(|c| c == '{' || c == '}');
        for item in items.split(',').chain(path.split("::{").nth(1).into_iter().flat_map(|group| group.split(','))) {
            let item = item.rsplit(" as ").next().unwrap_or_default().rsplit("::").next().unwrap_or_default();
            let item = item.trim_matches(|c: char| !is_ident(c));
            if !item.is_empty() && item != module {
                from.insert(item.to_owned(), module.clone());
            }
        }
    }
    from
}

/// Each crate's graph of sibling modules: an edge from every module that names another beside it.
fn sibling_graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(src, f)).collect();
    let re_exported = re_exports(src);
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for file in &files {
        let me = module_of(src, file);
        let text = std::fs::read_to_string(file).unwrap();
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .map(|line| line.split("//").next().unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        for mut target in references(&code, &me) {
            if let Some(module) = target.first().filter(|_| target.len() == 1).and_then(|item| re_exported.get(item)) {
                target = vec![module.clone()];
            }
            while !target.is_empty() && !modules.contains(&target) {
                target.pop();
            }
            let shared = me.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if shared < me.len() && shared < target.len() {
                graph.entry(me[..=shared].to_vec()).or_default().insert(target[..=shared].to_vec());
            }
        }
    }
    graph
}

/// A circle through `start`, if there is one: the modules around it.
fn circle(graph: &BTreeMap<Module, BTreeSet<Module>>, start: &Module) -> Option<Vec<Module>> {
    let mut stack = vec![vec![start.clone()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        for next in graph.get(path.last().unwrap()).into_iter().flatten() {
            if next == start {
                return Some(path);
            }
            if seen.insert(next.clone()) {
                stack.push([path.clone(), vec![next.clone()]].concat());
            }
        }
    }
    None
}

fn circles(src: &Path) -> Vec<String> {
    let graph = sibling_graph(src);
    let mut found = BTreeSet::new();
    for start in graph.keys() {
        if let Some(mut around) = circle(&graph, start) {
            // One entry per circle, whichever module it was found from.
            let first = around.iter().enumerate().min_by_key(|(_, m)| *m).map(|(i, _)| i).unwrap();
            around.rotate_left(first);
            found.insert(around.iter().map(|m| m.join("::")).collect::<Vec<_>>().join(" -> "));
        }
    }
    found.into_iter().collect()
}

#[test]
fn no_module_depends_on_one_that_depends_back_on_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|crate_dir| crate_dir.unwrap().path().join("src"))
        .collect();
    sources.push(root.join("src-tauri"));
    sources.sort();
    let mut problems = Vec::new();
    for src in &sources {
        for around in circles(src) {
            problems.push(format!("{}: {around} -> back", src.display()));
        }
    }
    assert!(problems.is_empty(), "modules that depend on each other in a circle:\n{}", problems.join("\n"));
}

#[test]
fn a_planted_circle_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir(src.join("ingest")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod ingest;\nmod review;\n").unwrap();
    std::fs::write(src.join("ingest/mod.rs"), "mod rows;\nuse super::review::flag; // crate::nothing\n").unwrap();
    std::fs::write(src.join("ingest/rows.rs"), "use crate::ingest::Batch;\n").unwrap();
    std::fs::write(src.join("review.rs"), "use crate::{ingest::rows::insert, Error};\n").unwrap();
    assert_eq!(circles(src), ["ingest -> review"]);
    std::fs::write(src.join("review.rs"), "#[cfg(test)]\nmod tests { use crate::ingest::rows::insert; }\n").unwrap();
    assert_eq!(circles(src), Vec::<String>::new());
    // Through the crate root's re-export.
    std::fs::write(src.join("lib.rs"), "mod ingest;\nmod review;\npub use ingest::rows::{Batch as B, insert};\n")
        .unwrap();
    std::fs::write(src.join("review.rs"), "use crate::{insert, Error};\n").unwrap();
    assert_eq!(circles(src), ["ingest -> review"]);
}
