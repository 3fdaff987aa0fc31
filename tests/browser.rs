//! End-to-end check in a real browser: the `atende demo` binary driven by headless
//! Chromium through chromedriver (Debian packages `chromium chromium-driver`).
//!
//! Screenshots land in `test-artifacts/` (git-ignored) together with the logs of the
//! server and of chromedriver, so a failure can be looked at afterwards.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use rocket::tokio;

/// The demo phone (/demo/phone), in a file of its own.
#[path = "browser/api_tokens.rs"]
mod api_tokens;
#[path = "browser/flows.rs"]
mod flows;
#[path = "browser/internal_chat.rs"]
mod internal_chat;
#[path = "browser/monitoring.rs"]
mod monitoring;
#[path = "browser/phone.rs"]
mod phone;
#[path = "browser/reports.rs"]
mod reports;
#[path = "browser/survey.rs"]
mod survey;
#[path = "browser/webhooks.rs"]
mod webhooks;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ADMIN_EMAIL: &str = "admin@demo.local";
const DEMO_PASSWORD: &str = "atende-demo";
const DEMO_EMAILS: [&str; 4] = ["admin@demo.local", "ana@demo.local", "bruno@demo.local", "carla@demo.local"];

/// How long any single wait (page load, element, URL change) may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the whole browser scenario may take.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(120);

/// A child process that is killed (with its whole process group) when dropped, also
/// when the test panics.
struct ChildGuard {
    name: &'static str,
    child: Child,
}

impl ChildGuard {
    fn spawn(name: &'static str, mut command: Command) -> ChildGuard {
        #[cfg(unix)]
        {
            // Own process group, so the browser chromedriver starts dies with it.
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let child = command.spawn().unwrap_or_else(|e| panic!("starting {name}: {e}"));
        ChildGuard { name, child }
    }

    /// Fails the test when the process has already ended.
    fn assert_running(&mut self, log: &Path) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited early ({status}); its output:\n{}", self.name, read_log(log));
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        #[cfg(unix)]
        {
            // Negative pid: the whole process group (chromedriver's Chromium included).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a free port");
    listener.local_addr().expect("local address").port()
}

fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// Standard output and standard error of a child, both into one file.
fn log_to(command: &mut Command, path: &Path) {
    let file = File::create(path).unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
    let copy = file.try_clone().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    command.stdout(copy).stderr(file);
}

fn read_log(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(40).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
}

/// The browser tools come from Debian; without them the test fails, never skips.
fn require_browser_tools() {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !Path::new(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "browser test needs {} (missing: {}). Install the Debian packages with \
         `sudo apt-get install -y chromium chromium-driver`, or run `scripts/test`, which does it for you.",
        [CHROMIUM, CHROMEDRIVER].join(" and "),
        missing.join(", ")
    );
}

/// Status code of `GET path` over plain HTTP/1.0, or None when not reachable yet.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream.set_write_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").ok()?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).ok()?;
    let line = String::from_utf8_lossy(&head[..n]);
    line.split_whitespace().nth(1)?.parse().ok()
}

fn accepts_connections(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_millis(500)).is_ok()
}

/// Polls `ready` every 100 ms until it holds, the process dies, or `limit` passes.
async fn wait_until(
    what: &str,
    limit: Duration,
    process: &mut ChildGuard,
    log: &Path,
    mut ready: impl FnMut() -> bool,
) {
    let start = Instant::now();
    loop {
        if ready() {
            return;
        }
        process.assert_running(log);
        assert!(
            start.elapsed() < limit,
            "{what} not ready after {limit:?}; output of {}:\n{}",
            process.name,
            read_log(log)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn start_server(data_dir: &Path, port: u16, log: &Path) -> ChildGuard {
    let mut command = Command::new(env!("CARGO_BIN_EXE_atende"));
    // Only the settings below: nothing from the developer's shell or an atende.toml.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ATENDE_") {
            command.env_remove(key);
        }
    }
    command
        .arg("demo")
        .current_dir(data_dir)
        .env("ATENDE_DATA_DIR", data_dir)
        .env("ATENDE_ADDRESS", "127.0.0.1")
        .env("ATENDE_PORT", port.to_string())
        .env("ATENDE_LOG", "warn")
        .stdin(Stdio::null());
    log_to(&mut command, log);
    ChildGuard::spawn("atende demo", command)
}

fn start_chromedriver(port: u16, log: &Path) -> ChildGuard {
    let mut command = Command::new(CHROMEDRIVER);
    command.arg(format!("--port={port}")).stdin(Stdio::null());
    log_to(&mut command, log);
    ChildGuard::spawn("chromedriver", command)
}

async fn connect_browser(webdriver_url: &str) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1366,768",
                "--lang=pt-BR",
            ],
            // On Linux `--lang` does not reach the Accept-Language header; this does.
            "prefs": { "intl.accept_languages": "pt-BR,pt" },
        }),
    );
    // Both of rustls' crypto back-ends are compiled in (ring from the app, aws-lc-rs from
    // fantoccini), so one must be chosen before a TLS-capable connector is built.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = ClientBuilder::rustls().expect("fantoccini rustls connector");
    builder.capabilities(caps);
    match tokio::time::timeout(Duration::from_secs(60), builder.connect(webdriver_url)).await {
        Ok(Ok(client)) => client,
        Ok(Err(e)) => panic!("chromedriver could not start Chromium ({CHROMIUM}): {e}"),
        Err(_) => panic!("chromedriver did not open a browser session within 60 s"),
    }
}

