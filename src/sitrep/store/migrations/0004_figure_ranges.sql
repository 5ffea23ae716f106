-- 0004: every figure's range as flat columns, so counts with summed figures (the aggregates API)
-- never parse the record JSON: `<kind>_low` / `<kind>_high` for the seven kinds, and the best
-- estimate of the four kinds that had no column yet. NULL where the record has no such figure
-- (or the source gave no low / high). Existing rows are filled from their records.
ALTER TABLE events ADD COLUMN killed_low INTEGER;
ALTER TABLE events ADD COLUMN killed_high INTEGER;
ALTER TABLE events ADD COLUMN injured_low INTEGER;
ALTER TABLE events ADD COLUMN injured_high INTEGER;
ALTER TABLE events ADD COLUMN displaced_low INTEGER;
ALTER TABLE events ADD COLUMN displaced_high INTEGER;
ALTER TABLE events ADD COLUMN besieged INTEGER;
ALTER TABLE events ADD COLUMN besieged_low INTEGER;
ALTER TABLE events ADD COLUMN besieged_high INTEGER;
ALTER TABLE events ADD COLUMN trapped INTEGER;
ALTER TABLE events ADD COLUMN trapped_low INTEGER;
ALTER TABLE events ADD COLUMN trapped_high INTEGER;
ALTER TABLE events ADD COLUMN detained INTEGER;
ALTER TABLE events ADD COLUMN detained_low INTEGER;
ALTER TABLE events ADD COLUMN detained_high INTEGER;
ALTER TABLE events ADD COLUMN strikes INTEGER;
ALTER TABLE events ADD COLUMN strikes_low INTEGER;
ALTER TABLE events ADD COLUMN strikes_high INTEGER;

-- Only records holding a figure have a "hedge" key (every figure object has one).
UPDATE events SET
    killed_low     = TRY_CAST(record->>'$.figures.killed.low' AS INTEGER),
    killed_high    = TRY_CAST(record->>'$.figures.killed.high' AS INTEGER),
    injured_low    = TRY_CAST(record->>'$.figures.injured.low' AS INTEGER),
    injured_high   = TRY_CAST(record->>'$.figures.injured.high' AS INTEGER),
    displaced_low  = TRY_CAST(record->>'$.figures.displaced.low' AS INTEGER),
    displaced_high = TRY_CAST(record->>'$.figures.displaced.high' AS INTEGER),
    besieged       = TRY_CAST(record->>'$.figures.besieged.best' AS INTEGER),
    besieged_low   = TRY_CAST(record->>'$.figures.besieged.low' AS INTEGER),
    besieged_high  = TRY_CAST(record->>'$.figures.besieged.high' AS INTEGER),
    trapped        = TRY_CAST(record->>'$.figures.trapped.best' AS INTEGER),
    trapped_low    = TRY_CAST(record->>'$.figures.trapped.low' AS INTEGER),
    trapped_high   = TRY_CAST(record->>'$.figures.trapped.high' AS INTEGER),
    detained       = TRY_CAST(record->>'$.figures.detained.best' AS INTEGER),
    detained_low   = TRY_CAST(record->>'$.figures.detained.low' AS INTEGER),
    detained_high  = TRY_CAST(record->>'$.figures.detained.high' AS INTEGER),
    strikes        = TRY_CAST(record->>'$.figures.strikes.best' AS INTEGER),
    strikes_low    = TRY_CAST(record->>'$.figures.strikes.low' AS INTEGER),
    strikes_high   = TRY_CAST(record->>'$.figures.strikes.high' AS INTEGER)
WHERE contains(record, '"hedge":');
