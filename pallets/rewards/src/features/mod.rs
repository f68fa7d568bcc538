//! The pallet's logic, one file per feature.

pub mod claims;
pub mod commission;
pub mod incentives;
pub mod params;
pub mod points;
pub mod pot;
pub mod settlement;
pub mod stake;
