//! The only module that knows HTTP. `router()` is the one route table: every URL is here.

pub mod admission;
pub mod api;
pub mod auth;
pub mod charts;
pub mod cookies;
pub mod cursor;
pub mod dev_idp;
pub mod disposition;
pub mod extract;
pub mod pages;
pub mod problem;
pub mod rate_limit;
pub mod session;
pub mod upload;
pub mod view;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::state::AppState;

/// The page policy. `form-action` also governs where a form's redirect may lead, so the
/// identity providers' origins are in it: "Start", "Submit" (step-up) and "Log out" are
/// forms whose answer redirects to the provider.
fn content_security_policy(state: &AppState) -> HeaderValue {
    let mut targets = vec!["'self'".to_owned()];
    for p in state
        .settings
        .auth
        .providers(&state.settings.base_url())
        .values()
    {
        if let Ok(u) = url::Url::parse(&p.issuer) {
            let origin = u.origin().ascii_serialization();
            if !targets.contains(&origin) {
                targets.push(origin);
            }
        }
    }
    let csp = format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action {}",
        targets.join(" ")
    );
    HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static(
        "default-src 'self'; frame-ancestors 'none'",
    ))
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
                AppError::bad_request("client_address", "the client address is unknown")
                    .into_response()
            }
            tower_governor::GovernorError::Other { code, msg, .. } => {
                (code, msg.unwrap_or_default()).into_response()
            }
        }
    }
}

