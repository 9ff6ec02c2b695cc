//! `okienko bench ledger` (issue 20 §2): a domain system's export of `taxpayers` taxpayers
//! (three objects, an assessment, four instalments and some payments each) imported into a
//! fresh PostgreSQL database, then a logged-in taxpayer's IN-1 prefilled and a certificate
//! of no arrears issued (the ledger read, the statement, the JWS, the PDF/UA) for
//! `samples` random taxpayers one after another; prints the import's time and each path's
//! p50, p95 and maximum in milliseconds (docs/performance.md).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use serde_json::{Map, Value};

use super::percentile;
use crate::config::Settings;
use crate::domain::identity::Identity;
use crate::ledger::certificate::{self, Kind};

const DB_NAME: &str = "okienko_bench_ledger";

pub struct Options {
    pub taxpayers: usize,
    pub samples: usize,
    pub keep: bool,
}

/// A valid PESEL for the n-th taxpayer: a thousand a day from 1 January 1950.
fn pesel(n: usize) -> String {
    let day = time::macros::date!(1950 - 01 - 01) + time::Duration::days((n / 1000) as i64);
    super::filing::with_check_digit(format!(
        "{:02}{:02}{:02}{:03}1",
        day.year() % 100,
        day.month() as u8,
        day.day(),
        n % 1000
    ))
}

/// The five CSV files of `n` taxpayers; every seventh has not paid its last instalments.
fn write_export(dir: &Path, n: usize) -> anyhow::Result<()> {
    let (mut t, mut o, mut a, mut i, mut p) = (
        String::from("taxpayer_id;id_kind;id_number;name;address\n"),
        String::from("taxpayer_id;object_id;family;category;location;land_register;base\n"),
        String::from("taxpayer_id;year;family;kind;reference;issued_on;amount\n"),
        String::from("taxpayer_id;year;family;number;due_on;amount\n"),
        String::from("payment_id;taxpayer_id;paid_on;amount\n"),
    );
    for k in 0..n {
        writeln!(t, "T{k};pesel;{};Podatnik {k};ul. Testowa {k}", pesel(k))?;
        writeln!(
            o,
            "T{k};O{k}a;property;land_other;ul. Testowa {k};;{}.5",
            300 + k % 900
        )?;
        writeln!(
            o,
            "T{k};O{k}b;property;building_residential;ul. Testowa {k};;{}",
            60 + k % 140
        )?;
        writeln!(o, "T{k};O{k}c;agricultural;arable;Obręb {};;1.25", k % 50)?;
        writeln!(
            a,
            "T{k};2025;property;decision;FN.3120.{k}.2025;2025-02-10;400"
        )?;
        for (no, due) in ["2025-03-15", "2025-05-15", "2025-09-15", "2025-11-15"]
            .iter()
            .enumerate()
        {
            writeln!(i, "T{k};2025;property;{};{due};100", no + 1)?;
        }
        let paid = if k.is_multiple_of(7) { 2 } else { 4 };
        for no in 0..paid {
            writeln!(p, "P{k}-{no};T{k};2025-0{}-01;100", 3 + no)?;
        }
    }
    for (name, body) in [
        ("taxpayers.csv", t),
        ("objects.csv", o),
        ("assessments.csv", a),
        ("instalments.csv", i),
        ("payments.csv", p),
    ] {
        std::fs::write(dir.join(name), body)?;
    }
    Ok(())
}

fn identity(n: usize) -> Identity {
    Identity {
        subject: format!("bench-{n}"),
        provider: "national".into(),
        pesel: Some(pesel(n)),
        given_name: Some("Podatnik".into()),
        family_name: Some(n.to_string()),
        birth_date: None,
        email: None,
        level: crate::domain::level::IdentityLevel::Substantial,
        roles: vec![],
        unit: None,
    }
}

fn line(name: &str, ms: &[f64]) {
    println!(
        "{name:<34} n={:<6} p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
        ms.len(),
        percentile(ms, 0.5),
        percentile(ms, 0.95),
        percentile(ms, 1.0)
    );
}

pub async fn run(settings: &Settings, o: Options) -> anyhow::Result<bool> {
    let url = super::filing::fresh_named(&settings.database_url(), DB_NAME).await?;
    let work = settings
        .data_dir
        .join(format!("bench-ledger-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let mut s = settings.clone();
    s.database_url = Some(url.clone());
    s.data_dir = work.clone();
    let db = crate::db::connect(&url).await?;
    crate::db::migrate(&db).await?;
    write_export(&work, o.taxpayers)?;
    let started = Instant::now();
    let counts = crate::ledger::import::run(&db, &work).await?;
    println!(
        "import: {counts:?} rows (taxpayers, objects, assessments, instalments, payments) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let catalogue = crate::startup::load_catalogue(&s)?;
    let app = crate::startup::build(s, catalogue).await?;
    let in1 = app
        .catalogue
        .get("in-1")
        .ok_or_else(|| anyhow::anyhow!("no in-1 form"))?
        .clone();
    let today = crate::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let issuer = app.settings.base_url();
    let (mut prefill, mut cert) = (Vec::new(), Vec::new());
    let mut arrears = 0;
    for j in 0..o.samples {
        let n = (j * 7919 + 13) % o.taxpayers;
        let who = identity(n);
        let t = Instant::now();
        let mut data = Map::new();
        let filled =
            crate::ledger::prefill::seed(app.ledger.as_ref(), &who, &in1, &mut data).await?;
        prefill.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            filled && data["zin1"].as_array().map(Vec::len) == Some(2),
            "taxpayer {n} was not prefilled: {data:?}"
        );
        let form = Value::Object(Map::from_iter([
            ("pesel".into(), Value::String(pesel(n))),
            ("purpose".into(), Value::String("other".into())),
            ("fee".into(), Value::String("17".into())),
        ]));
        let request = certificate::Request {
            case_sign: "FN.3120.1.2026",
            register_no: format!("{j}/2026"),
            filed_on: today,
            authority: &app.settings.authority.name,
            issuer: &issuer,
            signer: "z upoważnienia organu — bench".into(),
            addressee: format!("Podatnik {n}"),
            data: &form,
        };
        let t = Instant::now();
        let (_, pdf) = certificate::issue(
            app.ledger.as_ref(),
            &app.keys,
            Kind::NoArrears,
            &request,
            today,
        )
        .await?;
        cert.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(pdf.starts_with(b"%PDF-"), "not a PDF");
        if n.is_multiple_of(7) {
            arrears += 1;
        }
    }
    println!(
        "{} taxpayers in the ledger; {} samples ({arrears} with arrears)",
        o.taxpayers, o.samples
    );
    line("prefill IN-1 (ledger read + fill)", &prefill);
    line("certificate (read, sign, PDF/UA)", &cert);
    drop(app);
    db.close().await?;
    if !o.keep {
        super::filing::drop_named(&settings.database_url(), DB_NAME).await?;
        std::fs::remove_dir_all(&work).ok();
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bench_pesels_are_valid_and_distinct() {
        let a: std::collections::HashSet<String> = (0..5000).map(super::pesel).collect();
        assert_eq!(a.len(), 5000);
        for p in a.iter().take(50) {
            crate::domain::pesel::Pesel::parse(p).unwrap();
        }
    }
}
