//! A transcript as PDF, turned back into text with `pdftotext`: the protocol, the
//! company, the facts, every message with its author, accents of Portuguese and Spanish
//! intact, emoji replaced visibly, long addresses kept whole, page numbers.

use rocket::http::Status;

use crate::common::PASSWORD;
use crate::reports_fixture::{closed, company, local};

const MESSAGES: [&str; 4] = [
    "Olá! A ação de cobrança está errada, coração — não pago duas vezes.",
    "¿Dónde está mi pedido? El ñandú llegó mañana. Ç Ã Õ Ê ü ª º",
    "Obrigado 👍🏽 pela ajuda",
    "Veja https://exemplo.com.br/pedidos/2026/segunda-via-do-boleto?cliente=maria-souza&codigo=12345678901234567890",
];

/// The PDF as text (`pdftotext`, reading order), or the reason it could not be read.
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Keeps a PDF in `test-artifacts/` (git-ignored), to be looked at as pages.
pub fn keep(name: &str, bytes: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[rocket::async_test]
async fn the_transcript_pdf_holds_every_message_with_its_accents() {
    let co = company().await;
    let id = closed(&co.app, 1, "Lúcia Peña", &MESSAGES, co.ana, local("2026-03-05", 9, 0)).await;
    co.app.exec(&format!(
        "INSERT INTO attachments (id, conversation_id, sha256, size, content_type, file_name, created_at)
           VALUES (70, {id}, 'abc', 10, 'application/pdf', 'comprovante-ação.pdf', 0);
         INSERT INTO messages (conversation_id, channel_id, direction, body, attachment_id, created_at)
           VALUES ({id}, 1, 'in', '', 70, {});
         INSERT INTO conversation_tabulations (conversation_id, tabulation_id, added_at) VALUES ({id}, 11, 0);
         INSERT INTO survey_answers (conversation_id, score, comment, answered_at) VALUES ({id}, 4, 'Atendimento rápido', 0);",
        local("2026-03-05", 8, 45)
    ));
    co.app.change_settings(|s| s.company_name = "Água & Cia".into());
    co.app.sign_in("ana", PASSWORD).await;
    let page = co.app.get(&format!("/reports/history/{id}")).await;
    assert!(page.body.contains(&format!(r#"href="/reports/history/pdf/{id}""#)), "the page offers its PDF");
    let (status, kind, disposition, bytes) = co.app.download(&format!("/reports/history/pdf/{id}")).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(kind, "application/pdf");
    let protocol: String = co.app.sql(&format!("SELECT protocol FROM conversations WHERE id = {id}"));
    assert_eq!(disposition, format!("attachment; filename=\"{protocol}.pdf\""));
    let text = pdf_text(&bytes);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&format!("Atendimento {protocol}")), "{flat}");
    for expected in [
        "Água & Cia",
        "Lúcia Peña",
        "Chat do site · Site",
        "SAC",
        "ana Teste",
        "Financeiro › Boleto",
        "4/5 — Atendimento rápido",
        "Olá! A ação de cobrança está errada, coração — não pago duas vezes.",
        "¿Dónde está mi pedido? El ñandú llegó mañana. Ç Ã Õ Ê ü ª º",
        "Obrigado [emoji] pela ajuda",
        "Anexo: comprovante-ação.pdf",
        "Atendimento finalizado",
        "05/03/2026 09:00",
        "Caracteres que a fonte do PDF não desenha (como emoji) aparecem como [emoji] ou [?].",
        "Página 1 de 1",
    ] {
        assert!(flat.contains(expected), "{expected:?} in {flat}");
    }
    // The address is cut across lines, never shortened.
    let joined: String = text.split_whitespace().collect();
    assert!(joined.contains(
        "https://exemplo.com.br/pedidos/2026/segunda-via-do-boleto?cliente=maria-souza&codigo=12345678901234567890"
    ));
    // The other team's agent cannot print it.
    co.app.logout().await;
    co.app.sign_in("bia", PASSWORD).await;
    assert_eq!(co.app.download(&format!("/reports/history/pdf/{id}")).await.0, Status::NotFound);
}

/// A real 4×2 PNG in the company's blue.
const LOGO: [u8; 73] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 4, 0, 0, 0, 2, 8, 2, 0, 0, 0, 240, 202, 234,
    52, 0, 0, 0, 16, 73, 68, 65, 84, 120, 156, 99, 224, 143, 95, 1, 71, 12, 200, 28, 0, 108, 66, 8, 177, 177, 77, 87,
    88, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// The images a PDF holds as `pdfimages -list` sees them (width × height each).
fn images_in(bytes: &[u8]) -> Vec<(String, String)> {
    let file = std::env::temp_dir().join(format!("atende-images-{}.pdf", std::process::id()));
    std::fs::write(&file, bytes).unwrap();
    let out =
        std::process::Command::new("pdfimages").arg("-list").arg(&file).output().expect("pdfimages (poppler-utils)");
    let _ = std::fs::remove_file(&file);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.lines()
        .skip(2)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            Some((cols.get(3)?.to_string(), cols.get(4)?.to_string()))
        })
        .collect()
}

#[rocket::async_test]
async fn the_company_logo_heads_the_pdf_and_a_broken_one_is_left_out() {
    let co = company().await;
    co.app.sign_in("ana", PASSWORD).await;
    let path = format!("/reports/history/pdf/{}", co.maria);
    assert!(images_in(&co.app.download(&path).await.3).is_empty(), "no logo, no image");
    std::fs::write(co.app.data_dir().join("logo.png"), LOGO).unwrap();
    co.app.change_settings(|s| s.logo = Some("logo.png".into()));
    let (status, _, _, bytes) = co.app.download(&path).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(images_in(&bytes), vec![("4".to_string(), "2".to_string())], "the logo, once, on the first page");
    keep("transcript-with-logo.pdf", &bytes);
    // A file that is not an image any more still gives the PDF, without it.
    std::fs::write(co.app.data_dir().join("logo.png"), b"not a picture").unwrap();
    let (status, _, _, bytes) = co.app.download(&path).await;
    assert_eq!(status, Status::Ok);
    assert!(images_in(&bytes).is_empty() && pdf_text(&bytes).contains("Maria Souza"));
}

#[rocket::async_test]
async fn a_long_transcript_numbers_its_pages() {
    let co = company().await;
    let many: Vec<String> = (1..=90).map(|n| format!("Mensagem número {n} sobre a emissão da nota fiscal")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let id = closed(&co.app, 1, "Cliente Longo", &many, co.ana, local("2026-03-06", 9, 0)).await;
    co.app.sign_in("gerente", PASSWORD).await;
    let (_, _, _, bytes) = co.app.download(&format!("/reports/history/pdf/{id}")).await;
    let text = pdf_text(&bytes);
    let pages = text.matches("Página ").count();
    assert!(pages >= 2, "{text}");
    assert!(text.contains(&format!("Página {pages} de {pages}")));
    for n in [1, 45, 90] {
        assert!(text.contains(&format!("Mensagem número {n} sobre")), "message {n}");
    }
}
