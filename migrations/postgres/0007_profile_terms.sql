-- Nothing to do on PostgreSQL: this version gives SQLite's directory search
-- a table of its indexed terms and a covering index for the join of each
-- full-text match to its profile (../sqlite/0007_profile_terms.sql).
-- PostgreSQL needs neither: its GIN index reads a prefix's entries in
-- order, and its full-text rows hold the profile's id.
SELECT 1;
