import { splitPath } from '$lib/shared/uns-path';

/** Time constant of the message-rate average, in ms: long enough to be steady, short enough to follow a burst. */
export const RATE_TAU_MS = 10_000;

export interface TopicNode {
	readonly name: string;
	readonly path: string;
	readonly children: Map<string, TopicNode>;
	/** Messages on this topic and everything below it. */
	messages: number;
	/** Exponentially weighted messages per second, as of `lastTs`. */
	rateAtLast: number;
	/** Time of the last message here or below (epoch ms). */
	lastTs: number;
	/** Set when a tag lives exactly at this path. */
	tagId?: number;
}

/**
 * The topic tree behind the UNS browser: every path seen, with per-node message counts and rates that
 * roll up to the ancestors. Pure: time comes in as an argument.
 */
export class TopicTree {
	readonly root: TopicNode = newNode('', '');
	#topics = 0;

	/** Number of leaf topics (paths that carry a value). */
	get topicCount(): number {
		return this.#topics;
	}

	/** Records one message on `path` at time `now`. */
	record(path: string, now: number, tagId?: number): TopicNode {
		let node = this.root;
		touch(node, now);
		let prefix = '';
		for (const level of splitPath(path)) {
			prefix = prefix ? `${prefix}/${level}` : level;
			let child = node.children.get(level);
			if (!child) {
				child = newNode(level, prefix);
				node.children.set(level, child);
			}
			node = child;
			touch(node, now);
		}
		if (node.tagId === undefined) {
			this.#topics++;
			node.tagId = tagId ?? -1;
		}
		return node;
	}

	find(path: string): TopicNode | undefined {
		let node: TopicNode | undefined = this.root;
		for (const level of splitPath(path)) {
			node = node.children.get(level);
			if (!node) return undefined;
		}
		return node;
	}
}

/** Messages per second at time `now`, decayed since the node's last message. */
export function rateAt(node: TopicNode, now: number): number {
	return node.rateAtLast * Math.exp(-Math.max(0, now - node.lastTs) / RATE_TAU_MS);
}

function newNode(name: string, path: string): TopicNode {
	return { name, path, children: new Map(), messages: 0, rateAtLast: 0, lastTs: 0 };
}

function touch(node: TopicNode, now: number): void {
	node.rateAtLast = rateAt(node, now) + 1000 / RATE_TAU_MS;
	node.lastTs = Math.max(node.lastTs, now);
	node.messages++;
}
