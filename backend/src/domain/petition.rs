//! What a petition must contain and what follows from a gap (u.p.p. art. 4 ust. 2, art. 5,
//! art. 7): without the petitioner's designation or address (art. 4 ust. 2 pkt 1 or 2; for a
//! group: its representative's), a petition is left without consideration (art. 7 ust. 1);
//! any other gap (the addressee, art. 4 ust. 2 pkt 3; the subject, pkt 4; a group member's
//! name or residence; the e-mail of an electronic petition; a third party's consent, art. 5)
//! gets a call to complete it within 14 days, made within 30 days of filing (art. 7 ust. 2,
//! which names "art. 4 ust. 2 pkt 3 lub 4"). A petition that reached the office without naming
//! its addressee is therefore called to be completed, not dropped.
//!
//! The same reading serves a complaint or motion: one without the name and address of the
//! one who files it is left without consideration (KPA art. 63 § 2 applied through the
//! rozporządzenie Rady Ministrów z 8 stycznia 2002 r., § 8 ust. 1).

use serde_json::Value;

/// A gap in a petition, named as the clerk's page and the letter show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// Art. 4 ust. 2 pkt 1: who files it.
    Petitioner,
    /// Art. 4 ust. 2 pkt 1–2: the representative of a group.
    Representative,
    /// Art. 4 ust. 2 pkt 2: the residence or seat, the correspondence address.
    Address,
    /// Art. 4 ust. 2 pkt 3: completed on a call (art. 7 ust. 2), not fatal.
    Addressee,
    /// Art. 4 ust. 2 pkt 4.
    Subject,
    /// Art. 4 ust. 2 pkt 1–2: a group member's name or residence (row, from 1).
    Member(usize),
    /// Art. 4 ust. 2 pkt 2: an electronic petition's e-mail address.
    Email,
    /// Art. 5: the consent of the third party whose interest the petition serves.
    ThirdPartyConsent,
}

impl Gap {
    pub fn pl(&self) -> String {
        match self {
            Self::Petitioner => "brak oznaczenia podmiotu wnoszącego petycję (art. 4 ust. 2 pkt 1)".into(),
            Self::Representative => {
                "brak oznaczenia osoby reprezentującej grupę podmiotów (art. 4 ust. 2 pkt 1 i 2)".into()
            }
            Self::Address => {
                "brak miejsca zamieszkania albo siedziby i adresu do korespondencji (art. 4 ust. 2 pkt 2)".into()
            }
            Self::Addressee => "brak oznaczenia adresata petycji (art. 4 ust. 2 pkt 3)".into(),
            Self::Subject => "brak wskazania przedmiotu petycji (art. 4 ust. 2 pkt 4)".into(),
            Self::Member(n) => format!(
                "brak imienia i nazwiska (nazwy) albo miejsca zamieszkania (siedziby) członka grupy nr {n} (art. 4 ust. 2 pkt 1 i 2)"
            ),
            Self::Email => {
                "brak adresu poczty elektronicznej petycji wniesionej elektronicznie (art. 4 ust. 2 pkt 2)".into()
            }
            Self::ThirdPartyConsent => {
                "brak zgody osoby trzeciej, w której interesie wniesiono petycję (art. 5)".into()
            }
        }
    }

    /// Whether this gap leaves the petition without consideration at once: art. 7 ust. 1
    /// names only art. 4 ust. 2 pkt 1 and 2 (who files it and where they live or write).
    pub fn fatal(&self) -> bool {
        matches!(
            self,
            Self::Petitioner | Self::Representative | Self::Address
        )
    }
}

/// The gaps of a petition's data as the petition form stores it.
pub fn gaps(data: &Value, electronic: bool) -> Vec<Gap> {
    let text = |v: &Value| v.as_str().map(str::trim).unwrap_or("").to_owned();
    let mut out = Vec::new();
    let group = data["submitter_kind"] == "group";
    if text(&data["name"]).is_empty() {
        out.push(Gap::Petitioner);
    }
    if group && text(&data["representative"]).is_empty() {
        out.push(Gap::Representative);
    }
    if !address_given(&data["address"]) {
        out.push(Gap::Address);
    }
    if !matches!(text(&data["addressee"]).as_str(), "council" | "mayor") {
        out.push(Gap::Addressee);
    }
    if text(&data["subject"]).is_empty() {
        out.push(Gap::Subject);
    }
    if group {
        let members = data["members"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        for (i, m) in members.iter().enumerate() {
            if text(&m["name"]).is_empty() || text(&m["residence"]).is_empty() {
                out.push(Gap::Member(i + 1));
            }
        }
    }
    if electronic && text(&data["email"]).is_empty() {
        out.push(Gap::Email);
    }
    let consent_given = match &data["third_party_consent"] {
        Value::Array(a) => !a.is_empty(),
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        _ => true,
    };
    if data["third_party_interest"] == Value::Bool(true) && !consent_given {
        out.push(Gap::ThirdPartyConsent);
    }
    out
}

/// An address one can write to: a locality and a postal code, or a free-text line.
pub fn address_given(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.trim().is_empty(),
        Value::Object(o) => {
            let has = |k: &str| {
                o.get(k)
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.trim().is_empty())
            };
            has("locality") && has("postal_code")
        }
        _ => false,
    }
}

