//! The one route table: every URL okienko answers, its method, its handler and its access
//! rule ([`Access`]). Each row both records itself and mounts its handler, so a route
//! without a row cannot exist; the route matrix test (`tests/integration/route_matrix.rs`)
//! reads the same rows and calls each route as every kind of caller. The groups keep their
//! own layers (body limits, HTML errors, the login rate limiter); `web::router` adds the
//! layers every request passes.

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};

use super::access::Access::{self, *};
use super::{api, auth, dev_idp, pages, rate_limit};
use crate::auth::api_token::Scope;
use crate::error::AppError;
use crate::state::AppState;

/// One method of one path, and who may call it.
#[derive(Debug, Clone)]
pub struct Row {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// The routes, grouped by the layers they need, and the rows of all of them.
pub struct Routes {
    /// Behind the session, owner-cookie and admission layers.
    pub app: Router<AppState>,
    /// Health and metrics: before admission, no session.
    pub ops: Router<AppState>,
    pub rows: Vec<Row>,
}

/// Every row, in table order (building the routes without serving them).
pub fn table(state: &AppState) -> Vec<Row> {
    build(state).rows
}

/// Routes of one group: each call adds a row and mounts the handler (axum merges the
/// methods registered on one path).
struct Group<'r> {
    rows: &'r mut Vec<Row>,
    router: Router<AppState>,
    state: AppState,
}

impl<'r> Group<'r> {
    fn new(rows: &'r mut Vec<Row>, state: &AppState) -> Self {
        Self {
            rows,
            router: Router::new(),
            state: state.clone(),
        }
    }

    fn at<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
        counted: bool,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let Ok(filter) = MethodFilter::try_from(method.clone()) else {
            return self;
        };
        let mut route = on(filter, handler);
        if counted {
            // anonymous posts that run the form engine count against `limits.validate_per_minute`
            route = route.route_layer(axum::middleware::from_fn_with_state(
                self.state.clone(),
                rate_limit::anonymous,
            ));
        }
        self.rows.push(Row {
            method,
            path,
            access,
        });
        self.router = self.router.route(path, route);
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.at(Method::GET, path, access, h, false)
    }
    fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.at(Method::POST, path, access, h, false)
    }
    fn put<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.at(Method::PUT, path, access, h, false)
    }
    fn patch<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.at(Method::PATCH, path, access, h, false)
    }
    fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.at(Method::DELETE, path, access, h, false)
    }
    /// A route counted by the anonymous form-engine limiter (`rate_limit::anonymous`).
    fn counted<H: Handler<T, AppState>, T: 'static>(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.at(method, path, access, h, true)
    }

    fn done(self) -> Router<AppState> {
        self.router
    }
}

/// 429 with `Retry-After` from the rate limiter, in the one error format; `period` is the
/// limiter's, so the wait it names is what the limiter really needs.
fn too_many_requests(
    period: Duration,
) -> impl Fn(tower_governor::GovernorError) -> axum::response::Response + Clone + Send + Sync + 'static
{
    move |e| {
        use axum::response::IntoResponse;
        match e {
            tower_governor::GovernorError::TooManyRequests { wait_time, .. } => {
                AppError::TooManyRequests(rate_limit::governor_retry_after(wait_time, period))
                    .into_response()
            }
            tower_governor::GovernorError::UnableToExtractKey => {
                AppError::bad_request("client_address", "Nie udało się ustalić adresu klienta.")
                    .into_response()
            }
            tower_governor::GovernorError::Other { code, msg, .. } => {
                (code, msg.unwrap_or_default()).into_response()
            }
        }
    }
}

