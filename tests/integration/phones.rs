//! WhatsApp numbers as WhatsApp needs them: stored as E.164 digits with the company's
//! default country added when typed without one, refused with a clear message when
//! they are no number, found by any form of the number, and converted once at start
//! when stored the old way.

use atende::engine::ingest::{Inbound, Ingested};
use atende::engine::Engine;
use rocket::http::Status;

use crate::admin_settings::settings_form;
use crate::common::{visitor_message, App, PASSWORD};

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// The names a contact list page shows, in order.
fn listed_names(body: &str) -> Vec<String> {
    let re = regex_lite::Regex::new(r#"<a href="/agent/contacts/\d+" dir="auto">([^<]*)"#).unwrap();
    re.captures_iter(body).map(|c| c[1].to_string()).collect()
}

async fn search(app: &App, q: &str) -> Vec<String> {
    listed_names(&app.get(&format!("/agent/contacts?q={}", atende::web::urlencode(q))).await.body)
}

fn contact_form<'a>(name: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("name", name), ("email", ""), ("phone", phone)]
}

/// A company that asks only for the name, an administrator and an agent signed in.
async fn company(app: &App) -> App {
    app.add_user("admin", "chefe", PASSWORD).await;
    app.add_user("agent", "ana", PASSWORD).await;
    app.exec(r#"INSERT INTO settings (key, value) VALUES ('company', '{"required_contact_fields": {"name": true, "email": false, "whatsapp": false}}')"#);
    let ana = app.other_browser().await;
    ana.sign_in("ana", PASSWORD).await;
    ana
}

#[rocket::async_test]
async fn typed_numbers_are_stored_as_e164_with_the_default_country() {
    let app = App::new().await;
    let ana = company(&app).await;
    let saved = ana.post("/agent/contacts", &contact_form("Carla", "(11) 98765-4321")).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(app.sql::<String>("SELECT phone FROM contacts WHERE name = 'Carla'"), "5511987654321");
    // The page shows it as people read it; the form keeps what WhatsApp needs.
    let id: i64 = app.sql("SELECT id FROM contacts WHERE name = 'Carla'");
    let page = ana.get(&format!("/agent/contacts/{id}")).await;
    assert!(page.body.contains(r#"value="5511987654321""#), "{}", page.body);
    let list = ana.get("/agent/contacts").await;
    assert!(list.body.contains(r#"<data value="5511987654321">+55 11 98765-4321</data>"#), "{}", list.body);

    // A mobile typed without the 9th digit is stored with it; the same number again,
    // in any form, is the same contact.
    let old_form = ana.post("/agent/contacts", &contact_form("Davi", "55 21 8333-4444")).await;
    assert_eq!(old_form.status, Status::SeeOther, "{}", old_form.body);
    assert_eq!(app.sql::<String>("SELECT phone FROM contacts WHERE name = 'Davi'"), "5521983334444");
    for same in ["11987654321", "+55 11 98765-4321", "551187654321", "(11) 8765-4321"] {
        let dup = ana.post("/agent/contacts", &contact_form("Outra", same)).await;
        assert_eq!(dup.status, Status::UnprocessableEntity, "{same}");
        assert!(dup.body.contains("Já existe um contato com este número"), "{same}: {}", dup.body);
    }

    // No number at all: refused, saying what a number looks like.
    for bad in ["98765-4321", "123", "+999 1234567"] {
        let refused = ana.post("/agent/contacts", &contact_form("Erro", bad)).await;
        assert_eq!(refused.status, Status::UnprocessableEntity, "{bad}");
        assert!(refused.body.contains("Número inválido") && refused.body.contains("5511987654321"), "{bad}");
        assert!(refused.body.contains(&format!(r#"value="{bad}""#)), "what was typed stays: {bad}");
    }
    let letters = ana.post("/agent/contacts", &contact_form("Erro", "11 9876-abcd")).await;
    assert!(letters.body.contains("Use somente números"), "{}", letters.body);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts WHERE name IN ('Outra', 'Erro')"), 0);

    // Another default country, chosen on the settings page ("país padrão").
    app.sign_in("chefe", PASSWORD).await;
    let form = app.get("/admin/settings").await;
    assert!(form.body.contains(r#"<option value="BR" selected>Brasil (+55)</option>"#), "{}", form.body);
    let bad = app.post("/admin/settings", &settings_form(&[("default_country", "XX")])).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Escolha um país da lista"));
    let saved = app.post("/admin/settings", &settings_form(&[("default_country", "PT")])).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let lisbon = ana.post("/agent/contacts", &contact_form("Inês", "912 345 678")).await;
    assert_eq!(lisbon.status, Status::SeeOther, "{}", lisbon.body);
    assert_eq!(app.sql::<String>("SELECT phone FROM contacts WHERE name = 'Inês'"), "351912345678");
    // With its country code, a number of any country is read as such.
    let brazil = ana.post("/agent/contacts", &contact_form("Bruno", "55 11 91234-5678")).await;
    assert_eq!(brazil.status, Status::SeeOther, "{}", brazil.body);
    assert_eq!(app.sql::<String>("SELECT phone FROM contacts WHERE name = 'Bruno'"), "5511912345678");
}

#[rocket::async_test]
async fn every_form_of_a_number_finds_the_contact() {
    let app = App::new().await;
    let ana = company(&app).await;
    // Stored with the 9th digit (typed today) and without it (as an old WhatsApp
    // account arrives), plus a landline and a contact of another country.
    app.exec(
        "INSERT INTO contacts (name, phone, created_at, updated_at) VALUES
           ('Carla Com Nono', '5511987654321', 0, 0),
           ('Davi Sem Nono', '552133334444', 0, 0),
           ('Loja Fixo', '551130304040', 0, 0),
           ('John', '14155550100', 0, 0);",
    );
    let carla = [
        "5511987654321",
        "551187654321",
        "+55 11 98765-4321",
        "+55 (11) 8765-4321",
        "11987654321",
        "1187654321",
        "(11) 98765-4321",
        "(11) 8765-4321",
        "11 98765.4321",
        "98765-4321",
    ];
    for typed in carla {
        assert_eq!(search(&ana, typed).await, vec!["Carla Com Nono"], "{typed}");
    }
    for typed in ["552133334444", "5521933334444", "21 93333-4444", "(21) 3333-4444", "+55 21 9 3333 4444"] {
        assert_eq!(search(&ana, typed).await, vec!["Davi Sem Nono"], "{typed}");
    }
    assert_eq!(search(&ana, "(11) 3030-4040").await, vec!["Loja Fixo"]);
    assert_eq!(search(&ana, "+1 415 555 0100").await, vec!["John"]);
    // Other numbers find nobody; names still search names.
    for typed in ["11987654322", "(21) 98765-4321", "99999"] {
        assert!(search(&ana, typed).await.is_empty(), "{typed}");
    }
    assert_eq!(search(&ana, "carla").await, vec!["Carla Com Nono"]);
}

#[rocket::async_test]
async fn numbers_stored_the_old_way_are_converted_once_at_start() {
    let app = App::new().await;
    let ana = company(&app).await;
    app.exec(
        "INSERT INTO contacts (name, phone, created_at, updated_at) VALUES
           ('Sem País', '11987654321', 0, 0), ('Fixo', '2133334444', 0, 0),
           ('Já Certo', '5511912345678', 0, 0), ('Não É Número', '12345', 0, 0);
         UPDATE users SET phone = '11955554444' WHERE username = 'ana';
         DELETE FROM one_time_steps;",
    );
    // A second instance on the same data directory is a restart.
    let restarted = app.other_browser().await;
    let phone = |name: &str| app.sql::<String>(&format!("SELECT phone FROM contacts WHERE name = '{name}'"));
    assert_eq!(phone("Sem País"), "5511987654321");
    assert_eq!(phone("Fixo"), "552133334444");
    assert_eq!(phone("Já Certo"), "5511912345678");
    assert_eq!(phone("Não É Número"), "12345", "what reads as no number stays");
    assert_eq!(app.sql::<String>("SELECT phone FROM users WHERE username = 'ana'"), "5511955554444");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM one_time_steps WHERE name = 'phones-e164'"), 1);
    let logged: String = app.sql("SELECT details FROM audit_log WHERE action = 'contact.phones-e164'");
    assert!(logged.contains(r#""contacts":2"#) && logged.contains(r#""users":1"#), "{logged}");
    // Once: a later start leaves numbers alone.
    app.exec("UPDATE contacts SET phone = '11987654321' WHERE name = 'Sem País'");
    drop(restarted.other_browser().await);
    assert_eq!(phone("Sem País"), "11987654321");
    // The converted number is found by its old form.
    app.exec("UPDATE contacts SET phone = '5511987654321' WHERE name = 'Sem País'");
    assert_eq!(search(&ana, "11987654321").await, vec!["Sem País"]);
}

#[rocket::async_test]
async fn a_channels_number_gets_the_country_code_too() {
    let app = App::new().await;
    app.exec(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'SAC', 'manual', 0);
         INSERT INTO channels (id, kind, name, key, default_team_id, created_at) VALUES (1, 'webchat', 'Site', 'k', 1, 0);",
    );
    for (key, given) in [("a", "(11) 98765-4321"), ("b", "551187654321"), ("c", "12345")] {
        let inbound =
            Inbound { contact_phone: given.into(), ..visitor_message(1, key, &format!("Visitante {key}"), "oi") };
        assert!(matches!(engine(&app).ingest(inbound).await.unwrap(), Ingested::Stored { .. }));
    }
    let phone = |name: &str| app.sql::<String>(&format!("SELECT phone FROM contacts WHERE name = '{name}'"));
    assert_eq!(phone("Visitante a"), "5511987654321");
    assert_eq!(phone("Visitante b"), "551187654321", "kept as the channel knows it");
    assert_eq!(phone("Visitante c"), "12345", "never refused: the message must not be lost");
}

/// Every form that takes a number reads it the same way: a user's phone on the admin
/// page and one's own on the profile are stored like a contact's, in E.164 with the
/// default country, and refused with the same messages.
#[rocket::async_test]
async fn a_users_phone_is_read_like_a_contacts() {
    let app = App::new().await;
    let ana = company(&app).await;
    let ana_id: i64 = app.sql("SELECT id FROM users WHERE username = 'ana'");
    app.sign_in("chefe", PASSWORD).await;
    let user_page = format!("/admin/users/{ana_id}");
    let edit = |phone: &'static str| {
        let (app, path) = (&app, user_page.clone());
        async move {
            let fields = [
                ("name", "Ana"),
                ("email", "ana@empresa.test"),
                ("role", "agent"),
                ("phone", phone),
                ("extension", ""),
                ("allowed_networks", ""),
            ];
            app.post(&path, &fields).await
        }
    };
    let phone_of = || app.sql::<String>(&format!("SELECT phone FROM users WHERE id = {ana_id}"));

    let saved = edit("(11) 98765-4321").await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(phone_of(), "5511987654321");
    assert!(app.get(&user_page).await.body.contains(r#"value="5511987654321""#));
    let letters = edit("ramal 2041").await;
    assert_eq!(letters.status, Status::UnprocessableEntity);
    assert!(letters.body.contains("Use somente números") && letters.body.contains(r#"id="phone-error""#));
    assert!(letters.body.contains(r#"value="ramal 2041""#), "what was typed stays");
    let impossible = edit("123").await;
    assert_eq!(impossible.status, Status::UnprocessableEntity);
    assert!(impossible.body.contains("Número inválido"), "{}", impossible.body);
    assert_eq!(phone_of(), "5511987654321", "nothing saved");
    assert_eq!(edit("").await.status, Status::SeeOther, "a phone is optional");
    assert_eq!(phone_of(), "");

    // The profile takes the same rules, in the company's default country.
    let bad = ana.post("/account/profile", &[("extension", ""), ("phone", "ramal 2041"), ("language", "")]).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Use somente números"));
    let saved = app.post("/admin/settings", &settings_form(&[("default_country", "PT")])).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let lisbon = ana.post("/account/profile", &[("extension", ""), ("phone", "912 345 678"), ("language", "")]).await;
    assert_eq!(lisbon.status, Status::SeeOther, "{}", lisbon.body);
    assert_eq!(phone_of(), "351912345678");
    assert_eq!(edit("21 123 4567").await.status, Status::SeeOther);
    assert_eq!(phone_of(), "351211234567", "the admin page reads it in Portugal too");
}
