//! One rule for e-mail addresses wherever one comes in: accounts (and signing in with
//! one), contacts, the SMTP sender. The web chat's pre-chat form is in `webchat`.

use rocket::http::Status;

use crate::admin_settings::settings_form;
use crate::admin_users::edit_fields;
use crate::common::{App, PASSWORD};
use crate::fake_smtp::FakeSmtp;
use crate::links::use_smtp_from;

const REFUSED: [&str; 8] = [
    "a@b.com,c@d.com",
    "a@b.com;c@d.com",
    "Ana <ana@x.com>",
    "ana@@x.com",
    "ana@x",
    ".ana@x.com",
    "ana..maria@x.com",
    "\"ana\"@x.com",
];

#[rocket::async_test]
async fn accounts_take_one_address_normalised_and_sign_in_with_it() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    for typed in REFUSED {
        let refused = app
            .post("/admin/users", &[("name", "Zeca"), ("username", "zeca"), ("email", typed), ("role", "agent")])
            .await;
        assert_eq!(refused.status, Status::UnprocessableEntity, "{typed}");
        assert!(refused.body.contains(r#"id="email-error""#), "{typed}: {}", refused.body);
    }
    let created = app
        .post(
            "/admin/users",
            &[("name", "Zeca"), ("username", "zeca"), ("email", "Zeca@AÇAÍ.Com.BR"), ("role", "agent")],
        )
        .await;
    assert_eq!(created.status, Status::Created, "{}", created.body);
    let id: i64 = app.sql("SELECT id FROM users WHERE username = 'zeca'");
    assert_eq!(app.sql::<String>(&format!("SELECT email FROM users WHERE id = {id}")), "Zeca@açaí.com.br");
    // The same address typed otherwise is taken.
    let again = app
        .post(
            "/admin/users",
            &[("name", "Outro"), ("username", "outro"), ("email", "zeca@açaí.com.br"), ("role", "agent")],
        )
        .await;
    assert_eq!(again.status, Status::UnprocessableEntity);
    // Editing normalises too; signing in finds the account however the domain is typed.
    let edited = app.post(&format!("/admin/users/{id}"), &edit_fields("Zeca", "Zeca@LOJA.com.br", "agent", "")).await;
    assert_eq!(edited.status, Status::SeeOther, "{}", edited.body);
    assert_eq!(app.sql::<String>(&format!("SELECT email FROM users WHERE id = {id}")), "Zeca@loja.com.br");
    app.exec(&format!(
        "UPDATE users SET email = 'bia@açaí.com.br' WHERE id = {}",
        app.add_user("agent", "bia", PASSWORD).await
    ));
    let bia = app.other_browser().await;
    bia.sign_in("bia@AÇAÍ.com.br", PASSWORD).await;
}

#[rocket::async_test]
async fn contacts_take_one_address_normalised() {
    let app = App::new().await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    for typed in REFUSED {
        let refused =
            app.post("/agent/contacts", &[("name", "Maria"), ("email", typed), ("phone", "5511987654321")]).await;
        assert_eq!(refused.status, Status::UnprocessableEntity, "{typed}");
        assert!(refused.body.contains(r#"id="email-error""#), "{typed}: {}", refused.body);
    }
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 0);
    let saved = app
        .post(
            "/agent/contacts",
            &[("name", "Maria"), ("email", " Maria.Souza+pedidos@Empresa.COM.BR"), ("phone", "5511987654321")],
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(app.sql::<String>("SELECT email FROM contacts"), "Maria.Souza+pedidos@empresa.com.br");
}

#[rocket::async_test]
async fn the_smtp_sender_is_one_address_normalised() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let form = |from| settings_form(&[("smtp_host", "smtp.exemplo.com"), ("smtp_from_address", from)]);
    for typed in ["loja@localhost", "Loja <loja@exemplo>", "Loja <.loja@exemplo.com>", "loja@exemplo..com"] {
        let refused = app.post("/admin/settings", &form(typed)).await;
        assert_eq!(refused.status, Status::UnprocessableEntity, "{typed}");
    }
    let saved = app.post("/admin/settings", &form("Loja <Loja@EXEMPLO.com>")).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let stored: String = app.sql("SELECT value FROM settings");
    assert!(stored.contains("Loja <Loja@exemplo.com>"), "{stored}");
}

#[rocket::async_test]
async fn mail_to_an_internationalised_domain_travels_in_punycode() {
    let app = App::new().await;
    let smtp = FakeSmtp::start();
    use_smtp_from(&app, &smtp, "Loja <loja@açaí.com.br>");
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let created = app
        .post(
            "/admin/users",
            &[("name", "Zeca"), ("username", "zeca"), ("email", "zeca@açaí.com.br"), ("role", "agent")],
        )
        .await;
    assert_eq!(created.status, Status::Created, "{}", created.body);
    assert!(!created.body.contains("/password/set?token="), "e-mailed, not shown: {}", created.body);
    let mail = smtp.wait_for(1).remove(0);
    let punycode = atende::domain::email::ascii("zeca@açaí.com.br").unwrap();
    assert!(punycode.is_ascii() && punycode.starts_with("zeca@xn--"), "{punycode}");
    assert_eq!(mail.to, vec![punycode]);
    assert_eq!(mail.from, atende::domain::email::ascii("loja@açaí.com.br").unwrap());
}

/// One address typed the same way into every form that takes one — with a character
/// copied along that nobody sees — is stored the same way, and a bad one gets the same
/// message everywhere.
#[rocket::async_test]
async fn every_form_reads_an_address_the_same_way() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana_id = app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let typed = "Zeca@EMPRESA.com.br\u{200B}";
    let stored = "Zeca@empresa.com.br";
    let message = "Informe um e-mail válido";

    let user = app.post(&format!("/admin/users/{ana_id}"), &edit_fields("Ana", typed, "agent", "")).await;
    assert_eq!(user.status, Status::SeeOther, "{}", user.body);
    assert_eq!(app.sql::<String>(&format!("SELECT email FROM users WHERE id = {ana_id}")), stored);
    let bad = app.post(&format!("/admin/users/{ana_id}"), &edit_fields("Ana", "zeca@", "agent", "")).await;
    assert!(bad.status == Status::UnprocessableEntity && bad.body.contains(message), "{}", bad.body);

    let contact = app.post("/agent/contacts", &[("name", "Zeca"), ("email", typed), ("phone", "5511987654321")]).await;
    assert_eq!(contact.status, Status::SeeOther, "{}", contact.body);
    assert_eq!(app.sql::<String>("SELECT email FROM contacts"), stored);
    let bad = app.post("/agent/contacts", &[("name", "Zeca"), ("email", "zeca@"), ("phone", "5511987654322")]).await;
    assert!(bad.status == Status::UnprocessableEntity && bad.body.contains(message), "{}", bad.body);

    let sender = |from| settings_form(&[("smtp_host", "smtp.exemplo.com"), ("smtp_from_address", from)]);
    let named = format!("Loja <{typed}>");
    let saved = app.post("/admin/settings", &sender(&named)).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert!(app.sql::<String>("SELECT value FROM settings").contains(&format!("Loja <{stored}>")));
    let bad = app.post("/admin/settings", &sender("Loja <zeca@>")).await;
    assert!(bad.status == Status::UnprocessableEntity && bad.body.contains(message), "{}", bad.body);

    let ana = app.other_browser().await;
    ana.sign_in("ana", PASSWORD).await;
    let bad = ana.post("/account/email", &[("new_email", "zeca@"), ("current_password", PASSWORD)]).await;
    assert!(bad.status == Status::UnprocessableEntity && bad.body.contains(message), "{}", bad.body);
    app.exec(&format!("UPDATE users SET email = 'ana@empresa.test' WHERE id = {ana_id}"));
    let changed =
        ana.post("/account/email", &[("new_email", "Ana@EMPRESA.test\u{200B}"), ("current_password", PASSWORD)]).await;
    assert_eq!(changed.status, Status::SeeOther, "{}", changed.body);
    assert_eq!(app.sql::<String>(&format!("SELECT email FROM users WHERE id = {ana_id}")), "Ana@empresa.test");
}
