//! The slashing pallet's logic, one file per feature.

pub mod apply;
pub mod dispute;
pub mod inspect;
pub mod params;
pub mod propose;
pub mod veto;
