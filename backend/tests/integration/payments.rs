//! Payments (issue 21) on SQLite and PostgreSQL: statements imported and matched by each
//! rule, nothing recorded twice; online payments through the Przelewy24 emulator
//! (`scripts/p24_emulator.py`, started by each test as its own process): the notification
//! settles once, a replay does nothing, another amount is flagged, the provider down is a
//! clear error. Here the tests hand the emulator's signed notification body to
//! `payments::online::notified`; `payment_pages.rs` goes through the routes.

use std::process::Stdio;

use okienko::db::payments::{self as db, Debt};
use okienko::domain::payment::{Grosze, Nrb, VirtualAccounts};
use okienko::payments::debts::{self, Accounts};
use okienko::payments::import::{self, ImportError};
use okienko::payments::online::{self, OnlineError, Outcome};
use okienko::payments::provider::ProviderError;
use okienko::payments::przelewy24::Przelewy24;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::TestApp;

pub const PREFIX: &str = "1020102600";

fn va(number: u64) -> String {
    VirtualAccounts::new(PREFIX)
        .unwrap()
        .account_for(number)
        .unwrap()
        .digits()
        .to_string()
}

fn debt(number: i64, owner: &str, amount: i64) -> Debt {
    Debt {
        id: uuid::Uuid::now_v7().to_string(),
        number,
        owner_kind: db::OWNER_TAXPAYER.into(),
        owner: owner.into(),
        source_kind: db::SOURCE_LEDGER.into(),
        source_ref: format!("L{number}"),
        amount,
        paid: 0,
        title: format!("NAL-{number} podatek"),
        account: va(u64::try_from(number).unwrap()),
        due: "2026-12-15".into(),
        status: db::OPEN.into(),
    }
}

/// An MT940 statement of `lines` (each `:61:` amount, bank reference, supplementary
/// line and `:86:`).
pub fn mt940(day: &str, lines: &[(&str, &str, &str, &str)]) -> String {
    let mut s =
        format!(":20:T{day}\n:25:/PL61109010140000071219812874\n:28C:1/1\n:60F:C{day}PLN0,00\n");
    for (amount, reference, supplementary, details) in lines {
        s.push_str(&format!(":61:{day}C{amount}N051REF//{reference}\n"));
        if !supplementary.is_empty() {
            s.push_str(&format!("{supplementary}\n"));
        }
        s.push_str(&format!(":86:{details}\n"));
    }
    s.push_str(&format!(
        ":61:{day}D5,00N073NONREF//FEE{day}\n:86:073~20Opłata\n-\n"
    ));
    s
}

async fn status(app: &TestApp, number: i64) -> (String, i64) {
    let d = db::debts_by_numbers(&app.state.db, &[number])
        .await
        .unwrap();
    (d[0].status.clone(), d[0].paid)
}