/// Waits until the current URL's path is `path`.
async fn wait_for_path(client: &Client, path: &str) {
    let start = Instant::now();
    loop {
        let url = client.current_url().await.expect("reading the current URL");
        if url.path() == path {
            return;
        }
        assert!(start.elapsed() < STEP_TIMEOUT, "expected to reach {path}, still at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn find(client: &Client, locator: Locator<'_>) -> fantoccini::elements::Element {
    let described = format!("{locator:?}");
    client
        .wait()
        .at_most(STEP_TIMEOUT)
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("element {described} not found: {e}"))
}

async fn body_text(client: &Client) -> String {
    // The page may be replaced while it is read (a navigation finishing): read again.
    let start = Instant::now();
    loop {
        match find(client, Locator::Css("body")).await.text().await {
            Ok(text) => return text,
            Err(e) if start.elapsed() < STEP_TIMEOUT => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("reading the page text: {e}"),
        }
    }
}

/// Waits until the page shows `text` (after a form post that stays on the same path).
async fn wait_for_text(client: &Client, text: &str) -> String {
    let start = Instant::now();
    loop {
        let body = body_text(client).await;
        if body.contains(text) {
            return body;
        }
        assert!(start.elapsed() < STEP_TIMEOUT, "the page never showed {text:?}:\n{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("taking a screenshot");
    let path = artifacts_dir().join(name);
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// The path through the demo: the administrator signs in, sets up a team and an agent,
/// looks at the admin pages and signs out; then an agent signs in.
async fn scenario(client: Client, base: String) {
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    let login_page = body_text(&client).await;
    assert!(login_page.contains("Entrar"), "login page is not in pt-BR:\n{login_page}");
    screenshot(&client, "login.png").await;

    sign_in(&client, ADMIN_EMAIL).await;
    wait_for_path(&client, "/admin").await;

    let admin = body_text(&client).await;
    for expected in ["Visão geral", "Administrador Demo"] {
        assert!(admin.contains(expected), "/admin does not show {expected:?}:\n{admin}");
    }
    screenshot(&client, "admin.png").await;

    click(&client, Locator::XPath("//nav[contains(@class,'subnav')]//a[normalize-space()='Usuários e agentes']")).await;
    wait_for_path(&client, "/admin/users").await;
    let users = body_text(&client).await;
    for email in DEMO_EMAILS {
        assert!(users.contains(email), "/admin/users does not list {email}:\n{users}");
    }
    screenshot(&client, "admin-users.png").await;

    create_team_and_agent(&client).await;
    look_at_admin_pages(&client, &base).await;
    sign_out(&client).await;

    // The agent's side: Ana signs in and lands on her workspace.
    sign_in(&client, "ana@demo.local").await;
    wait_for_path(&client, "/agent").await;
    wait_for_text(&client, "Olá, Ana Souza!").await;
    screenshot(&client, "agent.png").await;
    // A conversation of hers, with the contact panel opened from its header.
    click(
        &client,
        Locator::XPath("//a[.//*[normalize-space()='Pedro Henrique'] or normalize-space()='Pedro Henrique'][1]"),
    )
    .await;
    wait_for_text(&client, "Vou verificar a compatibilidade").await;
    click(&client, Locator::XPath("//details[contains(@class,'contact-menu')]/summary")).await;
    wait_for_text(&client, "Editar contato").await;
    screenshot(&client, "agent-contact-panel.png").await;
    // Her other pages: contacts, a contact with history, message search, profile.
    click(&client, Locator::XPath("//nav[contains(@class,'mainnav')]//a[normalize-space()='Contatos']")).await;
    wait_for_text(&client, "Pedro Henrique").await;
    screenshot(&client, "contacts.png").await;
    click(&client, Locator::XPath("//a[normalize-space()='Mariana Alves']")).await;
    wait_for_text(&client, "Histórico").await;
    screenshot(&client, "contact.png").await;
    click(&client, Locator::XPath("//table//a[starts-with(normalize-space(),'WC')]")).await;
    wait_for_text(&client, "Meu pedido chegou com a caixa amassada.").await;
    screenshot(&client, "transcript.png").await;
    client.goto(&format!("{base}/agent/history?q=pedido")).await.expect("opening the search");
    wait_for_text(&client, "Mariana Alves").await;
    screenshot(&client, "history-search.png").await;
    client.goto(&format!("{base}/agent/contacts/new")).await.expect("opening the new contact form");
    screenshot(&client, "contact-new.png").await;
    client.goto(&format!("{base}/account")).await.expect("opening the profile");
    wait_for_text(&client, "Meu perfil").await;
    screenshot(&client, "profile.png").await;
    sign_out(&client).await;
}

/// Clicks an element, finding it again if the page replaced it meanwhile (live
/// updates swap lists and panes under the test's feet).
async fn click(client: &Client, locator: Locator<'_>) {
    let described = format!("{locator:?}");
    let start = Instant::now();
    loop {
        match find(client, locator).await.click().await {
            Ok(()) => return,
            Err(e) if start.elapsed() < STEP_TIMEOUT => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("clicking {described}: {e}"),
        }
    }
}

/// Types into an element, finding it again if the page replaced it meanwhile.
async fn send_to(client: &Client, locator: Locator<'_>, text: &str) {
    let described = format!("{locator:?}");
    let start = Instant::now();
    loop {
        match find(client, locator).await.send_keys(text).await {
            Ok(()) => return,
            Err(e) if start.elapsed() < STEP_TIMEOUT => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("typing into {described}: {e}"),
        }
    }
}

/// Replaces what a field holds, finding it again if the page replaced it meanwhile (a
/// live refresh of the pane right after it loaded).
async fn type_into(client: &Client, css: &str, text: &str) {
    let start = Instant::now();
    loop {
        let field = find(client, Locator::Css(css)).await;
        let typed = match field.clear().await {
            Ok(()) => field.send_keys(text).await,
            Err(e) => Err(e),
        };
        match typed {
            Ok(()) => return,
            Err(_) if start.elapsed() < STEP_TIMEOUT => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(e) => panic!("typing into {css}: {e}"),
        }
    }
}

async fn sign_in(client: &Client, login: &str) {
    type_into(client, "input[name='login']", login).await;
    type_into(client, "input[name='password']", DEMO_PASSWORD).await;
    click(client, Locator::Css("form[action='/login'] button[type='submit']")).await;
}

async fn sign_out(client: &Client) {
    click(client, Locator::XPath("//header[contains(@class,'topbar')]//button[normalize-space()='Sair']")).await;
    wait_for_path(client, "/login").await;
    let after = body_text(client).await;
    assert!(after.contains("Entrar"), "after signing out the login form is not shown:\n{after}");
}

/// An administrator sets up a team and a new agent through the pages (htmx forms).
async fn create_team_and_agent(client: &Client) {
    click(client, Locator::XPath("//nav[contains(@class,'subnav')]//a[normalize-space()='Equipes']")).await;
    wait_for_path(client, "/admin/teams").await;
    click(client, Locator::Css("a[href='/admin/teams/new']")).await;
    wait_for_path(client, "/admin/teams/new").await;
    // First an empty name: the form answers in place, keeping the page.
    click(client, Locator::Css("form.admin-form button[type='submit']")).await;
    find(client, Locator::Css("form.admin-form .field-error")).await;
    type_into(client, "form.admin-form input[name='name']", "Suporte Técnico").await;
    click(
        client,
        Locator::XPath(
            "//fieldset[contains(@class,'team-members')]//label[contains(normalize-space(),'Ana Souza')]/input",
        ),
    )
    .await;
    screenshot(client, "team-form.png").await;
    click(client, Locator::Css("form.admin-form button[type='submit']")).await;
    wait_for_path(client, "/admin/teams").await;
    wait_for_text(client, "Suporte Técnico").await;
    screenshot(client, "teams.png").await;

    click(client, Locator::XPath("//nav[contains(@class,'subnav')]//a[normalize-space()='Usuários e agentes']")).await;
    click(client, Locator::Css("a[href='/admin/users/new']")).await;
    wait_for_path(client, "/admin/users/new").await;
    type_into(client, "input[name='name']", "Diego Rocha").await;
    type_into(client, "input[name='username']", "diego").await;
    type_into(client, "input[name='email']", "diego@demo.local").await;
    click(client, Locator::Css("form[action='/admin/users'] button[type='submit']")).await;
    wait_for_text(client, "Diego Rocha").await;
    let link = find(client, Locator::Css("input.copy-field")).await.prop("value").await.expect("reading the link");
    assert!(link.is_some_and(|l| l.contains("/password/set?token=")), "no set-password link to hand over");
    screenshot(client, "user-created.png").await;

    click(client, Locator::XPath("//a[contains(@href,'/admin/users/') and not(contains(@href,'new'))][1]")).await;
    click(client, Locator::XPath("//label[contains(normalize-space(),'Suporte Técnico')]/input[@name='teams']")).await;
    type_into(client, "input[name='capacity']", "4").await;
    click(
        client,
        Locator::XPath(
            "//form[starts-with(@action,'/admin/users/')]//button[@type='submit' and contains(@class,'primary')]",
        ),
    )
    .await;
    wait_for_text(client, "Alterações salvas.").await;
    screenshot(client, "user-page.png").await;
}

/// Screenshots of the other admin pages of the demo, for people to look at.
async fn look_at_admin_pages(client: &Client, base: &str) {
    for (path, file, expected) in [
        ("/admin/pauses", "pauses.png", "Almoço"),
        ("/admin/tabulations?team=1", "tabulations.png", "Reclamação"),
        ("/admin/schedules/1", "schedule.png", "Horário comercial"),
        ("/admin/groups", "groups.png", "Supervisores"),
        ("/admin/templates", "templates.png", "retomar_atendimento"),
        ("/admin/templates/1", "template-edit.png", "Tipo de cabeçalho"),
        ("/admin/settings", "settings.png", "Demo Atende"),
        ("/admin/settings/telephony", "telephony.png", "Telefonia"),
        ("/admin/word-filter", "word-filter.png", "obrigado"),
        ("/admin/tags", "tags.png", "Urgente"),
        ("/admin/phrases", "phrases.png", "/protocolo"),
        ("/admin/contact-fields", "contact-fields.png", "CPF/CNPJ"),
        ("/admin/channels/1", "channel.png", "widget.js"),
        ("/admin/channels/new?kind=telegram", "channel-new.png", "Telegram"),
        ("/admin/channels/new?kind=email", "channel-new-email.png", "Servidor IMAP"),
        ("/admin/audit", "audit.png", "Equipe criada"),
        ("/admin/monitoring", "monitoring.png", "Filas por equipe"),
        ("/admin/notifications", "notifications.png", "Notificações"),
        ("/admin/settings/notifications", "settings-notifications.png", "Notificações por e-mail"),
        ("/admin/monitoring", "monitoring-today.png", "No nível de serviço"),
        (
            "/admin/monitoring/conversations/6/transfer",
            "monitoring-transfer.png",
            "Fila da equipe (distribuição normal)",
        ),
        ("/agent/contacts/1", "contact-privacy.png", "Dados pessoais (LGPD)"),
        ("/reports/protocol?protocol=WA00000000001", "report-protocol.png", "Histórico por protocolo"),
        ("/reports/exports", "report-exports.png", "Exportações"),
    ] {
        client.goto(&format!("{base}{path}")).await.unwrap_or_else(|e| panic!("opening {path}: {e}"));
        let text = body_text(client).await;
        let shown = text.contains(expected) || client.source().await.map(|s| s.contains(expected)).unwrap_or(false);
        if !shown {
            // The server's own account of what went wrong, next to what the page said.
            let log = std::fs::read_to_string(artifacts_dir().join("atende.log")).unwrap_or_default();
            let tail: String =
                log.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
            panic!("{path} does not show {expected:?}:\n{text}\n--- server log ---\n{tail}");
        }
        screenshot(client, file).await;
    }
    // Monitoring's open conversations, below the agents and queues, with their buttons.
    client.goto(&format!("{base}/admin/monitoring")).await.expect("opening monitoring");
    js(client, "document.getElementById('monitor-open-title').scrollIntoView({ block: 'start' });", vec![]).await;
    screenshot(client, "monitoring-open.png").await;
    // The queues' thresholds' form, below the open conversations.
    js(client, "document.getElementById('thresholds').scrollIntoView({ block: 'end' });", vec![]).await;
    screenshot(client, "monitoring-thresholds.png").await;
    // Retention, below the sign-in policy.
    client.goto(&format!("{base}/admin/settings")).await.expect("opening the settings");
    js(client, "document.getElementById('retention_months').scrollIntoView({ block: 'center' });", vec![]).await;
    screenshot(client, "settings-retention.png").await;
    // The e-mail channel's sign-in, below the servers.
    client.goto(&format!("{base}/admin/channels/new?kind=email")).await.expect("opening the e-mail channel form");
    js(client, "document.getElementById('setting-password').scrollIntoView({ block: 'center' });", vec![]).await;
    screenshot(client, "channel-new-email-sign-in.png").await;
    look_at_form_examples(client, base).await;
    search_the_menu(client, base).await;
}

/// "/" puts the cursor in the top bar's menu search; "hist" suggests the history
/// pages, and Enter opens the first.
async fn search_the_menu(client: &Client, base: &str) {
    client.goto(&format!("{base}/admin")).await.expect("opening the admin overview");
    laptop_viewport(client).await;
    js(client, "document.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true }));", vec![]).await;
    let focused = js(client, "return document.activeElement.closest('[data-menu-search]') !== null;", vec![]).await;
    assert_eq!(focused, serde_json::json!(true), "the / key puts the cursor in the menu search");
    send_to(client, Locator::Css("[data-menu-search] input"), "hist").await;
    let found: Vec<String> = poll("the menu's suggestions", STEP_TIMEOUT, || async {
        let links = js(
            client,
            "return [...document.querySelectorAll('#menu-results a')].map(a => a.textContent.trim());",
            vec![],
        )
        .await;
        let links: Vec<String> = serde_json::from_value(links).unwrap_or_default();
        if links.is_empty() {
            Err("no suggestion yet".to_string())
        } else {
            Ok(links)
        }
    })
    .await;
    assert!(found.iter().any(|l| l.starts_with("Histórico de Atendimentos")), "{found:?}");
    screenshot(client, "menu-search.png").await;
    send_to(client, Locator::Css("[data-menu-search] input"), &char::from(fantoccini::key::Key::Enter).to_string())
        .await;
    wait_for_path(client, "/agent/history").await;
}

/// The admin forms' examples (placeholders) and a page of dates, in pt-BR and in English.
async fn look_at_form_examples(client: &Client, base: &str) {
    let examples = [
        ("/admin/tags/new", "name", ["Urgente", "Urgent"]),
        ("/admin/pauses/new", "name", ["Almoço", "Lunch"]),
        ("/admin/settings", "smtp_host", ["smtp.empresa.com.br", "smtp.example.com"]),
    ];
    for (n, lang) in ["pt-BR", "en"].into_iter().enumerate() {
        for (path, field, example) in &examples {
            client.goto(&format!("{base}{path}")).await.unwrap_or_else(|e| panic!("opening {path}: {e}"));
            let input = find(client, Locator::Css(&format!("input#{field}"))).await;
            let placeholder = input.attr("placeholder").await.expect("reading the placeholder");
            assert_eq!(placeholder.as_deref(), Some(example[n]), "{path} in {lang}");
            js(client, &format!("document.getElementById('{field}').scrollIntoView({{ block: 'center' }});"), vec![])
                .await;
            let name = path.trim_start_matches("/admin/").replace('/', "-");
            screenshot(client, &format!("example-{name}-{lang}.png")).await;
        }
        client.goto(&format!("{base}/admin/audit")).await.expect("opening the audit log");
        screenshot(client, &format!("example-audit-{lang}.png")).await;
        let next = if lang == "pt-BR" { "en" } else { "pt-BR" };
        find(client, Locator::Css(".topbar select[name='lang']")).await.select_by_value(next).await.expect(next);
        wait_for_text(client, if next == "en" { "Audit log" } else { "Registro de auditoria" }).await;
    }
}

/// The demo server and chromedriver of one test; both die when this is dropped.
struct Stack {
    base: String,
    webdriver: String,
    // Dropped in this order: the browser driver first, then the server, then its data.
    _driver: ChildGuard,
    _server: ChildGuard,
    _data_dir: tempfile::TempDir,
}

/// Starts `atende demo` on a fresh data directory and chromedriver; `tag` names the logs.
async fn start_stack(tag: &str) -> Stack {
    let artifacts = artifacts_dir();
    let server_log = artifacts.join(format!("atende{tag}.log"));
    let driver_log = artifacts.join(format!("chromedriver{tag}.log"));

    let data_dir = tempfile::tempdir().expect("temporary data directory");
    let port = free_port();
    let mut server = start_server(data_dir.path(), port, &server_log);
    wait_until("atende /healthz", Duration::from_secs(30), &mut server, &server_log, || {
        http_status(port, "/healthz") == Some(200)
    })
    .await;

    let driver_port = free_port();
    let mut driver = start_chromedriver(driver_port, &driver_log);
    wait_until("chromedriver", Duration::from_secs(15), &mut driver, &driver_log, || accepts_connections(driver_port))
        .await;
    Stack {
        base: format!("http://127.0.0.1:{port}"),
        webdriver: format!("http://127.0.0.1:{driver_port}"),
        _driver: driver,
        _server: server,
        _data_dir: data_dir,
    }
}

/// The browser tests run one after the other: each starts a server and Chromium, and
/// the machine running them may be small.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `scenario` within `SCENARIO_TIMEOUT`; whatever happens, takes a screenshot of
/// each session when it failed (`failure-<name>.png`) and closes every session.
async fn run_sessions<F>(sessions: &[(&str, &Client)], scenario: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let run = tokio::spawn(scenario);
    let outcome = tokio::time::timeout(SCENARIO_TIMEOUT, run).await;
    if !matches!(outcome, Ok(Ok(()))) {
        // Best effort: what each browser showed when it went wrong.
        for (name, client) in sessions {
            if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(10), client.screenshot()).await {
                let _ = std::fs::write(artifacts_dir().join(format!("failure-{name}.png")), png);
            }
        }
    }
    // End the sessions so chromedriver closes Chromium; the guards kill whatever is left.
    for (_, client) in sessions {
        let _ = tokio::time::timeout(Duration::from_secs(10), (*client).clone().close()).await;
    }
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Ok(Err(e)) => panic!("browser scenario did not finish: {e}"),
        Err(_) => panic!("browser scenario took longer than {SCENARIO_TIMEOUT:?}"),
    }
}

#[rocket::async_test]
async fn demo_admin_sets_up_a_team_and_an_agent_then_the_agent_signs_in() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let started = Instant::now();
    let stack = start_stack("").await;
    let client = connect_browser(&stack.webdriver).await;
    run_sessions(&[("admin", &client)], scenario(client.clone(), stack.base.clone())).await;
    drop(stack);
    eprintln!("browser test passed in {:.1?}; screenshots in {}", started.elapsed(), artifacts_dir().display());
}

// ---------------------------------------------------------------------------------------
// Live web chat: a visitor on the demo shop and an agent on her workspace, side by side.

const VISITOR_NAME: &str = "Marina Teixeira";
const VISITOR_EMAIL: &str = "marina.teixeira@example.com";
const VISITOR_TEXT: &str = "Olá, quero saber do meu pedido";
const AGENT_REPLY: &str = "Olá! Vou verificar para você.";
/// How long a live update (SSE) may take to show on the other side.
const LIVE_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs `script` in the visitor's page with `root` bound to the widget's shadow root
/// (null while the widget is not there yet) and `arguments` to `args`; returns its result.
async fn in_widget(client: &Client, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
    let js = format!(
        "var host = document.querySelector('#atende-widget');\n\
         var root = host && host.shadowRoot;\n{script}"
    );
    client.execute(&js, args).await.unwrap_or_else(|e| panic!("running in the widget: {e}\n{script}"))
}

/// Runs one statement on the server's database (WAL: beside the running server) and
/// returns the first column of its first row as text, if any. For states the pages
/// cannot make, such as a channel giving up on a message.
fn sql(db: &std::path::Path, statement: &str) -> String {
    let conn = rusqlite::Connection::open(db).expect("opening the database");
    conn.busy_timeout(Duration::from_secs(5)).expect("setting a busy timeout");
    let mut stmt = conn.prepare(statement).expect("preparing a statement");
    let mut rows = stmt.query([]).expect("running a statement");
    match rows.next().expect("reading a row") {
        Some(row) => row.get::<_, String>(0).unwrap_or_default(),
        None => String::new(),
    }
}

/// Polls `check` every 200 ms until it returns `Some`, failing after `limit` with `what`
/// and the last thing `check` saw.
async fn poll<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let start = Instant::now();
    loop {
        let last = match check().await {
            Ok(found) => return found,
            Err(seen) => seen,
        };
        assert!(start.elapsed() < limit, "{what} did not happen within {limit:?}; last seen:\n{last}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The widget's visible text, message by message ("mine:" / "theirs:" + text).
async fn widget_messages(client: &Client) -> Vec<String> {
    let seen = in_widget(
        client,
        "if (!root) return [];\n\
         return Array.prototype.map.call(root.querySelectorAll('.messages .message:not(.pending)'), function (m) {\n\
           var text = m.querySelector('.text');\n\
           return (m.classList.contains('mine') ? 'mine: ' : 'theirs: ') + (text ? text.textContent : '');\n\
         });",
        vec![],
    )
    .await;
    seen.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The visitor opens the chat on the demo shop, fills the pre-chat form and writes.
async fn visitor_writes(visitor: &Client, base: &str) {
    visitor.goto(&format!("{base}/demo/site")).await.expect("opening /demo/site");
    // The widget loads its settings first, then puts its launcher on the page.
    poll("the chat launcher to appear", STEP_TIMEOUT, || async move {
        let found = in_widget(visitor, "return !!(root && root.querySelector('.launcher'));", vec![]).await;
        if found == serde_json::Value::Bool(true) {
            Ok(())
        } else {
            Err("no #atende-widget .launcher".to_string())
        }
    })
    .await;
    in_widget(visitor, "root.querySelector('.launcher').click();", vec![]).await;
    poll("the pre-chat form to show", STEP_TIMEOUT, || async move {
        let shown = in_widget(
            visitor,
            "var form = root.querySelector('form.prechat');\n\
             return !!form && !root.querySelector('.panel').hidden && form.offsetParent !== null;",
            vec![],
        )
        .await;
        if shown == serde_json::Value::Bool(true) {
            Ok(())
        } else {
            Err("the panel or its form.prechat is hidden".to_string())
        }
    })
    .await;
    let title = in_widget(visitor, "return root.querySelector('.title').textContent;", vec![]).await;
    assert_eq!(title, "Site Demo Atende", "the widget's header does not name the channel");

    // Fill the fields and press the button; the widget reads the fields' values.
    in_widget(
        visitor,
        "var form = root.querySelector('form.prechat');\n\
         form.elements.name.value = arguments[0];\n\
         form.elements.email.value = arguments[1];\n\
         form.querySelector('button[type=submit]').click();",
        vec![VISITOR_NAME.into(), VISITOR_EMAIL.into()],
    )
    .await;
    poll("the chat composer to replace the pre-chat form", STEP_TIMEOUT, || async move {
        let ready = in_widget(visitor, "return !!root.querySelector('form.composer textarea');", vec![]).await;
        if ready == serde_json::Value::Bool(true) {
            Ok(())
        } else {
            let form =
                in_widget(visitor, "var f = root.querySelector('.body'); return f ? f.innerText : '';", vec![]).await;
            Err(format!("still the pre-chat form: {form}"))
        }
    })
    .await;
    widget_says(visitor, VISITOR_TEXT).await;
    // The demo's bot first: the name, the CPF, then "Suporte" (SAC's queue).
    for (asked, answer) in [
        ("Para começar, qual é o seu nome?", VISITOR_NAME),
        ("Agora, qual é o seu CPF?", DEMO_CPF),
        ("Como posso ajudar?", "Suporte"),
    ] {
        widget_answers(visitor, asked, answer).await;
    }
    widget_shows(visitor, "Certo! Vou te passar para o nosso Suporte.").await;
    screenshot(visitor, "widget-demo-bot.png").await;
}

/// Waits for the bot's message containing `asked` in the widget, then writes `answer`.
async fn widget_answers(visitor: &Client, asked: &str, answer: &str) {
    widget_shows(visitor, asked).await;
    widget_says(visitor, answer).await;
}

/// Waits for a message from the company containing `text` in the widget.
async fn widget_shows(visitor: &Client, text: &str) {
    poll(&format!("{text:?} from the company in the widget"), STEP_TIMEOUT, || async move {
        let messages = widget_messages(visitor).await;
        if messages.iter().any(|m| m.starts_with("theirs: ") && m.contains(text)) {
            Ok(())
        } else {
            Err(messages.join("\n"))
        }
    })
    .await;
}

/// The visitor writes `text` in the widget's composer; waits until it is accepted.
async fn widget_says(visitor: &Client, text: &str) {
    in_widget(
        visitor,
        "var form = root.querySelector('form.composer');\n\
         form.querySelector('textarea').value = arguments[0];\n\
         form.querySelector('button.send').click();",
        vec![text.into()],
    )
    .await;
    poll(&format!("{text:?} accepted in the widget"), STEP_TIMEOUT, || async move {
        let messages = widget_messages(visitor).await;
        if messages.iter().any(|m| m == &format!("mine: {text}")) {
            Ok(())
        } else {
            Err(messages.join("\n"))
        }
    })
    .await;
}

/// The text of the "Em espera" list of the agent's workspace.
async fn waiting_list(agent: &Client) -> String {
    let text = agent
        .execute(
            "var list = document.querySelector('#lists [data-list=waiting]');\n\
             return list ? list.innerText : '';",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("reading the waiting list: {e}"));
    text.as_str().unwrap_or_default().to_string()
}

/// A visitor writes on the demo shop's chat; Ana, already on her workspace, sees the
/// conversation arrive without reloading, takes it and answers; the visitor sees the
/// answer arrive without reloading.
async fn live_chat(visitor: Client, agent: Client, base: String) {
    let (visitor, agent) = (&visitor, &agent);
    agent.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(agent, "ana@demo.local").await;
    wait_for_path(agent, "/agent").await;
    find(agent, Locator::XPath("//aside[@id='lists']//*[@role='tab'][contains(normalize-space(),'Em espera')]")).await;
    // SAC distributes automatically: an available Ana would get the conversation straight
    // into "Em atendimento". On a pause, she sees it wait in the queue.
    click(agent, Locator::XPath("//details[contains(@class,'menu')]/summary[normalize-space()='Pausa']")).await;
    click(agent, Locator::XPath("//form[@action='/agent/pause']//button[starts-with(normalize-space(),'Almoço')]"))
        .await;
    find(agent, Locator::XPath("//span[contains(@class,'ws-status')][contains(normalize-space(),'Em pausa')]")).await;
    wait_for_path(agent, "/agent").await;
    let before = waiting_list(agent).await;
    assert!(!before.contains(VISITOR_NAME), "the visitor is waiting before writing:\n{before}");
    // The workspace page must stay the same page: a marker that a reload would wipe.
    agent.execute("window.__notReloaded = true;", vec![]).await.expect("marking the page");

    visitor_writes(visitor, &base).await;

    poll("the new conversation to show in Ana's \"Em espera\" list", LIVE_TIMEOUT, || async move {
        let list = waiting_list(agent).await;
        if list.contains(VISITOR_NAME) {
            Ok(())
        } else {
            Err(list)
        }
    })
    .await;
    let same_page = agent.execute("return window.__notReloaded === true;", vec![]).await.expect("reading the marker");
    assert_eq!(same_page, serde_json::Value::Bool(true), "the workspace reloaded instead of updating in place");
    click(agent, Locator::Css("#lists [role=tab][data-tab='waiting']")).await;
    agent
        .execute(
            "var name = arguments[0];\n\
             var rows = document.querySelectorAll('#lists [data-list=waiting] .conv-row');\n\
             var row = Array.prototype.find.call(rows, function (r) { return r.textContent.indexOf(name) >= 0; });\n\
             if (row) row.scrollIntoView({ block: 'center' });",
            vec![VISITOR_NAME.into()],
        )
        .await
        .expect("scrolling to the new conversation");
    screenshot(agent, "agent-waiting.png").await;

    // She takes it: the row is a button that posts "take", then the conversation opens.
    click(
        agent,
        Locator::XPath(&format!(
            "//ul[@data-list='waiting']//button[contains(@class,'conv-row')][.//strong[normalize-space()='{VISITOR_NAME}']]"
        )),
    )
    .await;
    let start = Instant::now();
    loop {
        let url = agent.current_url().await.expect("reading the current URL");
        if url.path().starts_with("/agent/conversations/") {
            break;
        }
        assert!(start.elapsed() < STEP_TIMEOUT, "taking the conversation did not open it; still at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    find(agent, Locator::XPath(&format!("//section[@id='pane']//h1[normalize-space()='{VISITOR_NAME}']"))).await;
    wait_for_text(agent, VISITOR_TEXT).await;
    let status = find(agent, Locator::Css("#pane .conv-title .badge")).await;
    let status = status.prop("textContent").await.expect("reading the status").unwrap_or_default();
    assert_eq!(status.trim(), "Em atendimento", "the taken conversation is not in service");

    agent.execute("window.__notReloaded = true;", vec![]).await.expect("marking the page");
    type_into(agent, "textarea[data-reply]", AGENT_REPLY).await;
    click(agent, Locator::Css("form.composer button.primary[type='submit']:not([name='go_online'])")).await;
    // Still on her pause: the composer asks first, keeping what she wrote.
    click(agent, Locator::XPath("//div[contains(@class,'paused-prompt')]//button[@name='go_online']")).await;
    poll("Ana's answer to show in her conversation", STEP_TIMEOUT, || async move {
        let mine = agent
            .execute(
                "return Array.prototype.map.call(document.querySelectorAll('#pane .msg-out .msg-body'),\n\
                   function (m) { return m.textContent; });",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("reading the pane: {e}"));
        let sent = mine.as_array().is_some_and(|a| a.iter().any(|m| m.as_str() == Some(AGENT_REPLY)));
        let draft = agent
            .execute("var b = document.querySelector('textarea[data-reply]'); return b ? b.value : '';", vec![])
            .await
            .unwrap_or_default();
        if sent && draft.as_str() == Some("") {
            Ok(())
        } else {
            Err(format!("outgoing messages: {mine}; composer: {draft}"))
        }
    })
    .await;

    // Leaving the pause shows in the bar on top, without reloading the page.
    poll("the workspace bar to show Ana available again", STEP_TIMEOUT, || async move {
        let state = agent
            .execute(
                "var s = document.querySelector('#ws-bar .ws-status');\n\
                 var dot = document.querySelector('.topbar-right .status-dot');\n\
                 return [s ? s.textContent.trim() : '', dot ? dot.className : '', window.__notReloaded === true];",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("reading the status: {e}"));
        if state == serde_json::json!(["Disponível", "status-dot status-online", true]) {
            Ok(())
        } else {
            Err(state.to_string())
        }
    })
    .await;

    // The visitor never reloads: the answer arrives through the widget's event stream.
    poll("Ana's answer to show in the visitor's widget", LIVE_TIMEOUT, || async move {
        let messages = widget_messages(visitor).await;
        if messages.iter().any(|m| m == &format!("theirs: {AGENT_REPLY}")) {
            Ok(())
        } else {
            Err(messages.join("\n"))
        }
    })
    .await;
    let author = in_widget(
        visitor,
        "var last = root.querySelectorAll('.messages .message.theirs');\n\
         last = last[last.length - 1];\n\
         return last.querySelector('.author').textContent;",
        vec![],
    )
    .await;
    assert_eq!(author, "Ana Souza", "the answer in the widget is not signed by the agent");
    // While Ana answers, the widget says so, whatever the channel's hours: never "offline".
    let header = in_widget(
        visitor,
        "var n = root.querySelector('.offline-notice');
         return [root.querySelector('.status').textContent, n ? n.hidden : true];",
        vec![],
    )
    .await;
    assert_eq!(header, serde_json::json!(["Atendimento com Ana Souza", true]), "the widget's header");

    // Ana sends a file from the composer (its hidden picker); the visitor gets a link.
    let receipt = artifacts_dir().join("recibo.png");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    std::fs::write(&receipt, &png).expect("writing the file to send");
    send_to(agent, Locator::Css("input[data-file-input]"), receipt.to_str().expect("utf-8 path")).await;
    poll("the file to reach the visitor's widget", LIVE_TIMEOUT, || async move {
        let names = in_widget(
            visitor,
            "return Array.prototype.map.call(root.querySelectorAll('.messages a.file'), function (a) { return a.textContent; });",
            vec![],
        )
        .await;
        let shown = names.as_array().is_some_and(|a| a.iter().any(|n| n.as_str() == Some("recibo.png")));
        if shown {
            Ok(())
        } else {
            Err(format!("file links so far: {names}"))
        }
    })
    .await;
    screenshot(visitor, "visitor-widget.png").await;
    screenshot(agent, "agent-conversation.png").await;
}

#[rocket::async_test]
async fn a_visitor_and_an_agent_chat_live_without_reloading() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let started = Instant::now();
    let stack = start_stack("-chat").await;
    // Two sessions on one chromedriver: two browsers with their own cookies and storage.
    let visitor = connect_browser(&stack.webdriver).await;
    let agent = connect_browser(&stack.webdriver).await;
    run_sessions(
        &[("visitor", &visitor), ("agent", &agent)],
        live_chat(visitor.clone(), agent.clone(), stack.base.clone()),
    )
    .await;
    drop(stack);
    eprintln!("live chat test passed in {:.1?}; screenshots in {}", started.elapsed(), artifacts_dir().display());
}

// ---------------------------------------------------------------------------------------
// Finishing a conversation on a laptop screen (1366×625): canned phrases from "/", the
// closing dialog with the classification of a team that requires it, and the transcript.

/// The page area of Chrome on a 1366×768 laptop.
const LAPTOP: (i64, i64) = (1366, 625);
const PEDRO: &str = "Pedro Henrique";

/// Makes the page's viewport exactly `LAPTOP`, whatever the browser's frame takes.
async fn laptop_viewport(client: &Client) {
    set_viewport(client, LAPTOP.0, LAPTOP.1).await;
}

/// What the composer holds now.
async fn composer_text(client: &Client) -> String {
    let value = client
        .execute("var b = document.querySelector('#pane textarea[data-reply]'); return b ? b.value : '';", vec![])
        .await
        .unwrap_or_else(|e| panic!("reading the composer: {e}"));
    value.as_str().unwrap_or_default().to_string()
}

/// The phrase list under the composer: the shortcuts offered (or the line saying there
/// is none), and whether it shows at all.
async fn phrase_list(client: &Client) -> (bool, Vec<String>, String) {
    let seen = client
        .execute(
            "var p = document.querySelector('#pane [data-phrase-picker]');\n\
             if (!p) return [false, [], ''];\n\
             var codes = Array.prototype.map.call(p.querySelectorAll('.phrase-option code'), function (c) { return c.textContent; });\n\
             var none = p.querySelector('.phrase-none');\n\
             return [!p.hidden && p.offsetParent !== null, codes, none ? none.textContent : ''];",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("reading the phrase list: {e}"));
    let codes = seen[1].as_array().map(|a| a.iter().filter_map(|c| c.as_str().map(String::from)).collect());
    (seen[0].as_bool().unwrap_or(false), codes.unwrap_or_default(), seen[2].as_str().unwrap_or_default().to_string())
}

/// Types into the composer (after emptying it) and waits for the phrase list to offer
/// exactly `expected` (shortcuts with their "/").
async fn type_phrase(client: &Client, typed: &str, expected: &[&str]) {
    client
        .execute("var b = document.querySelector('#pane textarea[data-reply]'); b.value = ''; b.focus();", vec![])
        .await
        .expect("emptying the composer");
    send_to(client, Locator::Css("#pane textarea[data-reply]"), typed).await;
    poll(&format!("the phrase list for {typed:?}"), STEP_TIMEOUT, || async move {
        let (shown, codes, none) = phrase_list(client).await;
        if shown && codes == expected {
            Ok(())
        } else {
            Err(format!("shown: {shown}; offered: {codes:?}; {none}"))
        }
    })
    .await;
}

/// How many messages to the contact the pane shows.
async fn outgoing(client: &Client) -> serde_json::Value {
    let count = client.execute("return document.querySelectorAll('#pane .msg-out').length;", vec![]).await;
    count.unwrap_or_else(|e| panic!("counting messages: {e}"))
}

async fn press(client: &Client, key: fantoccini::key::Key) {
    send_to(client, Locator::Css("#pane textarea[data-reply]"), &char::from(key).to_string()).await;
}

/// Waits until the composer holds `expected` and the list is gone.
async fn composer_holds(client: &Client, expected: &str) {
    poll(&format!("the composer to hold {expected:?}"), STEP_TIMEOUT, || async move {
        let text = composer_text(client).await;
        let (shown, ..) = phrase_list(client).await;
        if text == expected && !shown {
            Ok(())
        } else {
            Err(format!("composer: {text:?}; list shown: {shown}"))
        }
    })
    .await;
}

async fn finish_a_conversation(client: Client, base: String) {
    use fantoccini::key::Key;
    let client = &client;
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    laptop_viewport(client).await;
    sign_in(client, "ana@demo.local").await;
    wait_for_path(client, "/agent").await;
    click(client, Locator::XPath(&format!("//ul[@data-list='mine']//a[.//strong[normalize-space()='{PEDRO}']]"))).await;
    wait_for_text(client, "Vou verificar a compatibilidade").await;
    let conv = find(client, Locator::Css("#pane")).await.attr("data-conversation").await.expect("pane id");
    let conv = conv.expect("the pane names its conversation");
    let protocol = find(client, Locator::Css("#pane .conv-facts dd.mono")).await.text().await.expect("protocol");

    // SAC requires a classification: pending on "Tabular" and on her list row.
    find(client, Locator::Css("#pane summary.needs-classification .notice-dot")).await;
    find(client, Locator::Css("#lists a.conv-row.is-open .chip-pending")).await;

    let before = outgoing(client).await;
    // "/": her own phrase, then the company's; not Vendas' or Financeiro's.
    type_phrase(client, "/", &["/retorno", "/aguarde", "/encerrar", "/protocolo", "/saudacao"]).await;
    screenshot(client, "finish-phrases.png").await;
    // Filtered as she types; Tab inserts it, filled in.
    type_phrase(client, "/pro", &["/protocolo"]).await;
    screenshot(client, "finish-phrases-filtered.png").await;
    press(client, Key::Tab).await;
    composer_holds(client, &format!("O protocolo do seu atendimento é {protocol}.")).await;
    // Enter inserts too, and sends nothing while the list is open.
    type_phrase(client, "/sau", &["/saudacao"]).await;
    press(client, Key::Enter).await;
    composer_holds(client, &format!("Olá, {PEDRO}! Aqui é Ana Souza. Como posso ajudar?")).await;
    // ↓ moves to the next one; Esc closes the list and keeps the text.
    type_phrase(client, "/", &["/retorno", "/aguarde", "/encerrar", "/protocolo", "/saudacao"]).await;
    press(client, Key::Down).await;
    press(client, Key::Enter).await;
    composer_holds(client, &format!("Só um momento, {PEDRO}, estou verificando para você.")).await;
    type_phrase(client, "/enc", &["/encerrar"]).await;
    press(client, Key::Escape).await;
    composer_holds(client, "/enc").await;
    // An unknown shortcut says so, also on Tab.
    type_phrase(client, "/nada", &[]).await;
    press(client, Key::Tab).await;
    let (shown, _, none) = phrase_list(client).await;
    assert!(shown && none == "Nenhuma frase padrão com o atalho /nada.", "unknown shortcut: {shown} {none:?}");
    assert_eq!(composer_text(client).await, "/nada", "Tab left the text and the composer");
    screenshot(client, "finish-phrase-unknown.png").await;
    client
        .execute("var b = document.querySelector('#pane textarea[data-reply]'); b.value = ''; b.blur();", vec![])
        .await
        .expect("emptying the composer");
    assert_eq!(outgoing(client).await, before, "inserting phrases sent nothing");

    // A tag, then "Finalizar": protocol and agent to check, reason and sub-reason, comment.
    click(client, Locator::XPath("//details[contains(@class,'menu')]/summary[normalize-space()='Tags']")).await;
    find(client, Locator::Css("#pane select[name='tag_id']")).await.select_by_label("VIP").await.expect("choosing VIP");
    click(client, Locator::XPath("//form[contains(@action,'/tags')]//button[normalize-space()='Adicionar tag']")).await;
    find(client, Locator::XPath("//form[contains(@class,'tag-chip')][contains(normalize-space(),'VIP')]")).await;
    click(client, Locator::XPath("//div[contains(@class,'conv-actions')]/button[normalize-space()='Finalizar']")).await;
    let dialog = find(client, Locator::Css("dialog.close-dialog[open]")).await;
    let facts = dialog.text().await.expect("reading the dialog");
    assert!(facts.contains(&protocol) && facts.contains("Ana Souza"), "the dialog shows protocol and agent:\n{facts}");
    let reason = find(client, Locator::Css("dialog.close-dialog[open] select[name='reason_id']")).await;
    reason.select_by_label("Dúvida sobre produto").await.expect("choosing the reason");
    let subs = client
        .execute(
            "var s = document.querySelector('dialog.close-dialog[open] select[name=sub_reason_id]');\n\
             return Array.prototype.filter.call(s.options, function (o) { return o.value && !o.parentNode.disabled && !o.parentNode.hidden; })\n\
               .map(function (o) { return o.textContent; });",
            vec![],
        )
        .await
        .expect("reading the sub-reasons");
    assert_eq!(subs, serde_json::json!(["Compatibilidade", "Funcionamento", "Garantia"]), "only this reason's");
    find(client, Locator::Css("dialog.close-dialog[open] select[name='sub_reason_id']"))
        .await
        .select_by_label("Compatibilidade")
        .await
        .expect("choosing the sub-reason");
    type_into(
        client,
        "dialog.close-dialog[open] textarea[name='comment']",
        "Cliente orientado sobre a compatibilidade.",
    )
    .await;
    screenshot(client, "finish-close-dialog.png").await;
    click(client, Locator::XPath("//dialog[@open]//button[normalize-space()='Salvar e finalizar']")).await;

    // Closed: back to her workspace, without Pedro.
    poll("the conversation to leave Ana's list", STEP_TIMEOUT, || async move {
        let url = client.current_url().await.map_err(|e| e.to_string())?;
        let lists = client
            .execute("var l = document.querySelector('#lists'); return l ? l.innerText : '';", vec![])
            .await
            .map_err(|e| e.to_string())?;
        let lists = lists.as_str().unwrap_or_default().to_string();
        if url.path() == "/agent" && lists.contains("Luciana Freitas") && !lists.contains(PEDRO) {
            Ok(())
        } else {
            Err(format!("{url}\n{lists}"))
        }
    })
    .await;
    screenshot(client, "finish-closed.png").await;

    // The transcript: classification and tags beside the messages, comment and people.
    client.goto(&format!("{base}/agent/history/{conv}")).await.expect("opening the transcript");
    let text = wait_for_text(client, "Dúvida sobre produto › Compatibilidade").await;
    for expected in ["Tags", "VIP", "Cliente orientado sobre a compatibilidade.", "Ana Souza · atendeu, finalizou"] {
        assert!(text.contains(expected), "the transcript does not show {expected:?}:\n{text}");
    }
    screenshot(client, "finish-transcript.png").await;
    // Her own phrases, reached from the workspace.
    client.goto(&format!("{base}/agent")).await.expect("opening the workspace");
    click(client, Locator::XPath("//a[@href='/agent/phrases'][normalize-space()='Minhas frases']")).await;
    let text = wait_for_text(client, "/retorno").await;
    assert!(text.contains("Frases das suas equipes e da empresa") && text.contains("/saudacao"), "{text}");
    screenshot(client, "finish-my-phrases.png").await;
    client.goto(&format!("{base}/agent/history/{conv}")).await.expect("opening the transcript");

    // Once in English: the transcript, the phrase list and the closing dialog.
    find(client, Locator::Css(".topbar select[name='lang']")).await.select_by_value("en").await.expect("English");
    let text = wait_for_text(client, "Who took part").await;
    assert!(text.contains("Classification") && text.contains("Closed by"), "{text}");
    screenshot(client, "finish-transcript-en.png").await;
    client.goto(&format!("{base}/agent")).await.expect("opening the workspace");
    click(client, Locator::XPath("//ul[@data-list='mine']//a[.//strong[normalize-space()='Luciana Freitas']]")).await;
    wait_for_text(client, "Qual o prazo de entrega para Curitiba?").await;
    // Luciana asked the bot for Vendas: its phrase is offered too.
    type_phrase(client, "/", &["/retorno", "/prazo", "/aguarde", "/encerrar", "/protocolo", "/saudacao"]).await;
    screenshot(client, "finish-phrases-en.png").await;
    press(client, Key::Escape).await;
    click(client, Locator::XPath("//div[contains(@class,'conv-actions')]/button[normalize-space()='Close']")).await;
    let dialog = find(client, Locator::Css("dialog.close-dialog[open]")).await;
    let text = dialog.text().await.expect("reading the dialog");
    assert!(text.contains("Classification") && text.contains("Save and close"), "{text}");
    screenshot(client, "finish-close-dialog-en.png").await;
}

#[rocket::async_test]
async fn an_agent_uses_phrases_closes_with_a_classification_and_reads_the_transcript() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let started = Instant::now();
    let stack = start_stack("-finish").await;
    let client = connect_browser(&stack.webdriver).await;
    run_sessions(&[("finish", &client)], finish_a_conversation(client.clone(), stack.base.clone())).await;
    drop(stack);
    eprintln!("finishing test passed in {:.1?}; screenshots in {}", started.elapsed(), artifacts_dir().display());
}

// People and their history at a laptop's size, in Portuguese and in English: the contact
// panel of a conversation (fields, the pencil, the clock), "Histórico", contacts, the
// transcript, the profile, and the administrator's settings and audit log.

/// Makes the page area (not the window) `width` × `height` pixels.
async fn set_viewport(client: &Client, width: i64, height: i64) {
    let inner = || async {
        let size = client.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.expect("viewport");
        (size[0].as_i64().unwrap_or(0), size[1].as_i64().unwrap_or(0))
    };
    let (mut window_w, mut window_h) = (width, height);
    for _ in 0..5 {
        client.set_window_size(window_w as u32, window_h as u32).await.expect("sizing the window");
        let (w, h) = inner().await;
        if (w, h) == (width, height) {
            return;
        }
        // The window's frame takes the difference; ask again with it added.
        (window_w, window_h) = (window_w + width - w, window_h + height - h);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the page area stays {:?}, not {width}×{height}", inner().await);
}

/// The signed-in user's language, through the top bar's language switch.
async fn choose_language(client: &Client, lang: &str) {
    client
        .execute(
            "var form = document.querySelector('form.lang-switch');\n\
             form.querySelector('select').value = arguments[0];\n\
             form.submit();",
            vec![lang.into()],
        )
        .await
        .expect("choosing the language");
    find(client, Locator::Css(&format!("html[lang='{lang}']"))).await;
}

async fn leave(client: &Client) {
    client.execute("document.querySelector('form[action=\"/logout\"]').submit();", vec![]).await.expect("signing out");
    wait_for_path(client, "/login").await;
}

/// What each step waits for, in Portuguese and in English.
fn words(lang: &str) -> [&'static str; 6] {
    match lang {
        "en" => ["Edit contact", "Changes", "History", "Contacts", "My profile", "Default country"],
        _ => ["Editar contato", "Alterações", "Histórico", "Contatos", "Meu perfil", "País padrão"],
    }
}

async fn people_pages(client: Client, base: String) {
    for lang in ["pt-BR", "en"] {
        let [edit, changes, history, contacts, profile, country] = words(lang);
        let shot = |name: &str| format!("people-{name}-{lang}.png");
        client.goto(&format!("{base}/login")).await.expect("opening /login");
        set_viewport(&client, 1366, 625).await;
        sign_in(&client, "ana@demo.local").await;
        wait_for_path(&client, "/agent").await;
        if lang != "pt-BR" {
            choose_language(&client, lang).await;
        }
        // The conversation's contact panel: every field, then the pencil, then the clock.
        click(&client, Locator::XPath("//a[.//*[starts-with(normalize-space(),'Pedro Henrique')]][1]")).await;
        wait_for_text(&client, "Vou verificar a compatibilidade").await;
        click(&client, Locator::XPath("//details[contains(@class,'contact-menu')]/summary")).await;
        wait_for_text(&client, edit).await;
        find(&client, Locator::Css(".contacts-panel .contacts-facts data")).await;
        screenshot(&client, &shot("panel")).await;
        click(&client, Locator::XPath("//div[contains(@class,'contacts-panel-tools')]/button[2]")).await;
        find(&client, Locator::Css(".contacts-panel form.contact-form input[name='name']")).await;
        screenshot(&client, &shot("panel-edit")).await;
        // Saved in place: the panel says so and the pane's heading follows.
        let name = find(&client, Locator::Css(".contacts-panel input[name='name']")).await;
        name.clear().await.expect("clearing the name");
        name.send_keys("Pedro Henrique Alves").await.expect("typing the name");
        click(&client, Locator::Css(".contacts-panel form.contact-form button[type='submit']")).await;
        find(&client, Locator::Css(".contacts-panel .alert-success")).await;
        let heading = find(&client, Locator::Css("#pane-contact-name")).await.text().await.expect("the heading");
        assert_eq!(heading, "Pedro Henrique Alves");
        screenshot(&client, &shot("panel-saved")).await;
        click(&client, Locator::XPath("//div[contains(@class,'contacts-panel-tools')]/button[3]")).await;
        find(&client, Locator::Css(".contacts-panel select[name='days']")).await;
        screenshot(&client, &shot("panel-history")).await;
        // "Histórico", its "Mensagens contendo", a transcript.
        client.goto(&format!("{base}/agent/history")).await.expect("opening the history");
        wait_for_text(&client, "Mariana Alves").await;
        assert!(body_text(&client).await.contains(history));
        screenshot(&client, &shot("history")).await;
        client.goto(&format!("{base}/agent/history?q=caixa")).await.expect("searching the history");
        find(&client, Locator::Css("tr.history-hit mark")).await;
        screenshot(&client, &shot("history-search")).await;
        click(&client, Locator::XPath("//table//a[starts-with(normalize-space(),'WC')]")).await;
        wait_for_text(&client, "Meu pedido chegou com a caixa amassada.").await;
        screenshot(&client, &shot("transcript")).await;
        // Contacts, a contact, the profile.
        client.goto(&format!("{base}/agent/contacts")).await.expect("opening the contacts");
        wait_for_text(&client, contacts).await;
        wait_for_text(&client, "+55 11 98765-").await;
        screenshot(&client, &shot("contacts")).await;
        click(&client, Locator::XPath("//a[normalize-space()='Mariana Alves']")).await;
        wait_for_text(&client, changes).await;
        screenshot(&client, &shot("contact")).await;
        client.goto(&format!("{base}/account")).await.expect("opening the profile");
        wait_for_text(&client, profile).await;
        screenshot(&client, &shot("profile")).await;
        client.execute("window.scrollTo(0, document.body.scrollHeight);", vec![]).await.expect("scrolling");
        screenshot(&client, &shot("profile-end")).await;
        leave(&client).await;
        // The administrator's settings (country, time zones) and audit log.
        sign_in(&client, ADMIN_EMAIL).await;
        wait_for_path(&client, "/admin").await;
        if lang != "pt-BR" {
            choose_language(&client, lang).await;
        }
        client.goto(&format!("{base}/admin/settings")).await.expect("opening the settings");
        wait_for_text(&client, country).await;
        screenshot(&client, &shot("settings")).await;
        client.goto(&format!("{base}/admin/audit")).await.expect("opening the audit log");
        find(&client, Locator::Css("table.audit")).await;
        let audit = body_text(&client).await;
        assert!(!audit.contains("team.create") && !audit.contains("login.failed"), "codes shown:\n{audit}");
        screenshot(&client, &shot("audit")).await;
        // Back to Portuguese for the next round.
        if lang != "pt-BR" {
            choose_language(&client, "pt-BR").await;
        }
        leave(&client).await;
    }
}

#[rocket::async_test]
async fn people_pages_at_a_laptops_size_in_portuguese_and_english() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let started = Instant::now();
    let stack = start_stack("-people").await;
    let client = connect_browser(&stack.webdriver).await;
    run_sessions(&[("people", &client)], people_pages(client.clone(), stack.base.clone())).await;
    drop(stack);
    eprintln!("people pages test passed in {:.1?}; screenshots in {}", started.elapsed(), artifacts_dir().display());
}

// The agent's day on a 1366×768 laptop (1366×625 of page): a conversation with tags and
// classifications keeps its composer in sight, Enter sends, the lists are tabs that say
// when someone new waits, and a pause shows its clock without leaving the conversation.

/// Runs `script` in the page and returns its result.
async fn js(client: &Client, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
    client.execute(script, args).await.unwrap_or_else(|e| panic!("running in the page: {e}\n{script}"))
}

/// Where the send button is, whether a click at its centre reaches it, where the top bar
/// starts and whether the page scrolled.
const LAYOUT: &str =
    "var send = document.querySelector('#pane form.composer button.primary[type=submit]:not([name])');\n\
    var r = send ? send.getBoundingClientRect() : null;\n\
    var hit = r ? document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) : null;\n\
    return { viewport: [window.innerWidth, window.innerHeight], send: r ? [r.left, r.top, r.right, r.bottom] : null,\n\
      send_text: send ? send.textContent.trim() : null, send_hit: !!hit && (hit === send || send.contains(hit)),\n\
      topbar_top: document.querySelector('header.topbar').getBoundingClientRect().top,\n\
      scroll_y: window.scrollY, page_height: document.documentElement.scrollHeight };";

/// The composer's send button is whole inside the viewport and clickable, the top bar
/// sits at the top and the page has not scrolled.
async fn assert_composer_in_sight(client: &Client, when: &str) {
    let facts = js(client, LAYOUT, vec![]).await;
    let (vw, vh) = (LAPTOP.0 as f64, LAPTOP.1 as f64);
    let rect: Vec<f64> =
        facts["send"].as_array().map(|a| a.iter().filter_map(|v| v.as_f64()).collect()).unwrap_or_default();
    assert!(
        rect.len() == 4 && rect[0] >= 0.0 && rect[1] >= 0.0 && rect[2] <= vw && rect[3] <= vh,
        "{when}: the send button is not inside the {vw}×{vh} viewport: {facts}"
    );
    assert_eq!(facts["send_hit"], true, "{when}: a click on the send button's centre does not reach it: {facts}");
    assert_eq!(facts["topbar_top"].as_f64(), Some(0.0), "{when}: the top bar moved: {facts}");
    assert_eq!(facts["scroll_y"].as_f64(), Some(0.0), "{when}: the page scrolled: {facts}");
    assert!(
        facts["page_height"].as_f64().is_some_and(|h| h <= vh),
        "{when}: the page is taller than the window: {facts}"
    );
}

/// The list tabs: label, count, whether each is whole in the viewport and clickable, selected.
async fn list_tabs(client: &Client) -> Vec<serde_json::Value> {
    let tabs = js(
        client,
        "return Array.prototype.map.call(document.querySelectorAll('#lists [role=tab]'), function (t) {\n\
           var r = t.getBoundingClientRect(), count = t.querySelector('.count');\n\
           var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);\n\
           return { text: t.textContent.replace(/\\s+/g, ' ').trim(), count: count ? count.textContent.trim() : '',\n\
             in_sight: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0,\n\
             clickable: !!hit && t.contains(hit), selected: t.getAttribute('aria-selected') === 'true',\n\
             new_waiting: t.classList.contains('has-new') };\n\
         });",
        vec![],
    )
    .await;
    tabs.as_array().cloned().unwrap_or_default()
}

/// The three tabs are in sight with their counts; returns them.
async fn assert_tabs_in_sight(client: &Client, labels: [&str; 3]) -> Vec<serde_json::Value> {
    let tabs = list_tabs(client).await;
    assert_eq!(tabs.len(), 3, "three list tabs: {tabs:?}");
    for (tab, label) in tabs.iter().zip(labels) {
        let text = tab["text"].as_str().unwrap_or_default();
        assert!(text.starts_with(label), "tab {label:?} reads {text:?}");
        assert!(
            tab["count"].as_str().is_some_and(|c| c.parse::<u32>().is_ok()),
            "tab {label:?} without a count: {tab}"
        );
        assert!(tab["in_sight"] == true && tab["clickable"] == true, "tab {label:?} is not in sight: {tab}");
    }
    tabs
}

/// The texts of the open conversation's messages of one kind (`out`, `internal` …).
async fn pane_messages(client: &Client, kind: &str) -> Vec<String> {
    let seen = js(
        client,
        "return Array.prototype.map.call(document.querySelectorAll('#pane .msg-' + arguments[0] + ' .msg-body'),\n\
           function (m) { return m.textContent; });",
        vec![kind.into()],
    )
    .await;
    seen.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// What the pane says beside its messages, for a failure's message: its alerts and
/// errors, and what its composer holds.
async fn pane_state(client: &Client) -> String {
    let seen = js(
        client,
        "var p = document.getElementById('pane'); if (!p) { return 'no pane'; }\n\
         var said = Array.prototype.map.call(p.querySelectorAll('[role=alert], .field-error'),\n\
           function (e) { return e.textContent.trim(); });\n\
         var box = p.querySelector('[data-reply]');\n\
         return JSON.stringify({ said: said, composer: box ? box.value : null });",
        vec![],
    )
    .await;
    seen.as_str().unwrap_or_default().to_string()
}

/// Types into the composer (WebDriver keys included) and waits for `text` among the
/// messages of `kind`, with the composer emptied.
async fn send_and_see(client: &Client, keys: &str, kind: &str, text: &str) {
    send_to(client, Locator::Css("textarea[data-reply]"), keys).await;
    poll(&format!("{text:?} to be sent"), STEP_TIMEOUT, || async move {
        let (sent, left) = (pane_messages(client, kind).await, composer_text(client).await);
        if sent.iter().any(|m| m == text) && left.is_empty() {
            Ok(())
        } else {
            Err(format!("messages: {sent:?}; composer: {left:?}"))
        }
    })
    .await;
}

/// Adds a tag or a classification from its menu in the pane, as the agent does.
async fn add_from_menu(client: &Client, menu: &str, field: &str, label: &str) {
    // The summary may carry a marker after its name (a pending classification).
    let summary = format!("//section[@id='pane']//details/summary[starts-with(normalize-space(),'{menu}')]");
    click(client, Locator::XPath(&summary)).await;
    let select = find(client, Locator::Css(&format!("#pane details[open] select[name='{field}']"))).await;
    select.select_by_label(label).await.unwrap_or_else(|e| panic!("choosing {label:?} in {menu}: {e}"));
    click(client, Locator::Css("#pane details[open] form button.primary[type='submit']")).await;
    let shown = format!("//section[@id='pane']//*[contains(@class,'chip')][contains(normalize-space(),'{label}')]");
    find(client, Locator::XPath(&shown)).await;
}

/// A visitor of the demo site writes through the widget's API (from the agent's page);
/// a new one then answers the demo's bot (name, CPF, "Suporte"), so they wait in SAC.
async fn visitor_says(client: &Client, token: Option<&str>, name: &str, text: &str) -> String {
    let visitor = visitor_posts(client, token, name, text).await;
    if token.is_none() {
        for answer in [name, DEMO_CPF, "Suporte"] {
            visitor_posts(client, Some(&visitor), name, answer).await;
        }
    }
    visitor
}

/// A valid CPF the demo's bot accepts.
const DEMO_CPF: &str = "529.982.247-25";

async fn visitor_posts(client: &Client, token: Option<&str>, name: &str, text: &str) -> String {
    let answer = client
        .execute_async(
            "var done = arguments[arguments.length - 1], token = arguments[0];\n\
             var json = { 'Content-Type': 'application/json' };\n\
             var start = token ? Promise.resolve(token) : fetch('/webchat/demo/visitors', { method: 'POST', headers: json,\n\
               body: JSON.stringify({ name: arguments[1] }) }).then(function (r) { return r.json(); }).then(function (j) { return j.token; });\n\
             var text = arguments[2];\n\
             start.then(function (t) {\n\
               return fetch('/webchat/demo/messages', { method: 'POST', body: JSON.stringify({ text: text }),\n\
                 headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + t } })\n\
                 .then(function (r) { done([r.status, t]); });\n\
             }).catch(function (e) { done([0, String(e)]); });",
            vec![token.into(), name.into(), text.into()],
        )
        .await
        .unwrap_or_else(|e| panic!("the visitor's message: {e}"));
    assert_eq!(answer[0], 201, "the visitor's message was not taken: {answer}");
    answer[1].as_str().unwrap_or_default().to_string()
}

async fn floor_day(client: Client, base: String, data: std::path::PathBuf) {
    let client = &client;
    laptop_viewport(client).await;
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(client, "ana@demo.local").await;
    wait_for_path(client, "/agent").await;
    let top_bar = find(client, Locator::Css("header.topbar")).await.text().await.expect("reading the top bar");
    assert!(top_bar.contains("SAC · Vendas"), "Ana's teams are not under her name: {top_bar}");

    // Four conversations in service: she pulls two more from the SAC queue.
    for _ in 0..2 {
        let before = client.current_url().await.expect("reading the URL").path().to_string();
        click(client, Locator::XPath("//form[contains(@action,'/pull')][.//span[normalize-space()='SAC']]//button"))
            .await;
        poll("the pulled conversation to open", STEP_TIMEOUT, || {
            let before = before.clone();
            async move {
                let now = client.current_url().await.map(|u| u.path().to_string()).unwrap_or_default();
                if now != before && now.starts_with("/agent/conversations/") {
                    Ok(())
                } else {
                    Err(now)
                }
            }
        })
        .await;
    }
    find(client, Locator::XPath("//*[@role='tab'][@data-tab='mine'][normalize-space()='Em atendimento 4']")).await;

    // A conversation with three tags and two classifications, added from the pane.
    click(client, Locator::XPath("//aside[@id='lists']//a[.//strong[normalize-space()='Pedro Henrique']]")).await;
    find(client, Locator::XPath("//section[@id='pane']//h1[normalize-space()='Pedro Henrique']")).await;
    for tag in ["Urgente", "VIP", "Garantia"] {
        add_from_menu(client, "Tags", "tag_id", tag).await;
    }
    for reason in ["Dúvida sobre produto › Compatibilidade", "Reclamação › Atraso na entrega"] {
        add_from_menu(client, "Classificar", "tabulation_id", reason).await;
    }
    let path = client.current_url().await.expect("reading the URL").path().to_string();
    js(client, "window.__notReloaded = true;", vec![]).await;
    screenshot(client, "floor-conversation.png").await;
    assert_composer_in_sight(client, "with three tags and two classifications").await;
    assert_tabs_in_sight(client, ["Em atendimento", "Em espera", "Pendentes"]).await;

    // A classification comes off with its ×, like a tag, and goes back on from the menu.
    let cross = "//section[@id='pane']//button[@aria-label='Tirar a classificação Reclamação › Atraso na entrega']";
    click(client, Locator::XPath(cross)).await;
    poll("the classification chip to go", Duration::from_secs(5), || async {
        match client.find_all(Locator::XPath(cross)).await {
            Ok(found) if found.is_empty() => Ok(()),
            seen => Err(format!("{seen:?}")),
        }
    })
    .await;
    add_from_menu(client, "Classificar", "tabulation_id", "Reclamação › Atraso na entrega").await;
    find(client, Locator::XPath(cross)).await;

    // Opening the close dialog moves nothing under it.
    click(client, Locator::Css("#pane [data-dialog^='close-']")).await;
    find(client, Locator::Css("dialog[open]")).await;
    let facts = js(client, LAYOUT, vec![]).await;
    assert!(facts["topbar_top"] == 0 && facts["scroll_y"] == 0, "the dialog scrolled the page: {facts}");
    screenshot(client, "floor-close-dialog.png").await;
    click(client, Locator::Css("dialog[open] [data-dialog-close]")).await;

    // What the agent types while a refresh of the pane is on its way survives the swap.
    // The box is filled in the same script that starts the refresh, so it is always
    // before the refresh's answer can land.
    let kept = client
        .execute_async(
            "var done = arguments[arguments.length - 1];\n\
             document.body.addEventListener('htmx:afterSwap', function swapped(e) {\n\
               if (e.target.id !== 'pane') { return; }\n\
               document.body.removeEventListener('htmx:afterSwap', swapped);\n\
               var box = document.querySelector('[data-reply]');\n\
               var value = box.value; box.value = ''; done(value);\n\
             });\n\
             document.body.dispatchEvent(new CustomEvent('ws-pane-refresh'));\n\
             document.querySelector('[data-reply]').value = 'Digitado durante a atualização';",
            vec![],
        )
        .await
        .expect("a pane refresh with the agent typing");
    assert_eq!(kept, "Digitado durante a atualização", "a refresh in flight took what the agent typed");

    // Enter sends; Shift+Enter adds a line and sends nothing.
    send_and_see(client, &format!("Qual é o modelo exato?{}", Key::Enter), "out", "Qual é o modelo exato?").await;
    let two_lines = "Linha um\nLinha dois";
    send_to(
        client,
        Locator::Css("textarea[data-reply]"),
        &format!("Linha um{}{}{}Linha dois", Key::Shift, Key::Enter, Key::Null),
    )
    .await;
    let state = js(
        client,
        "var f = document.querySelector('#pane form.composer');\n\
         return [f.querySelector('textarea').value, f.classList.contains('htmx-request')];",
        vec![],
    )
    .await;
    assert_eq!(state, serde_json::json!([two_lines, false]), "Shift+Enter did not just add a line");
    send_and_see(client, &Key::Enter.to_string(), "out", two_lines).await;
    let sent = pane_messages(client, "out").await;
    assert!(!sent.iter().any(|m| m == "Linha um"), "Shift+Enter sent the first line alone: {sent:?}");
    assert_composer_in_sight(client, "after sending").await;

    // A message the channel gave up on shows its reason and "Tentar novamente", in sight;
    // the button puts it back in the outbox (the web chat then delivers it).
    let last_reply = "(SELECT max(id) FROM messages WHERE direction = 'out' AND author_id IS NOT NULL)";
    let db = data.join("atende.db");
    sql(
        &db,
        &format!("UPDATE messages SET status = 'failed', failure = 'serviço indisponível' WHERE id = {last_reply}"),
    );
    client.refresh().await.expect("reloading the workspace");
    js(client, "window.__notReloaded = true;", vec![]).await;
    let retry = "//section[@id='pane']//form[@class='msg-retry']/button[normalize-space()='Tentar novamente']";
    find(client, Locator::XPath(retry)).await;
    let text = body_text(client).await;
    assert!(text.contains("Não enviada: serviço indisponível"), "{text}");
    screenshot(client, "floor-failed-message.png").await;
    assert_composer_in_sight(client, "with a failed message").await;
    click(client, Locator::XPath(retry)).await;
    poll("the retried message to leave the outbox", Duration::from_secs(10), || async {
        let status = sql(&db, &format!("SELECT status FROM messages WHERE id = {last_reply}"));
        if ["sent", "delivered", "read"].contains(&status.as_str()) {
            Ok(())
        } else {
            Err(status)
        }
    })
    .await;

    // A pause from the menu, with its maximum; the clock ticks in the top bar and the
    // conversation stays open.
    click(client, Locator::XPath("//div[@id='ws-bar']//details/summary[normalize-space()='Pausa']")).await;
    let lunch = "//form[@action='/agent/pause']//button[starts-with(normalize-space(),'Almoço')]";
    let label = find(client, Locator::XPath(lunch)).await.text().await.expect("reading the pause");
    assert_eq!(label, "Almoço · até 60 min", "the pause menu does not show the maximum");
    click(client, Locator::XPath(lunch)).await;
    let clock = "var c = document.querySelector('header.topbar [data-pause-clock]');\n\
        if (!c) return null;\n\
        var r = c.getBoundingClientRect(), bar = document.querySelector('header.topbar').getBoundingClientRect();\n\
        return { text: c.textContent.replace(/\\s+/g, ' ').trim(), in_bar: r.top >= bar.top && r.bottom <= bar.bottom && r.right <= innerWidth && r.width > 0,\n\
          over: c.classList.contains('is-over') };";
    let first = poll("the pause clock to show in the top bar", STEP_TIMEOUT, || async move {
        let seen = js(client, clock, vec![]).await;
        let text = seen["text"].as_str().unwrap_or_default().to_string();
        let shaped = regex_lite::Regex::new(r"^Almoço \d\d:\d\d / 60:00").expect("pattern").is_match(&text);
        if shaped && seen["in_bar"] == true && seen["over"] == false {
            Ok(text)
        } else {
            Err(seen.to_string())
        }
    })
    .await;
    poll("the pause clock to tick", STEP_TIMEOUT, || {
        let first = first.clone();
        async move {
            let now = js(client, clock, vec![]).await["text"].as_str().unwrap_or_default().to_string();
            if now != first {
                Ok(())
            } else {
                Err(now)
            }
        }
    })
    .await;
    let stayed = js(
        client,
        "var h = document.querySelector('#pane h1'); return [location.pathname, h ? h.textContent.trim() : '', window.__notReloaded === true];",
        vec![],
    )
    .await;
    assert_eq!(stayed, serde_json::json!([path, "Pedro Henrique", true]), "the pause left the conversation");
    screenshot(client, "floor-paused.png").await;
    // Past the limit the clock turns red (its start moved an hour back, as if she forgot).
    js(
        client,
        "var c = document.querySelector('header.topbar [data-pause-clock]');\n\
         c.setAttribute('data-started', String(Number(c.getAttribute('data-started')) - 61 * 60000));",
        vec![],
    )
    .await;
    poll("the pause clock to turn red past the limit", STEP_TIMEOUT, || async move {
        let seen = js(client, clock, vec![]).await;
        let text = seen["text"].as_str().unwrap_or_default();
        if seen["over"] == true && text.starts_with("Almoço 61:") {
            Ok(())
        } else {
            Err(seen.to_string())
        }
    })
    .await;
    screenshot(client, "floor-pause-over.png").await;

    // Someone new waits while "Em atendimento" is shown: the waiting tab says so.
    let tabs = list_tabs(client).await;
    assert_eq!(tabs[0]["selected"], true, "the tab chosen is not kept: {tabs:?}");
    let visitor = visitor_says(client, None, "Rita Lopes", "Alguém pode me ajudar?").await;
    poll("the waiting tab to signal someone new", STEP_TIMEOUT, || async move {
        let tabs = list_tabs(client).await;
        let said =
            js(client, "return [document.title, document.getElementById('lists-news').textContent];", vec![]).await;
        let titled = said[0].as_str().is_some_and(|t| t.starts_with("(1) "));
        if tabs[1]["new_waiting"] == true
            && tabs[0]["selected"] == true
            && titled
            && said[1] == "Novo atendimento na fila"
        {
            Ok(())
        } else {
            Err(format!("{tabs:?} {said}"))
        }
    })
    .await;
    screenshot(client, "floor-new-waiting.png").await;
    click(client, Locator::Css("#lists [role=tab][data-tab='waiting']")).await;
    let waiting_row = "//ul[@data-list='waiting']//button[.//strong[normalize-space()='Rita Lopes']]";
    assert!(find(client, Locator::XPath(waiting_row)).await.is_displayed().await.unwrap_or(false), "Rita is not shown");
    let title = js(client, "return document.title;", vec![]).await;
    assert!(title.as_str().is_some_and(|t| !t.starts_with('(')), "the title still counts new ones: {title}");
    // A live refresh of the lists keeps the tab.
    visitor_says(client, Some(&visitor), "Rita Lopes", "Ainda estou aqui").await;
    poll("the waiting list to refresh", STEP_TIMEOUT, || async move {
        let list = waiting_list(client).await;
        if list.contains("Ainda estou aqui") {
            Ok(())
        } else {
            Err(list)
        }
    })
    .await;
    let tabs = list_tabs(client).await;
    assert!(tabs[1]["selected"] == true && tabs[1]["new_waiting"] == false, "the refresh reset the tab: {tabs:?}");
    screenshot(client, "floor-waiting-tab.png").await;

    // In English: the same layout.
    let switch = find(client, Locator::Css("header.topbar select[name='lang']")).await;
    switch.select_by_value("en").await.expect("choosing English");
    find(client, Locator::Css("html[lang='en'] #pane")).await;
    find(client, Locator::XPath("//section[@id='pane']//button[normalize-space()='Send']")).await;
    assert_composer_in_sight(client, "in English").await;
    let tabs = assert_tabs_in_sight(client, ["In progress", "Waiting", "Pending"]).await;
    assert_eq!(tabs[1]["selected"], true, "the tab chosen is lost on a new page: {tabs:?}");
    let seen = js(client, clock, vec![]).await;
    assert!(seen["text"].as_str().is_some_and(|t| t.starts_with("Almoço ")), "no clock in English: {seen}");
    screenshot(client, "floor-en.png").await;

    // Ctrl+Enter to send, chosen on the profile; Enter then adds a line.
    client.goto(&format!("{base}/account")).await.expect("opening the profile");
    click(client, Locator::Css("input[name='send_key'][value='ctrl-enter']")).await;
    click(client, Locator::Css("form[action='/account/send-key'] button[type='submit']")).await;
    wait_for_text(client, "Sending preference saved.").await;
    js(
        client,
        "document.querySelector('form[action=\"/account/send-key\"]').scrollIntoView({ block: 'center' });",
        vec![],
    )
    .await;
    screenshot(client, "floor-profile-en.png").await;
    client.goto(&format!("{base}{path}")).await.expect("opening the conversation again");
    find(client, Locator::Css("form.composer[data-send-key='ctrl-enter']")).await;
    // While paused, an internal comment goes without leaving the pause.
    click(client, Locator::Css("form.composer input[type='checkbox'][name='internal']")).await;
    send_to(client, Locator::Css("textarea[data-reply]"), &format!("Um{}Dois", Key::Enter)).await;
    assert_eq!(composer_text(client).await, "Um\nDois", "Enter did not add a line with Ctrl+Enter to send");
    send_and_see(client, &(Key::Control + &Key::Enter.to_string()), "internal", "Um\nDois").await;
    assert_composer_in_sight(client, "after a comment sent with Ctrl+Enter").await;
    screenshot(client, "floor-ctrl-enter.png").await;
}

#[rocket::async_test]
async fn an_agents_day_at_1366_by_625_keeps_the_composer_tabs_and_pause_clock_in_sight() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let started = Instant::now();
    let stack = start_stack("-floor").await;
    let client = connect_browser(&stack.webdriver).await;
    let data = stack._data_dir.path().to_path_buf();
    run_sessions(&[("floor", &client)], floor_day(client.clone(), stack.base.clone(), data)).await;
    drop(stack);
    eprintln!("floor test passed in {:.1?}; screenshots in {}", started.elapsed(), artifacts_dir().display());
}

/// A WhatsApp conversation of Ana's whose customer last wrote two days ago; its path.
fn whatsapp_conversation_a_day_old(db: &Path) -> String {
    // The templates Meta approved, in "Modelos de mensagem" instead of the demo's.
    sql(db, "DELETE FROM message_templates");
    sql(
        db,
        "INSERT INTO message_templates (name, language, body) VALUES
           ('pedido_enviado', 'pt_BR', 'Olá {{1}}, seu pedido {{2}} foi enviado. Qualquer dúvida, é só responder.')",
    );
    sql(
        db,
        "INSERT INTO message_templates (name, language, body, header_format, header_link) VALUES
           ('retomar_contato', 'pt_BR', 'Oi {{nome}}! Ainda podemos ajudar com a sua solicitação?', 'image',
            'https://loja.example/logo.png')",
    );
    let config = serde_json::json!({"phone_number_id": "106", "access_token": "t", "app_secret": "s", "verify_token": "v",
        "api_base": "http://127.0.0.1:9"});
    let two_days_ago = format!("(CAST(unixepoch('subsec') * 1000 AS INTEGER) - 2 * 86400000)");
    let channel = sql(
        db,
        &format!(
            "INSERT INTO channels (kind, name, key, default_team_id, config, created_at)
             VALUES ('whatsapp', 'WhatsApp da loja', 'wa-loja', (SELECT id FROM teams WHERE name = 'SAC'), '{config}', 0)
             RETURNING CAST(id AS TEXT)"
        ),
    );
    let contact = sql(
        db,
        "INSERT INTO contacts (name, phone, created_at, updated_at) VALUES ('Maria Souza', '5511987654321', 0, 0)
         RETURNING CAST(id AS TEXT)",
    );
    sql(db, &format!("INSERT INTO contact_identities (channel_id, external_id, contact_id, created_at) VALUES ({channel}, '5511987654321', {contact}, 0)"));
    let conversation = sql(
        db,
        &format!(
            "INSERT INTO conversations (protocol, channel_id, contact_id, team_id, agent_id, status, opened_at, queued_at, assigned_at, last_message_at)
             VALUES ('WA00000009001', {channel}, {contact}, (SELECT id FROM teams WHERE name = 'SAC'),
                     (SELECT id FROM users WHERE username = 'ana'), 'active', {two_days_ago}, {two_days_ago}, {two_days_ago}, {two_days_ago})
             RETURNING CAST(id AS TEXT)"
        ),
    );
    sql(
        db,
        &format!(
            "INSERT INTO messages (conversation_id, channel_id, direction, body, external_id, status, created_at)
             VALUES ({conversation}, {channel}, 'in', 'Oi, quero saber do meu pedido', 'wamid.old', 'received', {two_days_ago})"
        ),
    );
    format!("/agent/conversations/{conversation}")
}

/// The template's send button, the preview and the page, as a laptop shows them.
const TEMPLATE_LAYOUT: &str = "var form = document.querySelector('form[data-template]:not([hidden])');\n\
    var send = form.querySelector('button[type=submit]'), r = send.getBoundingClientRect();\n\
    var p = form.querySelector('[data-template-preview]').getBoundingClientRect();\n\
    return { send: [r.left, r.top, r.right, r.bottom], preview: [p.top, p.bottom], scroll_y: window.scrollY,\n\
      page_height: document.documentElement.scrollHeight, preview_text: form.querySelector('[data-template-preview]').textContent };";

async fn composer_outside_the_window(client: Client, base: String, data: PathBuf) {
    let client = &client;
    laptop_viewport(client).await;
    let path = whatsapp_conversation_a_day_old(&data.join("atende.db"));
    // The administrator's side: the number's fields, then the saved channel (its
    // webhook URL and verify token; the secrets never shown back).
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(client, "admin@demo.local").await;
    // Signed in once the landing page is reached: going on sooner would abandon the
    // sign-in's request and arrive at the next page without a session.
    wait_for_path(client, "/admin").await;
    client.goto(&format!("{base}/admin/channels/new?kind=whatsapp")).await.expect("opening the new channel page");
    find(client, Locator::Css("input[name='settings[phone_number_id]']")).await;
    screenshot(client, "whatsapp-channel-new.png").await;
    let id = sql(&data.join("atende.db"), "SELECT CAST(id AS TEXT) FROM channels WHERE key = 'wa-loja'");
    client.goto(&format!("{base}/admin/channels/{id}")).await.expect("opening the channel");
    let webhook =
        find(client, Locator::Css("input#webhook")).await.prop("value").await.expect("reading the webhook URL");
    assert!(webhook.is_some_and(|w| w.ends_with("/webhooks/whatsapp/wa-loja")), "no webhook URL to give Meta");
    screenshot(client, "whatsapp-channel-edit.png").await;
    sign_out(client).await;
    sign_in(client, "ana@demo.local").await;
    wait_for_path(client, "/agent").await;
    client.goto(&format!("{base}{path}")).await.expect("opening the WhatsApp conversation");
    wait_for_text(client, "A janela de 24 horas do WhatsApp está fechada").await;
    // Free text is gone: the textarea takes internal notes only.
    let internal = js(
        client,
        "return document.querySelector('form.composer input[name=internal][type=checkbox]').disabled;",
        vec![],
    )
    .await;
    assert_eq!(internal, true, "the composer still offers free text to the contact");

    type_into(client, "form[data-template='0'] input[data-param='1']", "Maria").await;
    type_into(client, "form[data-template='0'] input[data-param='2']", "A-1234").await;
    let facts = js(client, TEMPLATE_LAYOUT, vec![]).await;
    assert_eq!(
        facts["preview_text"], "Olá Maria, seu pedido A-1234 foi enviado. Qualquer dúvida, é só responder.",
        "the preview does not follow the parameters: {facts}"
    );
    let send: Vec<f64> = facts["send"].as_array().unwrap().iter().filter_map(|v| v.as_f64()).collect();
    let (vw, vh) = (LAPTOP.0 as f64, LAPTOP.1 as f64);
    assert!(
        send[0] >= 0.0 && send[1] >= 0.0 && send[2] <= vw && send[3] <= vh,
        "the send button is out of sight: {facts}"
    );
    assert!(facts["preview"][1].as_f64().is_some_and(|b| b <= vh), "the preview is out of sight: {facts}");
    assert_eq!(facts["scroll_y"].as_f64(), Some(0.0), "the page scrolled: {facts}");
    assert!(facts["page_height"].as_f64().is_some_and(|h| h <= vh), "the page is taller than the window: {facts}");
    screenshot(client, "whatsapp-window-closed.png").await;

    // The other template, with a named parameter and an image header.
    let choice = find(client, Locator::Css("select[data-template-choice]")).await;
    choice.select_by_value("1").await.expect("choosing the second template");
    type_into(client, "form[data-template='1'] input[data-param='nome']", "Maria").await;
    let facts = js(client, TEMPLATE_LAYOUT, vec![]).await;
    assert_eq!(facts["preview_text"], "Oi Maria! Ainda podemos ajudar com a sua solicitação?", "{facts}");
    screenshot(client, "whatsapp-window-closed-named.png").await;
    click(client, Locator::Css("form[data-template='1'] button[type='submit']")).await;
    poll("the template to show in the conversation", STEP_TIMEOUT, || async move {
        let mine = pane_messages(client, "out").await;
        if mine.iter().any(|m| m.contains("Oi Maria! Ainda podemos ajudar")) {
            Ok(())
        } else {
            Err(format!("{mine:?}"))
        }
    })
    .await;
    screenshot(client, "whatsapp-template-sent.png").await;

    // Her contact's page: the number on WhatsApp, and "Iniciar conversa" in sight.
    let contact = sql(&data.join("atende.db"), "SELECT CAST(contact_id AS TEXT) FROM conversations c JOIN channels ch ON ch.id = c.channel_id WHERE ch.key = 'wa-loja'");
    client.goto(&format!("{base}/agent/contacts/{contact}")).await.expect("opening the contact");
    wait_for_text(client, "Canais do contato").await;
    let start = find(client, Locator::Css(".start-form button[type='submit']")).await;
    let shown = start.is_displayed().await.unwrap_or(false);
    assert!(shown, "Iniciar conversa is not shown on the contact's page");
    screenshot(client, "contact-start.png").await;
    // The rail's WhatsApp icon opens the channel's contacts, found by number.
    client.goto(&format!("{base}/agent")).await.expect("opening the workspace");
    click(client, Locator::Css(".channel-rail a[href$='/contacts'] .ch-whatsapp")).await;
    wait_for_text(client, "Contatos do canal").await;
    client
        .goto(&format!("{}?q=98765", client.current_url().await.expect("the page's address")))
        .await
        .expect("searching");
    wait_for_text(client, "Maria Souza").await;
    screenshot(client, "channel-contacts.png").await;

    // An e-mail of Ana's: its subject beside the protocol, the facts on one line.
    let db = data.join("atende.db");
    let contact = sql(&db, "INSERT INTO contacts (name, email, created_at, updated_at) VALUES ('Paulo Reis', 'paulo@cliente.test', 0, 0) RETURNING CAST(id AS TEXT)");
    let mail = sql(
        &db,
        &format!(
            "INSERT INTO conversations (protocol, channel_id, contact_id, team_id, agent_id, status, opened_at, queued_at, last_message_at, subject)
             SELECT 'EM00000009002', ch.id, {contact}, ch.default_team_id, (SELECT id FROM users WHERE username = 'ana'), 'active', 0, 0, 0,
                    'Troca do pedido 4521 — tamanho errado'
             FROM channels ch WHERE ch.kind = 'email' LIMIT 1 RETURNING CAST(id AS TEXT)"
        ),
    );
    sql(&db, &format!("INSERT INTO messages (conversation_id, channel_id, direction, body, status, created_at) SELECT {mail}, channel_id, 'in', 'Recebi o tamanho errado.', 'received', 0 FROM conversations WHERE id = {mail}"));
    client.goto(&format!("{base}/agent/conversations/{mail}")).await.expect("opening the e-mail");
    wait_for_text(client, "Troca do pedido 4521").await;
    let subject = js(
        client,
        "var r = document.querySelector('.conv-subject').getBoundingClientRect(); return [r.top, r.bottom, r.right];",
        vec![],
    )
    .await;
    let bottom = subject[1].as_f64().unwrap_or(f64::MAX);
    assert!(
        bottom <= LAPTOP.1 as f64 && subject[2].as_f64().is_some_and(|r| r <= LAPTOP.0 as f64),
        "the subject is out of sight: {subject}"
    );
    screenshot(client, "email-pane.png").await;
}

#[rocket::async_test]
async fn outside_the_24_hour_window_the_composer_offers_templates_with_a_preview_at_1366_by_625() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-whatsapp").await;
    let client = connect_browser(&stack.webdriver).await;
    let data = stack._data_dir.path().to_path_buf();
    run_sessions(&[("whatsapp", &client)], composer_outside_the_window(client.clone(), stack.base.clone(), data)).await;
    drop(stack);
}

// "Histórico de Atendimentos" on a 1366×625 laptop page: the filters, the table of the
// demo's closed conversations, sorting by a column and a row's transcript with its PDF.

async fn history_report(client: Client, base: String) {
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    laptop_viewport(&client).await;
    sign_in(&client, "ana@demo.local").await;
    wait_for_path(&client, "/agent").await;
    click(&client, Locator::Css("nav.mainnav a[href='/reports']")).await;
    wait_for_text(&client, "Histórico de Atendimentos").await;
    screenshot(&client, "reports-home.png").await;
    click(&client, Locator::Css("a[href='/reports/history']")).await;
    find(&client, Locator::Css("table.report-table tbody tr")).await;
    let width = js(&client, "return document.documentElement.scrollWidth;", vec![]).await;
    assert!(width.as_f64().is_some_and(|w| w <= LAPTOP.0 as f64), "the report is wider than the window: {width}");
    screenshot(&client, "reports-history.png").await;
    click(
        &client,
        Locator::XPath("//table[contains(@class,'report-table')]//th/a[starts-with(normalize-space(),'Cliente')]"),
    )
    .await;
    find(&client, Locator::Css("th[aria-sort='ascending']")).await;
    click(&client, Locator::Css("table.report-table tbody td a")).await;
    wait_for_text(&client, "Baixar PDF").await;
    screenshot(&client, "reports-transcript.png").await;
    leave(&client).await;
    // The administrator, whose group grants every report, opens the summary reports.
    sign_in(&client, "admin@demo.local").await;
    wait_for_path(&client, "/admin").await;
    client.goto(&format!("{base}/reports")).await.expect("opening /reports");
    wait_for_text(&client, "Motivos de contato").await;
    screenshot(&client, "reports-home-admin.png").await;
    click(&client, Locator::Css("a[href='/reports/reasons']")).await;
    find(&client, Locator::Css("svg.chart")).await;
    let width = js(&client, "return document.documentElement.scrollWidth;", vec![]).await;
    assert!(width.as_f64().is_some_and(|w| w <= LAPTOP.0 as f64), "the reasons report is too wide: {width}");
    screenshot(&client, "reports-reasons.png").await;
    for (href, shot) in
        [("/reports/agents", "reports-agents.png"), ("/reports/service-level", "reports-service-level.png")]
    {
        client.goto(&format!("{base}/reports")).await.expect("opening /reports");
        click(&client, Locator::Css(&format!("a[href='{href}']"))).await;
        find(&client, Locator::Css("svg.chart")).await;
        let width = js(&client, "return document.documentElement.scrollWidth;", vec![]).await;
        assert!(width.as_f64().is_some_and(|w| w <= LAPTOP.0 as f64), "{href} is wider than the window: {width}");
        screenshot(&client, shot).await;
    }
    leave(&client).await;
}

#[rocket::async_test]
async fn the_history_report_at_a_laptops_size() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-reports").await;
    let client = connect_browser(&stack.webdriver).await;
    run_sessions(&[("reports", &client)], history_report(client.clone(), stack.base.clone())).await;
    drop(stack);
}

// ---------------------------------------------------------------------------------------
// "Notificações": the bell in the top bar, live on a page with an event stream.

/// Posts a WhatsApp webhook signed with the wrong secret, as someone else could; the
/// answer's status.
fn forged_webhook(base: &str) -> Option<u16> {
    let port: u16 = base.rsplit(':').next()?.parse().ok()?;
    let body = r#"{"object":"whatsapp_business_account","entry":[]}"#;
    let mut stream =
        TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "POST /webhooks/whatsapp/demo-whatsapp HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         X-Hub-Signature-256: sha256=00\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).ok()?;
    String::from_utf8_lossy(&head[..n]).split_whitespace().nth(1)?.parse().ok()
}

/// The bell's number as the top bar shows it (`None`: no bell; 0: no count shown).
async fn bell_count(client: &Client) -> Option<i64> {
    let found = js(
        client,
        "var b = document.getElementById('topbar-bell'); if (!b) { return null; }\n\
         var c = b.querySelector('[data-bell-count]'); return c ? Number(c.textContent) : 0;",
        vec![],
    )
    .await;
    found.as_i64()
}

async fn bell_shows(client: &Client, expected: i64) {
    poll(&format!("the bell showing {expected}"), LIVE_TIMEOUT, || async {
        match bell_count(client).await {
            Some(n) if n == expected => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
}

async fn bell_scenario(client: Client, base: String, db: PathBuf) {
    laptop_viewport(&client).await;
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(&client, ADMIN_EMAIL).await;
    wait_for_path(&client, "/admin").await;
    bell_shows(&client, 0).await;
    // On "Monitoramento" (its stream open) forged webhooks light the bell without a reload.
    client.goto(&format!("{base}/admin/monitoring")).await.expect("opening monitoring");
    wait_for_text(&client, "Filas por equipe").await;
    for _ in 0..3 {
        assert_eq!(forged_webhook(&base), Some(401), "a forged webhook is refused");
    }
    bell_shows(&client, 1).await;
    screenshot(&client, "bell.png").await;
    // A second cause (a full queue), as the queue's own path records it.
    sql(
        &db,
        "INSERT INTO notifications (kind, subject, team_id, details, created_at, last_at)
         SELECT 'queue_full', id, id, '{\"limit\": 5}', 0, CAST(unixepoch('subsec') * 1000 AS INTEGER)
         FROM teams ORDER BY id LIMIT 1 RETURNING CAST(id AS TEXT)",
    );
    // The bell opens the list: both, the webhook's counted three times.
    click(&client, Locator::Css("#topbar-bell")).await;
    wait_for_path(&client, "/admin/notifications").await;
    let list = wait_for_text(&client, "assinatura inválida").await;
    assert!(list.contains("3×") && list.contains("A fila da equipe"), "{list}");
    bell_shows(&client, 2).await;
    screenshot(&client, "notifications-unread.png").await;
    // "Marcar como lida" on the first: the bell counts one less.
    click(
        &client,
        Locator::XPath("(//li[contains(@class,'notice')]//button[normalize-space()='Marcar como lida'])[1]"),
    )
    .await;
    wait_for_path(&client, "/admin/notifications").await;
    bell_shows(&client, 1).await;
    let after = body_text(&client).await;
    assert!(after.contains("Lida"), "the read one stays in the list, marked read:\n{after}");
    screenshot(&client, "notifications-one-read.png").await;
}

#[rocket::async_test]
async fn the_bell_counts_live_opens_the_list_and_marking_read_lowers_it() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-bell").await;
    let client = connect_browser(&stack.webdriver).await;
    let db = stack._data_dir.path().join("atende.db");
    run_sessions(&[("admin", &client)], bell_scenario(client.clone(), stack.base.clone(), db)).await;
    drop(stack);
}
