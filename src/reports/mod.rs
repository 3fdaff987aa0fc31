//! Use cases of the reports (F-RE): "Histórico de Atendimentos" — the closed
//! conversations the viewer may see, as a page, as a spreadsheet (XLSX, CSV) and each
//! transcript as PDF. Queries live in `db::reports`; these check what was typed, choose
//! the scope's rows, write the files off the async executor and audit the exports.

pub mod agents;
pub mod chart;
pub mod contact_pdf;
pub mod criteria;
mod csv;
pub mod export;
pub mod export_jobs;
mod figures;
pub mod history;
mod pdf;
mod pdf_text;
pub mod period;
pub mod protocol;
pub mod reasons;
pub mod service_level;
pub mod sheet;
pub mod today;
pub mod transcript;
mod xlsx;
