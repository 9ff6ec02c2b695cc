//! Validating a `dn-1` with 50 ZDN-1 rows (target: under 100 µs median).

use criterion::{Criterion, criterion_group, criterion_main};
use okienko::domain::lang::Lang;
use okienko::forms::{Catalogue, Input, validate};
use serde_json::json;

fn bench(c: &mut Criterion) {
    let Ok(catalogue) = Catalogue::shipped() else {
        return;
    };
    let Some(svc) = catalogue.get("dn-1") else {
        return;
    };
    let rows: Vec<_> = (0..50)
        .map(|i| json!({"category": if i % 2 == 0 { "land_business" } else { "building_business" }, "location": format!("ul. Polna {i}"), "base": format!("{}.{:04}", 100 + i, i)}))
        .collect();
    let data = json!({"year": 2026, "purpose": "declaration", "from_month": 1, "filer_type": "legal_person", "entity_type": "owner", "name": "Spółka",
        "nip": "8567346215", "address": {"building": "1", "postal_code": "64-530", "locality": "X"}, "email": "a@example.pl",
        "has_exemptions": false, "zdn1": rows});
    let input = Input {
        lang: Lang::Pl,
        today: time::macros::date!(2026 - 01 - 20),
        identity: None,
    };
    c.bench_function("validate dn-1 with 50 ZDN-1 rows", |b| {
        b.iter(|| validate(svc, std::hint::black_box(&data), &input))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
