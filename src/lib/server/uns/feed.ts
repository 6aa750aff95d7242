import type { ErrorCode, UnsClientMessage, UnsServerMessage, WireTreeNode, WireUnsMessage } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import { rateAt, RATE_WINDOW_MS, type HistoryEntry, type UnsNode, type UnsTree } from '../domain/uns/uns-tree';
import type { ChannelOutlet, HubChannel } from '../hub/channel';
import type { ClientSession } from '../hub/client-session';
import { errorFrame } from '../hub/errors';

/** The client messages the feed handles: its part of the /ws protocol. */
export const UNS_MESSAGE_TYPES = ['tree.open', 'tree.close', 'tree.search', 'tree.pause', 'tree.resume', 'tree.detail'] as const satisfies readonly UnsClientMessage['type'][];

/** Every limit of the UNS feed, per client unless said otherwise. */
export interface UnsFeedLimits {
	/** At most one `tree` batch per client per interval, ms (all clients share one timer). */
	intervalMs: number;
	/** Most tree nodes a client may hold open at once. */
	maxOpen: number;
	/** Children of one open node the client sees (the first ones; the rest is reached by search). */
	maxChildrenPerOpen: number;
	/** Most node stats in one batch; the rest waits for the next interval. */
	maxNodesPerBatch: number;
	/** Every so often the visible nodes that had messages recently are re-sent, so their rates fall to 0. */
	refreshMs: number;
	/** Search results when the client does not ask for a number. */
	defaultSearchLimit: number;
	/** A search walks the whole tree: one per client per this many ms; a newer one replaces a waiting one. */
	searchIntervalMs: number;
	/** Most tree nodes one search looks at (the result then says `truncated`). */
	searchMaxVisited: number;
	/** Most children a client's tick looks at for changes; open nodes not reached are looked at on a later tick. */
	maxScanPerTick: number;
}

export const DEFAULT_UNS_FEED_LIMITS: UnsFeedLimits = {
	intervalMs: 250,
	maxOpen: 100,
	maxChildrenPerOpen: 1000,
	maxNodesPerBatch: 500,
	refreshMs: 2000,
	defaultSearchLimit: 50,
	searchIntervalMs: 500,
	searchMaxVisited: 200_000,
	maxScanPerTick: 20_000
};

interface OpenNode {
	id: number;
	node: UnsNode;
	/** Owed a snapshot (opened or resumed while the client was behind): sent from the tick. */
	needsSnapshot: boolean;
	/** The tree's version when this node's children were last looked at for changes. */
	seenVersion: number;
	lastRefreshAt: number;
}

interface FeedClient {
	readonly session: ClientSession;
	/** Open path → node: the client sees these nodes' children. */
	readonly open: Map<string, OpenNode>;
	/** Visible nodes changed since the last batch (conflated: each once, sent with its latest stats). */
	readonly pending: Set<UnsNode>;
	paused: boolean;
	/** Open nodes rotate through the tick's scan budget: the next scan starts at this index. */
	scanFrom: number;
	/** `needsResend`: the detail's ring is owed (asked for or resumed while the client was behind). */
	detail: { id: number; node: UnsNode; lastSeq: number; needsResend: boolean } | null;
	lastSearchAt: number;
	/** A search that came too soon after the last one: run on a later tick (typing sends one per key). */
	waitingSearch: Extract<UnsClientMessage, { type: 'tree.search' }> | null;
}

/**
 * The UNS browser's flow control on the /ws socket: each client receives only the children of the nodes
 * it has opened, as one snapshot per open and then at most one conflated batch per interval with the
 * nodes that changed, capped in size. A paused client receives nothing until it resumes, then fresh
 * snapshots. Everything a client can make the server hold is bounded by the limits above. A client that is
 * behind on reading (the hub's `isBehind`) is sent nothing: snapshots and detail wait for a tick after it
 * has read enough, a search is answered HMI_ERR_BUSY.
 *
 * It is a channel of the hub (hub/channel.ts): it sends only through the hub's outlet, by the hub's unread
 * rules (hub/unread.ts) and from the same limits (config.ws), so that two senders on one socket never judge
 * its reader differently. The hub's heartbeat closes a socket that does not read; the feed never closes one.
 */
export class UnsFeed implements HubChannel<UnsClientMessage> {
	readonly name = 'uns';
	readonly messageTypes = UNS_MESSAGE_TYPES;
	readonly #clients = new Map<ClientSession, FeedClient>();
	readonly #limits: UnsFeedLimits;
	readonly #timer: unknown;
	/** A node quiet for longer has had its rate at 0 in at least one refresh already. */
	readonly #recentMs: number;

	constructor(
		private readonly tree: UnsTree,
		private readonly clock: Clock,
		private readonly outlet: ChannelOutlet,
		limits: Partial<UnsFeedLimits> = {}
	) {
		this.#limits = { ...DEFAULT_UNS_FEED_LIMITS, ...limits };
		this.#recentMs = 2 * RATE_WINDOW_MS + this.#limits.refreshMs;
		this.#timer = clock.setInterval(() => this.#tick(), this.#limits.intervalMs);
	}

