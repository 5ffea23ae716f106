-- 0008: a near-copy that reports other figures (a wire story re-sent as the toll rises) keeps its
-- events and names the document it revises; `duplicate_of` still links it to that document.
ALTER TABLE documents ADD COLUMN revision_of TEXT;
