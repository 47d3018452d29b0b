//! Yearly statistics of the schools and of the network.
