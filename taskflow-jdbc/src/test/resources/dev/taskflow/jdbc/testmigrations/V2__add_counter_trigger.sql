CREATE TRIGGER notes_counted AFTER INSERT ON notes
BEGIN
  UPDATE note_count SET n = n + CASE WHEN NEW.body = '' THEN 0 ELSE 1 END;
  UPDATE note_count SET n = n;
END;
