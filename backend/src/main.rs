//! The `okienko` binary: `serve`, `migrate`, `forms check`, `receipt verify`, `keys rotate`,
//! `verify`, `storage sweep`, and the rest below.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use okienko::config::{Mode, Settings};

/// mimalloc instead of the system allocator: under the filing peak glibc's malloc and
/// free were about 8% of the server's CPU (perf); the gain measured since is within the
/// benchmark's noise (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "okienko",
    version,
    about = "Citizen e-services for Polish municipalities"
)]
struct Cli {
    /// Configuration file (default: okienko.toml, or OKIENKO_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal and the API.
    Serve {
        #[arg(long, env = "OKIENKO_LISTEN")]
        listen: Option<std::net::SocketAddr>,
        #[arg(long, env = "OKIENKO_DATA_DIR")]
        data_dir: Option<PathBuf>,
        #[arg(long, env = "OKIENKO_FORMS_DIR")]
        forms_dir: Option<PathBuf>,
    },
    /// Run database migrations (the production path; embedded SQLite migrates on start).
    Migrate,
    /// Drain the outbox: e-mail notices, reminders, deemed delivery. Run one or more beside
    /// the web nodes in production (`serve` runs one inside in development).
    Worker,
    /// Form definitions.
    Forms {
        #[command(subcommand)]
        command: FormsCommand,
    },
    /// Receipts.
    Receipt {
        #[command(subcommand)]
        command: ReceiptCommand,
    },
    /// Signing keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The trust anchors and CRLs signed documents are verified against (docs/signatures.md).
    Signatures {
        #[command(subcommand)]
        command: SignaturesCommand,
    },
    /// Object storage.
    Storage {
        #[command(subcommand)]
        command: StorageCommand,
    },
    /// Benchmarks (PostgreSQL): seed the read paths at scale, time them.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Checks the whole database: every receipt's signature and digest against the stored
    /// submission and attachments, every attachment's bytes, every history's hash chain,
    /// every evidence; prints what it checked and every discrepancy; exit 1 on any.
    Verify {
        /// Do not read the attachments' bytes from object storage (rows are still checked).
        #[arg(long)]
        skip_attachment_bytes: bool,
    },
    /// Cases.
    Cases {
        #[command(subcommand)]
        command: CasesCommand,
    },
    /// Participatory budget: a pool's results from a pabulib `.pb` file.
    Budget {
        #[command(subcommand)]
        command: BudgetCommand,
    },
    /// The gmina's tax ledger (docs/ledger.md).
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// The residents' registers (docs/ledger.md, "Registers of residence").
    Residents {
        #[command(subcommand)]
        command: ResidentsCommand,
    },
    /// Payments: import a bank statement (MT940 or camt.053) and match it to debts.
    Payments {
        #[command(subcommand)]
        command: PaymentsCommand,
    },
    /// API clients for the town hall's systems.
    #[command(name = "api-client")]
    ApiClient {
        #[command(subcommand)]
        command: ApiClientCommand,
    },
}

