//! "Filtro de palavras", "Tags", "Frases padrão", "Modelos de mensagem" and
//! "Campos de contato": create, validate (nothing half-saved), edit, delete, audit.

use rocket::http::{Header, Status};

use crate::common::{encode, App, PASSWORD};
use crate::pages::Check;

async fn signed_in_admin() -> App {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    app
}

fn add_team(app: &App, name: &str) -> i64 {
    app.exec(&format!("INSERT INTO teams (name, created_at) VALUES ('{name}', 0)"));
    app.sql(&format!("SELECT id FROM teams WHERE name = '{name}'"))
}

fn count(app: &App, table: &str) -> i64 {
    app.sql(&format!("SELECT count(*) FROM {table}"))
}

/// Posts as htmx does (header token, `HX-Request`), returning status, `HX-Redirect` and body.
async fn htmx_post(app: &App, path: &str, fields: &[(&str, &str)]) -> (Status, Option<String>, String) {
    let (page, hx) = app.hx_post(path, fields).await;
    (page.status, hx.redirect, page.body)
}

// ---------------------------------------------------------------- word filter

fn add_terms<'a>(kind: &'a str, terms: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("kind", kind), ("terms", terms)]
}

#[rocket::async_test]
async fn word_filter_terms_are_added_skipped_and_deleted() {
    let app = signed_in_admin().await;
    let page = app.get("/admin/word-filter").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Palavras bloqueadas") && page.body.contains("Termos que não abrem atendimento"));

    let saved = app.post("/admin/word-filter", &add_terms("blocked", "porra\n\n  Vai   se  \nPÔRRA\r\n")).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let location = saved.location.unwrap();
    assert_eq!(location, "/admin/word-filter?added=2&skipped=1");
    let terms: String = app
        .sql("SELECT group_concat(term, '|') FROM (SELECT term FROM word_filter WHERE kind = 'blocked' ORDER BY id)");
    assert_eq!(terms, "porra|Vai se", "trimmed, inner spaces made one, the accented duplicate skipped");
    let note = app.get(&location).await;
    assert!(note.body.contains("2 termos incluídos."), "{}", note.body);
    assert!(note.body.contains("1 termo já estava na lista e foi ignorado."));

    let again = app.post("/admin/word-filter", &add_terms("blocked", "PORRA")).await;
    assert_eq!(again.location.as_deref(), Some("/admin/word-filter?added=0&skipped=1"));
    let ignore = app.post("/admin/word-filter", &add_terms("ignore", "obrigado\nok\n👍\nporra")).await;
    assert_eq!(ignore.location.as_deref(), Some("/admin/word-filter?added=4&skipped=0"), "lists are separate");
    let page = app.get("/admin/word-filter").await;
    assert!(page.body.contains("👍") && page.body.contains("Vai se"));

    // Refusals save nothing, not even the good lines, and keep what was typed.
    let before = count(&app, "word_filter");
    let empty = app.post("/admin/word-filter", &add_terms("blocked", " \n \n")).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert!(empty.body.contains("Preencha este campo."));
    let long = "x".repeat(61);
    let too_long = app.post("/admin/word-filter", &add_terms("ignore", &format!("valeu\n{long}"))).await;
    assert_eq!(too_long.status, Status::UnprocessableEntity);
    assert!(too_long.body.contains("Cada termo pode ter no máximo 60 caracteres."));
    assert!(too_long.body.contains(&format!("valeu\n{long}</textarea>")), "typed terms kept");
    assert!(too_long.body.contains(r#"id="terms-ignore" name="terms" rows="4" required aria-invalid="true""#));
    assert!(
        !too_long.body.contains(r#"id="terms-blocked" name="terms" rows="4" required aria-invalid"#),
        "only that form"
    );
    let bad_kind = app.post("/admin/word-filter", &add_terms("other", "valeu")).await;
    assert_eq!(bad_kind.status, Status::UnprocessableEntity);
    assert!(bad_kind.body.contains("Escolha em qual lista incluir os termos."));
    assert_eq!(count(&app, "word_filter"), before, "nothing half-saved");

    // htmx: errors come back as 422 with the form to swap in; saves as HX-Redirect.
    let (status, _, body) = htmx_post(&app, "/admin/word-filter", &add_terms("blocked", "")).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body.contains(r#"id="word-filter-blocked""#));
    let (status, redirect, _) = htmx_post(&app, "/admin/word-filter", &add_terms("blocked", "droga")).await;
    assert_eq!((status, redirect.as_deref()), (Status::Ok, Some("/admin/word-filter?added=1&skipped=0")));

    let id: i64 = app.sql("SELECT id FROM word_filter WHERE term = 'porra' AND kind = 'blocked'");
    let deleted = app.post(&format!("/admin/word-filter/{id}/delete"), &[]).await;
    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM word_filter WHERE term = 'porra'"), 1, "the ignore term stays");
    assert_eq!(app.post(&format!("/admin/word-filter/{id}/delete"), &[]).await.status, Status::NotFound);

    let added: String = app.sql("SELECT details FROM audit_log WHERE action = 'word_filter.add' ORDER BY id LIMIT 1");
    assert!(added.contains("Vai se") && added.contains("blocked"), "{added}");
    let removed: String = app.sql("SELECT details FROM audit_log WHERE action = 'word_filter.delete'");
    assert!(removed.contains(r#""term":"porra""#) && removed.contains(r#""after":null"#), "{removed}");
}

#[rocket::async_test]
async fn word_filter_window_is_validated_and_saved() {
    let app = signed_in_admin().await;
    let page = app.get("/admin/word-filter").await;
    assert!(page.body.contains(r#"name="window_minutes" type="number" value="10""#), "default 10 minutes");

    let zero = app.post("/admin/word-filter/window", &[("window_minutes", "0")]).await;
    assert_eq!(zero.status, Status::UnprocessableEntity);
    assert!(zero.body.contains("Valor fora do intervalo permitido."));
    assert!(zero.body.contains(r#"value="0""#), "typed value kept");
    let words = app.post("/admin/word-filter/window", &[("window_minutes", "dez")]).await;
    assert!(words.body.contains("Informe um número inteiro."));
    let empty = app.post("/admin/word-filter/window", &[("window_minutes", "")]).await;
    assert!(empty.body.contains("Preencha este campo."));

    let saved = app.post("/admin/word-filter/window", &[("window_minutes", " 15 ")]).await;
    assert_eq!(saved.status, Status::SeeOther);
    assert_eq!(saved.location.as_deref(), Some("/admin/word-filter?saved=true"));
    assert_eq!(app.sql::<i64>("SELECT value ->> '$.ignore_window_minutes' FROM settings WHERE key = 'company'"), 15);
    let page = app.get("/admin/word-filter?saved=true").await;
    assert!(page.body.contains("Tempo salvo.") && page.body.contains(r#"value="15""#));
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'word_filter.window'");
    assert!(details.contains(r#""before":{"ignore_window_minutes":10}"#), "{details}");
    assert!(details.contains(r#""after":{"ignore_window_minutes":15}"#), "{details}");
    let company: String = app.sql("SELECT value ->> '$.company_name' FROM settings WHERE key = 'company'");
    assert_eq!(company, "Atende", "other settings untouched");
}

// ---------------------------------------------------------------- tags

fn tag<'a>(name: &'a str, color: &'a str, team: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("name", name), ("color", color), ("team_id", team)]
}

#[rocket::async_test]
async fn tags_are_validated_saved_edited_and_deleted() {
    let app = signed_in_admin().await;
    let suporte = add_team(&app, "Suporte").to_string();
    let vendas = add_team(&app, "Vendas").to_string();

    let empty = app.post("/admin/tags", &tag("", "", "")).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert_eq!(empty.body.matches("Preencha este campo.").count(), 2);
    let bad = app.post("/admin/tags", &tag("Urgente", "vermelho", "")).await;
    assert!(bad.body.contains("Informe uma cor no formato #rrggbb"));
    assert!(bad.body.contains(r#"value="Urgente""#), "typed values kept");
    let short_hex = app.post("/admin/tags", &tag("Urgente", "#f00", "")).await;
    assert!(short_hex.body.contains("Informe uma cor no formato #rrggbb"));
    let long = app.post("/admin/tags", &tag(&"a".repeat(41), "#ff0000", "")).await;
    assert!(long.body.contains("Texto longo demais."));
    let ghost_team = app.post("/admin/tags", &tag("Urgente", "#ff0000", "999")).await;
    assert_eq!(ghost_team.status, Status::UnprocessableEntity);
    assert!(ghost_team.body.contains("Escolha uma equipe da lista."));
    let garbage_team = app.post("/admin/tags", &tag("Urgente", "#ff0000", "abc")).await;
    assert!(garbage_team.body.contains("Escolha uma equipe da lista."));
    assert_eq!(count(&app, "tags"), 0, "nothing half-saved");

    let ok = app.post("/admin/tags", &tag("Urgente", "#FF0000", "")).await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    assert_eq!(app.sql::<String>("SELECT color FROM tags WHERE name = 'Urgente'"), "#ff0000");
    let dup = app.post("/admin/tags", &tag("urgênte", "#00ff00", "")).await;
    assert!(dup.body.contains("Já existe uma tag com este nome"));
    let dup_team = app.post("/admin/tags", &tag("URGENTE", "#00ff00", &suporte)).await;
    assert!(dup_team.body.contains("Já existe uma tag com este nome"), "an all-teams tag clashes with a team's");

    assert_eq!(app.post("/admin/tags", &tag("VIP", "#aa00aa", &suporte)).await.status, Status::SeeOther);
    assert_eq!(app.post("/admin/tags", &tag("VIP", "#aa00aa", &vendas)).await.status, Status::SeeOther, "other team");
    let dup_vip = app.post("/admin/tags", &tag("vip", "#aa00aa", &suporte)).await;
    assert!(dup_vip.body.contains("Já existe uma tag com este nome"));
    let vip_all = app.post("/admin/tags", &tag("Vip", "#aa00aa", "")).await;
    assert!(vip_all.body.contains("Já existe uma tag com este nome"), "an all-teams tag clashes with any team's");
    assert_eq!(count(&app, "tags"), 3);

    let list = app.get("/admin/tags").await;
    assert!(list.body.contains(r##"fill="#ff0000""##), "swatch as an attribute");
    assert!(list.body.contains("Suporte") && list.body.contains("Vendas") && list.body.contains("Todas as equipes"));
    assert!(!list.body.contains("style="), "no inline styles (CSP)");
    let search = app.get("/admin/tags?q=urg").await;
    assert!(search.body.contains("Urgente") && !search.body.contains("VIP"));

    let id: i64 = app.sql("SELECT id FROM tags WHERE name = 'Urgente'");
    let form = app.get(&format!("/admin/tags/{id}")).await;
    assert!(form.body.contains(r##"value="#ff0000""##));
    let (status, redirect, _) =
        htmx_post(&app, &format!("/admin/tags/{id}"), &tag("Muito urgente", "#cc0000", &vendas)).await;
    assert_eq!((status, redirect.as_deref()), (Status::Ok, Some("/admin/tags")));
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT team_id FROM tags WHERE id = {id}")), vendas.parse().ok());
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'tag.update'");
    assert!(details.contains(r##""color":"#ff0000""##) && details.contains(r##""color":"#cc0000""##), "{details}");
    let clash = app.post(&format!("/admin/tags/{id}"), &tag("VIP", "#cc0000", &vendas)).await;
    assert_eq!(clash.status, Status::UnprocessableEntity);
    let itself = app.post(&format!("/admin/tags/{id}"), &tag("muito urgente", "#cc0000", &vendas)).await;
    assert_eq!(itself.status, Status::SeeOther, "a tag does not clash with itself");

    assert_eq!(app.post(&format!("/admin/tags/{id}/delete"), &[]).await.status, Status::SeeOther);
    assert_eq!(count(&app, "tags"), 2);
    assert_eq!(app.get(&format!("/admin/tags/{id}")).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/tags/{id}"), &tag("X", "#000000", "")).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/tags/{id}/delete"), &[]).await.status, Status::NotFound);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action LIKE 'tag.%'"), 6);
}

// ---------------------------------------------------------------- canned phrases

fn phrase<'a>(shortcut: &'a str, text: &'a str, team: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("shortcut", shortcut), ("text", text), ("team_id", team)]
}

#[rocket::async_test]
async fn phrases_are_validated_saved_edited_and_deleted() {
    let app = signed_in_admin().await;
    let suporte = add_team(&app, "Suporte").to_string();

    let empty = app.post("/admin/phrases", &phrase("", "", "")).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert_eq!(empty.body.matches("Preencha este campo.").count(), 2);
    for bad in ["a", "com espaço", "ponto.final", &"x".repeat(31)] {
        let refused = app.post("/admin/phrases", &phrase(bad, "Olá!", "")).await;
        assert!(refused.body.contains("Use de 2 a 30 letras, números, hífen ou sublinhado"), "{bad}");
    }
    let unknown = app.post("/admin/phrases", &phrase("oi", "Olá {{cliente}}, tudo bem?", "")).await;
    assert_eq!(unknown.status, Status::UnprocessableEntity);
    assert!(
        unknown.body.contains("Variável desconhecida. Use apenas {{contato}}, {{agente}} ou {{protocolo}}."),
        "{}",
        unknown.body
    );
    assert!(unknown.body.contains("Olá {{cliente}}, tudo bem?</textarea>"), "typed text kept");
    let unclosed = app.post("/admin/phrases", &phrase("oi", "Olá {{contato", "")).await;
    assert!(unclosed.body.contains("Uma variável não foi fechada."));
    let long = app.post("/admin/phrases", &phrase("oi", &"a".repeat(2001), "")).await;
    assert!(long.body.contains("Texto longo demais."));
    let ghost_team = app.post("/admin/phrases", &phrase("oi", "Olá", "999")).await;
    assert!(ghost_team.body.contains("Escolha uma equipe da lista."));
    assert_eq!(count(&app, "canned_phrases"), 0, "nothing half-saved");

    let text = "Olá {{contato}}, aqui é {{ agente }}. Seu protocolo é {{protocolo}}.";
    let ok = app.post("/admin/phrases", &phrase("/saudação", text, "")).await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    assert_eq!(app.sql::<String>("SELECT shortcut FROM canned_phrases"), "saudação", "leading slash dropped");
    assert_eq!(app.sql::<Option<i64>>("SELECT owner_id FROM canned_phrases"), None);
    assert_eq!(app.sql::<Option<i64>>("SELECT team_id FROM canned_phrases"), None, "company-wide");
    let dup = app.post("/admin/phrases", &phrase("SAUDACAO", "Oi", &suporte)).await;
    assert!(dup.body.contains("Já existe uma frase com este atalho"), "visible to the same agents");
    assert_eq!(app.post("/admin/phrases", &phrase("fim_2", "Até logo!", &suporte)).await.status, Status::SeeOther);

    let list = app.get("/admin/phrases").await;
    assert!(list.body.contains("/saudação") && list.body.contains("/fim_2") && list.body.contains("Toda a empresa"));
    let search = app.get("/admin/phrases?q=logo").await;
    assert!(search.body.contains("/fim_2") && !search.body.contains("/saudação"));

    let id: i64 = app.sql("SELECT id FROM canned_phrases WHERE shortcut = 'fim_2'");
    let form = app.get(&format!("/admin/phrases/{id}")).await;
    assert!(form.body.contains("Até logo!</textarea>") && form.body.contains("<code>{{contato}}</code>"));
    let (status, redirect, _) =
        htmx_post(&app, &format!("/admin/phrases/{id}"), &phrase("fim", "Até logo, {{contato}}!", "")).await;
    assert_eq!((status, redirect.as_deref()), (Status::Ok, Some("/admin/phrases")));
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'phrase.update'");
    assert!(details.contains(r#""shortcut":"fim_2""#) && details.contains(r#""shortcut":"fim""#), "{details}");

    // Personal phrases (made by agents) are not the administrator's.
    let chefe: i64 = app.sql("SELECT id FROM users WHERE username = 'chefe'");
    app.exec(&format!("INSERT INTO canned_phrases (owner_id, shortcut, text) VALUES ({chefe}, 'minha', 'Texto')"));
    let personal: i64 = app.sql("SELECT id FROM canned_phrases WHERE shortcut = 'minha'");
    assert!(!app.get("/admin/phrases").await.body.contains("/minha"));
    assert_eq!(app.get(&format!("/admin/phrases/{personal}")).await.status, Status::NotFound);
    assert_eq!(app.post("/admin/phrases", &phrase("minha", "Outra", "")).await.status, Status::SeeOther);

    let clash = app.post(&format!("/admin/phrases/{id}"), &phrase("Saudação", "Oi", &suporte)).await;
    assert_eq!(clash.status, Status::UnprocessableEntity, "a team's shortcut clashes with a company-wide one");
    assert!(clash.body.contains("Já existe uma frase com este atalho"));
    assert_eq!(app.post(&format!("/admin/phrases/{id}"), &phrase("fim", "Tchau!", "")).await.status, Status::SeeOther);

    assert_eq!(app.post(&format!("/admin/phrases/{id}/delete"), &[]).await.status, Status::SeeOther);
    assert_eq!(app.get(&format!("/admin/phrases/{id}")).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/phrases/{id}"), &phrase("fim", "Tchau", "")).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/phrases/{id}/delete"), &[]).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/phrases/{personal}/delete"), &[]).await.status, Status::NotFound);
    assert_eq!(count(&app, "canned_phrases"), 3);
}

// ---------------------------------------------------------------- message templates

struct Tpl<'a> {
    name: &'a str,
    language: &'a str,
    header: &'a str,
    body: &'a str,
    buttons: [&'a str; 3],
}

impl<'a> Tpl<'a> {
    fn new(name: &'a str, body: &'a str) -> Tpl<'a> {
        Tpl { name, language: "pt_BR", header: "", body, buttons: ["", "", ""] }
    }

    /// Every field the form sends.
    fn fields(&self) -> Vec<(&'a str, &'a str)> {
        vec![
            ("name", self.name),
            ("language", self.language),
            ("category", "utility"),
            ("channel", "whatsapp"),
            ("header", self.header),
            ("header_format", ""),
            ("header_link", ""),
            ("body", self.body),
            ("buttons", self.buttons[0]),
            ("buttons", self.buttons[1]),
            ("buttons", self.buttons[2]),
            ("team_id", ""),
            ("active", "true"),
            ("sample", ""),
        ]
    }
}

#[rocket::async_test]
async fn templates_are_validated_saved_edited_and_deleted() {
    let app = signed_in_admin().await;
    let form = app.get("/admin/templates/new").await;
    assert_eq!(form.status, Status::Ok);
    assert!(form.body.contains(r#"hx-get="/admin/templates/preview" hx-params="not csrf_token""#));
    assert!(form.body.contains("keyup changed delay:400ms"));

    let empty = app.post("/admin/templates", &Tpl::new("", "").fields()).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert_eq!(empty.body.matches("Preencha este campo.").count(), 2);
    let bad_name = app.post("/admin/templates", &Tpl::new("Pedido Enviado", "Oi").fields()).await;
    assert!(bad_name.body.contains("Use só letras minúsculas sem acento"));
    let gap = app.post("/admin/templates", &Tpl::new("pedido", "Olá {{1}}, pedido {{3}}.").fields()).await;
    assert_eq!(gap.status, Status::UnprocessableEntity);
    assert!(gap.body.contains("Numere os parâmetros em sequência a partir de {{1}}"), "{}", gap.body);
    assert!(gap.body.contains("Olá {{1}}, pedido {{3}}.</textarea>"), "typed body kept");
    let mixed = app.post("/admin/templates", &Tpl::new("pedido", "Olá {{nome}}, pedido {{1}}").fields()).await;
    assert!(mixed.body.contains("Use parâmetros numerados ({{1}}) ou com nome ({{nome}}), não os dois"));
    let spaced = app.post("/admin/templates", &Tpl::new("pedido", "Olá {{ 1 }}").fields()).await;
    assert!(spaced.body.contains("Os parâmetros são números entre chaves duplas"));
    let long_body = "a".repeat(1025);
    let too_long = app.post("/admin/templates", &Tpl::new("pedido", &long_body).fields()).await;
    assert!(too_long.body.contains("Texto longo demais."));
    let long_header = "c".repeat(61);
    let header = app.post("/admin/templates", &Tpl { header: &long_header, ..Tpl::new("pedido", "Oi") }.fields()).await;
    assert!(header.body.contains("Texto longo demais."));
    let long_button = "b".repeat(26);
    let button = app
        .post("/admin/templates", &Tpl { buttons: ["Sim", &long_button, ""], ..Tpl::new("pedido", "Oi") }.fields())
        .await;
    assert!(button.body.contains("Cada botão pode ter no máximo 25 caracteres."));
    assert!(button.body.contains(&format!(r#"value="{long_button}""#)), "typed buttons kept");
    let repeated =
        app.post("/admin/templates", &Tpl { buttons: ["Sim", "sim", ""], ..Tpl::new("pedido", "Oi") }.fields()).await;
    assert!(repeated.body.contains("Os botões precisam ter textos diferentes."));
    let mut four = Tpl::new("pedido", "Oi").fields();
    four.push(("buttons", "Quarto"));
    four.iter_mut().filter(|f| f.0 == "buttons").for_each(|f| f.1 = "x");
    let four = app.post("/admin/templates", &four).await;
    assert!(four.body.contains("Use no máximo 3 botões."));
    let language =
        app.post("/admin/templates", &Tpl { language: "klingon", ..Tpl::new("pedido", "Oi") }.fields()).await;
    assert!(language.body.contains("Escolha uma das opções da lista."));
    let mut ghost_team = Tpl::new("pedido", "Oi").fields();
    ghost_team.retain(|f| f.0 != "team_id");
    ghost_team.push(("team_id", "999999"));
    let ghost_team = app.post("/admin/templates", &ghost_team).await;
    assert_eq!(ghost_team.status, Status::UnprocessableEntity, "a team deleted while the form was open");
    assert!(ghost_team.body.contains("Escolha uma equipe da lista."));
    let with_file = |format: &'static str, link: &'static str, header: &'static str| {
        let mut fields = Tpl { header, ..Tpl::new("boas_vindas", "Oi {{nome}}!") }.fields();
        fields.retain(|f| !matches!(f.0, "header_format" | "header_link"));
        fields.extend([("header_format", format), ("header_link", link)]);
        fields
    };
    let no_link = app.post("/admin/templates", &with_file("image", "", "")).await;
    assert_eq!(no_link.status, Status::UnprocessableEntity);
    assert!(no_link.body.contains("Preencha este campo."));
    let not_web = app.post("/admin/templates", &with_file("image", "logo.png", "")).await;
    assert!(not_web.body.contains("Informe um endereço que comece com https://"));
    let both = app.post("/admin/templates", &with_file("video", "https://loja.example/v.mp4", "Bem-vindo")).await;
    assert!(both.body.contains("Um cabeçalho de arquivo não tem texto"));
    let gif = app.post("/admin/templates", &with_file("gif", "https://loja.example/a.gif", "")).await;
    assert!(gif.body.contains("Escolha uma das opções da lista."));
    assert_eq!(count(&app, "message_templates"), 0, "nothing half-saved");
    let image = app.post("/admin/templates", &with_file("image", "https://loja.example/logo.png", "")).await;
    assert_eq!(image.status, Status::SeeOther, "{}", image.body);
    let stored: String = app.sql("SELECT header_format || ' ' || header_link || ' ' || body FROM message_templates");
    assert_eq!(stored, "image https://loja.example/logo.png Oi {{nome}}!", "a named parameter and a file header");
    app.exec("DELETE FROM message_templates");

    let body = "Olá {{1}}, seu pedido {{2}} saiu. Obrigado, {{1}}!";
    let ok = app
        .post(
            "/admin/templates",
            &Tpl {
                header: "Pedido enviado",
                buttons: [" Obrigado ", "", "Falar com alguém"],
                ..Tpl::new("pedido_enviado", body)
            }
            .fields(),
        )
        .await;
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    assert_eq!(app.sql::<String>("SELECT buttons FROM message_templates"), r#"["Obrigado","Falar com alguém"]"#);
    let dup = app.post("/admin/templates", &Tpl::new("pedido_enviado", "Outro").fields()).await;
    assert!(dup.body.contains("Já existe um modelo com este nome neste idioma."));
    let english = Tpl { language: "en_US", ..Tpl::new("pedido_enviado", "Hi {{1}}") };
    assert_eq!(app.post("/admin/templates", &english.fields()).await.status, Status::SeeOther);

    let list = app.get("/admin/templates").await;
    assert!(list.body.contains("pedido_enviado") && list.body.contains("en_US") && list.body.contains("Utilidade"));
    let id: i64 = app.sql("SELECT id FROM message_templates WHERE language = 'pt_BR'");
    let edit = app.get(&format!("/admin/templates/{id}")).await;
    assert!(
        edit.body.contains(r#"id="sample-2""#) && !edit.body.contains(r#"id="sample-3""#),
        "one sample per parameter"
    );
    assert!(edit.body.contains("Olá {{1}}, seu pedido {{2}} saiu."), "preview with the parameters still open");
    assert!(edit.body.contains(r#"value="Falar com alguém""#));

    let changed = Tpl { buttons: ["Ok", "", ""], ..Tpl::new("pedido_enviado", "Olá {{1}}!") };
    let saved = app.post(&format!("/admin/templates/{id}"), &changed.fields()).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'template.update'");
    assert!(
        details.contains(r#""buttons":["Obrigado","Falar com alguém"]"#) && details.contains(r#""buttons":["Ok"]"#)
    );
    let clash = Tpl { language: "en_US", ..Tpl::new("pedido_enviado", "Hi") };
    assert_eq!(app.post(&format!("/admin/templates/{id}"), &clash.fields()).await.status, Status::UnprocessableEntity);

    assert_eq!(app.post(&format!("/admin/templates/{id}/delete"), &[]).await.status, Status::SeeOther);
    assert_eq!(count(&app, "message_templates"), 1);
    assert_eq!(app.get(&format!("/admin/templates/{id}")).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/templates/{id}"), &changed.fields()).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/templates/{id}/delete"), &[]).await.status, Status::NotFound);
}

/// The preview as htmx asks for it: a GET with the form's fields in the query string.
async fn preview(app: &App, fields: &[(&str, &str)]) -> (Status, String) {
    let response = app
        .client
        .get(format!("/admin/templates/preview?{}", encode(fields)))
        .header(Header::new("HX-Request", "true"));
    let response = response.dispatch().await;
    (response.status(), response.into_string().await.unwrap_or_default())
}

#[rocket::async_test]
async fn template_preview_renders_the_parameters() {
    let app = signed_in_admin().await;
    let mut fields = Tpl {
        header: "Pedido <enviado>",
        buttons: ["Obrigado", "", ""],
        ..Tpl::new("pedido", "Olá {{1}}, seu pedido {{2}} saiu. Obrigado, {{1}}!")
    }
    .fields();
    fields.retain(|f| f.0 != "sample");
    fields.extend([("sample", "Ana <b>"), ("sample", "123")]);
    let (status, body) = preview(&app, &fields).await;
    assert_eq!(status, Status::Ok);
    assert!(body.trim_start().starts_with("<fieldset id=\"template-preview\""), "only the partial: {body}");
    assert!(body.contains("Olá Ana &lt;b&gt;, seu pedido 123 saiu. Obrigado, Ana &lt;b&gt;!"), "{body}");
    assert!(body.contains("Pedido &lt;enviado&gt;") && body.contains("Obrigado</span>"));
    assert!(body.contains(r#"id="sample-1" name="sample" type="text" value="Ana &lt;b&gt;""#));
    assert!(body.contains(r#"id="sample-2""#) && !body.contains(r#"id="sample-3""#));

    // A sample left empty keeps its parameter; wrong numbering is explained; a form
    // half typed (fields missing) still gets a preview.
    let (_, body) = preview(&app, &Tpl::new("pedido", "Olá {{1}}, pedido {{2}}.").fields()).await;
    assert!(body.contains("Olá {{1}}, pedido {{2}}."));
    let (status, body) = preview(&app, &Tpl::new("pedido", "Olá {{1}}, pedido {{3}}.").fields()).await;
    assert_eq!(status, Status::Ok);
    assert!(body.contains("Numere os parâmetros em sequência") && !body.contains(r#"id="sample-1""#));
    let (status, body) = preview(&app, &[("body", "Só o texto")]).await;
    assert_eq!(status, Status::Ok);
    assert!(body.contains("Só o texto"));
    assert_eq!(count(&app, "message_templates"), 0, "the preview saves nothing");
}

// ---------------------------------------------------------------- contact fields

fn field<'a>(name: &'a str, kind: &'a str, choices: &'a str, position: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("name", name), ("kind", kind), ("choices", choices), ("position", position)]
}

#[rocket::async_test]
async fn contact_fields_are_validated_saved_edited_and_deleted() {
    let app = signed_in_admin().await;
    let form = app.get("/admin/contact-fields/new").await;
    assert!(form.body.contains(r#"name="position" type="number" value="1""#), "next position suggested");

    let empty = app.post("/admin/contact-fields", &field("", "", "", "")).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert_eq!(empty.body.matches("Preencha este campo.").count(), 3);
    let no_choices = app.post("/admin/contact-fields", &field("Segmento", "choice", " \n ", "1")).await;
    assert!(no_choices.body.contains("Informe as opções da lista, uma por linha."));
    let one = app.post("/admin/contact-fields", &field("Segmento", "choice", "Varejo", "1")).await;
    assert!(one.body.contains("Informe pelo menos duas opções"));
    let repeated =
        app.post("/admin/contact-fields", &field("Segmento", "choice", "Indústria\nVarejo\nindustria", "1")).await;
    assert!(repeated.body.contains("Há opções repetidas na lista."));
    assert!(repeated.body.contains("Indústria\nVarejo\nindustria</textarea>"), "typed options kept");
    let long_option = format!("Varejo\n{}", "o".repeat(61));
    let long = app.post("/admin/contact-fields", &field("Segmento", "choice", &long_option, "1")).await;
    assert!(long.body.contains("Cada opção pode ter no máximo 60 caracteres."));
    let kind = app.post("/admin/contact-fields", &field("Cor", "cor", "", "1")).await;
    assert!(kind.body.contains("Escolha uma das opções da lista."));
    let builtin = app.post("/admin/contact-fields", &field("E-mail", "text", "", "1")).await;
    assert!(builtin.body.contains("Este é um campo padrão do contato"));
    let position = app.post("/admin/contact-fields", &field("CPF", "text", "", "primeiro")).await;
    assert!(position.body.contains("Informe um número inteiro."));
    let far = app.post("/admin/contact-fields", &field("CPF", "text", "", "1000")).await;
    assert!(far.body.contains("Valor fora do intervalo permitido."));
    assert_eq!(count(&app, "contact_fields"), 0, "nothing half-saved");

    let mut cpf = field("CPF", "text", "ignored\nfor text", "2");
    cpf.push(("required", "true"));
    assert_eq!(app.post("/admin/contact-fields", &cpf).await.status, Status::SeeOther);
    assert_eq!(app.sql::<String>("SELECT choices FROM contact_fields WHERE name = 'CPF'"), "[]");
    assert_eq!(app.sql::<i64>("SELECT required FROM contact_fields WHERE name = 'CPF'"), 1);
    let segment = field("Segmento", "choice", "Varejo\n\n  Indústria  \n", "1");
    assert_eq!(app.post("/admin/contact-fields", &segment).await.status, Status::SeeOther);
    assert_eq!(
        app.sql::<String>("SELECT choices FROM contact_fields WHERE name = 'Segmento'"),
        r#"["Varejo","Indústria"]"#
    );
    let dup = app.post("/admin/contact-fields", &field("cpf", "number", "", "3")).await;
    assert!(dup.body.contains("Já existe um cadastro com este nome."));

    let list = app.get("/admin/contact-fields").await;
    let (segmento, cpf_at) = (list.body.find("Segmento").unwrap(), list.body.find(">CPF<").unwrap());
    assert!(segmento < cpf_at, "ordered by position");
    assert!(list.body.contains("Varejo, Indústria") && list.body.contains("Lista de opções"));

    let id: i64 = app.sql("SELECT id FROM contact_fields WHERE name = 'CPF'");
    let (status, redirect, _) =
        htmx_post(&app, &format!("/admin/contact-fields/{id}"), &field("CPF/CNPJ", "text", "", "3")).await;
    assert_eq!((status, redirect.as_deref()), (Status::Ok, Some("/admin/contact-fields")));
    assert_eq!(app.sql::<i64>(&format!("SELECT required FROM contact_fields WHERE id = {id}")), 0, "unticked box");
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'contact_field.update'");
    assert!(details.contains(r#""name":"CPF""#) && details.contains(r#""name":"CPF/CNPJ""#), "{details}");

    let clash = app.post(&format!("/admin/contact-fields/{id}"), &field("segmento", "text", "", "3")).await;
    assert_eq!(clash.status, Status::UnprocessableEntity);
    assert!(clash.body.contains("Já existe um cadastro com este nome."));
    assert_eq!(
        app.post(&format!("/admin/contact-fields/{id}"), &field("CPF/CNPJ", "text", "", "3")).await.status,
        Status::SeeOther,
        "a field does not clash with itself"
    );

    assert_eq!(app.post(&format!("/admin/contact-fields/{id}/delete"), &[]).await.status, Status::SeeOther);
    assert_eq!(count(&app, "contact_fields"), 1);
    assert_eq!(app.get(&format!("/admin/contact-fields/{id}")).await.status, Status::NotFound);
    let edited = app.post(&format!("/admin/contact-fields/{id}"), &field("CPF", "text", "", "3")).await;
    assert_eq!(edited.status, Status::NotFound, "a field deleted while its form was open");
    assert_eq!(app.post(&format!("/admin/contact-fields/{id}/delete"), &[]).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn required_builtin_contact_fields_are_saved() {
    let app = signed_in_admin().await;
    let page = app.get("/admin/contact-fields").await;
    assert_eq!(page.body.matches(r#"value="true" checked"#).count(), 3, "all three required by default");

    let saved = app.post("/admin/contact-fields/builtin", &[("name", "true")]).await;
    assert_eq!(saved.status, Status::SeeOther);
    assert_eq!(saved.location.as_deref(), Some("/admin/contact-fields?saved=true"));
    let required: String = app.sql("SELECT value ->> '$.required_contact_fields' FROM settings WHERE key = 'company'");
    assert_eq!(required, r#"{"name":true,"email":false,"whatsapp":false}"#);
    let page = app.get("/admin/contact-fields?saved=true").await;
    assert!(page.body.contains("Campos obrigatórios salvos."));
    assert_eq!(page.body.matches(r#"value="true" checked"#).count(), 1);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'contact_fields.builtin'");
    assert!(details.contains(r#""before":{"email":true,"name":true,"whatsapp":true}"#), "{details}");
}

/// Renders this section's pages in `c.lang` (called by the every-template test).
pub async fn walk_pages(c: &mut Check<'_>) {
    c.get("admin/word_filter/list.html", "/admin/word-filter", Status::Ok, "word-filter-blocked-title").await;
    let added = c.app.post("/admin/word-filter", &add_terms("ignore", "obrigado\nok")).await;
    assert_eq!(added.status, Status::SeeOther, "{}", added.body);
    c.get("admin/word_filter/list.html", &added.location.unwrap(), Status::Ok, "word-filter-ignore-help").await;

    c.get("admin/tags/form.html", "/admin/tags/new", Status::Ok, "tags-color-hint").await;
    let saved = c.app.post("/admin/tags", &tag("Urgente", "#d93025", "")).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    c.get("admin/tags/list.html", "/admin/tags", Status::Ok, "catalogues-all-teams").await;

    c.get("admin/phrases/form.html", "/admin/phrases/new", Status::Ok, "phrases-shortcut-hint").await;
    let saved = c.app.post("/admin/phrases", &phrase("oi", "Olá, {{contato}}!", "")).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    c.get("admin/phrases/list.html", "/admin/phrases", Status::Ok, "phrases-company-wide").await;

    c.get("admin/templates/form.html", "/admin/templates/new", Status::Ok, "templates-preview-empty").await;
    let saved = c.app.post("/admin/templates", &Tpl::new("boas_vindas", "Olá {{1}}!").fields()).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    c.get("admin/templates/list.html", "/admin/templates", Status::Ok, "templates-category-utility").await;
    let id: i64 = c.app.sql("SELECT id FROM message_templates WHERE name = 'boas_vindas'");
    c.get("admin/templates/form.html", &format!("/admin/templates/{id}"), Status::Ok, "templates-samples-hint").await;

    c.get("admin/contact_fields/form.html", "/admin/contact-fields/new", Status::Ok, "contact-fields-choices-hint")
        .await;
    let saved = c.app.post("/admin/contact-fields", &field("Segmento", "choice", "A\nB", "1")).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    c.get("admin/contact_fields/list.html", "/admin/contact-fields", Status::Ok, "contact-fields-kind-choice").await;
}
