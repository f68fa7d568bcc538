//! `wardend` and `warden channel …` / `warden swap …` against a real dev node: the CLI
//! refuses to act with no daemon; a sender's daemon delivers its proofs to the receiver's
//! over the peer API; the receiver's daemon, down while the sender closes with a stale
//! state, restarts and defends the channel before its window ends, and the settlement pays
//! it the newest proof's amount; a daemon killed between committing a nonce and signing
//! never reuses it; a second daemon on the same database, and a call without the token, are
//! refused; a hand-off to a real `warden-monitor`; SWAP between a consumer and a provider,
//! with cheques at the payment threshold, a disconnection at the disconnect threshold,
//! forged and replayed peer messages refused, and a cooperative close paying the newest
//! cheque.

use std::{path::Path, process::Command};

use warden_client::{api, units::UNIT, Client};
use warden_tests::{
	daemons::{amount, binary, start_monitor, stop, Wardend, WAIT},
	node::{temp_dir, wait_until, Node, NodeConfig},
};

const WARDEND: &str = env!("CARGO_BIN_EXE_wardend");

/// Where `wardend`, `warden`, `warden-node` and `warden-monitor` are.
fn bin() -> &'static Path {
	Path::new(WARDEND).parent().expect("a directory")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wardend_end_to_end() {
	let scratch = temp_dir();
	let dir = scratch.path();
	let ferdie = Wardend::new(bin(), "ferdie", dir);
	let dave = Wardend::new(bin(), "dave", dir);

	// No daemon: the CLI exits 4, says how to start one, and signs nothing; a key given to
	// it is refused, since only the daemon signs.
	let none = ferdie.cli("ws://127.0.0.1:1", &["channel", "open", "dave", "10"]);
	let said = String::from_utf8_lossy(&none.stderr);
	assert_eq!(none.status.code(), Some(4), "{said}");
	assert!(said.contains("no wardend at") && said.contains("start it with `wardend"), "{said}");
	std::fs::write(&ferdie.token, "stale").expect("writes");
	let refused = ferdie.cli("ws://127.0.0.1:1", &["channel", "list"]);
	assert_eq!(refused.status.code(), Some(4), "a token but no daemon");
	let keyed = ferdie.cli("ws://127.0.0.1:1", &["--suri", "//Ferdie", "channel", "list"]);
	assert_eq!(keyed.status.code(), Some(2), "{}", String::from_utf8_lossy(&keyed.stderr));

	let mut node = Node::start(NodeConfig::dev(binary(bin(), "warden-node")), dir);
	node.wait_ready().await;
	let url = node.ws_url();
	let client = Client::connect(&url).await.expect("a client");
	let nonce_before = client.account(&warden_client::parse_account("ferdie").unwrap()).await;
	assert!(nonce_before.is_ok_and(|a| a.nonce == 0), "the refused commands sent nothing");

	let mut sender = ferdie.start(&url, &[]);
	let mut receiver = dave.start(&url, &[]);

	// The token is owner-only, and a call without it is refused.
	use std::os::unix::fs::PermissionsExt;
	let mode = std::fs::metadata(&ferdie.token).expect("a token").permissions().mode();
	assert_eq!(mode & 0o777, 0o600);
	let addr: std::net::SocketAddr = ferdie.rpc.parse().expect("an address");
	let body = br#"{"jsonrpc":"2.0","id":1,"method":"daemon_status"}"#;
	let anonymous =
		warden_client::http::request(addr, "POST", "/", None, body, WAIT).expect("answers");
	assert_eq!(anonymous.status, 401, "{}", anonymous.text());
	let token = std::fs::read_to_string(&ferdie.token).expect("the token");
	let call = |body: &[u8]| {
		let answer = warden_client::http::request(addr, "POST", "/", Some(&token), body, WAIT);
		answer.expect("answers").json()
	};
	let unknown = call(br#"{"jsonrpc":"2.0","id":7,"method":"channel_steal"}"#);
	assert_eq!(
		(unknown["id"].as_u64(), unknown["error"]["code"].as_i64()),
		(Some(7), Some(-32601))
	);
	let bad = call(br#"{"jsonrpc":"2.0","id":8,"method":"channel_pay","params":{"channel":"x"}}"#);
	assert_eq!(bad["error"]["code"], -32602, "{bad}");
	assert_eq!(call(b"{not json")["error"]["code"], -32700);
	let status = call(br#"{"jsonrpc":"2.0","id":9,"method":"daemon_status"}"#);
	assert_eq!(status["result"]["lag"].as_u64().map(|lag| lag <= 3), Some(true), "{status}");

	// A second daemon on the same database refuses to start (before it binds its address or
	// writes a token).
	let second = Command::new(WARDEND).args(ferdie.args(&url)).output().expect("runs");
	let said = String::from_utf8_lossy(&second.stderr);
	assert_eq!(second.status.code(), Some(2), "{said}");
	assert!(said.contains("database"), "{said}");

	// Ferdie opens a channel to Dave, naming Dave's peer API; both daemons know it.
	let opened = ferdie.ok(&url, &["channel", "open", "dave", "100", "--peer", &dave.peer_url()]);
	let channel = opened["channel"].as_u64().expect("an id");
	let id = channel.to_string();
	assert_eq!(opened["role"], "sender");
	let shown = dave.ok(&url, &["channel", "show", &id]);
	assert_eq!((shown["role"].as_str(), shown["phase"].as_str()), (Some("receiver"), Some("open")));

	// A payment's proof goes to Dave's daemon at once; Dave refuses it again by hand.
	let first = ferdie.ok(&url, &["channel", "pay", &id, "10"]);
	assert_eq!(first["delivered"], true, "{first}");
	let shown = dave.ok(&url, &["channel", "show", &id]);
	assert_eq!((shown["nonce"].as_u64(), amount(&shown["transferred"])), (Some(1), 10 * UNIT));
	let replay = dave.cli(&url, &["channel", "receive", &first.to_string()]);
	assert_eq!(replay.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&replay.stderr).contains("not above the newest"));

	// Dave's daemon goes down: the next proof isn't delivered, and Ferdie closes admitting
	// nothing (a stale state).
	assert_eq!(stop(&mut receiver, "-KILL"), None);
	let second_payment = ferdie.ok(&url, &["channel", "pay", &id, "20"]);
	assert_eq!(second_payment["proof"]["nonce"], 2);
	assert_eq!(amount(&second_payment["proof"]["transferred"]), 30 * UNIT);
	assert_eq!(second_payment["delivered"], false, "{second_payment}");
	let overpaid = ferdie.cli(&url, &["channel", "pay", &id, "71"]);
	assert_eq!(overpaid.status.code(), Some(1), "over the deposit");
	let closing = ferdie.ok(&url, &["channel", "close", &id]);
	assert_eq!(closing["phase"], "closing");
	// Dave's daemon comes back and takes the proof by hand; it sees the close and defends
	// the channel by itself.
	let mut receiver = dave.start(&url, &[]);
	let received = dave.ok(&url, &["channel", "receive", &second_payment.to_string()]);
	assert_eq!(amount(&received["received"]), 20 * UNIT);
	// The chain settles it when the window ends: Dave gets the newest proof's amount.
	let settled = defended_then_settled(&client, &url, &dave, channel, 2).await;
	assert_eq!(amount(&settled["to_receiver"]), 30 * UNIT, "{settled}");
	assert_eq!(amount(&settled["to_sender"]), 70 * UNIT, "{settled}");
	assert!(dave.log_text().contains("defending it"), "{}", dave.log_text());

	// Killed between committing a nonce and signing: the next payment takes a new nonce,
	// and the crashed one never happened.
	let opened = ferdie.ok(&url, &["channel", "open", "dave", "50"]);
	let id = opened["channel"].as_u64().expect("an id").to_string();
	let paid = ferdie.ok(&url, &["channel", "pay", &id, "5"]);
	assert_eq!(paid["delivered"], true, "{paid}");
	assert_eq!(stop(&mut sender, "-TERM"), Some(0));
	let mut crashing = ferdie.start(&url, &[("WARDEND_FAILPOINT", "pay-committed")]);
	let crashed = ferdie.cli(&url, &["channel", "pay", &id, "5"]);
	assert!(!crashed.status.success());
	assert_eq!(crashing.wait().expect("exits").code(), Some(137), "{}", ferdie.log_text());
	let mut sender = ferdie.start(&url, &[]);
	let next = ferdie.ok(&url, &["channel", "pay", &id, "5"]);
	assert_eq!(next["proof"]["nonce"], 3, "nonce 2 was committed, never signed");
	assert_eq!(amount(&next["proof"]["transferred"]), 10 * UNIT);
	assert_eq!(next["delivered"], true, "{next}");
	assert_eq!(dave.ok(&url, &["channel", "show", &id])["nonce"], 3);
	let status = dave.ok(&url, &["wallet", "status"]);
	assert_eq!(status["channels"], 1, "{status}");

	// Hand-off: Dave's daemon, started with --handoff-on-shutdown, gives his newest proof to
	// Charlie's monitor as it stops; the monitor defends the channel against Ferdie's stale
	// close, and the settlement pays Dave the newest amount.
	let (mut monitor, _) = start_monitor(bin(), "//Charlie", &url, dir).await;
	// A monitor asking more than the most Dave offers is passed over: with no other, the
	// hand-off is refused and nothing is funded.
	let dear = dave.cli(&url, &["channel", "hand-off", "--max-reward", "0.001"]);
	assert_eq!(dear.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&dear.stderr).contains("no monitor takes the hand-off"));
	let channel: u64 = id.parse().expect("an id");
	let escrow_balance = || async {
		client
			.read(api::runtime_apis().monitoring_api().escrow_balance(channel))
			.await
			.expect("reads")
	};
	assert_eq!(escrow_balance().await, 0);
	let unknown = dave.cli(&url, &["channel", "hand-off", "--monitor", "eve"]);
	assert_eq!(unknown.status.code(), Some(1), "Eve is no monitor");
	assert!(String::from_utf8_lossy(&unknown.stderr).contains("not a registered monitor"));
	assert_eq!(stop(&mut receiver, "-TERM"), Some(0));
	let mut receiver = dave.start_with(&url, &["--handoff-on-shutdown"], &[]);
	dave.ok(&url, &["wallet", "shutdown"]);
	assert_eq!(receiver.wait().expect("exits").code(), Some(0), "{}", dave.log_text());
	assert!(dave.log_text().contains("handed off"), "{}", dave.log_text());
	assert!(escrow_balance().await > 0, "the escrow covers the reward");
	ferdie.ok(&url, &["channel", "close", &id]);
	let settled = defended_then_settled(&client, &url, &ferdie, channel, 3).await;
	assert_eq!(amount(&settled["to_receiver"]), 10 * UNIT, "{settled}");

	// `warden wallet shutdown` stops a daemon with exit 0.
	ferdie.ok(&url, &["wallet", "shutdown"]);
	assert_eq!(sender.wait().expect("exits").code(), Some(0), "{}", ferdie.log_text());
	let _ = stop(&mut monitor, "-TERM");

	swap(&client, &url, dir).await;
}

/// Waits until the chain holds the proof of `nonce` for `channel` (an update answering a
/// stale close), then until `party`'s daemon shows the channel settled; returns that.
async fn defended_then_settled(
	client: &Client,
	url: &str,
	party: &Wardend,
	channel: u64,
	nonce: u64,
) -> serde_json::Value {
	let channels = api::runtime_apis().channels_api();
	wait_until(WAIT, "the update", || async {
		let info = client.read(channels.channel(channel)).await.ok()??;
		(info.nonce == nonce).then_some(())
	})
	.await;
	let id = channel.to_string();
	wait_until(WAIT, "the settlement", || async {
		let shown = party.ok(url, &["channel", "show", &id]);
		(shown["phase"] == "settled").then_some(shown)
	})
	.await
}

/// SWAP: Alice consumes Bob's service at 0.01 WRD a unit; Bob wants a cheque at 1 WRD owed
/// and stops serving past 2 WRD.
async fn swap(client: &Client, url: &str, dir: &Path) {
	let alice = Wardend::new(bin(), "alice", dir);
	let bob = Wardend::new(bin(), "bob", dir);
	let bob_flags = ["--swap-price", "0.01", "--swap-payment", "1", "--swap-disconnect", "2"];
	let mut provider = bob.start_with(url, &bob_flags, &[]);
	let consumer_flags = ["--swap-deposit", "8", "--swap-top-up-limit", "20"];
	let mut consumer = alice.start_with(url, &consumer_flags, &[]);

	// Bob asks more than Alice will pay: refused before any channel is opened.
	let dear = alice.cli(url, &["swap", "connect", "bob", &bob.peer_url(), "--max-price", "0.001"]);
	assert_eq!(dear.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&dear.stderr).contains("above the most offered"));
	assert_eq!(alice.ok(url, &["channel", "list"]), serde_json::json!([]));

	// Alice connects: a channel to Bob is opened on demand, and the handshake exchanged.
	let connected =
		alice.ok(url, &["swap", "connect", "bob", &bob.peer_url(), "--max-price", "0.01"]);
	assert_eq!(amount(&connected["their_price"]), UNIT / 100, "{connected}");
	let channel = connected["outgoing"]["channel"].as_u64().expect("a channel");
	assert_eq!(amount(&connected["outgoing"]["deposit"]), 8 * UNIT, "{connected}");
	let id = channel.to_string();

	// 1,000 units, reported by both applications 100 at a time: each 100 is 1 WRD owed,
	// Bob's payment threshold, so a cheque follows each, the next cumulative proof.
	for round in 1..=10u64 {
		bob.ok(url, &["swap", "record", "alice", "--provided", "100"]);
		let consumed = alice.ok(url, &["swap", "record", "bob", "--consumed", "100"]);
		let cheque = &consumed["cheque"];
		assert_eq!(cheque["delivered"], true, "{consumed}");
		assert_eq!(amount(&cheque["transferred"]), u128::from(round) * UNIT, "{consumed}");
		assert!(cheque["nonce"].as_u64() >= Some(round), "{consumed}");
	}
	// Connecting again keeps the ledger both sides agree on.
	let ledger = alice.ok(url, &["swap", "connect", "bob", &bob.peer_url()]);
	assert_eq!(amount(&ledger["paid"]), 10 * UNIT, "{ledger}");
	assert_eq!(ledger, alice.ok(url, &["swap", "show", "bob"]));
	// The ninth cheque needed more than the 8 WRD deposit: Alice's daemon topped it up.
	assert_eq!(amount(&ledger["outgoing"]["deposit"]), 16 * UNIT, "{ledger}");
	let ledger = bob.ok(url, &["swap", "show", "alice"]);
	assert_eq!((ledger["provided"].as_u64(), ledger["balance"].as_str()), (Some(1000), Some("0")));
	assert_eq!(amount(&ledger["received"]), 10 * UNIT, "{ledger}");
	let shown = bob.ok(url, &["channel", "show", &id]);
	assert_eq!(amount(&shown["transferred"]), 10 * UNIT, "Bob's daemon holds the newest cheque");

	// Alice stops paying: Bob serves up to his disconnect threshold, then no more.
	bob.ok(url, &["swap", "record", "alice", "--provided", "100"]);
	bob.ok(url, &["swap", "record", "alice", "--provided", "100"]);
	let over = bob.cli(url, &["swap", "record", "alice", "--provided", "1"]);
	assert_eq!(over.status.code(), Some(1));
	assert!(String::from_utf8_lossy(&over.stderr).contains("DebtOverThreshold"));
	let ledger = bob.ok(url, &["swap", "show", "alice"]);
	assert_eq!(ledger["disconnected"], "Debt", "{ledger}");
	let again = bob.cli(url, &["swap", "record", "alice", "--provided", "1"]);
	assert!(String::from_utf8_lossy(&again.stderr).contains("Disconnected"));
	let bob_rpc: std::net::SocketAddr = bob.rpc.parse().expect("an address");
	let metrics = warden_client::http::request(bob_rpc, "GET", "/metrics", None, b"", WAIT)
		.expect("answers")
		.text();
	assert!(metrics.contains("wardend_swap_peers 1"), "{metrics}");
	assert!(metrics.contains("wardend_swap_disconnected 1"), "{metrics}");

	// The sender's side of a cooperative close: Alice asks Bob's daemon to co-sign.
	let opened = alice.ok(url, &["channel", "open", "bob", "2"]);
	let other = opened["channel"].as_u64().expect("an id").to_string();
	let paid = alice.ok(url, &["channel", "pay", &other, "0.5"]);
	assert_eq!(paid["delivered"], true, "{paid}");
	let settled = alice.ok(url, &["channel", "cooperative-close", &other]);
	assert_eq!(amount(&settled["to_receiver"]), UNIT / 2, "{settled}");
	let on_chain = client.read(api::runtime_apis().channels_api().channel(other.parse().unwrap()));
	assert!(on_chain.await.expect("reads").is_none(), "settled at once");

	// An attacker's peer messages: a replayed sequence, a message forged in Alice's name,
	// and a cheque on Alice's channel signed by someone else are refused, changing nothing.
	let bob_peer: std::net::SocketAddr = bob.peer.parse().expect("an address");
	let bob_account = warden_client::parse_account("bob").expect("bob");
	let genesis = client.genesis_hash();
	let post = |envelope: &warden_client::peer::Envelope| {
		let body = serde_json::to_vec(envelope).expect("JSON");
		warden_client::http::request(bob_peer, "POST", "/peer/1/message", None, &body, WAIT)
			.expect("answers")
	};
	let key = |name| warden_client::Keypair::dev(name, warden_client::Scheme::Sr25519).unwrap();
	let stop_body = r#"{"type":"swap_stop","reason":"PeerStopped"}"#;
	let replayed =
		warden_client::peer::Envelope::seal(&key("alice"), genesis, &bob_account, 1, stop_body);
	assert_eq!(post(&replayed).status, 409, "a replay");
	let mut forged = warden_client::peer::Envelope::seal(
		&key("eve"),
		genesis,
		&bob_account,
		1_000_000,
		stop_body,
	);
	forged.from = key("alice").account_id().to_string();
	assert_eq!(post(&forged).status, 403, "signed by Eve in Alice's name");
	let stranger =
		warden_client::peer::Envelope::seal(&key("eve"), genesis, &bob_account, 1, stop_body);
	let answer = post(&stranger);
	assert_eq!(answer.status, 403, "Eve has no channel with Bob: {}", answer.text());
	let stolen =
		warden_client::signing::balance_proof(&key("eve"), genesis, channel, 99, 15 * UNIT);
	let cheque = serde_json::json!({
		"type": "swap_cheque",
		"proof": warden_client::monitor_wire::ProofJson::new(&stolen),
		"consumed": 1000,
		"provided": 0,
	});
	let sealed = warden_client::peer::Envelope::seal(
		&key("alice"),
		genesis,
		&bob_account,
		1_000_001,
		&cheque.to_string(),
	);
	let answer = post(&sealed);
	assert_eq!(answer.status, 422, "{}", answer.text());
	assert!(answer.text().contains("not signed by the channel's sender"), "{}", answer.text());
	let shown = bob.ok(url, &["channel", "show", &id]);
	assert_eq!(amount(&shown["transferred"]), 10 * UNIT, "the forged cheque changed nothing");

	// Bob closes cooperatively: he gets the newest cheque's cumulative amount at once.
	let settled = bob.ok(url, &["channel", "cooperative-close", &id]);
	assert_eq!(settled["phase"], "settled", "{settled}");
	assert_eq!(amount(&settled["to_receiver"]), 10 * UNIT, "{settled}");
	assert_eq!(amount(&settled["to_sender"]), 6 * UNIT, "{settled}");

	assert_eq!(stop(&mut consumer, "-TERM"), Some(0));
	assert_eq!(stop(&mut provider, "-TERM"), Some(0));
}
