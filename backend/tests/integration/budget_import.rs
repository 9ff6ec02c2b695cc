//! Importing a pabulib `.pb` file as an edition (`participation::budget::import`, the code
//! of `okienko budget import`): the edition's tally and protocol name the winners a recount
//! of the file names; a broken file is refused naming its line, and nothing is stored.

use axum::http::StatusCode;
use okienko::domain::budget::{Satisfaction, WinnerRule};
use okienko::participation::budget::{import, pabulib::PbError, phases, tally};
use serde_json::Value;

use crate::helpers::{TestApp, anon};

/// Four projects; greedy by votes (B 4, A 3, C 2, D 1) takes B, skips A (over the
/// budget), takes C and D: 1000 of 1000.
const FILE: &str = "META
key;value
description;Budżet testowy 2019
country;Poland
unit;Przykładowo
budget;1000
vote_type;approval
max_length;2
rule;greedy
PROJECTS
project_id;cost;votes;name
A;600;3;Park
B;500;4;Boisko
C;300;2;Ławki
D;200;1;Drzewa
VOTES
voter_id;vote
1;A,B
2;A,B
3;A,C
4;B,C
5;B,D
";

async fn rerun(app: &TestApp, rule: Option<WinnerRule>) -> (Value, Vec<String>) {
    let imported = import::import(&app.state, FILE, "test.pb", rule)
        .await
        .unwrap();
    assert_eq!((imported.projects, imported.ballots), (4, 5));
    let id = imported.edition.row.id.clone();
    phases::advance(&app.state, okienko::participation::budget::today())
        .await
        .unwrap();
    let r = app
        .get(&format!("/api/budgets/{id}/results"), &anon())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let protocol = r.json();
    // the winners by the file's ids (kept in each project's data)
    let mut winners = Vec::new();
    for w in protocol["pools"][0]["winners"].as_array().unwrap() {
        let p = app
            .get(
                &format!("/api/budgets/{id}/projects/{}", w.as_str().unwrap()),
                &anon(),
            )
            .await
            .json();
        winners.push(p["data"]["pabulib_id"].as_str().unwrap().to_owned());
    }
    winners.sort();
    (protocol, winners)
}

fn recount(rule: tally::Rule) -> Vec<String> {
    let t = tally::file::tally_file(FILE, rule, None).unwrap();
    let v: Value = serde_json::from_str(&t.json()).unwrap();
    let mut w: Vec<String> = v["winners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect();
    w.sort();
    w
}

#[tokio::test]
async fn an_imported_pabulib_file_reruns_as_an_edition() {
    let app = TestApp::new().await;
    let (protocol, winners) = rerun(&app, None).await;
    assert_eq!(winners, ["B", "C", "D"]);
    assert_eq!(winners, recount(tally::Rule::Greedy));
    assert_eq!(protocol["pools"][0]["spent"], 100_000, "grosze");
    assert_eq!(protocol["pools"][0]["amount"], 100_000);
    assert_eq!(protocol["ballots"]["imported"], 5);
    assert_eq!(protocol["ballots"]["valid"], 5);
    assert_eq!(protocol["title"], "Budżet testowy 2019 (z pliku pabulib)");
    let mes = WinnerRule::EqualShares {
        satisfaction: Satisfaction::Cost,
    };
    let (protocol, winners) = rerun(&app, Some(mes)).await;
    assert_eq!(protocol["rule"]["rule"], "equal_shares");
    assert_eq!(
        winners,
        recount(tally::Rule::EqualShares {
            satisfaction: tally::Satisfaction::Cost
        })
    );
    // the history says where the edition came from
    let id = protocol["edition_id"].as_str().unwrap();
    let h = app
        .get(&format!("/api/budgets/{id}/history"), &anon())
        .await
        .json();
    assert_eq!(h["verified"], true);
    assert_eq!(h["items"][0]["action"], "imported", "{h}");
}

#[tokio::test]
async fn a_broken_pabulib_file_is_refused_naming_its_line() {
    let app = TestApp::new().await;
    let broken = FILE.replace("5;B,D", "5;B,E");
    let e = import::import(&app.state, &broken, "zly.pb", None)
        .await
        .err()
        .expect("refused");
    let pb = e.downcast_ref::<PbError>().expect("a file error");
    assert_eq!(pb.line, Some(22), "{pb}");
    assert!(pb.to_string().contains("projekt E"), "{pb}");
    let cost = FILE.replace("D;200;1;Drzewa", "D;dużo;1;Drzewa");
    let e = import::import(&app.state, &cost, "zly.pb", None)
        .await
        .err()
        .unwrap();
    assert_eq!(e.downcast_ref::<PbError>().unwrap().line, Some(15), "{e}");
    // a rule okienko refuses: the Method of Equal Shares on points
    let points = FILE
        .replace("vote_type;approval", "vote_type;cumulative")
        .replace("voter_id;vote\n", "voter_id;vote;points\n")
        .replace("1;A,B\n", "1;A,B;1,1\n")
        .replace("2;A,B\n", "2;A,B;1,1\n")
        .replace("3;A,C\n", "3;A,C;1,1\n")
        .replace("4;B,C\n", "4;B,C;1,1\n")
        .replace("5;B,D\n", "5;B,D;1,1\n")
        .replace("rule;greedy", "rule;equalshares");
    let e = import::import(&app.state, &points, "punkty.pb", None)
        .await
        .err()
        .unwrap();
    assert!(
        e.to_string().contains("rule.equal_shares")
            || e.to_string().contains("metoda równych udziałów"),
        "{e}"
    );
    // nothing of the refused files is stored
    let list = app.get("/api/budgets", &anon()).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 0, "{list}");
}
