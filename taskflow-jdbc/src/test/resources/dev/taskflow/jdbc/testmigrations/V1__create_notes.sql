-- notes; with a semicolon in a comment
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT 'a;b');
CREATE TABLE note_count (n INTEGER NOT NULL);
INSERT INTO note_count (n) VALUES (0);
