//! The history report as XLSX and CSV, read back: one row per conversation with real
//! types (dates in the company's zone, durations, scores as numbers), formulas never
//! let through, no HTML entities, the separator of the reader's language, and every
//! export in the audit log.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use rocket::http::Status;

use crate::common::PASSWORD;
use crate::reports_fixture::{closed, company, local, Company, MARCH};

const TRICKS: [&str; 6] =
    ["=HYPERLINK(\"http://x.test\",\"y\")", "+55 golpe", "-1+2", "@SUM(1)", "\tTab", "Ana & Filhos <Ltda> \"SA\""];

/// Conversations of contacts named to trick a spreadsheet, closed on 2026-03-25.
async fn tricky(co: &Company) {
    for (n, name) in TRICKS.iter().enumerate() {
        let safe = name.replace('\'', "''");
        let id = closed(&co.app, 1, &format!("truque{n}"), &["oi"], co.ana, local("2026-03-25", 10, n as i64)).await;
        co.app.exec(&format!(
            "UPDATE contacts SET name = '{safe}' WHERE id = (SELECT contact_id FROM conversations WHERE id = {id})"
        ));
    }
}

/// The company with the tricky names, and the manager's export of March in `kind`.
async fn exported(kind: &str) -> (Company, (Status, String, String, Vec<u8>)) {
    let co = company().await;
    tricky(&co).await;
    co.app.sign_in("gerente", PASSWORD).await;
    let download = co.app.download(&format!("/reports/history/export/{kind}?{MARCH}&sort=closed&dir=asc")).await;
    (co, download)
}

#[rocket::async_test]
async fn the_xlsx_holds_typed_cells_in_the_company_zone() {
    let (co, (status, kind, disposition, bytes)) = exported("xlsx").await;
    assert_eq!(status, Status::Ok);
    assert!(kind.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assert_eq!(disposition, "attachment; filename=\"historico-de-atendimentos_2026-03-01_2026-03-31.xlsx\"");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX");
    let sheet = book.worksheet_range("Atendimentos").expect("the sheet");
    assert_eq!(sheet.height(), 1 + 3 + TRICKS.len(), "a header and one row per conversation");
    let header: Vec<String> = (0..14).map(|c| sheet.get((0, c)).unwrap().to_string()).collect();
    assert_eq!(header[0], "Protocolo");
    assert_eq!(header[12..], ["Primeira resposta", "Tempo de atendimento"]);
    let cell = |r: usize, c: usize| sheet.get((r, c)).cloned().unwrap_or(Data::Empty);
    let protocol: String = co.app.sql(&format!("SELECT protocol FROM conversations WHERE id = {}", co.maria));
    assert_eq!(cell(1, 0), Data::String(protocol));
    assert_eq!(cell(1, 1), Data::String("Chat do site · Site".into()));
    assert_eq!(cell(1, 2), Data::String("Maria Souza".into()));
    assert_eq!(cell(1, 4), Data::String("maria@cliente.test".into()));
    // Closed at noon in São Paulo (15:00 UTC): the cell says 12:00.
    let Data::DateTime(closed_at) = cell(1, 8) else { panic!("a date: {:?}", cell(1, 8)) };
    assert!(closed_at.is_datetime());
    assert_eq!(closed_at.as_datetime().unwrap().to_string(), "2026-03-02 12:00:00");
    let Data::DateTime(duration) = cell(1, 9) else { panic!("a duration: {:?}", cell(1, 9)) };
    assert!(duration.is_duration());
    assert!((duration.as_f64() - 30.0 / (24.0 * 60.0)).abs() < 1e-9, "30 minutes");
    let Data::DateTime(first) = cell(1, 12) else { panic!() };
    assert!((first.as_f64() * 86_400.0 - 120.0).abs() < 1e-6, "the first reply after 2 minutes");
    assert_eq!(cell(1, 10), Data::String("Financeiro › Boleto".into()));
    assert_eq!(cell(1, 11), Data::Float(5.0));
    assert_eq!(cell(3, 11), Data::Empty, "no survey answer");
    // João closed at 23:30 on the 10th, in the zone, not on the 11th.
    let Data::DateTime(joao) = cell(2, 8) else { panic!() };
    assert_eq!(joao.as_datetime().unwrap().to_string(), "2026-03-10 23:30:00");
    // Text stays text: never a formula, as typed, without entities.
    let names: Vec<Data> = (4..4 + TRICKS.len()).map(|r| cell(r, 2)).collect();
    assert_eq!(names, TRICKS.iter().map(|t| Data::String(t.to_string())).collect::<Vec<_>>());
    let formulas = book.worksheet_formula("Atendimentos").expect("formulas read");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell is a formula");
    // The export is audited: who, in which format, with which filters.
    let (actor, details): (i64, String) =
        co.app.rows("SELECT actor_id, details FROM audit_log WHERE action = 'report.history-export'")[0].clone();
    assert_eq!(actor, co.gerente);
    let details: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["format"], "xlsx");
    assert_eq!(details["rows"], 3 + TRICKS.len() as i64);
    assert_eq!(details["filters"]["from"], "2026-03-01");
}

#[rocket::async_test]
async fn the_csv_has_a_bom_the_languages_separator_and_no_formulas() {
    let (co, (status, kind, _, bytes)) = exported("csv").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(kind, "text/csv; charset=utf-8");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with a byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("Protocolo;Canal;Cliente;Telefone;E-mail;Equipe;Agente;Aberto em;Finalizado em;"));
    assert_eq!(lines.len(), 1 + 3 + TRICKS.len());
    let maria: Vec<&str> = lines[1].split(';').collect();
    assert_eq!(maria[2..5], ["Maria Souza", "5511987654321", "maria@cliente.test"]);
    assert_eq!(maria[7..12], ["02/03/2026 11:30:00", "02/03/2026 12:00:00", "0:30:00", "Financeiro › Boleto", "5"]);
    assert_eq!(maria[12..], ["0:02:00", "0:29:00"]);
    assert!(lines[2].contains("10/03/2026 23:30:00"), "João's close in the company's zone");
    for line in &lines[4..] {
        let client = line.split(';').nth(2).unwrap();
        assert!(!client.starts_with(['=', '+', '-', '@', '\t', '\r']), "{client:?}");
    }
    assert!(text.contains(";\"'=HYPERLINK(\"\"http://x.test\"\",\"\"y\"\")\";"), "quoted and neutralised");
    assert!(text.contains(";'+55 golpe;") && text.contains(";'-1+2;") && text.contains(";'@SUM(1);"));
    assert!(text.contains(";'\tTab;"));
    assert!(text.contains("Ana & Filhos <Ltda> \"\"SA\"\""), "no HTML entities");
    assert!(!text.contains("&amp;") && !text.contains("&lt;"));

    // In English, commas and ISO days.
    co.app.exec(&format!("UPDATE users SET language = 'en' WHERE id = {}", co.gerente));
    let (_, _, disposition, bytes) =
        co.app.download(&format!("/reports/history/export/csv?{MARCH}&sort=closed&dir=asc")).await;
    assert_eq!(disposition, "attachment; filename=\"conversation-history_2026-03-01_2026-03-31.csv\"");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("Protocol,Channel,Client,Phone,E-mail,Team,Agent,Opened,Closed,"), "{text}");
    assert!(text.contains(",2026-03-02 12:00:00,0:30:00,"));
    let audited: i64 = co.app.sql("SELECT count(*) FROM audit_log WHERE action = 'report.history-export'");
    assert_eq!(audited, 2);
}
