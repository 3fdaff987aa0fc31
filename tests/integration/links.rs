//! One-time links: the first-administrator setup link, "cadastrar senha" links for new
//! accounts (delivered through a fake SMTP server) and "Esqueceu a senha?".

use atende::accounts::links;
use rocket::http::Status;

use crate::common::{extract, App, PASSWORD};
use crate::fake_smtp::FakeSmtp;

/// Points the company's SMTP settings at the fake server.
pub fn use_smtp(app: &App, smtp: &FakeSmtp) {
    use_smtp_from(app, smtp, "Atende <atende@empresa.test>");
}

pub fn use_smtp_from(app: &App, smtp: &FakeSmtp, from: &str) {
    app.change_settings(|s| {
        s.smtp.host = "127.0.0.1".into();
        s.smtp.port = smtp.port;
        s.smtp.security = "none".into();
        s.smtp.from_address = from.into();
    });
}

/// The set-password link in a received e-mail (decoded as a mail reader would).
fn link_in(raw: &str) -> String {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("parseable e-mail");
    let body = message.body_text(0).expect("text body").to_string();
    extract(&body, r"(http://[^\s]+/password/set\?token=[A-Za-z0-9_-]+)").expect("link in the e-mail")
}

fn path_of(url: &str) -> String {
    url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap()
}

