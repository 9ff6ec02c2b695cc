//! The public register of petitions (u.p.p. art. 8 ust. 1): each petition is published
//! promptly after filing with its text, filing date and addressee, the petitioner's name
//! only with their consent (art. 4 ust. 3), and then every step of its handling, read from
//! the case itself: a call to complete it, an extension with its reason and the expected
//! date (art. 10 ust. 2), and the answer (art. 13).

use serde::Serialize;
use serde_json::Value;

use crate::db::entity::{case_event, case_file, submission};
use crate::domain::procedure::Procedure;
use crate::forms::Catalogue;
use crate::participation::similar;

/// The ids of the services whose cases are petitions.
pub fn services(catalogue: &Catalogue) -> Vec<String> {
    catalogue
        .services
        .values()
        .filter(|s| s.def.procedure == Procedure::Petition)
        .map(|s| s.def.id.clone())
        .collect()
}

/// A petition as the register shows it to anyone.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicPetition {
    pub sign: String,
    pub filed_on: String,
    pub addressee: String,
    pub subject: String,
    pub content: String,
    /// The petitioner's name, only when they consented to its publication (art. 4 ust. 3).
    pub petitioner: Option<String>,
    /// `in_progress`, `answered`, `left_unconsidered` or `forwarded`.
    pub state: &'static str,
    pub state_label: &'static str,
    /// The date by which it is to be dealt with (after an extension, the expected date).
    pub expected_on: String,
    pub steps: Vec<Step>,
}

/// One published step of the handling.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub on: String,
    pub text: String,
}

fn text(data: &Value, key: &str) -> String {
    data[key].as_str().unwrap_or("").trim().to_owned()
}

/// The petitioner as they may be named: a person's or an organisation's name, a group's
/// members, or `None` without consent.
fn petitioner(data: &Value) -> Option<String> {
    if data["publish_name_consent"] != Value::Bool(true) {
        return None;
    }
    let name = text(data, "name");
    let members: Vec<String> = data["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|x| text(x, "name"))
                .filter(|n| !n.is_empty())
                .collect()
        })
        .unwrap_or_default();
    match (name.is_empty(), members.is_empty()) {
        (false, _) => Some(name),
        (true, false) => Some(members.join(", ")),
        _ => None,
    }
}

fn addressee_label(code: &str) -> String {
    match code {
        "council" => "Rada Gminy".into(),
        "mayor" => "Wójt / Burmistrz".into(),
        other => other.to_owned(),
    }
}

/// What the register says of one history entry; `None` for internal steps (assignment,
/// notes, deliveries).
fn public_step(e: &case_event::Model) -> Option<Step> {
    let d: Value = serde_json::from_str(&e.detail).unwrap_or(Value::Null);
    let on = crate::domain::clock::in_poland(e.at).date().to_string();
    let text = match e.action.as_str() {
        "register" => "Petycja wpłynęła i została zarejestrowana.".to_owned(),
        "call_to_supplement" => {
            "Wezwano do uzupełnienia petycji w terminie 14 dni (art. 7 ust. 2).".to_owned()
        }
        "supplemented" => "Petycję uzupełniono; termin jej rozpatrzenia biegnie od dnia uzupełnienia (art. 10 ust. 1).".to_owned(),
        "extend" => format!(
            "Przedłużono termin rozpatrzenia (art. 10 ust. 2). Przyczyna: {}. Przewidywany termin: {}.",
            d["reason"].as_str().unwrap_or(""),
            d["new_due_on"].as_str().unwrap_or("")
        ),
        "transfer" => "Petycję przekazano do właściwej komórki urzędu.".to_owned(),
        "decide" => {
            let how = match d["outcome"].as_str().unwrap_or("") {
                "granted" => "Petycję uwzględniono".to_owned(),
                "refused" => "Petycji nie uwzględniono".to_owned(),
                "forwarded" => format!(
                    "Petycję przekazano podmiotowi właściwemu: {} (art. 6 ust. 1)",
                    d["forward_to"].as_str().unwrap_or("")
                ),
                _ => "Petycję pozostawiono bez rozpatrzenia (art. 7)".to_owned(),
            };
            format!("{how}. Sposób załatwienia: {}", d["reason"].as_str().unwrap_or(""))
        }
        "reopen" => "Petycję rozpatruje się ponownie.".to_owned(),
        "join" => format!(
            "Petycję rozpatruje się łącznie z petycją {} w tej samej sprawie (art. 11). Na kolejne petycje urząd czeka do {}; termin rozpatrzenia: {}.",
            d["join_with"].as_str().unwrap_or(""),
            d["wait_until"].as_str().unwrap_or(""),
            d["due_on"].as_str().unwrap_or("")
        ),
        "committee_opinion" => format!(
            "Opinia komisji skarg, wniosków i petycji rady (art. 18b ustawy o samorządzie gminnym): {}",
            d["opinion"].as_str().unwrap_or("")
        ),
        "agenda" => format!(
            "Petycję wpisano do porządku obrad: {}, {}.",
            d["session_title"].as_str().unwrap_or(""),
            d["session_on"].as_str().unwrap_or("")
        ),
        "joined" => format!(
            "Dołączono petycję {} w tej samej sprawie; petycje rozpatruje się łącznie (art. 11). Na kolejne petycje urząd czeka do {}; termin rozpatrzenia: {}.",
            d["joined"].as_str().unwrap_or(""),
            d["wait_until"].as_str().unwrap_or(""),
            d["due_on"].as_str().unwrap_or("")
        ),
        _ => return None,
    };
    Some(Step { on, text })
}

