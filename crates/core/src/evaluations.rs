//! Evaluations « à chaud » and « à froid »: templates, questionnaires, anonymous answers, results.