#[rocket::async_test]
async fn setup_link_creates_the_first_admin_once() {
    let app = App::new().await;
    let token = links::setup_token_if_needed(app.db()).unwrap().expect("no admin yet: a token");
    let form = app.get(&format!("/setup?token={token}")).await;
    assert_eq!(form.status, Status::Ok);
    assert!(form.body.contains("Criar o primeiro administrador"));

    let fields = |password: &'static str| {
        vec![
            ("token", token.clone()),
            ("name", "Maria Gerente".into()),
            ("username", "maria".into()),
            ("email", "maria@empresa.test".into()),
            ("password", password.into()),
            ("password_confirm", password.into()),
        ]
    };

    let weak = fields("123");
    let page = app.post("/setup", &as_refs(&weak)).await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("pelo menos 10 caracteres"));
    assert!(page.body.contains(r#"value="maria@empresa.test""#), "typed values are kept");

    let good = fields(PASSWORD);
    let created = app.post("/setup", &as_refs(&good)).await;
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
    assert_eq!(app.login("maria", PASSWORD).await.location.as_deref(), Some("/admin"));

    // The link is dead now, and no new one is made while an administrator exists.
    let again = app.post("/setup", &as_refs(&good)).await;
    assert_eq!(again.status, Status::Gone);
    assert_eq!(app.get(&format!("/setup?token={token}")).await.status, Status::Gone);
    assert!(links::setup_token_if_needed(app.db()).unwrap().is_none());
    assert_eq!(app.get("/setup?token=made-up").await.status, Status::Gone);
}

#[rocket::async_test]
async fn a_refused_setup_leaves_the_link_usable() {
    let app = App::new().await;
    // The only administrator was deactivated: the company needs a new first one.
    app.add_user("admin", "maria", PASSWORD).await;
    app.exec("UPDATE users SET active = 0");
    let token = links::setup_token_if_needed(app.db()).unwrap().expect("no active admin: a token");
    let fields = |username: &'static str, email: &'static str| {
        vec![
            ("token", token.clone()),
            ("name", "Maria Gerente".into()),
            ("username", username.into()),
            ("email", email.into()),
            ("password", PASSWORD.into()),
            ("password_confirm", PASSWORD.into()),
        ]
    };
    let taken = fields("maria", "maria.gerente@empresa.test");
    let page = app.post("/setup", &as_refs(&taken)).await;
    assert_eq!(page.status, Status::UnprocessableEntity, "the username is taken");
    assert_eq!(app.get(&format!("/setup?token={token}")).await.status, Status::Ok, "the link still works");
    let good = fields("maria.gerente", "maria.gerente@empresa.test");
    assert_eq!(app.post("/setup", &as_refs(&good)).await.status, Status::SeeOther);
    assert_eq!(app.login("maria.gerente", PASSWORD).await.location.as_deref(), Some("/admin"));
}

#[rocket::async_test]
async fn new_account_receives_the_link_by_email_and_sets_a_password() {
    let app = App::new().await;
    let smtp = FakeSmtp::start();
    use_smtp(&app, &smtp);
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;

    let created = app
        .post(
            "/admin/users",
            &[("name", "João Novo"), ("username", "joao"), ("email", "joao@empresa.test"), ("role", "agent")],
        )
        .await;
    assert_eq!(created.status, Status::Created, "{}", created.body);
    assert!(created.body.contains("joao@empresa.test"));
    assert!(!created.body.contains("/password/set?token="), "with SMTP the link is e-mailed, not shown");

    let mail = smtp.wait_for(1).remove(0);
    assert_eq!(mail.to, vec!["joao@empresa.test".to_string()]);
    assert_eq!(mail.from, "atende@empresa.test");
    assert!(mail.data.contains("cadastre sua senha"), "{}", mail.data);
    let link = link_in(&mail.data);

    let newcomer = app.other_browser().await;
    let form = newcomer.get(&path_of(&link)).await;
    assert_eq!(form.status, Status::Ok);
    assert!(form.body.contains("joao@empresa.test"));
    let token = extract(&link, r"token=([A-Za-z0-9_-]+)").unwrap();
    let mismatch = newcomer
        .post(
            "/password/set",
            &[("token", &token), ("password", "minha-senha-9"), ("password_confirm", "outra-senha-9")],
        )
        .await;
    assert!(mismatch.body.contains("As senhas digitadas não são iguais."));
    let set = newcomer
        .post(
            "/password/set",
            &[("token", &token), ("password", "minha-senha-9"), ("password_confirm", "minha-senha-9")],
        )
        .await;
    assert_eq!(set.status, Status::SeeOther);
    assert_eq!(newcomer.login("joao", "minha-senha-9").await.location.as_deref(), Some("/agent"));

    // Single use.
    let reuse = newcomer.get(&path_of(&link)).await;
    assert_eq!(reuse.status, Status::Gone);
    assert!(reuse.body.contains("Este link já foi usado."));
}

#[rocket::async_test]
async fn without_smtp_the_admin_sees_the_link_to_hand_over() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let created = app
        .post("/admin/users", &[("name", "Lia"), ("username", "lia"), ("email", "lia@empresa.test"), ("role", "agent")])
        .await;
    assert_eq!(created.status, Status::Created);
    let link =
        extract(&created.body, r#"value="(http://[^"]+/password/set\?token=[A-Za-z0-9_-]+)""#).expect("link shown");
    let other = app.other_browser().await;
    assert_eq!(other.get(&path_of(&link)).await.status, Status::Ok);
}

#[rocket::async_test]
async fn expired_link_explains_and_offers_a_new_one() {
    let app = App::new().await;
    let id = app.add_user("agent", "ana", PASSWORD).await;
    let token = links::issue_set_password(app.db(), id).await.unwrap();
    app.exec("UPDATE one_time_links SET expires_at = 1");
    let page = app.get(&format!("/password/set?token={token}")).await;
    assert_eq!(page.status, Status::Gone);
    assert!(page.body.contains("Este link expirou."));
    assert!(page.body.contains(r#"href="/password/forgot""#));
    let post = app
        .post(
            "/password/set",
            &[("token", &token), ("password", "nova-senha-2027"), ("password_confirm", "nova-senha-2027")],
        )
        .await;
    assert_eq!(post.status, Status::Gone);
    assert_eq!(app.login("ana", PASSWORD).await.status, Status::SeeOther, "old password unchanged");
}

#[rocket::async_test]
async fn forgot_password_answers_the_same_for_unknown_addresses() {
    let app = App::new().await;
    let smtp = FakeSmtp::start();
    use_smtp(&app, &smtp);
    app.add_user("agent", "ana", PASSWORD).await;

    let unknown = app.post("/password/forgot", &[("email", "ninguem@empresa.test")]).await;
    let known = app.post("/password/forgot", &[("email", "ana@empresa.test")]).await;
    assert_eq!(unknown.status, Status::Ok);
    assert_eq!(known.status, unknown.status);
    let text = |b: &str| extract(b, r"<h1>([^<]+)</h1>").unwrap() + &extract(b, r"<p>(Se houver[^<]+)</p>").unwrap();
    assert_eq!(text(&known.body), text(&unknown.body));

    let mails = smtp.wait_for(1);
    assert_eq!(mails.len(), 1, "only the real account gets mail");
    assert_eq!(mails[0].to, vec!["ana@empresa.test".to_string()]);
    let link = link_in(&mails[0].data);
    let token = extract(&link, r"token=([A-Za-z0-9_-]+)").unwrap();

    // Resetting ends any open session and lifts a lockout.
    app.sign_in("ana", PASSWORD).await;
    let other = app.other_browser().await;
    let done = other
        .post(
            "/password/set",
            &[("token", &token), ("password", "recuperada-2027"), ("password_confirm", "recuperada-2027")],
        )
        .await;
    assert_eq!(done.status, Status::SeeOther);
    assert_eq!(app.get("/agent").await.status, Status::SeeOther, "old session ended");
    assert_eq!(other.login("ana", "recuperada-2027").await.status, Status::SeeOther);
}

fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
