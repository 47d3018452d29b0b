-- Nothing to do on PostgreSQL: this version adds SQLite's table of the
-- directory's indexed terms (../sqlite/0007_profile_terms.sql), which
-- PostgreSQL does not need (its GIN index reads a prefix's entries in order).
SELECT 1;
