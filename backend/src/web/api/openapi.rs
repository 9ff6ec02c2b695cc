//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::OpenApi;

mod closed;
mod links;
mod problems;

use closed::Closed;
use links::Links;
use problems::Problems;

#[derive(OpenApi)]
#[openapi(
    info(title = "okienko", description = "Citizen e-services of a Polish municipality: catalogue, validation, drafts, submissions and signed receipts."),
    paths(
        super::health::healthz, super::health::readyz, super::health::metrics,
        super::services::list, super::services::get, super::services::schema, super::services::efiling_schema,
        super::identifiers::check, super::validate::validate,
        super::drafts::create, super::drafts::read, super::drafts::replace, super::drafts::merge, super::drafts::delete,
        super::submissions::create, super::submission_list::list, super::receipts::get, super::receipts::jwks,
        crate::web::auth::me::get,
        super::cases::list, super::cases::get, super::cases::history, super::cases::history_csv, super::cases::history_pdf, super::cases::efiling, super::cases::document, super::cases::act, super::status::get, super::stats::get,
        super::mailboxes::mine, super::mailboxes::list, super::mailboxes::get, super::mailboxes::receive, super::mailboxes::evidences, super::mailboxes::send, super::mailboxes::attachment, super::mailboxes::create_draft, super::mailboxes::add_attachment, super::mailboxes::send_draft,
        super::petitions::list, super::petitions::get, super::petitions::year_report, super::petition_cosigners::list, super::petition_cosigners::confirm, super::petition_report::csv, super::petition_report::pdf,
        super::mass_events::list,
        super::payments::list, super::payments::pay, super::payments::session, super::payments::notification,
        super::consultations::save::create, super::consultations::save::edit, super::consultations::publish::post,
        super::consultations::read::list, super::consultations::read::get, super::consultations::answers::list,
        super::consultations::take_part::answer, super::consultations::take_part::comment, super::consultations::comments::list, super::consultations::history::get,
        super::consultations::report::position, super::consultations::report::publish, super::consultations::report::get,
        super::budgets::editions::list, super::budgets::editions::create, super::budgets::editions::get, super::budgets::editions::edit, super::budgets::history::get,
        super::budgets::projects::list, super::budgets::projects::create, super::budgets::projects::get, super::budgets::projects::edit, super::budgets::projects::support,
        super::budgets::evaluation::evaluate, super::budgets::evaluation::appeal, super::budgets::evaluation::decide, super::budgets::evaluation::conflict_group,
        super::budgets::ballots::cast, super::budgets::results::get, super::budgets::results::get_csv, super::budgets::results::get_pdf,
        super::budgets::milestones::list, super::budgets::milestones::add, super::budgets::results::pabulib,
        super::budgets::paper::enter_ballot, super::budgets::paper::list_ballots, super::budgets::paper::accept_ballot, super::budgets::paper::reject_ballot, super::budgets::paper::enter_support, super::budgets::paper::list_supports, super::budgets::paper::accept_support, super::budgets::paper::reject_support,
        super::council::queue::list, super::council::queue::get, super::council::queue::opinion, super::council::sessions::list, super::council::sessions::create, super::council::sessions::get, super::council::sessions::edit, super::council::sessions::open, super::council::sessions::close, super::council::items::add, super::council::items::resolution, super::council::votes::sign_in, super::council::votes::open, super::council::votes::close, super::council::votes::cast, super::council::export::csv, super::council::export::pdf, super::council::history::get, super::council::live::get,
        super::consultations::paper::enter, super::consultations::paper::list, super::consultations::paper::accept, super::consultations::paper::reject,
        super::consultations::roster::put,
        super::consultations::moderation::report, super::consultations::moderation::decide, super::consultations::moderation::queue,
        super::consultations::results::get, super::consultations::results::csv,
        super::consultations::subscriptions::subscribe, super::consultations::subscriptions::mine, super::consultations::subscriptions::unsubscribe,
        super::consultations::meetings::add, super::consultations::meetings::list, super::consultations::meetings::upload_minutes, super::consultations::meetings::minutes,
        super::consultations::report::pdf, super::consultations::documents::add, super::consultations::documents::list, super::consultations::documents::get, super::consultations::documents::remove,
        super::consultations::requests::read::list, super::consultations::requests::read::get, super::consultations::requests::support::create_post, super::consultations::requests::support::post, super::consultations::requests::file::post,
        super::initiatives::read::list, super::initiatives::read::get, super::initiatives::register::post, super::initiatives::support::post, super::initiatives::file::post, super::initiatives::verify::list, super::initiatives::verify::verdict, super::initiatives::verify::register_check, super::initiatives::paper::enter, super::initiatives::paper::list, super::initiatives::paper::accept, super::initiatives::paper::reject,
    ),
    components(schemas(crate::domain::consultation::Scope, crate::domain::budget::WinnerRule, crate::domain::budget::BallotKind, super::drafts::FormBody, super::drafts::NewDraft, crate::casework::ActionRequest, super::mailboxes::SendRequest, crate::participation::petitions::PublicPetition, crate::participation::petitions::Step, crate::participation::petitions::YearReport, crate::participation::cosigners::Cosigner, crate::participation::cosigners::CosignerPage, super::petition_cosigners::ConfirmRequest, super::payments::DebtView, super::payments::DebtPage, super::payments::Started, super::payments::PaymentState, super::consultations::save::SaveRequest, super::consultations::take_part::AnswerRequest, super::consultations::take_part::CommentRequest, super::consultations::report::PositionRequest, super::budgets::editions::EditionRequest, super::budgets::projects::ProjectRequest, super::budgets::evaluation::EvaluationRequest, super::budgets::evaluation::AppealRequest, super::budgets::evaluation::DecisionRequest, super::budgets::evaluation::ConflictGroupRequest, crate::participation::budget::voting::Ballot, crate::participation::budget::voting::Choice, crate::participation::budget::voting::Child, super::budgets::milestones::MilestoneRequest, super::budgets::paper::BallotCardRequest, super::budgets::paper::SupportCardRequest, super::budgets::paper::RejectCard, crate::participation::budget::paper::Card, crate::participation::budget::paper::Signature, crate::participation::initiative::register::Registration, crate::participation::initiative::register::Member, super::initiatives::support::SupportRequest, super::initiatives::verify::VerdictRequest, super::initiatives::paper::SignatureRequest, super::initiatives::paper::RejectSignature, crate::db::initiatives::Counts, crate::participation::consultations::request::create::Filing, super::consultations::requests::support::RequestSupport,
        super::council::queue::OpinionRequest, super::council::votes::OpenVoteRequest, super::council::votes::BallotRequest, crate::participation::council::agenda::NewSessionRequest, crate::participation::council::agenda::EditSessionRequest, crate::participation::council::agenda::NewItemRequest, crate::participation::council::resolution::ResolutionRequest, crate::participation::council::view::SessionView, crate::participation::council::view::ItemView, crate::participation::council::view::VoteView, crate::participation::council::view::NamedVote)),
    modifiers(&Problems, &Links, &Closed),
    tags((name = "services"), (name = "identifiers"), (name = "drafts"), (name = "submissions"), (name = "identity"), (name = "cases"), (name = "mailboxes"), (name = "petitions"), (name = "mass-events"), (name = "payments"), (name = "consultations"), (name = "budgets"), (name = "council"), (name = "initiatives"), (name = "operations"))
)]
pub struct ApiDoc;

pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    /// Issue 17 §3: every 4xx and 5xx an `/api/` operation documents is a problem, every one
    /// documents 503 (the admission gate), and no catch-all `default` hides an undocumented
    /// status.
    #[test]
    fn documented_errors_are_problems_and_nothing_is_a_catch_all() {
        let doc = serde_json::to_value(<super::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        let mut operations = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(responses) = op["responses"].as_object() else {
                    continue;
                };
                operations += 1;
                assert!(
                    !responses.contains_key("default"),
                    "{method} {path}: a catch-all"
                );
                if !path.starts_with("/api/") {
                    continue;
                }
                assert!(responses.contains_key("503"), "{method} {path}: no 503");
                for (status, r) in responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        let schema = &r["content"]["application/problem+json"]["schema"];
                        assert_eq!(
                            schema["$ref"], "#/components/schemas/Problem",
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
        assert!(operations > 100, "{operations} operations");
        assert!(doc["components"]["schemas"]["Problem"].is_object());
    }
}
