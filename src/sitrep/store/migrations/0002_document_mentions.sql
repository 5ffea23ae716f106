-- Keep every mention's span with its document, for the document API (actor, place, date and
-- figure spans highlighted in the article).
ALTER TABLE documents ADD COLUMN mentions JSON;
