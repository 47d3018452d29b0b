//! Attestations of attendance and completion (tagged PDF) and their public verification.