	get limits(): Readonly<UnsFeedLimits> {
		return this.#limits;
	}

	/** Clients with UNS state (those that sent at least one tree message). */
	get clientCount(): number {
		return this.#clients.size;
	}

	/** Handles one parsed tree message (the hub has checked its shape and the client's message rate). */
	receive(session: ClientSession, msg: UnsClientMessage): void {
		if (session.closed) return;
		const client = this.#client(session);
		switch (msg.type) {
			case 'tree.open':
				this.#open(client, msg.id, msg.path);
				break;
			case 'tree.close':
				client.open.delete(msg.path);
				break;
			case 'tree.search':
				if (this.#behind(client)) this.#error(client, 'HMI_ERR_BUSY', 'too much unread data: read it first', msg.id);
				else if (this.clock.now() - client.lastSearchAt >= this.#limits.searchIntervalMs) this.#search(client, msg);
				else client.waitingSearch = msg;
				break;
			case 'tree.pause':
				client.paused = true;
				client.pending.clear();
				break;
			case 'tree.resume':
				if (!client.paused) break;
				client.paused = false;
				// Owed, not sent here: the tick sends them as fast as the client reads (100 snapshots at once could be megabytes).
				for (const open of client.open.values()) open.needsSnapshot = true;
				if (client.detail) client.detail.needsResend = true;
				this.#sendOwed(client);
				break;
			case 'tree.detail':
				this.#detail(client, msg.id, msg.path);
				break;
		}
	}

	/** The client's connection has closed. */
	clientClosed(session: ClientSession): void {
		this.#clients.delete(session);
	}

	stop(): void {
		this.clock.clearInterval(this.#timer);
		this.#clients.clear();
	}

	#client(session: ClientSession): FeedClient {
		let client = this.#clients.get(session);
		if (!client) {
			client = {
				session,
				open: new Map(),
				pending: new Set(),
				paused: false,
				scanFrom: 0,
				detail: null,
				lastSearchAt: Number.NEGATIVE_INFINITY,
				waitingSearch: null
			};
			this.#clients.set(session, client);
		}
		return client;
	}

	#open(client: FeedClient, id: number, path: string): void {
		const node = this.tree.find(path);
		if (!node) return this.#error(client, 'HMI_ERR_UNKNOWN_PATH', `no node ${JSON.stringify(path.slice(0, 80))}`, id);
		if (!client.open.has(path) && client.open.size >= this.#limits.maxOpen)
			return this.#error(client, 'HMI_ERR_TOO_MANY_OPEN', `at most ${this.#limits.maxOpen} open nodes per connection`, id);
		client.open.set(path, { id, node, needsSnapshot: true, seenVersion: this.tree.version, lastRefreshAt: this.clock.now() });
		this.#sendOwed(client);
	}

	/** Sends owed snapshots, then an owed detail, each only while the client is not behind. */
	#sendOwed(client: FeedClient): void {
		if (client.paused) return;
		for (const [path, open] of client.open) {
			if (!open.needsSnapshot) continue;
			if (this.#behind(client)) return;
			this.#snapshot(client, path, open);
		}
		if (client.detail?.needsResend && !this.#behind(client)) this.#sendDetail(client, client.detail.id, client.detail.node);
	}

	#snapshot(client: FeedClient, path: string, open: OpenNode): void {
		const now = this.clock.now();
		const nodes: WireTreeNode[] = [];
		for (const child of this.#visibleChildren(open.node)) {
			nodes.push(toWire(child, now));
			client.pending.delete(child);
		}
		// The snapshot carries everything up to now.
		open.needsSnapshot = false;
		open.seenVersion = this.tree.version;
		open.lastRefreshAt = now;
		this.#send(client, { type: 'tree', id: open.id, path, total: open.node.children?.size ?? 0, nodes });
	}

	#detail(client: FeedClient, id: number, path: string | null): void {
		if (path === null) {
			client.detail = null;
			return;
		}
		const node = this.tree.find(path);
		if (!node?.topic) return this.#error(client, 'HMI_ERR_UNKNOWN_PATH', `no topic ${JSON.stringify(path.slice(0, 80))}`, id);
		client.detail = { id, node, lastSeq: 0, needsResend: true };
		this.#sendOwed(client);
	}

	#sendDetail(client: FeedClient, id: number, node: UnsNode): void {
		const history = this.tree.history(node);
		client.detail = { id, node, lastSeq: node.topic!.own, needsResend: false };
		this.#send(client, { type: 'tree.detail', id, path: node.path, node: toWire(node, this.clock.now()), history: history.map(toWireMessage) });
	}

	#search(client: FeedClient, msg: Extract<UnsClientMessage, { type: 'tree.search' }>): void {
		client.lastSearchAt = this.clock.now();
		client.waitingSearch = null;
		const result = this.tree.search(msg.query, msg.limit ?? this.#limits.defaultSearchLimit, msg.byValue ?? false, this.#limits.searchMaxVisited);
		this.#send(client, { type: 'tree.search', id: msg.id, paths: result.paths, truncated: result.truncated });
	}