#[derive(Subcommand)]
enum PaymentsCommand {
    /// Import a statement file (MT940 or camt.053, detected) and match its credits.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Fill the database: cases with their submissions and mailbox messages.
    Seed {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        #[arg(long, default_value_t = 100_000)]
        residents: u64,
    },
    /// Filings as `okienko verify` reads them (each a submission with an attachment row, a
    /// signed receipt and a case with its first history entry), to time `verify` at scale.
    SeedFilings {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
    },
    /// Time "my cases", the inbox and a unit's queue at the first and a deep page.
    Read {
        #[arg(long, default_value_t = 500)]
        iterations: usize,
    },
    /// The filing peak: this binary as server and worker on a fresh database, residents
    /// filing DN-1 under rising load, every filing checked, pgbench as the database's limit.
    Filing {
        #[arg(long, default_value_t = 1000)]
        residents: usize,
        /// Closed-loop steps: residents filing back to back.
        #[arg(long, value_delimiter = ',', default_value = "8,16,32,64,128")]
        concurrency: Vec<usize>,
        /// Open-loop steps: filings a second.
        #[arg(long, value_delimiter = ',', default_value = "250,500,1000")]
        rates: Vec<u32>,
        /// Length of each step.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// pgbench client counts; the best one is the database's limit.
        #[arg(long, value_delimiter = ',', default_value = "8,16,32")]
        pgbench_clients: Vec<usize>,
        /// Keep the database and the working folder afterwards, with a trace of every
        /// request of each step (`trace-<step>.tsv`: start in Unix ms, latency, outcome).
        #[arg(long)]
        keep: bool,
    },
    /// The participation peak: residents answering a 20-question consultation over HTTP
    /// (this binary as the server, on a fresh database), every acknowledged answer checked
    /// in the database, then the results timed over `results-answers` answers.
    Consult {
        #[arg(long, default_value_t = 2000)]
        residents: usize,
        /// Closed-loop steps: residents answering back to back.
        #[arg(long, value_delimiter = ',', default_value = "16,32,64,128")]
        concurrency: Vec<usize>,
        /// Open-loop steps: answers a second.
        #[arg(long, value_delimiter = ',', default_value = "500,1000")]
        rates: Vec<u32>,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        #[arg(long, default_value_t = 1_000_000)]
        results_answers: u64,
        /// Keep the database and the working folder afterwards.
        #[arg(long)]
        keep: bool,
    },
    /// The council's session (issue 16 §2b): councillors voting at once while residents
    /// watch the live page (this binary as the server, on a fresh database).
    Council {
        #[arg(long, default_value_t = 23)]
        councillors: u32,
        #[arg(long, default_value_t = 1000)]
        watchers: usize,
        /// Keep the database and the working folder afterwards.
        #[arg(long)]
        keep: bool,
    },
    /// The tax ledger (issue 20 §2): an export of `taxpayers` imported into a fresh
    /// database, then IN-1 prefill and a certificate timed for `samples` taxpayers.
    Ledger {
        #[arg(long, default_value_t = 100_000)]
        taxpayers: usize,
        #[arg(long, default_value_t = 1000)]
        samples: usize,
        /// Keep the database and the working folder afterwards.
        #[arg(long)]
        keep: bool,
    },
    /// Payments (issue 21): seed debts with virtual accounts, then import and match a
    /// statement, timed (docs/performance.md).
    Payments {
        #[arg(long, default_value_t = 1_000_000)]
        debts: u64,
        #[arg(long, default_value_t = 100_000)]
        lines: u64,
    },
    /// The budget tally on a random pool: greedy and equal shares (cost, cardinality).
    Tally {
        #[arg(long, default_value_t = 100_000)]
        ballots: usize,
        #[arg(long, default_value_t = 150)]
        projects: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// The load generator `bench filing` runs in its own process (one step, JSON report).
    #[command(hide = true)]
    Load {
        /// A node's base URL, or several separated by commas (the filings spread over them).
        #[arg(long, value_delimiter = ',', required = true)]
        url: Vec<String>,
        #[arg(long)]
        sessions: PathBuf,
        #[arg(long)]
        acks: PathBuf,
        #[arg(long, conflicts_with = "rate", required_unless_present = "rate")]
        concurrency: Option<usize>,
        #[arg(long)]
        rate: Option<u32>,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Write every request's start (Unix ms), latency (ms) and outcome here, one a line.
        #[arg(long)]
        trace: Option<PathBuf>,
    },
    /// Residents with a session and a mailbox in the configured (migrated) database, for
    /// `bench load` against nodes started apart (scripts/faults); tokens go to `sessions`.
    #[command(hide = true)]
    Residents {
        #[arg(long, default_value_t = 50)]
        count: usize,
        #[arg(long)]
        sessions: PathBuf,
    },
    /// Every filing in an acks file of `bench load` checked in the configured database:
    /// stored whole with its attachments, a receipt that verifies, its register entry and
    /// notice; the numbering gap-free. Prints `acknowledged=… stored=…`; exit 1 on any
    /// failure.
    #[command(hide = true)]
    Check {
        #[arg(long)]
        acks: PathBuf,
    },
    /// Writes the multipart body `bench load` sends (a DN-1 with one PDF) to `out` and
    /// prints its content type, for tools that send it by other means (scripts/faults).
    #[command(hide = true)]
    Body {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum BudgetCommand {
    /// Print the winners of a pabulib `.pb` file (docs/budget-results.md).
    Tally {
        file: PathBuf,
        #[arg(long, value_enum)]
        rule: TallyRule,
        /// Voters' satisfaction under `--rule mes`.
        #[arg(long, value_enum, default_value = "cost")]
        sat: TallySat,
        /// Break ties by the seeded draw an edition logs; without it, by project id (as
        /// pabutools does by default).
        #[arg(long)]
        seed: Option<u64>,
        /// One JSON object: {"winners": [ids as in the file], "spent": total cost}.
        #[arg(long)]
        json: bool,
    },
    /// Import a `.pb` file as an edition (one pool, its projects on the ballot, its votes as
    /// ballots) and publish its results under okienko's rules (docs/budget.md).
    Import {
        file: PathBuf,
        /// The rule of the rerun; the file's `rule` (greedy unless `equalshares…`) without it.
        #[arg(long, value_enum)]
        rule: Option<TallyRule>,
        /// Voters' satisfaction under `--rule mes`.
        #[arg(long, value_enum, default_value = "cost")]
        sat: TallySat,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TallyRule {
    Greedy,
    Mes,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TallySat {
    Cost,
    Cardinality,
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Replace the ledger with a domain system's export: `taxpayers.csv`, `objects.csv`,
    /// `assessments.csv`, `instalments.csv` and `payments.csv` in DIR (docs/ledger.md).
    /// Nothing is written unless every file is clean; exit 1 with each `file:line` problem.
    Import { dir: PathBuf },
}

#[derive(Subcommand)]
enum ResidentsCommand {
    /// Replace the imported registrations with `registrations.csv` in DIR (docs/ledger.md);
    /// those okienko's cases wrote stay. Nothing is written unless the file is clean.
    Import { dir: PathBuf },
}

#[derive(Subcommand)]
enum CasesCommand {
    /// Check every case history's hash chain; name the first broken entry of each.
    VerifyHistory,
}

#[derive(Subcommand)]
enum ApiClientCommand {
    /// Create a client and print its token (shown once).
    Create {
        #[arg(long)]
        name: String,
        /// submissions:read, cases:read, cases:write, mailbox:send
        #[arg(long, num_args = 1.., required = true)]
        scopes: Vec<String>,
        /// Lifetime: 90d, 12h, P365D
        #[arg(long, default_value = "90d")]
        ttl: String,
    },
    /// Revoke a client: its token stops working at once.
    Revoke { id: String },
    /// List clients with their scopes and state.
    List,
}

#[derive(Subcommand)]
enum FormsCommand {
    /// Load every definition and table, run every example; report `file:line:column: message`.
    Check { dir: Option<PathBuf> },
    /// Print a draft of a service's e-filing schema (XSD) from its definition: the start of
    /// a new published version in forms/schemas/.
    Xsd {
        service: String,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Write the e-filing document of every valid example to OUT, with `manifest.tsv`
    /// (document, schema) for validating them against the published schemas.
    Efiling {
        #[arg(long)]
        out: PathBuf,
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ReceiptCommand {
    /// Verify a receipt offline and print what it attests.
    Verify {
        /// A file with the compact JWS, or the receipt JSON from the API.
        file: PathBuf,
        /// A JWK Set file (or an https URL) with the issuer's keys. Without it, only a
        /// receipt of this installation or of `receipts.trusted_issuers` is verified.
        #[arg(long)]
        jwks: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Create a new signing key in the database; every node signs with it within
    /// `keys.refresh_seconds`, older keys stay published for verification.
    Rotate,
    /// Seal every signing key again with the current `keys.kek` (after a KEK rotation; the
    /// old KEK must be in `keys.previous_keks`).
    Reseal,
    /// The signing keys: id, purpose, created, which KEK seals it; the signing one marked.
    List,
}

#[derive(Subcommand)]
enum SignaturesCommand {
    /// Loads `[signatures]` as `serve` does and prints every anchor and every CRL of
    /// `crl_dir` with whether it counts now; exit 1 on an expired anchor or a CRL that does
    /// not count (past its nextUpdate, not signed by its issuer), 2 when it cannot load.
    Check,
}

#[derive(Subcommand)]
enum StorageCommand {
    /// Deletes filings' files that no row names (left by a node killed between storing them
    /// and its commit), older than `--older-than-hours`; prints each.
    Sweep {
        /// Only files stored at least this long ago (a filing in progress has its files
        /// stored and not yet committed).
        #[arg(long, default_value_t = 24)]
        older_than_hours: u64,
        /// List the orphans, delete nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    okienko::telemetry::init();
    // file I/O runs on blocking threads: at most 32 of them (tokio's default allows 512,
    // each with its own stack) when a burst of uploads outruns the disk
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(32)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    };
    // dropping a runtime waits for its blocking tasks however long they take: a stuck one
    // (a disk gone away) must not keep a stopped node alive past its supervisor's patience
    runtime.shutdown_timeout(std::time::Duration::from_secs(10));
    code
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut settings = Settings::load(cli.config.as_deref()).map_err(anyhow::Error::msg)?;
    match cli.command {
        Command::Serve {
            listen,
            data_dir,
            forms_dir,
        } => {
            if let Some(l) = listen {
                settings.listen = l;
            }
            if let Some(d) = data_dir {
                settings.data_dir = d;
            }
            if forms_dir.is_some() {
                settings.forms_dir = forms_dir;
            }
            // the flags may have changed what the rules span (`listen` in development)
            let settings = settings.checked().map_err(anyhow::Error::msg)?;
            let catalogue = okienko::startup::load_catalogue(&settings)?;
            let state = okienko::startup::build(settings, catalogue).await?;
            okienko::startup::serve(state).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Worker => {
            let catalogue = okienko::startup::load_catalogue(&settings)?;
            let state = okienko::startup::build(settings, catalogue).await?;
            println!("okienko worker is running");
            okienko::worker::run_forever(state).await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let db = okienko::db::connect(&settings.database_url()).await?;
            okienko::db::migrate(&db).await?;
            println!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::Forms {
            command: FormsCommand::Check { dir },
        } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("forms"));
            match okienko::forms::check::check_dir(&dir) {
                Ok((c, n)) => {
                    println!(
                        "{}: {} services, {} tables, {} examples: all passed",
                        dir.display(),
                        c.services.len(),
                        c.tables.len(),
                        n
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    for p in &problems {
                        eprintln!("{p}");
                    }
                    eprintln!("{} problem(s)", problems.len());
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Forms {
            command: FormsCommand::Xsd { service, dir },
        } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("forms"));
            let catalogue = okienko::forms::Catalogue::load_dir_drafting(&dir)
                .map_err(|problems| anyhow::anyhow!("{}", problems_text(&problems)))?;
            let svc = catalogue
                .get(&service)
                .ok_or_else(|| anyhow::anyhow!("no service `{service}`"))?;
            let xsd = okienko::forms::efiling::schema(svc)
                .ok_or_else(|| anyhow::anyhow!("service `{service}` has no `efiling`"))?;
            print!("{xsd}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Forms {
            command: FormsCommand::Efiling { out, dir },
        } => {
            let catalogue = load_forms(dir)?;
            std::fs::create_dir_all(&out)?;
            let mut manifest = String::new();
            let docs = okienko::forms::efiling::example_documents(&catalogue);
            for d in &docs {
                let name = format!("{}--{}.xml", d.service, d.example);
                std::fs::write(out.join(&name), &d.xml)?;
                manifest.push_str(&format!("{name}\t{}\n", d.schema));
            }
            std::fs::write(out.join("manifest.tsv"), manifest)?;
            println!("{}: {} documents", out.display(), docs.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Receipt {
            command: ReceiptCommand::Verify { file, jwks },
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let jws = okienko::receipt::verify::extract_jws(&text);
            let unverified: serde_json::Value =
                jsonwebtoken::dangerous::insecure_decode::<serde_json::Value>(&jws)
                    .map(|d| d.claims)
                    .map_err(|e| anyhow::anyhow!("not a receipt JWS: {e}"))?;
            // the keys come from the user or a trusted issuer, never from the receipt's own
            // `iss` (a forger names their own server there)
            use okienko::receipt::trust;
            let own = settings.base_url();
            let policy = trust::Policy {
                trusted_issuers: &settings.receipts.trusted_issuers,
                own_issuer: &own,
                allow_loopback_http: settings.mode == Mode::Development,
            };
            let iss = unverified["iss"].as_str().unwrap_or("");
            let set: serde_json::Value = match trust::source(jwks.as_deref(), iss, &policy) {
                Ok(trust::KeySource::File(path)) => {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    serde_json::from_str(&text)
                        .map_err(|e| anyhow::anyhow!("{}: not JSON: {e}", path.display()))?
                }
                Ok(trust::KeySource::Url(url)) => trust::fetch(&url).await?,
                Err(e) => {
                    eprintln!("NOT VERIFIED: {e}");
                    return Ok(ExitCode::from(2));
                }
            };
            if okienko::receipt::verify::typ_of(&jws).as_deref()
                == Some(okienko::delivery::EVIDENCE_TYPE)
            {
                return match okienko::receipt::verify::verify_claims::<
                    okienko::delivery::EvidenceClaims,
                >(&jws, &set)
                {
                    Ok(e) => {
                        println!("VALID evidence {} ({})", e.code, e.meaning);
                        println!("  issuer:      {}", e.iss);
                        println!("  message:     {} from {}", e.message_id, e.sender);
                        println!("  mailbox:     {}", e.mailbox);
                        println!(
                            "  at:          {}{}",
                            e.at,
                            e.delivery.map(|d| format!(" ({d})")).unwrap_or_default()
                        );
                        println!("  digest:      SHA3-256 {}", e.message_sha3_256);
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => {
                        eprintln!("INVALID evidence: {e}");
                        Ok(ExitCode::from(1))
                    }
                };
            }
            if okienko::receipt::verify::typ_of(&jws).as_deref()
                == Some(okienko::ledger::certificate::TYPE)
            {
                return verify_certificate(&jws, &set);
            }
            if okienko::receipt::verify::typ_of(&jws).as_deref()
                == Some(okienko::participation::consultations::signature::REPORT_TYPE)
            {
                return verify_report(&text, &jws, &set);
            }
            {
                use okienko::participation::budget::signature::{BALLOT_TYPE, PROTOCOL_TYPE};
                let typ = okienko::receipt::verify::typ_of(&jws);
                if matches!(typ.as_deref(), Some(BALLOT_TYPE | PROTOCOL_TYPE)) {
                    return verify_budget(&text, &jws, &set, typ.as_deref() == Some(BALLOT_TYPE));
                }
            }
            match okienko::receipt::verify::verify(&jws, &set) {
                Ok(c) => {
                    println!("VALID receipt {}", c.receipt_id);
                    println!("  issuer:      {} ({})", c.authority.name, c.iss);
                    println!(
                        "  service:     {} v{} ({})",
                        c.service.id, c.service.version, c.service.title
                    );
                    println!("  filed at:    {}", c.filed_at);
                    println!(
                        "  applicant:   {} (level {})",
                        c.applicant.name.as_deref().unwrap_or("anonymous"),
                        c.applicant.level
                    );
                    println!("  digest:      {} {}", c.digest.alg, c.digest.submission);
                    for a in &c.attachments {
                        println!("  attachment:  {} ({} B) {}", a.name, a.size, a.sha3_256);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("INVALID receipt: {e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::ApiClient { command } => api_client(&settings, command).await,
        Command::Budget {
            command:
                BudgetCommand::Tally {
                    file,
                    rule,
                    sat,
                    seed,
                    json,
                },
        } => budget_tally(&file, rule, sat, seed, json),
        Command::Budget {
            command: BudgetCommand::Import { file, rule, sat },
        } => budget_import(&settings, &file, rule, sat).await,
        Command::Bench { command } => bench(&settings, command).await,
        Command::Payments {
            command: PaymentsCommand::Import { file },
        } => payments_import(&settings, &file).await,
        Command::Cases {
            command: CasesCommand::VerifyHistory,
        } => verify_histories(&settings).await,
        Command::Keys { command } => keys(&settings, command).await,
        Command::Signatures {
            command: SignaturesCommand::Check,
        } => Ok(signatures_check(&settings)),
        Command::Storage {
            command:
                StorageCommand::Sweep {
                    older_than_hours,
                    dry_run,
                },
        } => sweep(settings, older_than_hours, dry_run).await,
        Command::Ledger {
            command: LedgerCommand::Import { dir },
        } => ledger_import(&settings, &dir).await,
        Command::Residents {
            command: ResidentsCommand::Import { dir },
        } => residents_import(&settings, &dir).await,
        Command::Verify {
            skip_attachment_bytes,
        } => verify_all(settings, !skip_attachment_bytes).await,
    }
}

async fn payments_import(settings: &Settings, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let db = okienko::db::connect(&settings.database_url()).await?;
    okienko::db::migrate(&db).await?;
    match okienko::payments::import::import(&db, &bytes, "cli").await {
        Ok(r) => {
            println!(
                "{}: {} entries ({}), {} debits, {} recorded before; matched by virtual account {}, by title {}, by amount and payer {}; unmatched {} (the clerks' queue)",
                file.display(),
                r.entries,
                r.format,
                r.debits,
                r.known,
                r.by_virtual_account,
                r.by_title,
                r.by_amount_payer,
                r.unmatched
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            Ok(ExitCode::from(1))
        }
    }
}

async fn bench(settings: &Settings, command: BenchCommand) -> anyhow::Result<ExitCode> {
    use okienko::bench::{self, filing, load};
    let passed = match command {
        BenchCommand::Seed { rows, residents } => {
            let db = okienko::db::connect(&settings.database_url()).await?;
            okienko::db::migrate(&db).await?;
            bench::seed(&db, rows, residents).await?;
            true
        }
        BenchCommand::SeedFilings { rows } => {
            let catalogue = okienko::startup::load_catalogue(settings)?;
            let state = okienko::startup::build(settings.clone(), catalogue).await?;
            bench::seed_filings::seed_filings(&state, rows).await?;
            true
        }
        BenchCommand::Read { iterations } => {
            let db = okienko::db::connect(&settings.database_url()).await?;
            okienko::db::migrate(&db).await?;
            bench::read(&db, iterations).await?;
            true
        }
        BenchCommand::Filing {
            residents,
            concurrency,
            rates,
            seconds,
            pgbench_clients,
            keep,
        } => {
            filing::run(filing::Options {
                database_url: settings.database_url(),
                residents,
                concurrency,
                rates,
                seconds,
                pgbench_clients,
                keep,
                work_dir: settings.data_dir.clone(),
            })
            .await?
        }
        BenchCommand::Consult {
            residents,
            concurrency,
            rates,
            seconds,
            results_answers,
            keep,
        } => {
            bench::consult::run(bench::consult::Options {
                database_url: settings.database_url(),
                residents,
                concurrency,
                rates,
                seconds,
                results_answers,
                keep,
                work_dir: settings.data_dir.clone(),
            })
            .await?
        }
        BenchCommand::Payments { debts, lines } => {
            bench::payments::run(&settings.database_url(), debts, lines).await?;
            true
        }
        BenchCommand::Council {
            councillors,
            watchers,
            keep,
        } => {
            bench::council::run(bench::council::Options {
                database_url: settings.database_url(),
                councillors,
                watchers,
                keep,
                work_dir: settings.data_dir.clone(),
            })
            .await?
        }
        BenchCommand::Ledger {
            taxpayers,
            samples,
            keep,
        } => {
            bench::ledger::run(
                settings,
                bench::ledger::Options {
                    taxpayers,
                    samples,
                    keep,
                },
            )
            .await?
        }
        BenchCommand::Tally {
            ballots,
            projects,
            seed,
        } => {
            okienko::bench::tally::run(ballots, projects, seed)?;
            true
        }
        BenchCommand::Load {
            url,
            sessions,
            acks,
            concurrency,
            rate,
            seconds,
            trace,
        } => {
            let shape = match (concurrency, rate) {
                (Some(concurrency), _) => load::Shape::Closed { concurrency },
                (None, Some(rate)) => load::Shape::Open { rate },
                (None, None) => anyhow::bail!("give --concurrency or --rate"),
            };
            let report = load::run(load::Plan {
                urls: url,
                sessions,
                shape,
                seconds,
                acks,
                trace,
            })
            .await?;
            println!("{}", serde_json::to_string(&report)?);
            true
        }
        BenchCommand::Residents { count, sessions } => {
            let db = okienko::db::connect(&settings.database_url()).await?;
            filing::residents(&db, count, &sessions).await?;
            println!("{count} residents with a session in {}", sessions.display());
            true
        }
        BenchCommand::Check { acks } => {
            let catalogue = okienko::startup::load_catalogue(settings)?;
            let state = okienko::startup::build(settings.clone(), catalogue).await?;
            let checks = bench::checks::check(&state.db, &acks, &state.keys.jwks(), 1).await?;
            println!("{checks}");
            println!(
                "acknowledged={} stored={} unacknowledged_stored={}",
                checks.acknowledged, checks.in_database, checks.unacknowledged
            );
            checks.failures == 0 && checks.acknowledged == checks.in_database
        }
        BenchCommand::Body { out } => {
            std::fs::write(&out, load::dn1_body())?;
            println!("multipart/form-data; boundary={}", load::BOUNDARY);
            true
        }
    };
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn signatures_check(settings: &Settings) -> ExitCode {
    let store = match okienko::signatures::TrustStore::load(&settings.signatures) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("[signatures] cannot be loaded: {e:#}");
            return ExitCode::from(2);
        }
    };
    let report = okienko::signatures::report::check(&store, time::OffsetDateTime::now_utc());
    println!("{report}");
    if report.problems() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

async fn keys(settings: &Settings, command: KeysCommand) -> anyhow::Result<ExitCode> {
    use okienko::receipt::keys::{self, Keystore};
    let db = okienko::db::connect(&settings.database_url()).await?;
    if settings.is_sqlite() {
        okienko::db::migrate(&db).await?;
    }
    let keks = std::sync::Arc::new(okienko::startup::keks(settings)?);
    // imports keys a node kept on its disk before, and makes the first one
    let store = Keystore::open(
        &db,
        keks.clone(),
        keys::SIGNING,
        Some(&settings.data_dir.join("keys")),
    )
    .await?;
    match command {
        KeysCommand::Rotate => {
            let kid = Keystore::rotate(&db, &keks, keys::SIGNING).await?;
            println!(
                "new signing key {kid}; every node signs with it within {} s (keys.refresh_seconds); the older keys stay published",
                settings.keys.refresh_seconds
            );
        }
        KeysCommand::Reseal => {
            let n = Keystore::reseal(&db, &keks).await?;
            println!(
                "{n} key(s) resealed with key-encryption key {}; the previous KEKs can now be removed from keys.previous_keks",
                keks.current().id()
            );
        }
        KeysCommand::List => {
            let signing = store.kids().last().cloned();
            for k in okienko::db::signing_keys::every(&db).await? {
                let mark = if Some(&k.kid) == signing.as_ref() {
                    " (signs)"
                } else {
                    ""
                };
                println!(
                    "{}\t{}\t{}\tkek {}{mark}",
                    k.kid, k.purpose, k.created_at, k.kek_id
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn api_client(settings: &Settings, command: ApiClientCommand) -> anyhow::Result<ExitCode> {
    use okienko::auth::api_token;
    let db = okienko::db::connect(&settings.database_url()).await?;
    if settings.is_sqlite() {
        okienko::db::migrate(&db).await?;
    }
    match command {
        ApiClientCommand::Create { name, scopes, ttl } => {
            let scopes = api_token::parse_scopes(scopes.iter().map(String::as_str))
                .map_err(anyhow::Error::msg)?;
            let ttl = api_token::parse_ttl(&ttl).map_err(anyhow::Error::msg)?;
            let keks = std::sync::Arc::new(okienko::startup::keks(settings)?);
            let keys = okienko::receipt::Keystore::open(
                &db,
                keks,
                okienko::receipt::keys::SIGNING,
                Some(&settings.data_dir.join("keys")),
            )
            .await?;
            let created =
                api_token::create_client(&db, &keys, &settings.base_url(), &name, &scopes, ttl)
                    .await?;
            eprintln!(
                "API client {} ({name}) created; it expires {}. The token is shown only now:",
                created.id, created.expires_at
            );
            println!("{}", created.token);
            Ok(ExitCode::SUCCESS)
        }
        ApiClientCommand::Revoke { id } => {
            if okienko::db::api_clients::revoke(&db, &id).await? {
                println!("API client {id} revoked");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("no active API client {id}");
                Ok(ExitCode::from(1))
            }
        }
        ApiClientCommand::List => {
            for c in okienko::db::api_clients::list(&db).await? {
                let state = match c.revoked_at {
                    Some(t) => format!("revoked {t}"),
                    None => format!("expires {}", c.expires_at),
                };
                println!("{}\t{}\t{}\t{state}", c.id, c.name, c.scopes);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `okienko budget tally`: the winners of a `.pb` file; exit 1 when the file or the rule
/// refuses it (the reason on stderr, naming the line).
fn budget_tally(
    file: &std::path::Path,
    rule: TallyRule,
    sat: TallySat,
    seed: Option<u64>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    use okienko::participation::budget::{pabulib, tally};
    let size = std::fs::metadata(file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
        .len();
    if size > pabulib::MAX_BYTES as u64 {
        anyhow::bail!(
            "{}: {size} B, over the limit of {} B",
            file.display(),
            pabulib::MAX_BYTES
        );
    }
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let rule = match (rule, sat) {
        (TallyRule::Greedy, _) => tally::Rule::Greedy,
        (TallyRule::Mes, TallySat::Cost) => tally::Rule::EqualShares {
            satisfaction: tally::Satisfaction::Cost,
        },
        (TallyRule::Mes, TallySat::Cardinality) => tally::Rule::EqualShares {
            satisfaction: tally::Satisfaction::Cardinality,
        },
    };
    match tally::file::tally_file(&text, rule, seed) {
        Ok(t) if json => println!("{}", t.json()),
        Ok(t) => print!("{}", t.text()),
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `okienko budget import`: a `.pb` file as an edition, tallied and published at once;
/// exit 1 when the file or okienko's rules refuse it (the reason naming the line).
async fn budget_import(
    settings: &okienko::config::Settings,
    file: &std::path::Path,
    rule: Option<TallyRule>,
    sat: TallySat,
) -> anyhow::Result<ExitCode> {
    use okienko::domain::budget::{Satisfaction, WinnerRule};
    use okienko::participation::budget::{import, pabulib, phases, results};
    let size = std::fs::metadata(file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
        .len();
    if size > pabulib::MAX_BYTES as u64 {
        anyhow::bail!(
            "{}: {size} B, over the limit of {} B",
            file.display(),
            pabulib::MAX_BYTES
        );
    }
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let rule = rule.map(|r| match (r, sat) {
        (TallyRule::Greedy, _) => WinnerRule::Greedy,
        (TallyRule::Mes, TallySat::Cost) => WinnerRule::EqualShares {
            satisfaction: Satisfaction::Cost,
        },
        (TallyRule::Mes, TallySat::Cardinality) => WinnerRule::EqualShares {
            satisfaction: Satisfaction::Cardinality,
        },
    });
    let catalogue = okienko::startup::load_catalogue(settings)?;
    let state = okienko::startup::build(settings.clone(), catalogue).await?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = match import::import(&state, &text, &name, rule).await {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let id = imported.edition.row.id.clone();
    println!(
        "edition {id}: {} projects, {} ballots",
        imported.projects, imported.ballots
    );
    phases::advance(&state, okienko::participation::budget::today()).await?;
    let l = okienko::participation::budget::load(&state, &id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match results::protocol(&l) {
        Some(p) => {
            for pool in p["pools"].as_array().into_iter().flatten() {
                // the winners by the file's project ids, as `okienko budget tally` names them
                let mut winners = Vec::new();
                for w in pool["winners"].as_array().into_iter().flatten() {
                    let project = match w.as_str().and_then(okienko::domain::ids::ProjectId::parse)
                    {
                        Some(pid) => {
                            okienko::db::budget::projects::find(&state.db, &id, pid).await?
                        }
                        None => None,
                    };
                    let data: serde_json::Value = project
                        .and_then(|p| serde_json::from_str(&p.data).ok())
                        .unwrap_or_default();
                    winners.push(data["pabulib_id"].as_str().unwrap_or_default().to_owned());
                }
                println!("winners: {}", winners.join(","));
                println!("spent: {} grosze", pool["spent"]);
            }
            println!("protocol: GET /api/budgets/{id}/results");
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!(
                "edition {id} imported; the tally failed (see the log), the worker tries again"
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// Walks every case in pages and checks its history chain; exit 1 if any is broken.
/// `okienko receipt verify` on a consultation report: the signature, and, where the file is
/// the report's JSON, that its content is what was signed.
fn verify_report(text: &str, jws: &str, set: &serde_json::Value) -> anyhow::Result<ExitCode> {
    use okienko::participation::consultations::signature::{ReportClaims, digest};
    let claims = match okienko::receipt::verify::verify_claims::<ReportClaims>(jws, set) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("INVALID consultation report: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    if let Ok(report) = serde_json::from_str::<serde_json::Value>(text)
        && report.is_object()
        && digest(&report) != claims.report_sha3_256
    {
        eprintln!("INVALID consultation report: its content is not what was signed");
        return Ok(ExitCode::from(1));
    }
    println!("VALID consultation report {}", claims.sub);
    println!("  issuer:      {}", claims.iss);
    println!("  subject:     {}", claims.subject);
    println!("  published:   {}", claims.published_at);
    println!(
        "  comments:    {} (answers: {})",
        claims.comments, claims.answers
    );
    println!("  digest:      SHA3-256 {}", claims.report_sha3_256);
    Ok(ExitCode::SUCCESS)
}

/// `okienko receipt verify` on a certificate's JWS (the line under its text, typ
/// `okienko-certificate+jwt`): the signature against the published keys, then what it
/// attests. The statement's digest is printed to compare with the certificate's text.
fn verify_certificate(jws: &str, set: &serde_json::Value) -> anyhow::Result<ExitCode> {
    let c = match okienko::receipt::verify::verify_claims::<serde_json::Value>(jws, set) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("INVALID certificate: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let text = |k: &str| c[k].as_str().unwrap_or("").to_owned();
    println!("VALID certificate {} ({})", text("case"), text("kind"));
    println!("  issuer:      {}", text("iss"));
    println!("  about:       {}", text("subject"));
    println!("  as of:       {}", text("as_of"));
    println!("  stamp duty:  {} zł", text("fee"));
    if let Some(a) = c["arrears"].as_str() {
        println!("  arrears:     {a} zł");
    }
    println!("  statement:   SHA3-256 {}", text("statement_sha3_256"));
    Ok(ExitCode::SUCCESS)
}

/// A budget ballot's receipt or an edition's protocol: the signature, then that the
/// document is the one signed.
fn verify_budget(
    text: &str,
    jws: &str,
    set: &serde_json::Value,
    ballot: bool,
) -> anyhow::Result<ExitCode> {
    use okienko::participation::budget::signature::BudgetClaims;
    let what = if ballot {
        "budget ballot receipt"
    } else {
        "budget protocol"
    };
    let claims = match okienko::receipt::verify::verify_claims::<BudgetClaims>(jws, set) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("INVALID {what}: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    if let Ok(doc) = serde_json::from_str::<serde_json::Value>(text)
        && doc.is_object()
        && okienko::participation::signing::digest(&doc) != claims.document_sha3_256
    {
        eprintln!("INVALID {what}: its content is not what was signed");
        return Ok(ExitCode::from(1));
    }
    println!("VALID {what} {}", claims.sub);
    println!("  issuer:      {}", claims.iss);
    println!("  edition:     {} ({})", claims.title, claims.edition);
    println!("  at:          {}", claims.at);
    println!("  digest:      SHA3-256 {}", claims.document_sha3_256);
    Ok(ExitCode::SUCCESS)
}

async fn sweep(
    settings: Settings,
    older_than_hours: u64,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let catalogue = okienko::startup::load_catalogue(&settings)?;
    let state = okienko::startup::build(settings, catalogue).await?;
    let age = std::time::Duration::from_secs(older_than_hours.saturating_mul(3600));
    let swept = okienko::integrity::sweep::orphans(&state, age, dry_run).await?;
    for key in &swept.orphans {
        println!("{} {key}", if dry_run { "ORPHAN" } else { "DELETED" });
    }
    println!(
        "looked at {} files older than {older_than_hours} h: {} named by a filing, {} orphans{}",
        swept.looked_at,
        swept.kept,
        swept.orphans.len(),
        if dry_run {
            " (dry run: none deleted)"
        } else {
            " deleted"
        }
    );
    Ok(ExitCode::SUCCESS)
}

async fn verify_all(settings: Settings, attachments: bool) -> anyhow::Result<ExitCode> {
    let catalogue = okienko::startup::load_catalogue(&settings)?;
    let state = okienko::startup::build(settings, catalogue).await?;
    let started = std::time::Instant::now();
    let report = okienko::integrity::verify(&state, attachments).await?;
    for p in &report.problems {
        println!("DISCREPANCY {p}");
    }
    let checked: Vec<String> = report
        .checked
        .iter()
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    println!(
        "checked {} in {:.1} s: {}",
        if checked.is_empty() {
            "nothing".to_owned()
        } else {
            checked.join(", ")
        },
        started.elapsed().as_secs_f64(),
        if report.is_clean() {
            "no discrepancy".to_owned()
        } else {
            format!("{} discrepancies", report.problems.len())
        }
    );
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `okienko ledger import DIR`.
async fn ledger_import(settings: &Settings, dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let db = okienko::db::connect(&settings.database_url()).await?;
    okienko::db::migrate(&db).await?;
    let started = std::time::Instant::now();
    match okienko::ledger::import::run(&db, dir).await {
        Ok([t, o, a, i, p]) => {
            println!(
                "imported {t} taxpayers, {o} objects, {a} assessments, {i} instalments, {p} payments in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// `okienko residents import DIR`.
async fn residents_import(settings: &Settings, dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let db = okienko::db::connect(&settings.database_url()).await?;
    okienko::db::migrate(&db).await?;
    match okienko::residents::import::run(&db, dir).await {
        Ok(n) => {
            println!("imported {n} registrations");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(ExitCode::from(1))
        }
    }
}

async fn verify_histories(settings: &Settings) -> anyhow::Result<ExitCode> {
    use okienko::db::cases;
    let db = okienko::db::connect(&settings.database_url()).await?;
    let (mut checked, mut broken) = (0u64, 0u64);
    let mut after: Option<String> = None;
    loop {
        let page = cases::ids_after(&db, after.as_deref(), 500).await?;
        let Some((last, _)) = page.last().cloned() else {
            break;
        };
        for (id, sign) in page {
            let events = cases::history(&db, &id).await?;
            checked += 1;
            if let Some(seq) = cases::first_broken(&events) {
                broken += 1;
                println!("BROKEN {sign}: entry {seq} does not follow from the one before");
            }
        }
        after = Some(last);
    }
    println!("{checked} case histories checked, {broken} broken");
    Ok(if broken == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The forms directory `dir` (default `forms/`), checked as `forms check` loads it.
fn load_forms(dir: Option<PathBuf>) -> anyhow::Result<okienko::forms::Catalogue> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("forms"));
    okienko::forms::Catalogue::load_dir(&dir)
        .map_err(|problems| anyhow::anyhow!("{}", problems_text(&problems)))
}

fn problems_text(problems: &[okienko::forms::catalogue::Problem]) -> String {
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    list.join("\n")
}
