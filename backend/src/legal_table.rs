//! docs/legal.md lists every legal rule with the test that proves it; this test fails when
//! a row names a test that is not in the repository (renamed, deleted or mistyped): a Rust
//! test `fn`, or `file.yaml: name`, an example in `forms/` that `forms check` runs.

use std::path::Path;

/// The test names in the last column of docs/legal.md's table.
fn named_tests(table: &str) -> Vec<String> {
    table
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---") && !l.starts_with("| rule"))
        .filter_map(|l| l.trim_end_matches('|').rsplit('|').next())
        .flat_map(|cell| {
            cell.split(',')
                .map(|t| t.trim().trim_matches('`').to_owned())
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Every `.rs` file's text under `dir`.
fn sources(dir: &Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

#[test]
fn legal_table_names_only_tests_that_exist() {
    let table = include_str!("../../docs/legal.md");
    let names = named_tests(table);
    assert!(names.len() >= 15, "the table lists {} tests", names.len());
    let mut code = String::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    sources(&root.join("src"), &mut code);
    sources(&root.join("tests"), &mut code);
    let forms = root.join("../forms");
    let exists = |n: &str| match n.split_once(": ") {
        Some((file, example)) => std::fs::read_to_string(forms.join(file))
            .is_ok_and(|yaml| yaml.contains(&format!("- name: {example}\n"))),
        None => code.contains(&format!("fn {n}(")),
    };
    let missing: Vec<&String> = names.iter().filter(|n| !exists(n)).collect();
    assert!(
        missing.is_empty(),
        "docs/legal.md names tests that do not exist: {missing:?}"
    );
}