	#tick(): void {
		const now = this.clock.now();
		for (const client of this.#clients.values()) {
			if (client.session.closed) continue;
			if (this.#behind(client)) continue;
			if (client.waitingSearch && now - client.lastSearchAt >= this.#limits.searchIntervalMs) this.#search(client, client.waitingSearch);
			if (client.paused) continue;
			this.#sendOwed(client);
			this.#scan(client, now);
			this.#flush(client, now);
			this.#flushDetail(client);
		}
	}

	/**
	 * Finds the visible nodes that changed since each open node was last looked at (or that need a
	 * refresh so their rates fall to 0), looking at no more than `maxScanPerTick` children. An open node
	 * with nothing new below it costs nothing; one not reached keeps its version and is looked at next tick.
	 */
	#scan(client: FeedClient, now: number): void {
		const version = this.tree.version;
		const opens = [...client.open.values()];
		let budget = this.#limits.maxScanPerTick;
		const start = client.scanFrom % Math.max(1, opens.length);
		for (let i = 0; i < opens.length; i++) {
			const open = opens[(start + i) % opens.length];
			if (open.needsSnapshot) continue;
			const refresh = now - open.lastRefreshAt >= this.#limits.refreshMs && now - open.node.lastTs <= this.#recentMs;
			if (open.node.version <= open.seenVersion && !refresh) {
				if (now - open.lastRefreshAt >= this.#limits.refreshMs) open.lastRefreshAt = now;
				continue;
			}
			const children = Math.min(open.node.children?.size ?? 0, this.#limits.maxChildrenPerOpen);
			if (children > budget && budget < this.#limits.maxScanPerTick) {
				// Out of budget: this one (and those after it) first on the next tick.
				client.scanFrom = (start + i) % opens.length;
				return;
			}
			budget -= children;
			for (const child of this.#visibleChildren(open.node))
				if (child.version > open.seenVersion || (refresh && now - child.lastTs <= this.#recentMs)) client.pending.add(child);
			open.seenVersion = version;
			if (refresh || now - open.lastRefreshAt >= this.#limits.refreshMs) open.lastRefreshAt = now;
		}
		client.scanFrom = 0;
	}

	/** More unread data than the hub allows: send nothing more for now. */
	#behind(client: FeedClient): boolean {
		return this.outlet.isBehind(client.session);
	}

	#flush(client: FeedClient, now: number): void {
		if (client.pending.size === 0) return;
		const nodes: WireTreeNode[] = [];
		for (const node of client.pending) {
			if (nodes.length >= this.#limits.maxNodesPerBatch) break;
			client.pending.delete(node);
			// Its parent may have been closed since it changed.
			if (node.parent && client.open.has(node.parent.path)) nodes.push(toWire(node, now));
		}
		if (nodes.length > 0) this.#send(client, { type: 'tree', nodes });
	}

	#flushDetail(client: FeedClient): void {
		const detail = client.detail;
		const topic = detail?.node.topic;
		if (!detail || detail.needsResend || !topic || topic.own === detail.lastSeq) return;
		const msgs = this.tree
			.history(detail.node)
			.filter((e) => e.seq > detail.lastSeq)
			.map(toWireMessage);
		detail.lastSeq = topic.own;
		this.#send(client, { type: 'tree.msgs', path: detail.node.path, msgs });
	}

	*#visibleChildren(node: UnsNode): Generator<UnsNode> {
		if (!node.children) return;
		let n = 0;
		for (const child of node.children.values()) {
			if (n++ >= this.#limits.maxChildrenPerOpen) return;
			yield child;
		}
	}

	#error(client: FeedClient, code: ErrorCode, message: string, ref?: number): void {
		this.outlet.sendAnswer(client.session, errorFrame(code, message, ref));
	}

	#send(client: FeedClient, message: UnsServerMessage): void {
		this.outlet.sendFrame(client.session, JSON.stringify(message));
	}
}

/** A node's stats as the browser shows them. */
export function toWire(node: UnsNode, now: number): WireTreeNode {
	const wire: WireTreeNode = {
		p: node.path,
		c: node.children?.size ?? 0,
		m: node.messages,
		r: Math.round(rateAt(node, now) * 10) / 10,
		t: node.lastTs,
		o: node.origin
	};
	const topic = node.topic;
	if (topic) {
		wire.v = topic.preview;
		wire.k = topic.kind;
		if (topic.retained) wire.rt = true;
		if (topic.warnings.length > 0) wire.w = [...topic.warnings];
		if (topic.stale) wire.st = true;
	}
	if (node.edge) wire.sp = { ...node.edge };
	return wire;
}

function toWireMessage(e: HistoryEntry): WireUnsMessage {
	return [e.seq, e.ts, e.text, e.retained ? 1 : 0];
}
