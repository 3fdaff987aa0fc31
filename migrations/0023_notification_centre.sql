-- The notification centre (F-AD-12): every cause is a kind and its subject (a channel,
-- a team, an agent, a conversation). While a cause has an unread notification a new
-- occurrence counts on it (`count`, `last_at`) instead of adding a row; `occurrence`
-- names the last one counted, so the same event reported twice counts once.
ALTER TABLE notifications ADD COLUMN subject INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE notifications ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN occurrence TEXT NOT NULL DEFAULT '';
-- How many of the occurrences were already told by e-mail.
ALTER TABLE notifications ADD COLUMN mailed_count INTEGER NOT NULL DEFAULT 0;

UPDATE notifications SET subject = COALESCE(team_id, 0), last_at = created_at;
-- One unread row per cause (the queue notices already kept to it; a stray second one
-- is put aside as read so the index can hold).
UPDATE notifications SET read_at = created_at
WHERE read_at IS NULL AND id NOT IN (
    SELECT MIN(id) FROM notifications WHERE read_at IS NULL GROUP BY kind, subject);
DROP INDEX notifications_unread;
CREATE UNIQUE INDEX notifications_open_cause ON notifications(kind, subject) WHERE read_at IS NULL;
CREATE INDEX notifications_by_last ON notifications(read_at, last_at);

-- When a cause was last sent by e-mail: at most one e-mail per cause per interval,
-- however often its notification is read and raised again.
CREATE TABLE notification_mail (
    kind    TEXT NOT NULL,
    subject INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (kind, subject)
) STRICT;

-- Those who could mark the queue notices read (teams:edit) keep seeing them: the new
-- area is granted to the groups that held it.
UPDATE permission_groups SET permissions = json_insert(permissions, '$[#]', 'notifications:edit')
WHERE EXISTS (SELECT 1 FROM json_each(permission_groups.permissions) WHERE value = 'teams:edit');
UPDATE permission_groups SET permissions = json_insert(permissions, '$[#]', 'notifications:view')
WHERE EXISTS (SELECT 1 FROM json_each(permission_groups.permissions) WHERE value = 'teams:view')
  AND NOT EXISTS (SELECT 1 FROM json_each(permission_groups.permissions) WHERE value = 'notifications:edit');
