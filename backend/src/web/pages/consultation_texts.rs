//! The texts of the consultation pages a resident sees (the list, the archive, a
//! consultation with its documents, meetings, comments and report, the answer form, the
//! results), in Polish and in English: the page's language (`?lang=`, the cookie,
//! `Accept-Language`) picks them, as `ui` does for the filing pages. Templates read them
//! as `t.key`.

use serde_json::{Value, json};

use crate::domain::consultation::Phase;
use crate::domain::lang::Lang;

/// `(key, Polish, English)`.
const TEXTS: &[(&str, &str, &str)] = &[
    (
        "consultations",
        "Konsultacje społeczne",
        "Public consultations",
    ),
    ("archive", "Archiwum konsultacji", "Archived consultations"),
    ("current", "Bieżące konsultacje", "Current consultations"),
    ("older", "Starsze konsultacje", "Older consultations"),
    (
        "archive_intro",
        "Zakończone konsultacje z opublikowanym raportem, zachowane do wglądu.",
        "Consultations that ended with a published report, kept for reference.",
    ),
    (
        "request_intro",
        "Chcesz, by gmina zapytała mieszkańców o zdanie w jakiejś sprawie?",
        "Would you like the gmina to ask its residents about something?",
    ),
    (
        "request_link",
        "Złóż albo poprzyj wniosek mieszkańców o konsultacje",
        "File or support a residents' request for a consultation",
    ),
    (
        "published_list",
        "Opublikowane konsultacje",
        "Published consultations",
    ),
    ("subject", "Przedmiot", "Subject"),
    ("stage", "Etap", "Stage"),
    ("from", "Od", "From"),
    ("to", "Do", "To"),
    (
        "none_yet",
        "Nie ma jeszcze opublikowanych konsultacji.",
        "No consultations have been published yet.",
    ),
    ("basis", "Podstawa", "Legal basis"),
    ("resolution", "Uchwała nr", "Resolution no."),
    ("of_day", "z dnia", "of"),
    ("resolution_text", "tekst uchwały", "its text"),
    ("area", "Obszar", "Area"),
    ("whole_gmina", "cała gmina", "the whole gmina"),
    ("dates", "Termin", "Dates"),
    ("dates_from", "od", "from"),
    ("dates_to", "do", "to"),
    ("report_by", "raport do", "report by"),
    ("answers", "Odpowiedzi", "Answers"),
    ("documents", "Dokumenty", "Documents"),
    (
        "documents_caption",
        "Dokumenty konsultacji",
        "The consultation's documents",
    ),
    ("document", "Dokument", "Document"),
    ("kind", "Rodzaj", "Kind"),
    ("file", "Plik", "File"),
    ("document_text", "Dokument", "The document"),
    ("questions", "Pytania", "Questions"),
    ("required", "(wymagane)", "(required)"),
    (
        "answer_button",
        "Odpowiedz na pytania",
        "Answer the questions",
    ),
    (
        "results_link",
        "Udział i wyniki",
        "Participation and results",
    ),
    ("meetings", "Spotkania", "Meetings"),
    (
        "meetings_caption",
        "Spotkania konsultacyjne",
        "Consultation meetings",
    ),
    ("when", "Kiedy", "When"),
    ("place", "Miejsce", "Place"),
    ("minutes", "Protokół", "Minutes"),
    ("after_meeting", "po spotkaniu", "after the meeting"),
    ("open_meeting", "spotkanie otwarte", "open meeting"),
    ("expert_panel", "panel ekspertów", "expert panel"),
    ("workshop", "warsztaty", "workshop"),
    ("study_walk", "spacer studyjny", "study walk"),
    ("comments", "Uwagi", "Comments"),
    (
        "hidden_comment",
        "Uwaga ukryta przez moderatora:",
        "Comment hidden by the moderator:",
    ),
    ("report_comment", "Zgłoś tę uwagę", "Report this comment"),
    (
        "report_why",
        "Dlaczego zgłaszasz tę uwagę?",
        "Why are you reporting this comment?",
    ),
    ("report_send", "Zgłoś", "Report"),
    (
        "no_comments",
        "Nie zgłoszono jeszcze uwag.",
        "No comments yet.",
    ),
    ("provision", "Jednostka redakcyjna", "Provision"),
    ("comment_text", "Treść uwagi", "Your comment"),
    (
        "show_name",
        "Zgadzam się na pokazanie mojego imienia i nazwiska przy uwadze",
        "I agree to my name being shown with my comment",
    ),
    ("comment_send", "Zgłoś uwagę", "Send the comment"),
    ("report", "Raport z konsultacji", "Consultation report"),
    (
        "report_intro",
        "Uwagi i stanowisko urzędu:",
        "Comments and the office's position:",
    ),
    (
        "report_pdf",
        "Raport w PDF (PDF/UA)",
        "The report as PDF (PDF/UA)",
    ),
    (
        "report_json",
        "raport podpisany elektronicznie (JSON)",
        "the electronically signed report (JSON)",
    ),
    (
        "comments_positions",
        "Uwagi i stanowiska",
        "Comments and positions",
    ),
    ("comment", "Uwaga", "Comment"),
    ("position", "Stanowisko", "Position"),
    ("justification", "Uzasadnienie", "Justification"),
    (
        "hidden_short",
        "ukryta przez moderatora:",
        "hidden by the moderator:",
    ),
    ("accepted", "uwzględniona", "accepted"),
    (
        "partly_accepted",
        "uwzględniona częściowo",
        "partly accepted",
    ),
    ("rejected", "nieuwzględniona", "rejected"),
    ("all", "Wszystkie konsultacje", "All consultations"),
    (
        "residence",
        "Oświadczenie o zamieszkaniu",
        "Declaration of residence",
    ),
    (
        "residence_hint",
        "W konsultacjach biorą udział mieszkańcy gminy; liczy się miejsce zamieszkania, nie zameldowanie (u.s.g. art. 5a ust. 1).",
        "The gmina's residents take part; where you live counts, not where you are registered (u.s.g. art. 5a ust. 1).",
    ),
    (
        "lives_here",
        "Oświadczam, że mieszkam na terenie gminy",
        "I declare that I live in the gmina",
    ),
    (
        "my_area",
        "Obszar, na którym mieszkam",
        "The area I live in",
    ),
    ("choose", "wybierz", "choose"),
    ("send_answer", "Wyślij odpowiedź", "Send your answer"),
    ("back", "Wróć do konsultacji", "Back to the consultation"),
    ("results", "wyniki", "results"),
    ("results_title", "Wyniki", "Results"),
    ("participation", "Udział", "Participation"),
    ("channel", "Sposób udziału", "How"),
    ("online", "przez internet", "online"),
    ("paper", "na papierze", "on paper"),
    ("total", "razem", "total"),
    (
        "question_answers",
        "Odpowiedzi na pytania",
        "Answers to the questions",
    ),
    ("mean", "średnia", "mean"),
    (
        "ranking_points",
        "punkty: pierwsze miejsce daje tyle punktów, ile jest możliwości, ostatnie jeden",
        "points: the first place gives as many points as there are options, the last one",
    ),
    (
        "answers_later",
        "Odpowiedzi na pytania opublikujemy po zakończeniu konsultacji.",
        "The answers to the questions are published when the consultation has closed.",
    ),
    (
        "statistics",
        "Statystyka ustalona na zakończenie",
        "Statistics fixed at closing",
    ),
    ("chart_data", "dane wykresu", "the chart's data"),
    ("answer", "Odpowiedź", "Answer"),
    ("points", "Punkty", "Points"),
    ("count", "Liczba", "Count"),
    (
        "by_channel",
        "Odpowiedzi według sposobu udziału",
        "Answers by how they came",
    ),
    (
        "by_area",
        "Odpowiedzi według obszaru zamieszkania",
        "Answers by area of residence",
    ),
    ("by_age", "Odpowiedzi według wieku", "Answers by age"),
    (
        "thanks",
        "Dziękujemy za udział w konsultacjach",
        "Thank you for taking part",
    ),
    (
        "answer_saved",
        "Twoja odpowiedź została zapisana. Możesz ją zmienić do zakończenia konsultacji.",
        "Your answer is saved. You may change it until the consultation closes.",
    ),
    (
        "answer_replaced",
        "Twoja wcześniejsza odpowiedź została zastąpiona tą: liczy się ostatnia.",
        "Your earlier answer was replaced by this one: the last one counts.",
    ),
    (
        "report_thanks",
        "Dziękujemy za zgłoszenie",
        "Thank you for the report",
    ),
    (
        "report_checked",
        "Koordynator konsultacji sprawdzi tę uwagę.",
        "The consultation's coordinator will look at this comment.",
    ),
];

