//! Paths (parcours): ordered steps of modules, who must follow them, progress.
