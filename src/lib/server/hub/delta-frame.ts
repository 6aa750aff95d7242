import type { WireDef } from '$lib/shared/protocol';
import type { TagRecord } from '../domain/tags/tag-store';

/**
 * Builds `delta` frames without serialising the same thing twice. A batch's body (defs and updates) is the
 * same for every member of a subscription group; only the leading sequence number differs per client, so
 * the body is encoded once and each client's frame is a short prefix plus those bytes. Within one flush an
 * update's JSON is cached per tag, for tags that several groups share.
 */
export class DeltaFrames {
	readonly #updateJson = new Map<number, string>();

	/** The shared body: `,"defs":[…],"u":[…]}` (defs only when there are new ids). */
	body(defs: WireDef[], tags: Iterable<TagRecord>): Buffer {
		let u = '';
		for (const tag of tags) u += (u ? ',' : '') + this.#update(tag);
		const defsPart = defs.length > 0 ? `,"defs":${JSON.stringify(defs)}` : '';
		return Buffer.from(`${defsPart},"u":[${u}]}`);
	}

	/** One client's frame: `{"type":"delta","seq":n` + body. */
	frame(seq: number, body: Buffer): Buffer {
		const head = Buffer.from(`{"type":"delta","seq":${seq}`);
		return Buffer.concat([head, body], head.length + body.length);
	}

	/** Forget cached updates: call once a flush is done (values change between flushes). */
	clear(): void {
		this.#updateJson.clear();
	}

	#update(tag: TagRecord): string {
		let json = this.#updateJson.get(tag.id);
		if (json === undefined) {
			json = JSON.stringify([tag.id, tag.value, tag.quality, tag.sourceTs]);
			this.#updateJson.set(tag.id, json);
		}
		return json;
	}
}