#[tokio::test]
async fn statements_are_matched_by_each_rule_and_nothing_is_recorded_twice() {
    let app = TestApp::new().await;
    let conn = &app.state.db;
    db::insert_debts(
        conn,
        &[
            debt(1001, "T1", 15_000),
            debt(1002, "T2", 1_700),
            debt(1003, "T2", 8_000),
        ],
    )
    .await
    .unwrap();
    let payer = "~38PL27114020040000300201355387~32Zażółć Gęślą Jaźń";
    let first = mt940(
        "261201",
        &[
            (
                "100,00",
                "B1",
                &va(1001),
                "051~20Podatek rata 1~32Jan Nowak",
            ),
            (
                "50,00",
                "B2",
                "",
                &format!("051~20Opłata NAL-1002 za wypis{payer}"),
            ),
            ("60,00", "B3", "", "051~20Darowizna~32Anna Wiśniewska"),
        ],
    );
    let r = import::import(conn, first.as_bytes(), "clerk-1")
        .await
        .unwrap();
    assert_eq!(
        (
            r.entries,
            r.debits,
            r.by_virtual_account,
            r.by_title,
            r.unmatched
        ),
        (4, 1, 1, 1, 1)
    );
    // a partial payment and an overpayment, recorded as they are
    assert_eq!(status(&app, 1001).await, ("partial".into(), 10_000));
    assert_eq!(status(&app, 1002).await, ("overpaid".into(), 5_000));
    // the same file again is refused; nothing changes
    assert!(matches!(
        import::import(conn, first.as_bytes(), "clerk-1").await,
        Err(ImportError::AlreadyImported(_))
    ));
    assert_eq!(status(&app, 1001).await, ("partial".into(), 10_000));

    // the next day's statement repeats entry B3 and brings two new ones: the rest of 1001
    // to its virtual account, and 80 zł from the payer who paid T2's fee before, which is
    // exactly what T2's other debt owes
    let second = mt940(
        "261202",
        &[
            ("60,00", "B3", "", "051~20Darowizna~32Anna Wiśniewska"),
            ("50,00", "B4", &va(1001), "051~20Podatek rata 2"),
            ("80,00", "B5", "", &format!("051~20podatek{payer}")),
        ],
    );
    let r = import::import(conn, second.as_bytes(), "cli")
        .await
        .unwrap();
    assert_eq!(
        (
            r.known,
            r.by_virtual_account,
            r.by_amount_payer,
            r.unmatched
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(status(&app, 1001).await, ("paid".into(), 15_000));
    assert_eq!(status(&app, 1003).await, ("paid".into(), 8_000));

    // the clerks' queue: the one line no rule matched
    let queue = db::unmatched(conn, None, 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].amount, 6_000);
    assert_eq!(queue[0].payer_name, "Anna Wiśniewska");
    let after = (queue[0].booked.as_str(), queue[0].id.as_str());
    assert!(
        db::unmatched(conn, Some(after), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // the day's report: per account, channel and status
    let report = db::day_report(conn, "2026-12-01").await.unwrap();
    let total: i64 = report.iter().map(|r| r.amount).sum();
    assert_eq!(total, 21_000);
    assert!(
        report
            .iter()
            .any(|r| r.status == "unmatched" && r.count == 1)
    );
}

#[tokio::test]
async fn a_case_fee_opens_a_debt_with_its_own_account_and_reference() {
    let app = TestApp::new().await;
    let accounts = Accounts::Virtual(VirtualAccounts::new(PREFIX).unwrap());
    let due = time::macros::date!(2026 - 12 - 31);
    let fee = Grosze::new(1_700).unwrap();
    let d = debts::open_for_case(
        &app.state.db,
        &accounts,
        "case-1",
        "owner-1",
        fee,
        "opłata skarbowa",
        due,
    )
    .await
    .unwrap();
    assert!(Nrb::parse(&d.account).is_ok());
    assert_eq!(
        VirtualAccounts::new(PREFIX)
            .unwrap()
            .payer_of(&Nrb::parse(&d.account).unwrap()),
        Some(u64::try_from(d.number).unwrap())
    );
    assert!(d.title.starts_with(&format!("NAL-{} ", d.number)));
    let open = db::open_for_case(&app.state.db, "case-1").await.unwrap();
    assert_eq!(open, vec![d]);
    assert!(
        db::open_for_case(&app.state.db, "case-2")
            .await
            .unwrap()
            .is_empty()
    );
}

/// The emulator in its own process, killed when dropped.
pub struct Emulator {
    _child: tokio::process::Child,
    pub url: String,
}

pub async fn emulator() -> Emulator {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/p24_emulator.py");
    let mut child = tokio::process::Command::new("python3")
        .arg(script)
        .args(["--port", "0", "--merchant", "123456", "--crc", "test-crc"])
        .args(["--api-key", "test-key"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("python3 runs the emulator");
    let stdout = child.stdout.take().expect("stdout");
    let line = BufReader::new(stdout)
        .lines()
        .next_line()
        .await
        .expect("the emulator's first line")
        .expect("the emulator started");
    let url = line.trim_start_matches("listening on ").to_string();
    Emulator { _child: child, url }
}

pub async fn control(url: &str, post: bool) -> reqwest::Response {
    let http = reqwest::Client::new();
    let request = if post { http.post(url) } else { http.get(url) };
    request.send().await.expect("the emulator answers")
}

#[tokio::test]
async fn online_payment_through_the_emulator_settles_once() {
    let app = TestApp::new().await;
    let conn = &app.state.db;
    let em = emulator().await;
    let p24 = Przelewy24::new(&em.url, 123_456, 123_456, "test-crc", "test-key");
    db::insert_debts(conn, &[debt(2001, "T9", 1_700), debt(2002, "T9", 2_500)])
        .await
        .unwrap();
    let fee = db::debts_by_numbers(conn, &[2001]).await.unwrap().remove(0);
    let base = "http://okienko.test";

    let redirect = online::start(conn, &p24, &fee, "jan@example.pl", base)
        .await
        .unwrap();
    let token = redirect.rsplit('/').next().unwrap().to_string();
    assert_eq!(redirect, format!("{}/trnRequest/{token}", em.url));
    let page = control(&redirect, false).await.text().await.unwrap();
    assert!(
        page.contains("17,00 zł") && page.contains("Zapłać"),
        "{page}"
    );

    // the resident paid and closed the tab: the notification alone settles it, and the
    // same notification again (a replay, or the provider's retry) does nothing
    let body = control(&format!("{}/emulator/notification/{token}", em.url), false)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        online::notified(conn, &p24, &body).await.unwrap(),
        Outcome::Settled
    );
    assert_eq!(
        online::notified(conn, &p24, &body).await.unwrap(),
        Outcome::Replay
    );
    assert_eq!(status(&app, 2001).await, ("paid".into(), 1_700));
    let sent: serde_json::Value = control(&format!("{}/emulator/transactions", em.url), false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent[0]["verified"], 1, "verified with the provider once");
    // nothing more is owed: no new payment starts
    let paid = db::debts_by_numbers(conn, &[2001]).await.unwrap().remove(0);
    assert!(matches!(
        online::start(conn, &p24, &paid, "jan@example.pl", base).await,
        Err(OnlineError::NothingOwed)
    ));

    // another amount than registered: flagged, not settled
    let other = db::debts_by_numbers(conn, &[2002]).await.unwrap().remove(0);
    let redirect = online::start(conn, &p24, &other, "jan@example.pl", base)
        .await
        .unwrap();
    let token = redirect.rsplit('/').next().unwrap().to_string();
    let body = control(
        &format!("{}/emulator/notification/{token}?amount=100", em.url),
        false,
    )
    .await
    .bytes()
    .await
    .unwrap();
    assert_eq!(
        online::notified(conn, &p24, &body).await.unwrap(),
        Outcome::AmountMismatch
    );
    assert_eq!(status(&app, 2002).await, ("open".into(), 0));
    // a forged notification: the signature does not match
    let mut forged: serde_json::Value = serde_json::from_slice(&body).unwrap();
    forged["amount"] = 2_500.into();
    assert!(matches!(
        online::notified(conn, &p24, &serde_json::to_vec(&forged).unwrap()).await,
        Err(OnlineError::Provider(ProviderError::BadSignature))
    ));
    assert_eq!(status(&app, 2002).await, ("open".into(), 0));

    // the provider is down: a clear error, nothing recorded as paid
    control(&format!("{}/emulator/down", em.url), true).await;
    assert!(matches!(
        online::start(conn, &p24, &other, "jan@example.pl", base).await,
        Err(OnlineError::Provider(ProviderError::Unavailable(_)))
    ));
    assert_eq!(status(&app, 2002).await, ("open".into(), 0));
}

async fn notification_of(em: &Emulator, redirect: &str) -> Vec<u8> {
    let token = redirect.rsplit('/').next().unwrap();
    control(&format!("{}/emulator/notification/{token}", em.url), false)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

async fn registered(em: &Emulator) -> Vec<serde_json::Value> {
    control(&format!("{}/emulator/transactions", em.url), false)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_debt_has_one_online_payment_under_way_and_is_never_paid_twice() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let app = TestApp::new().await;
    let conn = &app.state.db;
    let em = emulator().await;
    let p24 = Przelewy24::new(&em.url, 123_456, 123_456, "test-crc", "test-key");
    let base = "http://okienko.test";
    let debts = [
        debt(3001, "T7", 1_700),
        debt(3002, "T7", 2_500),
        debt(3003, "T7", 900),
    ];
    db::insert_debts(conn, &debts).await.unwrap();
    let by = |n: i64| async move { db::debts_by_numbers(conn, &[n]).await.unwrap().remove(0) };

    // two tabs press "pay" at the same moment: one transaction is registered with the
    // provider; the other tab gets its page or is asked to finish it, never a second one
    let fee = by(3001).await;
    let (a, b) = tokio::join!(
        online::start(conn, &p24, &fee, "jan@example.pl", base),
        online::start(conn, &p24, &fee, "jan@example.pl", base)
    );
    let url = match (&a, &b) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b);
            a.clone()
        }
        (Ok(u), Err(OnlineError::UnderWay)) | (Err(OnlineError::UnderWay), Ok(u)) => u.clone(),
        other => panic!("two starts: {other:?}"),
    };
    let sent = registered(&em).await;
    assert_eq!(sent.len(), 1, "one transaction registered: {sent:?}");
    assert_eq!(
        sent[0]["timeLimit"], 15,
        "the provider closes it after 15 minutes"
    );
    // a third tab later: the same transaction's page
    assert_eq!(
        online::start(conn, &p24, &fee, "jan@example.pl", base)
            .await
            .unwrap(),
        url
    );
    assert_eq!(registered(&em).await.len(), 1);
    let body = notification_of(&em, &url).await;
    assert_eq!(
        online::notified(conn, &p24, &body).await.unwrap(),
        Outcome::Settled
    );
    assert_eq!(status(&app, 3001).await, ("paid".into(), 1_700));
    assert!(matches!(
        online::start(conn, &p24, &by(3001).await, "jan@example.pl", base).await,
        Err(OnlineError::NothingOwed)
    ));

    // the provider down at the start: the failed session does not hold the debt, and the
    // resident pays once it is back
    control(&format!("{}/emulator/down", em.url), true).await;
    let other = by(3002).await;
    assert!(matches!(
        online::start(conn, &p24, &other, "jan@example.pl", base).await,
        Err(OnlineError::Provider(ProviderError::Unavailable(_)))
    ));
    control(&format!("{}/emulator/up", em.url), true).await;
    let url = online::start(conn, &p24, &other, "jan@example.pl", base)
        .await
        .unwrap();
    let body = notification_of(&em, &url).await;
    assert_eq!(
        online::notified(conn, &p24, &body).await.unwrap(),
        Outcome::Settled
    );
    assert_eq!(status(&app, 3002).await, ("paid".into(), 2_500));

    // a transaction left unpaid past the time limit expires and a new one starts; if the
    // old one is paid after all, the money is recorded: an overpayment, as it is (§3)
    let late = by(3003).await;
    let first = online::start(conn, &p24, &late, "jan@example.pl", base)
        .await
        .unwrap();
    let backend = conn.get_database_backend();
    let p = if backend == DatabaseBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    conn.execute_raw(Statement::from_sql_and_values(
        backend,
        format!(
            "UPDATE payment_session SET created_at = {p} WHERE debt_id = '{}'",
            late.id
        ),
        [(okienko::db::now() - time::Duration::minutes(16)).into()],
    ))
    .await
    .unwrap();
    let second = online::start(conn, &p24, &late, "jan@example.pl", base)
        .await
        .unwrap();
    assert_ne!(first, second, "a new transaction after the old one expired");
    for url in [&first, &second] {
        let body = notification_of(&em, url).await;
        assert_eq!(
            online::notified(conn, &p24, &body).await.unwrap(),
            Outcome::Settled
        );
    }
    assert_eq!(status(&app, 3003).await, ("overpaid".into(), 1_800));
}
