-- The narrative stage's reading of each event (DESIGN.md section 4): its kind (occurrence,
-- background, commentary, headline) and where its date came from (stated, carried, published),
-- as flat columns so the default view (occurrences only) filters in SQL. Records written before
-- the stage existed have no kind: they were all counted as happenings, so they stay occurrences.
ALTER TABLE events ADD COLUMN kind VARCHAR;
ALTER TABLE events ADD COLUMN date_basis VARCHAR;
UPDATE events SET
    kind = coalesce(record->>'$.kind', 'occurrence'),
    date_basis = record->>'$.date_basis';
