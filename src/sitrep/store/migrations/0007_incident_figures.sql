-- 0007: incidents get every figure's reconciled range as flat columns (as 0004 gave events), and
-- the earliest publication date among their sources, so aggregates, sorts and cursors over
-- incidents use the same SQL as over events. NULL where no member reports the figure.
-- Existing incidents are filled from their records; killed/injured already had columns.
ALTER TABLE incidents ADD COLUMN killed_low INTEGER;
ALTER TABLE incidents ADD COLUMN killed_high INTEGER;
ALTER TABLE incidents ADD COLUMN injured_low INTEGER;
ALTER TABLE incidents ADD COLUMN injured_high INTEGER;
ALTER TABLE incidents ADD COLUMN displaced INTEGER;
ALTER TABLE incidents ADD COLUMN displaced_low INTEGER;
ALTER TABLE incidents ADD COLUMN displaced_high INTEGER;
ALTER TABLE incidents ADD COLUMN besieged INTEGER;
ALTER TABLE incidents ADD COLUMN besieged_low INTEGER;
ALTER TABLE incidents ADD COLUMN besieged_high INTEGER;
ALTER TABLE incidents ADD COLUMN trapped INTEGER;
ALTER TABLE incidents ADD COLUMN trapped_low INTEGER;
ALTER TABLE incidents ADD COLUMN trapped_high INTEGER;
ALTER TABLE incidents ADD COLUMN detained INTEGER;
ALTER TABLE incidents ADD COLUMN detained_low INTEGER;
ALTER TABLE incidents ADD COLUMN detained_high INTEGER;
ALTER TABLE incidents ADD COLUMN strikes INTEGER;
ALTER TABLE incidents ADD COLUMN strikes_low INTEGER;
ALTER TABLE incidents ADD COLUMN strikes_high INTEGER;
ALTER TABLE incidents ADD COLUMN published DATE;
UPDATE incidents SET
    killed_low = TRY_CAST(record->>'$.figures.killed.low' AS INTEGER),
    killed_high = TRY_CAST(record->>'$.figures.killed.high' AS INTEGER),
    injured_low = TRY_CAST(record->>'$.figures.injured.low' AS INTEGER),
    injured_high = TRY_CAST(record->>'$.figures.injured.high' AS INTEGER),
    displaced = TRY_CAST(record->>'$.figures.displaced.best' AS INTEGER),
    displaced_low = TRY_CAST(record->>'$.figures.displaced.low' AS INTEGER),
    displaced_high = TRY_CAST(record->>'$.figures.displaced.high' AS INTEGER),
    besieged = TRY_CAST(record->>'$.figures.besieged.best' AS INTEGER),
    besieged_low = TRY_CAST(record->>'$.figures.besieged.low' AS INTEGER),
    besieged_high = TRY_CAST(record->>'$.figures.besieged.high' AS INTEGER),
    trapped = TRY_CAST(record->>'$.figures.trapped.best' AS INTEGER),
    trapped_low = TRY_CAST(record->>'$.figures.trapped.low' AS INTEGER),
    trapped_high = TRY_CAST(record->>'$.figures.trapped.high' AS INTEGER),
    detained = TRY_CAST(record->>'$.figures.detained.best' AS INTEGER),
    detained_low = TRY_CAST(record->>'$.figures.detained.low' AS INTEGER),
    detained_high = TRY_CAST(record->>'$.figures.detained.high' AS INTEGER),
    strikes = TRY_CAST(record->>'$.figures.strikes.best' AS INTEGER),
    strikes_low = TRY_CAST(record->>'$.figures.strikes.low' AS INTEGER),
    strikes_high = TRY_CAST(record->>'$.figures.strikes.high' AS INTEGER),
    published = TRY_CAST(record->>'$.sources[0].published' AS DATE);
