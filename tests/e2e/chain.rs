//! A dev node and a local testnet, driven through subxt.

use std::time::Duration;

use serde_json::Value;
use subxt::{
	dynamic::{self, Value as DynValue},
	rpcs::rpc_params,
	utils::AccountId32,
};
use subxt_signer::sr25519::dev;
use warden_tests::node::{best_number, finalized_number, poll_until, temp_dir, Node, NodeConfig};

use crate::NODE;

/// Free balance of `who`, read from `System::Account` at the best block.
async fn free_balance(client: &subxt::OnlineClient<subxt::PolkadotConfig>, who: [u8; 32]) -> u128 {
	#[derive(Debug, scale_decode::DecodeAsType)]
	struct AccountInfo {
		data: AccountData,
	}
	#[derive(Debug, scale_decode::DecodeAsType)]
	struct AccountData {
		free: u128,
	}
	let at = client.at_current_block().await.expect("best block");
	let address = dynamic::storage::<(AccountId32,), AccountInfo>("System", "Account");
	match at.storage().try_fetch(address, (AccountId32(who),)).await.expect("storage read") {
		Some(value) => value.decode().expect("AccountInfo decodes").data.free,
		None => 0,
	}
}

/// Sends `amount` from Alice to `dest` and waits until the transfer is finalized.
async fn transfer_from_alice(
	client: &subxt::OnlineClient<subxt::PolkadotConfig>,
	dest: [u8; 32],
	amount: u128,
) {
	let tx = dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(DynValue::unnamed_variant("Id", [DynValue::from_bytes(dest)]), amount),
	);
	let at = client.at_current_block().await.expect("best block");
	let progress = at
		.transactions()
		.sign_and_submit_then_watch_default(&tx, &dev::alice())
		.await
		.expect("the transfer is accepted by the pool");
	tokio::time::timeout(Duration::from_secs(60), progress.wait_for_finalized_success())
		.await
		.expect("the transfer is finalized within 60 s")
		.expect("the transfer succeeds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_node_produces_blocks() {
	let scratch = temp_dir();
	let mut node = Node::start(NodeConfig::dev(NODE), scratch.path());
	let rpc = node.wait_ready().await;
	let reached = poll_until(Duration::from_secs(30), || async {
		(best_number(&rpc).await >= 3).then_some(())
	})
	.await;
	if reached.is_none() {
		node.fail("fewer than 3 blocks after 30 s");
	}
	assert!(finalized_number(&rpc).await >= 1, "dev blocks are finalized as they are sealed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_transfer_is_included_and_changes_balances() {
	let scratch = temp_dir();
	let mut node = Node::start(NodeConfig::dev(NODE), scratch.path());
	node.wait_ready().await;
	let client = node.client().await;

	let bob = dev::bob().public_key().0;
	let before = free_balance(&client, bob).await;
	let amount = 1_234_567_890_000u128;
	transfer_from_alice(&client, bob, amount).await;
	let after = free_balance(&client, bob).await;
	assert_eq!(after, before + amount, "Bob received exactly the amount sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarted_node_keeps_its_state() {
	let scratch = temp_dir();
	let base = scratch.path().join("persistent");
	// A fresh account, so its balance can only come from this test's transfer.
	let fresh = [7u8; 32];
	let amount = 5_000_000_000_000u128;

	let height_before_stop = {
		let mut node =
			Node::start(NodeConfig::dev(NODE).base_path(&base).name("first"), scratch.path());
		let rpc = node.wait_ready().await;
		let client = node.client().await;
		transfer_from_alice(&client, fresh, amount).await;
		let height = best_number(&rpc).await;
		node.stop();
		height
	};
	assert!(height_before_stop >= 1);

	let mut node =
		Node::start(NodeConfig::dev(NODE).base_path(&base).name("second"), scratch.path());
	let rpc = node.wait_ready().await;
	let client = node.client().await;
	assert!(
		best_number(&rpc).await >= height_before_stop,
		"the chain resumes from where it stopped"
	);
	assert_eq!(free_balance(&client, fresh).await, amount, "the transfer survived the restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_extrinsic_is_rejected_and_node_keeps_running() {
	let scratch = temp_dir();
	let mut node = Node::start(NodeConfig::dev(NODE), scratch.path());
	let rpc = node.wait_ready().await;

	let result: Result<Value, _> =
		rpc.request("author_submitExtrinsic", rpc_params!["0xdeadbeef"]).await;
	let error = result.expect_err("garbage is not an extrinsic");
	assert!(
		error.to_string().contains("decode") || error.to_string().contains("Invalid"),
		"the error says what was wrong: {error}"
	);

	let height = best_number(&rpc).await;
	let advanced = poll_until(Duration::from_secs(30), || async {
		(best_number(&rpc).await > height).then_some(())
	})
	.await;
	if advanced.is_none() || !node.is_running() {
		node.fail("stopped producing blocks after a malformed extrinsic");
	}
}
