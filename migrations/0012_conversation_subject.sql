-- A conversation's title when its channel has one (an e-mail's Subject, as the
-- contact's first message gave it): replies on that channel carry it back.
ALTER TABLE conversations ADD COLUMN subject TEXT NOT NULL DEFAULT '';
