-- The profile photo of a user: the name of its file under photos/ in the data directory.
ALTER TABLE users ADD COLUMN photo TEXT;