/// One text in `lang`; the key itself where there is none (a test keeps every key used).
pub fn text(lang: Lang, key: &str) -> &'static str {
    TEXTS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("", |(_, pl, en)| if lang == Lang::Pl { pl } else { en })
}

/// Every text in `lang`, for a template's `t`.
pub fn texts(lang: Lang) -> Value {
    let m: serde_json::Map<String, Value> = TEXTS
        .iter()
        .map(|(k, pl, en)| {
            (
                (*k).to_owned(),
                json!(if lang == Lang::Pl { pl } else { en }),
            )
        })
        .collect();
    Value::Object(m)
}

/// A phase as residents read it.
pub fn phase_label(p: Phase, lang: Lang) -> &'static str {
    match (p, lang) {
        (Phase::Draft, Lang::Pl) => "projekt",
        (Phase::Draft, Lang::En) => "draft",
        (Phase::Announced, Lang::Pl) => "ogłoszone",
        (Phase::Announced, Lang::En) => "announced",
        (Phase::Open, Lang::Pl) => "trwają",
        (Phase::Open, Lang::En) => "open",
        (Phase::Closed, Lang::Pl) => "zakończone",
        (Phase::Closed, Lang::En) => "closed",
        (Phase::Reported, Lang::Pl) => "raport opublikowany",
        (Phase::Reported, Lang::En) => "report published",
        (Phase::Archived, Lang::Pl) => "w archiwum",
        (Phase::Archived, Lang::En) => "archived",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_and_one_key() {
        let mut keys: Vec<&str> = TEXTS.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), TEXTS.len(), "a key twice");
        assert!(
            TEXTS
                .iter()
                .all(|(_, pl, en)| !pl.is_empty() && !en.is_empty())
        );
        assert_eq!(text(Lang::En, "report"), "Consultation report");
        assert_eq!(phase_label(Phase::Archived, Lang::En), "archived");
    }
}
