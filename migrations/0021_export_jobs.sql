-- Long exports of "Histórico de Atendimentos", built in the background: what was asked
-- (the filters as typed, with the period filled in), by whom and in which language, how
-- far the build is, and the file under the data directory's exports/ once ready.
CREATE TABLE export_jobs (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('xlsx', 'csv')),
    filter        TEXT NOT NULL,
    lang          TEXT NOT NULL,
    -- The viewer's scope and address when asked, for the build and its audit entry.
    sees_all      INTEGER NOT NULL,
    ip            TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'ready', 'failed', 'expired')),
    rows_done     INTEGER NOT NULL DEFAULT 0,
    rows_total    INTEGER NOT NULL,
    -- The random name under exports/, and the name the browser saves it as.
    file          TEXT,
    download_name TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    error         TEXT
) STRICT;
-- One export waiting or being built per user: the reservation itself.
CREATE UNIQUE INDEX export_jobs_one_pending ON export_jobs(user_id) WHERE status IN ('queued', 'running');
CREATE INDEX export_jobs_of_user ON export_jobs(user_id, id);
CREATE INDEX export_jobs_open ON export_jobs(status) WHERE status IN ('queued', 'running', 'ready');
