-- The terms of the directory's full-text index (profile_fts), one row each,
-- kept by `profiles::set_index`. A search word spelled out as the indexed
-- terms it begins (« form » → formation, formations, format) is read lazily
-- by FTS5, whereas a prefix query merges whole doclists first: at 250,000
-- profiles, 10 to 20 ms per broad word (docs/BENCHMARKS.md, « Annuaire »).
-- A term is never removed: one that no longer matches costs nothing.
-- PostgreSQL's GIN index reads prefixes without this (0007 is empty there).
CREATE TABLE profile_fts_terms (
    term TEXT PRIMARY KEY
) WITHOUT ROWID;

-- The terms already indexed, read once from FTS5's own vocabulary.
CREATE VIRTUAL TABLE temp.profile_fts_vocabulary USING fts5vocab (main, profile_fts, row);
INSERT INTO profile_fts_terms (term) SELECT term FROM temp.profile_fts_vocabulary;
DROP TABLE temp.profile_fts_vocabulary;

-- Each full-text match is joined to its profile by `search_seq` to find the
-- viewer's tier and check the filters: this index holds every column that
-- check reads, so a match costs one index lookup, not a read of the whole
-- profile row (with its presentation and photo flags). Named in the search
-- (`INDEXED BY`): the planner would otherwise take the unique index of
-- `search_seq`, which says one row as well.
CREATE INDEX profiles_search ON profiles (
    search_seq, organisation_id, user_id, listed, category, category_vis, themes_vis, name_sort, id
);
