//! Commands by domain: each module holds its clap enum and its `run`.

pub mod validator;