pub fn router(state: AppState) -> Router {
    let limits = state.settings.limits.clone();
    // anonymous posts that run the form engine count against `limits.validate_per_minute`
    let anonymous = axum::middleware::from_fn_with_state(state.clone(), rate_limit::anonymous);
    let api = Router::new()
        .route("/api/openapi.json", get(api::openapi::document))
        .route("/api/services", get(api::services::list))
        .route("/api/petitions", get(api::petitions::list))
        .route("/api/petitions/{sign}", get(api::petitions::get))
        .route(
            "/api/petitions/{sign}/cosigners",
            get(api::petition_cosigners::list).post(api::petition_cosigners::confirm),
        )
        .route(
            "/api/petitions/reports/{year}",
            get(api::petitions::year_report),
        )
        .route(
            "/api/petitions/reports/{year}/report.csv",
            get(api::petition_report::csv),
        )
        .route(
            "/api/petitions/reports/{year}/report.pdf",
            get(api::petition_report::pdf),
        )
        .route("/api/services/{id}", get(api::services::get))
        .route("/api/services/{id}/schema", get(api::services::schema))
        .route(
            "/api/services/{id}/validate",
            post(api::validate::validate).route_layer(anonymous.clone()),
        )
        .route(
            "/api/services/{id}/drafts",
            post(api::drafts::create).route_layer(anonymous.clone()),
        )
        .route(
            "/api/drafts/{id}",
            get(api::drafts::read)
                .put(api::drafts::replace)
                .patch(api::drafts::merge)
                .delete(api::drafts::delete)
                .route_layer(anonymous.clone()),
        )
        .route(
            "/api/identifiers/{kind}/{value}",
            get(api::identifiers::check),
        )
        .route("/api/receipts/{id}", get(api::receipts::get))
        .route("/api/me", get(auth::me::get))
        .route("/api/submissions", get(api::submission_list::list))
        .route("/api/cases", get(api::cases::list))
        .route("/api/stats", get(api::stats::get))
        .route("/api/mailboxes", get(api::mailboxes::mine))
        .route(
            "/api/mailboxes/{address}/messages",
            get(api::mailboxes::list).post(api::mailboxes::send),
        )
        .route(
            "/api/mailboxes/{address}/messages/{id}",
            get(api::mailboxes::get),
        )
        .route(
            "/api/mailboxes/{address}/messages/{id}/receive",
            post(api::mailboxes::receive),
        )
        .route(
            "/api/mailboxes/{address}/messages/{id}/evidences",
            get(api::mailboxes::evidences),
        )
        .route(
            "/api/mailboxes/{address}/messages/{id}/attachments/{attachment}",
            get(api::mailboxes::attachment),
        )
        .route(
            "/api/mailboxes/{address}/drafts",
            post(api::mailboxes::create_draft),
        )
        .route(
            "/api/mailboxes/{address}/drafts/{id}/send",
            post(api::mailboxes::send_draft),
        )
        .route("/api/cases/{sign}", get(api::cases::get))
        .route("/api/cases/{sign}/history", get(api::cases::history))
        .route(
            "/api/cases/{sign}/history.csv",
            get(api::cases::history_csv),
        )
        .route(
            "/api/cases/{sign}/history.pdf",
            get(api::cases::history_pdf),
        )
        .route(
            "/api/cases/{sign}/documents/{id}",
            get(api::cases::document),
        )
        .route("/api/cases/{sign}/actions/{action}", post(api::cases::act))
        .route(
            "/api/consultations",
            get(api::consultations::read::list).post(api::consultations::save::create),
        )
        .route(
            "/api/consultations/subscriptions",
            get(api::consultations::subscriptions::mine)
                .post(api::consultations::subscriptions::subscribe),
        )
        .route(
            "/api/consultations/subscriptions/{token}",
            axum::routing::delete(api::consultations::subscriptions::unsubscribe),
        )
        .route(
            "/api/consultations/requests",
            get(api::consultations::requests::read::list)
                .post(api::consultations::requests::support::create_post),
        )
        .route(
            "/api/consultations/requests/{id}",
            get(api::consultations::requests::read::get),
        )
        .route(
            "/api/consultations/requests/{id}/supports",
            post(api::consultations::requests::support::post),
        )
        .route(
            "/api/consultations/requests/{id}/file",
            post(api::consultations::requests::file::post),
        )
        .route(
            "/api/consultations/{id}",
            get(api::consultations::read::get).put(api::consultations::save::edit),
        )
        .route(
            "/api/consultations/{id}/history",
            get(api::consultations::history::get),
        )
        .route(
            "/api/consultations/{id}/publish",
            post(api::consultations::publish::post),
        )
        .route(
            "/api/consultations/{id}/answer",
            axum::routing::put(api::consultations::take_part::answer),
        )
        .route(
            "/api/consultations/{id}/answers",
            get(api::consultations::answers::list),
        )
        .route(
            "/api/consultations/{id}/comments",
            get(api::consultations::comments::list).post(api::consultations::take_part::comment),
        )
        .route(
            "/api/consultations/{id}/comments/{comment}/position",
            axum::routing::put(api::consultations::report::position),
        )
        .route(
            "/api/consultations/{id}/report",
            get(api::consultations::report::get).post(api::consultations::report::publish),
        )
        .route("/api/council/queue", get(api::council::queue::list))
        .route("/api/council/queue/{sign}", get(api::council::queue::get))
        .route(
            "/api/council/queue/{sign}/opinion",
            post(api::council::queue::opinion),
        )
        .route(
            "/api/council/sessions",
            get(api::council::sessions::list).post(api::council::sessions::create),
        )
        .route(
            "/api/council/sessions/{id}",
            get(api::council::sessions::get).patch(api::council::sessions::edit),
        )
        .route(
            "/api/council/sessions/{id}/open",
            post(api::council::sessions::open),
        )
        .route(
            "/api/council/sessions/{id}/close",
            post(api::council::sessions::close),
        )
        .route(
            "/api/council/sessions/{id}/items",
            post(api::council::items::add),
        )
        .route(
            "/api/council/sessions/{id}/items/{item}/resolution",
            post(api::council::items::resolution),
        )
        .route(
            "/api/council/sessions/{id}/attendance",
            post(api::council::votes::sign_in),
        )
        .route(
            "/api/council/sessions/{id}/votes",
            post(api::council::votes::open),
        )
        .route(
            "/api/council/sessions/{id}/votes/{vote}/close",
            post(api::council::votes::close),
        )
        .route(
            "/api/council/sessions/{id}/votes/{vote}/ballots/{login}",
            axum::routing::put(api::council::votes::cast),
        )
        .route(
            "/api/council/sessions/{id}/agenda.csv",
            get(api::council::export::csv),
        )
        .route(
            "/api/council/sessions/{id}/agenda.pdf",
            get(api::council::export::pdf),
        )
        .route(
            "/api/council/sessions/{id}/history",
            get(api::council::history::get),
        )
        .route(
            "/api/council/sessions/{id}/live",
            get(api::council::live::get),
        )
        .route(
            "/api/consultations/{id}/paper",
            get(api::consultations::paper::list).post(api::consultations::paper::enter),
        )
        .route(
            "/api/consultations/{id}/paper/{entry}/accept",
            post(api::consultations::paper::accept),
        )
        .route(
            "/api/consultations/{id}/paper/{entry}/reject",
            post(api::consultations::paper::reject),
        )
        .route(
            "/api/consultations/{id}/roster",
            axum::routing::put(api::consultations::roster::put),
        )
        .route(
            "/api/consultations/{id}/comments/{comment}/reports",
            post(api::consultations::moderation::report),
        )
        .route(
            "/api/consultations/{id}/comments/{comment}/moderation",
            axum::routing::put(api::consultations::moderation::decide),
        )
        .route(
            "/api/consultations/{id}/moderation",
            get(api::consultations::moderation::queue),
        )
        .route(
            "/api/consultations/{id}/results",
            get(api::consultations::results::get),
        )
        .route(
            "/api/consultations/{id}/answers.csv",
            get(api::consultations::results::csv),
        )
        .route(
            "/api/consultations/{id}/meetings",
            get(api::consultations::meetings::list).post(api::consultations::meetings::add),
        )
        .route(
            "/api/consultations/{id}/meetings/{meeting}/minutes",
            get(api::consultations::meetings::minutes),
        )
        .route(
            "/api/budgets",
            get(api::budgets::editions::list).post(api::budgets::editions::create),
        )
        .route(
            "/api/budgets/{id}",
            get(api::budgets::editions::get).put(api::budgets::editions::edit),
        )
        .route("/api/budgets/{id}/history", get(api::budgets::history::get))
        .route(
            "/api/budgets/{id}/projects",
            get(api::budgets::projects::list).post(api::budgets::projects::create),
        )
        .route(
            "/api/budgets/{id}/projects/{project}",
            get(api::budgets::projects::get).put(api::budgets::projects::edit),
        )
        .route(
            "/api/budgets/{id}/projects/{project}/supports",
            post(api::budgets::projects::support),
        )
        .route(
            "/api/budgets/{id}/projects/{project}/evaluation",
            post(api::budgets::evaluation::evaluate),
        )
        .route(
            "/api/budgets/{id}/projects/{project}/appeal",
            post(api::budgets::evaluation::appeal),
        )
        .route(
            "/api/budgets/{id}/projects/{project}/appeal/decision",
            post(api::budgets::evaluation::decide),
        )
        .route(
            "/api/budgets/{id}/projects/{project}/conflict-group",
            axum::routing::put(api::budgets::evaluation::conflict_group),
        )
        .route(
            "/api/budgets/{id}/projects/{project}/milestones",
            get(api::budgets::milestones::list).post(api::budgets::milestones::add),
        )
        .route(
            "/api/budgets/{id}/ballots",
            post(api::budgets::ballots::cast),
        )
        .route(
            "/api/budgets/{id}/paper/ballots",
            get(api::budgets::paper::list_ballots).post(api::budgets::paper::enter_ballot),
        )
        .route(
            "/api/budgets/{id}/paper/ballots/{entry}/accept",
            post(api::budgets::paper::accept_ballot),
        )
        .route(
            "/api/budgets/{id}/paper/ballots/{entry}/reject",
            post(api::budgets::paper::reject_ballot),
        )
        .route(
            "/api/budgets/{id}/paper/supports",
            get(api::budgets::paper::list_supports).post(api::budgets::paper::enter_support),
        )
        .route(
            "/api/budgets/{id}/paper/supports/{entry}/accept",
            post(api::budgets::paper::accept_support),
        )
        .route(
            "/api/budgets/{id}/paper/supports/{entry}/reject",
            post(api::budgets::paper::reject_support),
        )
        .route("/api/budgets/{id}/results", get(api::budgets::results::get))
        .route(
            "/api/budgets/{id}/results.csv",
            get(api::budgets::results::get_csv),
        )
        .route(
            "/api/budgets/{id}/results.pdf",
            get(api::budgets::results::get_pdf),
        )
        .route(
            "/api/budgets/{id}/pools/{pool}/votes.pb",
            get(api::budgets::results::pabulib),
        )
        .route(
            "/api/initiatives",
            get(api::initiatives::read::list).post(api::initiatives::register::post),
        )
        .route("/api/initiatives/{id}", get(api::initiatives::read::get))
        .route(
            "/api/initiatives/{id}/supports",
            get(api::initiatives::verify::list).post(api::initiatives::support::post),
        )
        .route(
            "/api/initiatives/{id}/supports/{support}/verdict",
            axum::routing::put(api::initiatives::verify::verdict),
        )
        .route(
            "/api/initiatives/{id}/file",
            post(api::initiatives::file::post),
        )
        .route(
            "/api/initiatives/{id}/paper",
            get(api::initiatives::paper::list).post(api::initiatives::paper::enter),
        )
        .route(
            "/api/initiatives/{id}/paper/{entry}/accept",
            post(api::initiatives::paper::accept),
        )
        .route(
            "/api/initiatives/{id}/paper/{entry}/reject",
            post(api::initiatives::paper::reject),
        )
        .route("/.well-known/jwks.json", get(api::receipts::jwks))
        .layer(DefaultBodyLimit::max(limits.json_body_kib * 1024));
    let uploads = Router::new()
        // the voters' register of a gmina: up to a few hundred thousand lines
        .route(
            "/api/initiatives/{id}/register-check",
            post(api::initiatives::verify::register_check),
        )
        .route(
            "/api/services/{id}/submissions",
            post(api::submissions::create).route_layer(anonymous.clone()),
        )
        .route(
            "/api/mailboxes/{address}/drafts/{id}/attachments",
            post(api::mailboxes::add_attachment),
        )
        .route(
            "/api/consultations/{id}/meetings/{meeting}/minutes",
            post(api::consultations::meetings::upload_minutes),
        )
        .merge(
            Router::new()
                .route(
                    "/uslugi/{id}/wniosek/{draft}/zloz",
                    post(pages::submit::post).route_layer(anonymous.clone()),
                )
                .route(
                    "/moje-sprawy/{sign}/uzupelnij",
                    post(pages::my_cases::supplement),
                )
                .route("/skrzynka/{id}/odpowiedz", post(pages::mailbox::reply))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    pages::html_errors,
                )),
        )
        .layer(DefaultBodyLimit::max(limits.upload_body_mib * 1024 * 1024));
    let pages = Router::new()
        .route("/", get(pages::catalogue::get))
        .route(
            "/uslugi/{id}",
            get(pages::start::get).post(pages::start::post),
        )
        .route(
            "/uslugi/{id}/wniosek/{draft}/{step}",
            get(pages::step::get)
                .post(pages::step::post)
                .route_layer(anonymous.clone()),
        )
        .route("/potwierdzenie/{receipt}", get(pages::submit::confirmation))
        .route("/skrzynka", get(pages::mailbox::inbox))
        .route("/skrzynka/{id}", get(pages::mailbox::message))
        .route("/skrzynka/{id}/odbierz", post(pages::mailbox::receive))
        .route(
            "/skrzynka/{id}/dowody/{evidence}",
            get(pages::mailbox::evidence),
        )
        .route(
            "/skrzynka/{id}/zalaczniki/{attachment}",
            get(pages::mailbox::attachment),
        )
        .route("/skrzynka/{id}/kosz", post(pages::mailbox::trash))
        .route("/petycje", get(pages::petitions::list))
        .route("/petycje.atom", get(pages::petitions::atom))
        .route("/petycje/{sign}", get(pages::petitions::get))
        .route(
            "/petycje/{sign}/wspolpodpis",
            post(pages::petitions::cosign),
        )
        .route("/petycje/informacja/{year}", get(pages::petitions::year))
        .route("/inicjatywy", get(pages::initiatives::list))
        .route(
            "/inicjatywy/nowa",
            get(pages::initiatives::new).post(pages::initiatives::create),
        )
        .route("/inicjatywy/{id}", get(pages::initiatives::get))
        .route(
            "/inicjatywy/{id}/poparcie",
            post(pages::initiatives::support),
        )
        .route("/inicjatywy/{id}/zlozenie", post(pages::initiatives::file))
        .route("/konsultacje", get(pages::consultations::list))
        .route("/konsultacje.atom", get(pages::consultation_feed::get))
        .route("/konsultacje/{id}", get(pages::consultations::get))
        .route(
            "/konsultacje/{id}/odpowiedz",
            get(pages::consultation_take_part::get).post(pages::consultation_take_part::post),
        )
        .route(
            "/konsultacje/{id}/uwagi",
            post(pages::consultation_take_part::comment),
        )
        .route("/budzet", get(pages::budget::list))
        .route("/budzet/{id}", get(pages::budget::edition))
        .route(
            "/budzet/{id}/projekty/{project}",
            get(pages::budget::project),
        )
        .route("/budzet/{id}/wyniki", get(pages::budget::results))
        .route(
            "/budzet/{id}/zglos",
            get(pages::budget_take_part::propose_form).post(pages::budget_take_part::propose),
        )
        .route(
            "/budzet/{id}/projekty/{project}/poparcie",
            post(pages::budget_take_part::support),
        )
        .route(
            "/budzet/{id}/glosuj",
            get(pages::budget_take_part::ballot_form).post(pages::budget_take_part::vote),
        )
        .route(
            "/budzet/{id}/karty",
            get(pages::budget_paper::cards).post(pages::budget_paper::enter_card),
        )
        .route(
            "/budzet/{id}/karty/{entry}",
            post(pages::budget_paper::decide_card),
        )
        .route(
            "/budzet/{id}/listy",
            get(pages::budget_paper::lists).post(pages::budget_paper::enter_signature),
        )
        .route(
            "/budzet/{id}/listy/{entry}",
            post(pages::budget_paper::decide_signature),
        )
        .route("/rada/sesje", get(pages::council::list))
        .route("/rada/sesje/{id}", get(pages::council::get))
        .route("/rada/sesje/{id}/ekran", get(pages::council::screen))
        .route(
            "/rada/sesje/{id}/glosowanie",
            get(pages::council_room::pad).post(pages::council_room::open_vote),
        )
        .route(
            "/rada/sesje/{id}/obecnosc",
            post(pages::council_room::sign_in),
        )
        .route(
            "/rada/sesje/{id}/glosowania/{vote}",
            post(pages::council_room::cast),
        )
        .route(
            "/rada/sesje/{id}/glosowania/{vote}/zamknij",
            post(pages::council_room::close_vote),
        )
        .route(
            "/rada/biuro",
            get(pages::council_office::calendar).post(pages::council_office::create),
        )
        .route(
            "/rada/biuro/sesje/{id}",
            get(pages::council_office::session).post(pages::council_office::edit),
        )
        .route(
            "/rada/biuro/sesje/{id}/stan",
            post(pages::council_office::status),
        )
        .route(
            "/rada/biuro/sesje/{id}/punkty",
            post(pages::council_office::add_item),
        )
        .route(
            "/rada/biuro/sesje/{id}/punkty/{item}/uchwala",
            post(pages::council_office::record_resolution),
        )
        .route("/rada/komisja", get(pages::council_committee::queue))
        .route("/rada/komisja/{sign}", get(pages::council_committee::case))
        .route(
            "/rada/komisja/{sign}/opinia",
            post(pages::council_committee::opinion),
        )
        .route(
            "/rada/komisja/{sign}/porzadek",
            post(pages::council_committee::put_on_agenda),
        )
        .route(
            "/konsultacje/{id}/uwagi/{comment}/zglos",
            post(pages::consultation_take_part::report),
        )
        .route(
            "/konsultacje/{id}/wyniki",
            get(pages::consultation_results::get),
        )
        .route("/konsole/konsultacje", get(pages::console::list::get))
        .route(
            "/konsole/konsultacje/nowa",
            get(pages::console::new::get).post(pages::console::new::post),
        )
        .route(
            "/konsole/konsultacje/{id}",
            get(pages::console::detail::get),
        )
        .route(
            "/konsole/konsultacje/{id}/edycja",
            get(pages::console::edit::get).post(pages::console::edit::post),
        )
        .route(
            "/konsole/konsultacje/{id}/karty",
            get(pages::console::paper::get).post(pages::console::paper::post),
        )
        .route(
            "/konsole/konsultacje/{id}/publikuj",
            post(pages::console::actions::publish),
        )
        .route(
            "/konsole/konsultacje/{id}/uwagi/{comment}",
            post(pages::console::actions::moderate),
        )
        .route(
            "/konsole/konsultacje/{id}/karty/{entry}",
            post(pages::console::actions::decide_card),
        )
        .route(
            "/konsole/konsultacje/{id}/stanowiska/{comment}",
            post(pages::console::actions::position),
        )
        .route(
            "/konsole/konsultacje/{id}/raport",
            post(pages::console::actions::publish_report),
        )
        .route(
            "/konsultacje/wnioski",
            get(pages::consultation_requests::list),
        )
        .route(
            "/konsultacje/wnioski/nowy",
            get(pages::consultation_requests::new).post(pages::consultation_requests::create_post),
        )
        .route(
            "/konsultacje/wnioski/{id}",
            get(pages::consultation_requests::get),
        )
        .route(
            "/konsultacje/wnioski/{id}/poparcie",
            post(pages::consultation_requests::support_post),
        )
        .route(
            "/konsultacje/subskrypcja/{token}",
            get(pages::consultation_subscription::get).post(pages::consultation_subscription::post),
        )
        .route("/moje-sprawy", get(pages::my_cases::list))
        .route("/moje-sprawy/{sign}", get(pages::my_cases::case))
        .route(
            "/moje-sprawy/{sign}/pisma/{id}",
            get(pages::my_cases::document),
        )
        .route("/urzad/skrzynka", get(pages::unit_mailbox::list))
        .route("/urzad/skrzynka/{id}", get(pages::unit_mailbox::message))
        .route(
            "/urzad/skrzynka/{id}/odpowiedz",
            post(pages::unit_mailbox::reply),
        )
        .route("/urzad", get(pages::staff::queue))
        .route("/urzad/statystyki", get(pages::staff::stats))
        .route("/urzad/sprawy/{sign}", get(pages::staff::case))
        .route("/urzad/sprawy/{sign}/{action}", post(pages::staff::act))
        .route("/assets/{*path}", get(pages::assets::get))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::html_errors,
        ))
        .layer(DefaultBodyLimit::max(limits.json_body_kib * 1024));
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
    let mut login = Router::new()
        .route("/auth/login", get(auth::login::get))
        .route("/auth/callback", get(auth::callback::get));
    let mut lookup = Router::new().route("/api/status", get(api::status::get));
    if let Some(config) = governor {
        login = login.layer(
            tower_governor::GovernorLayer::new(config.clone())
                .error_handler(too_many_requests(period)),
        );
        lookup = lookup.layer(
            tower_governor::GovernorLayer::new(config).error_handler(too_many_requests(period)),
        );
    }
    let auth_routes = Router::new()
        .merge(login)
        .route("/auth/logout", post(auth::logout::post))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::html_errors,
        ))
        .route("/auth/refresh", post(auth::logout::refresh))
        .layer(DefaultBodyLimit::max(limits.json_body_kib * 1024));
    let dev_idp = Router::new()
        .route(
            "/dev-idp/.well-known/openid-configuration",
            get(dev_idp::discovery::configuration),
        )
        .route("/dev-idp/jwks", get(dev_idp::discovery::jwks))
        .route(
            "/dev-idp/authorize",
            get(dev_idp::authorize::get).post(dev_idp::authorize::post),
        )
        .route("/dev-idp/token", post(dev_idp::token::post))
        .route("/dev-idp/logout", get(dev_idp::end_session::get))
        .layer(DefaultBodyLimit::max(64 * 1024));
    let ops = Router::new()
        .route("/healthz", get(api::health::healthz))
        .route("/readyz", get(api::health::readyz))
        .route("/metrics", get(api::health::metrics));

    let csp = content_security_policy(&state);
    // production is https only (`config::Settings::checked`): browsers are told to keep it so
    let hsts = (state.settings.mode == crate::config::Mode::Production).then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        )
    });
    let x_request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(api)
        .merge(uploads)
        .merge(pages)
        .merge(auth_routes)
        .merge(lookup)
        .merge(dev_idp)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::owner_cookie,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::resolve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.admission.clone(),
            admission::admit,
        ))
        .merge(ops)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(
                    x_request_id.clone(),
                    MakeRequestUuid,
                ))
                .layer(TraceLayer::new_for_http())
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(limits.request_timeout_secs),
                ))
                .layer(CsrfLayer::new())
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    csp,
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .option_layer(hsts),
        )
        // outermost: even the CSRF layer's, the timeout's and a panic's answers are problems
        .layer(axum::middleware::from_fn(problem::api_problems))
        .with_state(state)
}
