//! Trainers (intervenants), internal and external, and their bookings.