/// The register's view of a petition's case.
pub fn public(
    case: &case_file::Model,
    sub: &submission::Model,
    history: &[case_event::Model],
) -> PublicPetition {
    let data: Value = serde_json::from_str(&sub.data).unwrap_or(Value::Null);
    let (state, state_label) = match (case.status.as_str(), case.outcome.as_deref()) {
        ("decided" | "closed" | "archived", Some("left_unconsidered")) => {
            ("left_unconsidered", "pozostawiona bez rozpatrzenia")
        }
        ("decided" | "closed" | "archived", Some("forwarded")) => {
            ("forwarded", "przekazana podmiotowi właściwemu")
        }
        ("decided" | "closed" | "archived", _) => ("answered", "rozpatrzona"),
        _ => ("in_progress", "w trakcie rozpatrywania"),
    };
    PublicPetition {
        sign: case.sign.clone(),
        filed_on: case.started_on.to_string(),
        addressee: addressee_label(&text(&data, "addressee")),
        subject: text(&data, "subject"),
        content: text(&data, "content"),
        petitioner: petitioner(&data),
        state,
        state_label,
        expected_on: case.due_on.to_string(),
        steps: history.iter().filter_map(public_step).collect(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// u.p.p. art. 4 ust. 3 and art. 8 ust. 1: the name only with consent.
    #[test]
    fn upp_art_8_the_name_is_published_only_with_consent() {
        let person = json!({"name": "Jan Kowalski", "publish_name_consent": true});
        assert_eq!(petitioner(&person).as_deref(), Some("Jan Kowalski"));
        let private = json!({"name": "Jan Kowalski", "publish_name_consent": false});
        assert_eq!(petitioner(&private), None);
        let silent = json!({"name": "Jan Kowalski"});
        assert_eq!(petitioner(&silent), None);
        let group = json!({"members": [{"name": "Anna Nowak"}, {"name": "Piotr Wiśniewski"}], "publish_name_consent": true});
        assert_eq!(
            petitioner(&group).as_deref(),
            Some("Anna Nowak, Piotr Wiśniewski")
        );
    }
}

/// The yearly summary of petitions dealt with (u.p.p. art. 14): published on the website by
/// 30 June of the next year, with each petition's subject and how it was dealt with.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearReport {
    pub year: i32,
    pub filed: usize,
    pub answered: usize,
    pub left_unconsidered: usize,
    pub in_progress: usize,
    /// The day it must be published by (art. 14: 30 June of the next year).
    pub publish_by: String,
    pub petitions: Vec<PublicPetition>,
}

/// The summary of `year` from its petitions as the register shows them.
pub fn year_report(year: i32, petitions: Vec<PublicPetition>) -> YearReport {
    let count = |state: &str| petitions.iter().filter(|p| p.state == state).count();
    YearReport {
        year,
        filed: petitions.len(),
        answered: count("answered"),
        left_unconsidered: count("left_unconsidered"),
        in_progress: count("in_progress"),
        publish_by: format!("{}-06-30", year + 1),
        petitions,
    }
}

/// A petition that may concern the same matter as another, with the overlap of their texts.
#[derive(Debug, Clone, Serialize)]
pub struct Similar {
    pub sign: String,
    pub subject: String,
    pub filed_on: String,
    /// Percent of shared word triples.
    pub percent: u32,
}

/// Petitions filed within a month either side of `case` whose texts are near-identical to
/// its own (u.p.p. art. 11 ust. 1: petitions on the same matter filed within a month may be
/// joined), most alike first.
pub async fn similar_to(
    db: &impl sea_orm::ConnectionTrait,
    catalogue: &Catalogue,
    case: &case_file::Model,
    sub: &submission::Model,
) -> Result<Vec<Similar>, sea_orm::DbErr> {
    let services = services(catalogue);
    if !services.contains(&case.service_id) {
        return Ok(Vec::new());
    }
    let month = time::Duration::days(31);
    let around = crate::db::petitions::filed_between(
        db,
        &services,
        case.filed_at - month,
        case.filed_at + month,
        500,
    )
    .await?;
    let text_of = |s: &submission::Model| {
        let d: Value = serde_json::from_str(&s.data).unwrap_or(Value::Null);
        format!("{} {}", text(&d, "subject"), text(&d, "content"))
    };
    let mine = similar::shingles(&text_of(sub));
    let mut found: Vec<Similar> = around
        .iter()
        .filter(|(c, _)| c.id != case.id)
        .filter_map(|(c, s)| {
            let score = similar::similarity(&mine, &similar::shingles(&text_of(s)));
            let d: Value = serde_json::from_str(&s.data).unwrap_or(Value::Null);
            (score >= similar::SAME_MATTER).then(|| Similar {
                sign: c.sign.clone(),
                subject: text(&d, "subject"),
                filed_on: c.started_on.to_string(),
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "0..=100"
                )]
                percent: (score * 100.0).round() as u32,
            })
        })
        .collect();
    found.sort_by_key(|s| std::cmp::Reverse(s.percent));
    Ok(found)
}