/// KPA: a complaint or motion without the name and the address of the one who files it is
/// anonymous and left without consideration (rozporządzenie z 8.01.2002, § 8 ust. 1).
pub fn complaint_is_anonymous(data: &Value) -> bool {
    let text = |k: &str| data[k].as_str().map(str::trim).unwrap_or("").to_owned();
    let name = format!("{} {}", text("given_name"), text("family_name"));
    name.trim().is_empty() || !address_given(&data["address"])
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn complete() -> Value {
        json!({
            "submitter_kind": "person", "name": "Jan Kowalski",
            "address": {"street": "Lipowa", "building": "5", "postal_code": "64-530", "locality": "Przykładowo"},
            "email": "jan@example.pl", "addressee": "council", "subject": "Ławki na Rynku",
            "content": "Wnoszę o ustawienie ławek.", "third_party_interest": false
        })
    }

    /// u.p.p. art. 7 ust. 1: no name or no address (art. 4 ust. 2 pkt 1–2): left without
    /// consideration; a group without its representative too.
    #[test]
    fn upp_art_7_1_no_name_or_address_is_fatal() {
        assert!(gaps(&complete(), true).is_empty());
        for (key, gap) in [("name", Gap::Petitioner), ("address", Gap::Address)] {
            let mut d = complete();
            d[key] = Value::Null;
            let g = gaps(&d, true);
            assert_eq!(g, vec![gap.clone()], "{key}");
            assert!(g[0].fatal());
        }
        let mut d = complete();
        d["address"] = json!({"street": "Lipowa", "building": "5"});
        assert_eq!(gaps(&d, false), vec![Gap::Address]);
        let mut group = complete();
        group["submitter_kind"] = json!("group");
        group["members"] = json!([{"name": "Anna Nowak", "residence": "Przykładowo"}]);
        assert_eq!(gaps(&group, true), vec![Gap::Representative]);
        assert!(Gap::Representative.fatal());
    }

    /// u.p.p. art. 7 ust. 2 and art. 5: other gaps are completed on a call, the addressee's
    /// (art. 4 ust. 2 pkt 3) among them.
    #[test]
    fn upp_art_7_2_other_gaps_get_a_call() {
        let mut d = complete();
        d["addressee"] = Value::Null;
        assert_eq!(gaps(&d, true), vec![Gap::Addressee]);
        assert!(!Gap::Addressee.fatal());
        let mut d = complete();
        d["subject"] = json!(" ");
        d["email"] = Value::Null;
        d["third_party_interest"] = json!(true);
        let g = gaps(&d, true);
        assert_eq!(g, vec![Gap::Subject, Gap::Email, Gap::ThirdPartyConsent]);
        assert!(g.iter().all(|x| !x.fatal()));
        // a paper petition needs no e-mail
        assert_eq!(gaps(&d, false), vec![Gap::Subject, Gap::ThirdPartyConsent]);
        let mut group = complete();
        group["submitter_kind"] = json!("group");
        group["representative"] = json!("Jan Kowalski");
        group["members"] =
            json!([{"name": "Anna Nowak", "residence": "Przykładowo"}, {"name": "Ewa Lis"}]);
        assert_eq!(gaps(&group, true), vec![Gap::Member(2)]);
        assert!(Gap::Member(2).pl().contains("nr 2"));
    }

    #[test]
    fn kpa_anonymous_complaint_has_no_name_or_no_address() {
        let full = json!({"given_name": "Jan", "family_name": "Kowalski", "address": {"postal_code": "64-530", "locality": "Przykładowo"}});
        assert!(!complaint_is_anonymous(&full));
        let mut no_name = full.clone();
        no_name["given_name"] = json!("");
        no_name["family_name"] = Value::Null;
        assert!(complaint_is_anonymous(&no_name));
        let mut no_address = full;
        no_address["address"] = Value::Null;
        assert!(complaint_is_anonymous(&no_address));
    }
}
