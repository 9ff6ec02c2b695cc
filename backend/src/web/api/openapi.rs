//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "okienko", description = "Citizen e-services of a Polish municipality: catalogue, validation, drafts, submissions and signed receipts."),
    paths(
        super::health::healthz, super::health::readyz, super::health::metrics,
        super::services::list, super::services::get, super::services::schema,
        super::identifiers::check, super::validate::validate,
        super::drafts::create, super::drafts::read, super::drafts::replace, super::drafts::merge, super::drafts::delete,
        super::submissions::create, super::submission_list::list, super::receipts::get, super::receipts::jwks,
        crate::web::auth::me::get,
        super::cases::list, super::cases::get, super::cases::history, super::cases::history_csv, super::cases::history_pdf, super::cases::document, super::cases::act, super::status::get, super::stats::get,
        super::mailboxes::mine, super::mailboxes::list, super::mailboxes::get, super::mailboxes::receive, super::mailboxes::evidences, super::mailboxes::send, super::mailboxes::attachment, super::mailboxes::create_draft, super::mailboxes::add_attachment, super::mailboxes::send_draft,
        super::petitions::list, super::petitions::get, super::petitions::year_report,
        super::consultations::save::create, super::consultations::save::edit, super::consultations::publish::post,
        super::consultations::read::list, super::consultations::read::get, super::consultations::answers::list,
        super::consultations::take_part::answer, super::consultations::take_part::comment, super::consultations::comments::list, super::consultations::history::get,
        super::consultations::report::position, super::consultations::report::publish, super::consultations::report::get,
    ),
    components(schemas(crate::casework::ActionRequest, super::mailboxes::SendRequest, crate::participation::petitions::PublicPetition, crate::participation::petitions::Step, crate::participation::petitions::YearReport, super::consultations::save::SaveRequest, super::consultations::take_part::AnswerRequest, super::consultations::take_part::CommentRequest, super::consultations::report::PositionRequest)),
    tags((name = "services"), (name = "identifiers"), (name = "drafts"), (name = "submissions"), (name = "identity"), (name = "cases"), (name = "mailboxes"), (name = "petitions"), (name = "consultations"), (name = "operations"))
)]
pub struct ApiDoc;

pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
