//! The shared daemon shape against a real dev node: the follower hands over finalized
//! blocks in order from the daemon's cursor, a block whose application failed comes again
//! after a restart and none is skipped or repeated once applied; the client signs with an
//! explicit nonce and mortality and refuses a fee above its limit.

use std::{
	path::PathBuf,
	sync::{Arc, Mutex},
	time::Duration,
};

use warden_client::{api, Error, Keypair, Scheme, TxOptions};
use warden_tests::node::{temp_dir, Node, NodeConfig};

/// How long the test may wait for the blocks it follows.
const WAIT: Duration = Duration::from_secs(120);

fn node_binary() -> PathBuf {
	// This test runs from `<target>/<profile>/deps/`; the node is built next to it.
	let exe = std::env::current_exe().expect("the test's path");
	let path = exe
		.parent()
		.and_then(|deps| deps.parent())
		.map(|profile| profile.join("warden-node"))
		.expect("a target directory");
	assert!(
		path.exists(),
		"{} is missing: build it with `cargo build -p warden-node`",
		path.display()
	);
	path
}

/// A daemon's store in memory: the blocks applied and the cursor, changed together.
#[derive(Default)]
struct Store {
	applied: Vec<u64>,
	cursor: Option<u64>,
}

/// Follows from `start` (or the store's cursor) and applies blocks until `last`; fails
/// applying `fail_at` without storing it.
async fn follow(
	node: &warden_daemon::Node,
	store: &Arc<Mutex<Store>>,
	last: u64,
	fail_at: Option<u64>,
) -> String {
	let cursor = || Ok(store.lock().expect("the store").cursor);
	let outcome = warden_daemon::follow::run(node, 1, cursor, async |block| {
		let number = block.block.number;
		if Some(number) == fail_at {
			return Err(format!("the store failed at {number}"));
		}
		let mut store = store.lock().expect("the store");
		store.applied.push(number);
		store.cursor = Some(number + 1);
		if number == last {
			return Err(format!("applied up to {number}"));
		}
		Ok(())
	});
	tokio::time::timeout(WAIT, outcome).await.expect("the blocks come").expect_err("it stops")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_follower_resumes_at_its_cursor_and_the_fee_limit_holds() {
	let scratch = temp_dir();
	let mut node = Node::start(NodeConfig::dev(node_binary()), scratch.path());
	node.wait_ready().await;
	let daemon_node = warden_daemon::Node::connect(&node.ws_url()).await.expect("a connection");

	// Blocks 1 and 2 are applied; applying block 3 fails, as a crash before the commit
	// would: the follower stops without it.
	let store = Arc::new(Mutex::new(Store::default()));
	let stopped = follow(&daemon_node, &store, 10, Some(3)).await;
	assert_eq!(stopped, "the store failed at 3");
	assert_eq!(store.lock().unwrap().applied, vec![1, 2]);
	// Restarted on the same store, it resumes at block 3: nothing skipped, nothing twice.
	let stopped = follow(&daemon_node, &store, 4, None).await;
	assert_eq!(stopped, "applied up to 4");
	assert_eq!(store.lock().unwrap().applied, vec![1, 2, 3, 4]);

	// A transaction whose fee is above its limit isn't signed; under it, it is, with the
	// nonce and the last block asked for.
	let client = daemon_node.client().await;
	let alice = Keypair::dev("alice", Scheme::Sr25519).expect("a dev key");
	let remark = api::tx().system().remark(b"warden-daemon".to_vec());
	let fee = client.estimate_fee(&remark, &alice).await.expect("a fee");
	assert!(fee > 1);
	let options = TxOptions { max_fee: Some(1), ..Default::default() };
	match client.sign(&remark, &alice, options).await {
		Err(Error::FeeAboveLimit { fee: asked, limit: 1 }) => assert!(asked > 1),
		other => panic!("signed above the limit: {other:?}"),
	}
	let finalized = client.at_finalized().await.expect("a block").block_number();
	let options =
		TxOptions { nonce: Some(7), last_block: Some(finalized + 16), max_fee: Some(fee * 2) };
	let signed = client.sign(&remark, &alice, options).await.expect("signed under the limit");
	assert_eq!(signed.nonce, 7);
	assert!(signed.last_block <= finalized + 16, "{} > {}", signed.last_block, finalized + 16);
}
