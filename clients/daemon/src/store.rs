//! A daemon's one database file (redb): bound to the chain and the account it was made
//! for, holding the follower's cursor next to the daemon's own tables, and open in one
//! process at a time (a second daemon on the same file refuses to start).
//!
//! A finalized block's changes and the new cursor are written in one transaction
//! ([`Store::write`]), which is what makes [`crate::follow::run`] exactly once.

use std::path::Path;

use redb::{
	Database, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction,
};

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const CURSOR: TableDefinition<&str, u64> = TableDefinition::new("cursor");

/// A database error.
pub type Error = redb::Error;

/// A record as a daemon stores it in a table: JSON, so records can gain fields.
pub fn encode<T: serde::Serialize>(record: &T) -> Vec<u8> {
	serde_json::to_vec(record).unwrap_or_default()
}

/// A record [`encode`] wrote (`None` if it doesn't read as a `T`).
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
	serde_json::from_slice(bytes).ok()
}

/// The database file.
pub struct Store {
	db: Database,
}

impl Store {
	/// Opens (or creates) the file at `path` for the chain with `genesis` and the account
	/// `account` (a `role` such as "monitor account", named in the error if the file
	/// belongs to another); `init` creates the daemon's tables, so readers never miss one.
	/// Refused if another process has the file open.
	pub fn open(
		path: &Path,
		genesis: &[u8],
		account: &[u8],
		role: &str,
		init: impl FnOnce(&WriteTransaction) -> Result<(), Error>,
	) -> Result<Self, String> {
		if let Some(dir) = path.parent() {
			std::fs::create_dir_all(dir)
				.map_err(|e| format!("can't create {}: {e}", dir.display()))?;
		}
		let db = Database::create(path)
			.map_err(|e| format!("can't open the database {}: {e}", path.display()))?;
		let store = Self { db };
		let mismatch = store
			.write(|tx| {
				let mut meta = tx.open_table(META)?;
				let mut mismatch = None;
				for (name, value) in [("genesis", genesis), ("account", account)] {
					let stored = meta.get(name)?.map(|v| v.value().to_vec());
					match stored {
						None => {
							meta.insert(name, value)?;
						}
						Some(stored) if stored != value => mismatch = Some(name),
						Some(_) => {}
					}
				}
				drop(meta);
				tx.open_table(CURSOR)?;
				init(tx)?;
				Ok(mismatch)
			})
			.map_err(|e| format!("can't initialise the database {}: {e}", path.display()))?;
		match mismatch {
			None => Ok(store),
			Some(what) => Err(format!(
				"the database {} belongs to another {}: use another --db",
				path.display(),
				if what == "genesis" { "chain" } else { role }
			)),
		}
	}

	/// Runs `f` in one write transaction and commits it.
	pub fn write<T>(
		&self,
		f: impl FnOnce(&WriteTransaction) -> Result<T, Error>,
	) -> Result<T, Error> {
		let tx = self.db.begin_write()?;
		let out = f(&tx)?;
		tx.commit()?;
		Ok(out)
	}

	/// Runs `f` in one read transaction.
	pub fn read<T>(
		&self,
		f: impl FnOnce(&ReadTransaction) -> Result<T, Error>,
	) -> Result<T, Error> {
		let tx = self.db.begin_read()?;
		f(&tx)
	}

	/// Every record of `table` ([`encode`]d), in key order; one that doesn't read as a `T`
	/// is skipped.
	pub fn records<K, T>(&self, table: TableDefinition<K, &[u8]>) -> Result<Vec<(K, T)>, Error>
	where
		K: redb::Key + for<'a> redb::Value<SelfType<'a> = K> + 'static,
		T: serde::de::DeserializeOwned,
	{
		self.read(|tx| {
			let mut out = Vec::new();
			for entry in tx.open_table(table)?.iter()? {
				let (key, value) = entry?;
				if let Some(record) = decode(value.value()) {
					out.push((key.value(), record));
				}
			}
			Ok(out)
		})
	}

	/// The next finalized block whose events to apply, if any was applied.
	pub fn cursor(&self) -> Result<Option<u64>, Error> {
		self.read(|tx| Ok(tx.open_table(CURSOR)?.get("next")?.map(|v| v.value())))
	}

	/// Moves the cursor to `next`, in the transaction that applies the block before it.
	pub fn set_cursor(tx: &WriteTransaction, next: u64) -> Result<(), Error> {
		tx.open_table(CURSOR)?.insert("next", next)?;
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const NOTES: TableDefinition<u64, u64> = TableDefinition::new("notes");

	fn open(path: &Path, genesis: u8, account: u8) -> Result<Store, String> {
		Store::open(path, &[genesis; 32], &[account; 32], "agent account", |tx| {
			tx.open_table(NOTES)?;
			Ok(())
		})
	}

	#[test]
	fn a_store_keeps_its_cursor_and_belongs_to_one_chain_and_account() {
		let dir = tempfile::tempdir().expect("a directory");
		let path = dir.path().join("sub/agent.redb");
		let store = open(&path, 1, 2).expect("opens");
		assert_eq!(store.cursor().unwrap(), None);
		store
			.write(|tx| {
				tx.open_table(NOTES)?.insert(7, 1)?;
				Store::set_cursor(tx, 8)
			})
			.unwrap();
		// A second process (or a second store in this one) can't open it meanwhile.
		let busy = open(&path, 1, 2).err().expect("refused while open");
		assert!(busy.contains("can't open the database"), "{busy}");
		drop(store);

		let store = open(&path, 1, 2).expect("opens again");
		assert_eq!(store.cursor().unwrap(), Some(8));
		drop(store);
		let other_chain = open(&path, 9, 2).err().expect("another chain");
		assert!(other_chain.contains("belongs to another chain"), "{other_chain}");
		let other_account = open(&path, 1, 9).err().expect("another account");
		assert!(other_account.contains("belongs to another agent account"), "{other_account}");
	}
}