/// The table. Rows of one path with several methods sit together.
#[expect(clippy::too_many_lines, reason = "the one route table, a row a line")]
pub fn build(state: &AppState) -> Routes {
    let limits = state.settings.limits.clone();
    let json_limit = DefaultBodyLimit::max(limits.json_body_kib * 1024);
    let html_errors = || axum::middleware::from_fn_with_state(state.clone(), pages::html_errors);
    let mut rows = Vec::new();

    let api = Group::new(&mut rows, state)
        .get("/api/openapi.json", Public, api::openapi::document)
        .get("/api/services", Public, api::services::list)
        .get("/api/petitions", Public, api::petitions::list)
        .get("/api/mass-events", Public, api::mass_events::list)
        .get("/api/payments", Resident, api::payments::list)
        .post("/api/payments/{debt}/pay", ResidentOwn, api::payments::pay)
        .get(
            "/api/payments/sessions/{session}",
            ResidentOwn,
            api::payments::session,
        )
        .get("/api/petitions/{sign}", Public, api::petitions::get)
        .get(
            "/api/petitions/{sign}/cosigners",
            Public,
            api::petition_cosigners::list,
        )
        .post(
            "/api/petitions/{sign}/cosigners",
            LoggedIn,
            api::petition_cosigners::confirm,
        )
        .get(
            "/api/petitions/reports/{year}",
            Public,
            api::petitions::year_report,
        )
        .get(
            "/api/petitions/reports/{year}/report.csv",
            Public,
            api::petition_report::csv,
        )
        .get(
            "/api/petitions/reports/{year}/report.pdf",
            Public,
            api::petition_report::pdf,
        )
        .get("/api/services/{id}", Public, api::services::get)
        .get("/api/services/{id}/schema", Public, api::services::schema)
        .get(
            "/api/services/{id}/efiling.xsd",
            Public,
            api::services::efiling_schema,
        )
        .counted(
            Method::POST,
            "/api/services/{id}/validate",
            Public,
            api::validate::validate,
        )
        .counted(
            Method::POST,
            "/api/services/{id}/drafts",
            Public,
            api::drafts::create,
        )
        .counted(Method::GET, "/api/drafts/{id}", OwnerKey, api::drafts::read)
        .counted(
            Method::PUT,
            "/api/drafts/{id}",
            OwnerKey,
            api::drafts::replace,
        )
        .counted(
            Method::PATCH,
            "/api/drafts/{id}",
            OwnerKey,
            api::drafts::merge,
        )
        .counted(
            Method::DELETE,
            "/api/drafts/{id}",
            OwnerKey,
            api::drafts::delete,
        )
        .get(
            "/api/identifiers/{kind}/{value}",
            Public,
            api::identifiers::check,
        )
        .get("/api/receipts/{id}", OwnerKey, api::receipts::get)
        .get("/api/me", Someone, auth::me::get)
        .get(
            "/api/submissions",
            OwnOrScope(Scope::SubmissionsRead),
            api::submission_list::list,
        )
        .get("/api/cases", Cases { write: false }, api::cases::list)
        .get("/api/stats", Cases { write: false }, api::stats::get)
        .get("/api/mailboxes", Someone, api::mailboxes::mine)
        .get(
            "/api/mailboxes/{address}/messages",
            Mailbox,
            api::mailboxes::list,
        )
        .post(
            "/api/mailboxes/{address}/messages",
            UnitMailbox,
            api::mailboxes::send,
        )
        .get(
            "/api/mailboxes/{address}/messages/{id}",
            Mailbox,
            api::mailboxes::get,
        )
        .post(
            "/api/mailboxes/{address}/messages/{id}/receive",
            Mailbox,
            api::mailboxes::receive,
        )
        .get(
            "/api/mailboxes/{address}/messages/{id}/evidences",
            Mailbox,
            api::mailboxes::evidences,
        )
        .get(
            "/api/mailboxes/{address}/messages/{id}/attachments/{attachment}",
            Mailbox,
            api::mailboxes::attachment,
        )
        .post(
            "/api/mailboxes/{address}/drafts",
            UnitMailbox,
            api::mailboxes::create_draft,
        )
        .post(
            "/api/mailboxes/{address}/drafts/{id}/send",
            UnitMailbox,
            api::mailboxes::send_draft,
        )
        .get("/api/cases/{sign}", Cases { write: false }, api::cases::get)
        .get(
            "/api/cases/{sign}/history",
            Cases { write: false },
            api::cases::history,
        )
        .get(
            "/api/cases/{sign}/history.csv",
            Cases { write: false },
            api::cases::history_csv,
        )
        .get(
            "/api/cases/{sign}/history.pdf",
            Cases { write: false },
            api::cases::history_pdf,
        )
        .get(
            "/api/cases/{sign}/efiling.xml",
            Cases { write: false },
            api::cases::efiling,
        )
        .get(
            "/api/cases/{sign}/documents/{id}",
            Cases { write: false },
            api::cases::document,
        )
        .post(
            "/api/cases/{sign}/actions/{action}",
            Cases { write: true },
            api::cases::act,
        )
        .get("/api/consultations", Public, api::consultations::read::list)
        .post(
            "/api/consultations",
            Coordinator,
            api::consultations::save::create,
        )
        .get(
            "/api/consultations/subscriptions",
            LoggedIn,
            api::consultations::subscriptions::mine,
        )
        .post(
            "/api/consultations/subscriptions",
            Resident,
            api::consultations::subscriptions::subscribe,
        )
        .delete(
            "/api/consultations/subscriptions/{token}",
            Public,
            api::consultations::subscriptions::unsubscribe,
        )
        .get(
            "/api/consultations/requests",
            Public,
            api::consultations::requests::read::list,
        )
        .post(
            "/api/consultations/requests",
            Resident,
            api::consultations::requests::support::create_post,
        )
        .get(
            "/api/consultations/requests/{id}",
            Public,
            api::consultations::requests::read::get,
        )
        .post(
            "/api/consultations/requests/{id}/supports",
            Resident,
            api::consultations::requests::support::post,
        )
        .post(
            "/api/consultations/requests/{id}/file",
            Author,
            api::consultations::requests::file::post,
        )
        .get(
            "/api/consultations/{id}",
            Public,
            api::consultations::read::get,
        )
        .put(
            "/api/consultations/{id}",
            Coordinator,
            api::consultations::save::edit,
        )
        .get(
            "/api/consultations/{id}/history",
            Public,
            api::consultations::history::get,
        )
        .post(
            "/api/consultations/{id}/publish",
            Coordinator,
            api::consultations::publish::post,
        )
        .put(
            "/api/consultations/{id}/answer",
            Resident,
            api::consultations::take_part::answer,
        )
        .get(
            "/api/consultations/{id}/answers",
            Coordinator,
            api::consultations::answers::list,
        )
        .get(
            "/api/consultations/{id}/comments",
            Public,
            api::consultations::comments::list,
        )
        .post(
            "/api/consultations/{id}/comments",
            Resident,
            api::consultations::take_part::comment,
        )
        .put(
            "/api/consultations/{id}/comments/{comment}/position",
            Coordinator,
            api::consultations::report::position,
        )
        .get(
            "/api/consultations/{id}/report",
            Public,
            api::consultations::report::get,
        )
        .get(
            "/api/consultations/{id}/report.pdf",
            Public,
            api::consultations::report::pdf,
        )
        .post(
            "/api/consultations/{id}/report",
            Coordinator,
            api::consultations::report::publish,
        )
        .get("/api/council/queue", Committee, api::council::queue::list)
        .get(
            "/api/council/queue/{sign}",
            Committee,
            api::council::queue::get,
        )
        .post(
            "/api/council/queue/{sign}/opinion",
            Committee,
            api::council::queue::opinion,
        )
        .get(
            "/api/council/sessions",
            Public,
            api::council::sessions::list,
        )
        .post(
            "/api/council/sessions",
            CouncilOffice,
            api::council::sessions::create,
        )
        .get(
            "/api/council/sessions/{id}",
            Public,
            api::council::sessions::get,
        )
        .patch(
            "/api/council/sessions/{id}",
            CouncilOffice,
            api::council::sessions::edit,
        )
        .post(
            "/api/council/sessions/{id}/open",
            CouncilOffice,
            api::council::sessions::open,
        )
        .post(
            "/api/council/sessions/{id}/close",
            CouncilOffice,
            api::council::sessions::close,
        )
        .post(
            "/api/council/sessions/{id}/items",
            Committee,
            api::council::items::add,
        )
        .post(
            "/api/council/sessions/{id}/items/{item}/resolution",
            Committee,
            api::council::items::resolution,
        )
        .post(
            "/api/council/sessions/{id}/attendance",
            Councillor,
            api::council::votes::sign_in,
        )
        .post(
            "/api/council/sessions/{id}/votes",
            Chair,
            api::council::votes::open,
        )
        .post(
            "/api/council/sessions/{id}/votes/{vote}/close",
            Chair,
            api::council::votes::close,
        )
        .put(
            "/api/council/sessions/{id}/votes/{vote}/ballots/{login}",
            Councillor,
            api::council::votes::cast,
        )
        .get(
            "/api/council/sessions/{id}/agenda.csv",
            Public,
            api::council::export::csv,
        )
        .get(
            "/api/council/sessions/{id}/agenda.pdf",
            Public,
            api::council::export::pdf,
        )
        .get(
            "/api/council/sessions/{id}/history",
            Public,
            api::council::history::get,
        )
        .get(
            "/api/council/sessions/{id}/live",
            Public,
            api::council::live::get,
        )
        .get(
            "/api/consultations/{id}/paper",
            Office,
            api::consultations::paper::list,
        )
        .post(
            "/api/consultations/{id}/paper",
            Office,
            api::consultations::paper::enter,
        )
        .post(
            "/api/consultations/{id}/paper/{entry}/accept",
            SecondClerk,
            api::consultations::paper::accept,
        )
        .post(
            "/api/consultations/{id}/paper/{entry}/reject",
            SecondClerk,
            api::consultations::paper::reject,
        )
        .put(
            "/api/consultations/{id}/roster",
            Coordinator,
            api::consultations::roster::put,
        )
        .post(
            "/api/consultations/{id}/comments/{comment}/reports",
            Resident,
            api::consultations::moderation::report,
        )
        .put(
            "/api/consultations/{id}/comments/{comment}/moderation",
            Coordinator,
            api::consultations::moderation::decide,
        )
        .get(
            "/api/consultations/{id}/moderation",
            Coordinator,
            api::consultations::moderation::queue,
        )
        .get(
            "/api/consultations/{id}/results",
            Public,
            api::consultations::results::get,
        )
        .get(
            "/api/consultations/{id}/answers.csv",
            Coordinator,
            api::consultations::results::csv,
        )
        .get(
            "/api/consultations/{id}/meetings",
            Public,
            api::consultations::meetings::list,
        )
        .post(
            "/api/consultations/{id}/meetings",
            Coordinator,
            api::consultations::meetings::add,
        )
        .get(
            "/api/consultations/{id}/meetings/{meeting}/minutes",
            Public,
            api::consultations::meetings::minutes,
        )
        .get(
            "/api/consultations/{id}/documents",
            Public,
            api::consultations::documents::list,
        )
        .get(
            "/api/consultations/{id}/documents/{document}",
            Public,
            api::consultations::documents::get,
        )
        .delete(
            "/api/consultations/{id}/documents/{document}",
            Coordinator,
            api::consultations::documents::remove,
        )
        .get("/api/budgets", Public, api::budgets::editions::list)
        .post("/api/budgets", Admin, api::budgets::editions::create)
        .get("/api/budgets/{id}", Public, api::budgets::editions::get)
        .put("/api/budgets/{id}", Admin, api::budgets::editions::edit)
        .get(
            "/api/budgets/{id}/history",
            Public,
            api::budgets::history::get,
        )
        .get(
            "/api/budgets/{id}/projects",
            Public,
            api::budgets::projects::list,
        )
        .post(
            "/api/budgets/{id}/projects",
            Resident,
            api::budgets::projects::create,
        )
        .get(
            "/api/budgets/{id}/projects/{project}",
            Public,
            api::budgets::projects::get,
        )
        .put(
            "/api/budgets/{id}/projects/{project}",
            ResidentOwn,
            api::budgets::projects::edit,
        )
        .post(
            "/api/budgets/{id}/projects/{project}/supports",
            Resident,
            api::budgets::projects::support,
        )
        .post(
            "/api/budgets/{id}/projects/{project}/evaluation",
            Office,
            api::budgets::evaluation::evaluate,
        )
        .post(
            "/api/budgets/{id}/projects/{project}/appeal",
            Author,
            api::budgets::evaluation::appeal,
        )
        .post(
            "/api/budgets/{id}/projects/{project}/appeal/decision",
            Office,
            api::budgets::evaluation::decide,
        )
        .put(
            "/api/budgets/{id}/projects/{project}/conflict-group",
            Office,
            api::budgets::evaluation::conflict_group,
        )
        .get(
            "/api/budgets/{id}/projects/{project}/milestones",
            Public,
            api::budgets::milestones::list,
        )
        .post(
            "/api/budgets/{id}/projects/{project}/milestones",
            Office,
            api::budgets::milestones::add,
        )
        .post(
            "/api/budgets/{id}/ballots",
            Resident,
            api::budgets::ballots::cast,
        )
        .get(
            "/api/budgets/{id}/paper/ballots",
            Office,
            api::budgets::paper::list_ballots,
        )
        .post(
            "/api/budgets/{id}/paper/ballots",
            Office,
            api::budgets::paper::enter_ballot,
        )
        .post(
            "/api/budgets/{id}/paper/ballots/{entry}/accept",
            SecondClerk,
            api::budgets::paper::accept_ballot,
        )
        .post(
            "/api/budgets/{id}/paper/ballots/{entry}/reject",
            SecondClerk,
            api::budgets::paper::reject_ballot,
        )
        .get(
            "/api/budgets/{id}/paper/supports",
            Office,
            api::budgets::paper::list_supports,
        )
        .post(
            "/api/budgets/{id}/paper/supports",
            Office,
            api::budgets::paper::enter_support,
        )
        .post(
            "/api/budgets/{id}/paper/supports/{entry}/accept",
            SecondClerk,
            api::budgets::paper::accept_support,
        )
        .post(
            "/api/budgets/{id}/paper/supports/{entry}/reject",
            SecondClerk,
            api::budgets::paper::reject_support,
        )
        .get(
            "/api/budgets/{id}/results",
            Public,
            api::budgets::results::get,
        )
        .get(
            "/api/budgets/{id}/results.csv",
            Public,
            api::budgets::results::get_csv,
        )
        .get(
            "/api/budgets/{id}/results.pdf",
            Public,
            api::budgets::results::get_pdf,
        )
        .get(
            "/api/budgets/{id}/pools/{pool}/votes.pb",
            Public,
            api::budgets::results::pabulib,
        )
        .get("/api/initiatives", Public, api::initiatives::read::list)
        .post(
            "/api/initiatives",
            Resident,
            api::initiatives::register::post,
        )
        .get("/api/initiatives/{id}", Public, api::initiatives::read::get)
        .get(
            "/api/initiatives/{id}/supports",
            Office,
            api::initiatives::verify::list,
        )
        .post(
            "/api/initiatives/{id}/supports",
            Resident,
            api::initiatives::support::post,
        )
        .put(
            "/api/initiatives/{id}/supports/{support}/verdict",
            Office,
            api::initiatives::verify::verdict,
        )
        .post(
            "/api/initiatives/{id}/file",
            Author,
            api::initiatives::file::post,
        )
        .get(
            "/api/initiatives/{id}/paper",
            Office,
            api::initiatives::paper::list,
        )
        .post(
            "/api/initiatives/{id}/paper",
            Office,
            api::initiatives::paper::enter,
        )
        .post(
            "/api/initiatives/{id}/paper/{entry}/accept",
            SecondClerk,
            api::initiatives::paper::accept,
        )
        .post(
            "/api/initiatives/{id}/paper/{entry}/reject",
            SecondClerk,
            api::initiatives::paper::reject,
        )
        .get("/.well-known/jwks.json", Public, api::receipts::jwks)
        .done()
        .layer(json_limit);

    let upload_pages = Group::new(&mut rows, state)
        .counted(
            Method::POST,
            "/uslugi/{id}/wniosek/{draft}/zloz",
            OwnerKey,
            pages::submit::post,
        )
        .post(
            "/moje-sprawy/{sign}/uzupelnij",
            OwnerKey,
            pages::my_cases::supplement,
        )
        .post("/skrzynka/{id}/odpowiedz", OwnObject, pages::mailbox::reply)
        .post(
            "/urzad/platnosci/wyciag",
            Office,
            pages::payments::office::statement_upload,
        )
        .post(
            "/konsole/konsultacje/{id}/dokumenty",
            Coordinator,
            pages::console::documents::upload,
        )
        .done()
        .layer(html_errors());
    let uploads = Group::new(&mut rows, state)
        // the voters' register of a gmina: up to a few hundred thousand lines
        .post(
            "/api/initiatives/{id}/register-check",
            Office,
            api::initiatives::verify::register_check,
        )
        .counted(
            Method::POST,
            "/api/services/{id}/submissions",
            Public,
            api::submissions::create,
        )
        .post(
            "/api/mailboxes/{address}/drafts/{id}/attachments",
            UnitMailbox,
            api::mailboxes::add_attachment,
        )
        .post(
            "/api/consultations/{id}/meetings/{meeting}/minutes",
            Coordinator,
            api::consultations::meetings::upload_minutes,
        )
        .post(
            "/api/consultations/{id}/documents",
            Coordinator,
            api::consultations::documents::add,
        )
        .done()
        .merge(upload_pages)
        .layer(DefaultBodyLimit::max(limits.upload_body_mib * 1024 * 1024));

    let pages = Group::new(&mut rows, state)
        .get("/", Public, pages::catalogue::get)
        .get("/uslugi/{id}", Public, pages::start::get)
        .get("/uslugi-krajowe/{id}", Public, pages::national::get)
        .post("/uslugi/{id}", Public, pages::start::post)
        .counted(
            Method::GET,
            "/uslugi/{id}/wniosek/{draft}/{step}",
            OwnerKey,
            pages::step::get,
        )
        .counted(
            Method::POST,
            "/uslugi/{id}/wniosek/{draft}/{step}",
            OwnerKey,
            pages::step::post,
        )
        .get(
            "/potwierdzenie/{receipt}",
            OwnerKey,
            pages::submit::confirmation,
        )
        .get("/skrzynka", OwnObject, pages::mailbox::inbox)
        .get("/skrzynka/{id}", OwnObject, pages::mailbox::message)
        .post("/skrzynka/{id}/odbierz", OwnObject, pages::mailbox::receive)
        .get(
            "/skrzynka/{id}/dowody/{evidence}",
            OwnObject,
            pages::mailbox::evidence,
        )
        .get(
            "/skrzynka/{id}/zalaczniki/{attachment}",
            OwnObject,
            pages::mailbox::attachment,
        )
        .post("/skrzynka/{id}/kosz", OwnObject, pages::mailbox::trash)
        .get("/imprezy-masowe", Public, pages::mass_events::list)
        .get("/imprezy-masowe.atom", Public, pages::mass_events::atom)
        .get("/petycje", Public, pages::petitions::list)
        .get("/petycje.atom", Public, pages::petitions::atom)
        .get("/petycje/{sign}", Public, pages::petitions::get)
        .post(
            "/petycje/{sign}/wspolpodpis",
            LoggedIn,
            pages::petitions::cosign,
        )
        .get("/petycje/informacja/{year}", Public, pages::petitions::year)
        .get("/inicjatywy", Public, pages::initiatives::list)
        .get("/inicjatywy/nowa", Resident, pages::initiatives::new)
        .post("/inicjatywy/nowa", Resident, pages::initiatives::create)
        .get("/inicjatywy/{id}", Public, pages::initiatives::get)
        .post(
            "/inicjatywy/{id}/poparcie",
            Resident,
            pages::initiatives::support,
        )
        .post(
            "/inicjatywy/{id}/zlozenie",
            Author,
            pages::initiatives::file,
        )
        .get("/konsultacje", Public, pages::consultations::list)
        .get("/konsultacje.atom", Public, pages::consultation_feed::get)
        .get(
            "/konsultacje/archiwum",
            Public,
            pages::consultations::archive,
        )
        .get("/konsultacje/{id}", Public, pages::consultations::get)
        .get(
            "/konsultacje/{id}/odpowiedz",
            LoggedIn,
            pages::consultation_take_part::get,
        )
        .post(
            "/konsultacje/{id}/odpowiedz",
            Resident,
            pages::consultation_take_part::post,
        )
        .post(
            "/konsultacje/{id}/uwagi",
            Resident,
            pages::consultation_take_part::comment,
        )
        .get("/budzet", Public, pages::budget::list)
        .get("/budzet/{id}", Public, pages::budget::edition)
        .get(
            "/budzet/{id}/projekty/{project}",
            Public,
            pages::budget::project,
        )
        .get("/budzet/{id}/wyniki", Public, pages::budget::results)
        .get(
            "/budzet/{id}/zglos",
            Public,
            pages::budget_take_part::propose_form,
        )
        .post(
            "/budzet/{id}/zglos",
            Resident,
            pages::budget_take_part::propose,
        )
        .post(
            "/budzet/{id}/projekty/{project}/poparcie",
            Resident,
            pages::budget_take_part::support,
        )
        .get(
            "/budzet/{id}/glosuj",
            Public,
            pages::budget_take_part::ballot_form,
        )
        .post(
            "/budzet/{id}/glosuj",
            Resident,
            pages::budget_take_part::vote,
        )
        .get("/budzet/{id}/karty", Office, pages::budget_paper::cards)
        .post(
            "/budzet/{id}/karty",
            Office,
            pages::budget_paper::enter_card,
        )
        .post(
            "/budzet/{id}/karty/{entry}",
            SecondClerk,
            pages::budget_paper::decide_card,
        )
        .get("/budzet/{id}/listy", Office, pages::budget_paper::lists)
        .post(
            "/budzet/{id}/listy",
            Office,
            pages::budget_paper::enter_signature,
        )
        .post(
            "/budzet/{id}/listy/{entry}",
            SecondClerk,
            pages::budget_paper::decide_signature,
        )
        .get("/rada/sesje", Public, pages::council::list)
        .get("/rada/sesje/{id}", Public, pages::council::get)
        .get("/rada/sesje/{id}/ekran", Public, pages::council::screen)
        .get(
            "/rada/sesje/{id}/glosowanie",
            Councillor,
            pages::council_room::pad,
        )
        .post(
            "/rada/sesje/{id}/glosowanie",
            Chair,
            pages::council_room::open_vote,
        )
        .post(
            "/rada/sesje/{id}/obecnosc",
            Councillor,
            pages::council_room::sign_in,
        )
        .post(
            "/rada/sesje/{id}/glosowania/{vote}",
            Councillor,
            pages::council_room::cast,
        )
        .post(
            "/rada/sesje/{id}/glosowania/{vote}/zamknij",
            Chair,
            pages::council_room::close_vote,
        )
        .get(
            "/rada/biuro",
            CouncilOffice,
            pages::council_office::calendar,
        )
        .post("/rada/biuro", CouncilOffice, pages::council_office::create)
        .get(
            "/rada/biuro/sesje/{id}",
            CouncilOffice,
            pages::council_office::session,
        )
        .post(
            "/rada/biuro/sesje/{id}",
            CouncilOffice,
            pages::council_office::edit,
        )
        .post(
            "/rada/biuro/sesje/{id}/stan",
            CouncilOffice,
            pages::council_office::status,
        )
        .post(
            "/rada/biuro/sesje/{id}/punkty",
            CouncilOffice,
            pages::council_office::add_item,
        )
        .post(
            "/rada/biuro/sesje/{id}/punkty/{item}/uchwala",
            CouncilOffice,
            pages::council_office::record_resolution,
        )
        .get("/rada/komisja", Committee, pages::council_committee::queue)
        .get(
            "/rada/komisja/{sign}",
            Committee,
            pages::council_committee::case,
        )
        .post(
            "/rada/komisja/{sign}/opinia",
            Committee,
            pages::council_committee::opinion,
        )
        .post(
            "/rada/komisja/{sign}/porzadek",
            Committee,
            pages::council_committee::put_on_agenda,
        )
        .post(
            "/konsultacje/{id}/uwagi/{comment}/zglos",
            Resident,
            pages::consultation_take_part::report,
        )
        .get(
            "/konsultacje/{id}/wyniki",
            Public,
            pages::consultation_results::get,
        )
        .get(
            "/konsole/konsultacje",
            Coordinator,
            pages::console::list::get,
        )
        .get(
            "/konsole/konsultacje/nowa",
            Coordinator,
            pages::console::new::get,
        )
        .post(
            "/konsole/konsultacje/nowa",
            Coordinator,
            pages::console::new::post,
        )
        .get(
            "/konsole/konsultacje/{id}",
            Coordinator,
            pages::console::detail::get,
        )
        .get(
            "/konsole/konsultacje/{id}/edycja",
            Coordinator,
            pages::console::edit::get,
        )
        .post(
            "/konsole/konsultacje/{id}/edycja",
            Coordinator,
            pages::console::edit::post,
        )
        .get(
            "/konsole/konsultacje/{id}/karty",
            Office,
            pages::console::paper::get,
        )
        .post(
            "/konsole/konsultacje/{id}/karty",
            Office,
            pages::console::paper::post,
        )
        .post(
            "/konsole/konsultacje/{id}/publikuj",
            Coordinator,
            pages::console::actions::publish,
        )
        .post(
            "/konsole/konsultacje/{id}/uwagi/{comment}",
            Coordinator,
            pages::console::actions::moderate,
        )
        .post(
            "/konsole/konsultacje/{id}/karty/{entry}",
            SecondClerk,
            pages::console::actions::decide_card,
        )
        .post(
            "/konsole/konsultacje/{id}/stanowiska/{comment}",
            Coordinator,
            pages::console::actions::position,
        )
        .post(
            "/konsole/konsultacje/{id}/raport",
            Coordinator,
            pages::console::actions::publish_report,
        )
        .post(
            "/konsole/konsultacje/{id}/dokumenty/{document}/usun",
            Coordinator,
            pages::console::documents::remove,
        )
        .get(
            "/konsultacje/wnioski",
            Public,
            pages::consultation_requests::list,
        )
        .get(
            "/konsultacje/wnioski/nowy",
            Resident,
            pages::consultation_requests::new,
        )
        .post(
            "/konsultacje/wnioski/nowy",
            Resident,
            pages::consultation_requests::create_post,
        )
        .get(
            "/konsultacje/wnioski/{id}",
            Public,
            pages::consultation_requests::get,
        )
        .post(
            "/konsultacje/wnioski/{id}/poparcie",
            Resident,
            pages::consultation_requests::support_post,
        )
        .get(
            "/konsultacje/subskrypcja/{token}",
            Public,
            pages::consultation_subscription::get,
        )
        .post(
            "/konsultacje/subskrypcja/{token}",
            Public,
            pages::consultation_subscription::post,
        )
        .get("/moje-sprawy", Public, pages::my_cases::list)
        .get("/moje-sprawy/{sign}", OwnerKey, pages::my_cases::case)
        .get(
            "/moje-sprawy/{sign}/pisma/{id}",
            OwnerKey,
            pages::my_cases::document,
        )
        .get("/urzad/skrzynka", UnitClerk, pages::unit_mailbox::list)
        .get(
            "/urzad/skrzynka/{id}",
            UnitClerk,
            pages::unit_mailbox::message,
        )
        .post(
            "/urzad/skrzynka/{id}/odpowiedz",
            UnitClerk,
            pages::unit_mailbox::reply,
        )
        .get("/platnosci", Resident, pages::payments::mine::list)
        .post(
            "/platnosci/{debt}/zaplac",
            ResidentOwn,
            pages::payments::mine::pay,
        )
        .get(
            "/platnosci/powrot/{session}",
            ResidentOwn,
            pages::payments::mine::back,
        )
        .get("/urzad/platnosci", Office, pages::payments::office::queue)
        .post(
            "/urzad/platnosci/{payment}/dopasuj",
            Office,
            pages::payments::office::assign,
        )
        .get(
            "/urzad/platnosci/raport",
            Office,
            pages::payments::office::report,
        )
        .get(
            "/urzad/platnosci/raport.csv",
            Office,
            pages::payments::office::report_csv,
        )
        .get(
            "/urzad/platnosci/wyciag",
            Office,
            pages::payments::office::statement_form,
        )
        .get("/urzad", Cases { write: false }, pages::staff::queue)
        .get(
            "/urzad/statystyki",
            Cases { write: false },
            pages::staff::stats,
        )
        .get(
            "/urzad/sprawy/{sign}",
            Cases { write: false },
            pages::staff::case,
        )
        .post(
            "/urzad/sprawy/{sign}/{action}",
            Cases { write: true },
            pages::staff::act,
        )
        .get("/assets/{*path}", Public, pages::assets::get)
        .done()
        .layer(html_errors())
        .layer(json_limit);

    // logins, callbacks and the public status lookup are rate limited per client address
    let period =
        Duration::from_millis(60_000 / u64::from(state.settings.auth.login_per_minute.max(1)));
    let governor = tower_governor::governor::GovernorConfigBuilder::default()
        .key_extractor(crate::auth::rate_limit::ClientIp::from_settings(
            &state.settings.auth,
        ))
        .period(period)
        .burst_size(state.settings.auth.login_burst.max(1))
        .finish()
        .map(std::sync::Arc::new);
    let mut login = Group::new(&mut rows, state)
        .get("/auth/login", Public, auth::login::get)
        .get("/auth/callback", Public, auth::callback::get)
        .done();
    let mut lookup = Group::new(&mut rows, state)
        .get("/api/status", Public, api::status::get)
        .done();
    if let Some(config) = governor {
        login = login.layer(
            tower_governor::GovernorLayer::new(config.clone())
                .error_handler(too_many_requests(period)),
        );
        lookup = lookup.layer(
            tower_governor::GovernorLayer::new(config).error_handler(too_many_requests(period)),
        );
    }
    let logout = Group::new(&mut rows, state)
        .post("/auth/logout", Public, auth::logout::post)
        .done();
    let refresh = Group::new(&mut rows, state)
        .post("/auth/refresh", LoggedIn, auth::logout::refresh)
        .done();
    let auth_routes = Router::new()
        .merge(login)
        .merge(logout)
        .layer(html_errors())
        .merge(refresh)
        .layer(json_limit);

    let dev_idp = Group::new(&mut rows, state)
        .get(
            "/dev-idp/.well-known/openid-configuration",
            DevIdp,
            dev_idp::discovery::configuration,
        )
        .get("/dev-idp/jwks", DevIdp, dev_idp::discovery::jwks)
        .get("/dev-idp/authorize", DevIdp, dev_idp::authorize::get)
        .post("/dev-idp/authorize", DevIdp, dev_idp::authorize::post)
        .post("/dev-idp/token", DevIdp, dev_idp::token::post)
        .get("/dev-idp/logout", DevIdp, dev_idp::end_session::get)
        .done()
        .layer(DefaultBodyLimit::max(64 * 1024));

    // the payment provider's notifications: a few hundred bytes each
    let payment_notifications = Group::new(&mut rows, state)
        .post(
            "/api/payments/p24/notification",
            Public,
            api::payments::notification,
        )
        .done()
        .layer(DefaultBodyLimit::max(api::payments::MAX_NOTIFICATION_BYTES));

    let ops = Group::new(&mut rows, state)
        .get("/healthz", Public, api::health::healthz)
        .get("/readyz", Public, api::health::readyz)
        .get("/metrics", MetricsToken, api::health::metrics)
        .done();

    let app = Router::new()
        .merge(api)
        .merge(uploads)
        .merge(pages)
        .merge(auth_routes)
        .merge(lookup)
        .merge(dev_idp)
        .merge(payment_notifications);
    Routes { app, ops, rows }
}
