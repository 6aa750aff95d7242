import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StatusCodes, type OPCUACertificateManager, type StatusCode } from 'node-opcua';
import type { Logger } from '../log';

/** What trust on first use does with the certificate an endpoint presents. */
export type PinDecision = 'pin' | 'same' | 'changed';

/** First certificate seen for an endpoint: pin it; the pinned one: fine; any other: refuse. */
export function decidePin(pinned: string | undefined, thumbprint: string): PinDecision {
	if (pinned === undefined) return 'pin';
	return pinned === thumbprint ? 'same' : 'changed';
}

/** SHA-1 thumbprint (hex) of a DER certificate or chain, as OPC UA tools show it. */
export function thumbprintOf(der: Buffer | Buffer[]): string {
	return createHash('sha1')
		.update(Array.isArray(der) ? Buffer.concat(der) : der)
		.digest('hex');
}

/** Pinned thumbprints by endpoint URL, in one small JSON file. */
export class EndpointPins {
	constructor(private readonly file: string) {}

	get(endpoint: string): string | undefined {
		return this.#read()[endpoint];
	}

	set(endpoint: string, thumbprint: string): void {
		const pins = { ...this.#read(), [endpoint]: thumbprint };
		fs.mkdirSync(path.dirname(this.file), { recursive: true });
		const tmp = `${this.file}.tmp`;
		fs.writeFileSync(tmp, `${JSON.stringify(pins, null, '\t')}\n`);
		fs.renameSync(tmp, this.file);
	}

	#read(): Record<string, string> {
		try {
			const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
			return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
		} catch {
			return {};
		}
	}
}

export interface TrustOnFirstUse {
	endpoint: string;
	pins: EndpointPins;
	log: Logger;
	sourceId: string;
}

type CheckCertificate = (chain: Buffer | Buffer[]) => Promise<StatusCode>;

/**
 * Lets `manager` trust the first certificate an endpoint presents: it is pinned and copied to the trusted
 * folder; a different certificate later is refused (unless someone put it in the trusted folder). Returns
 * a function that takes the reason of the last refusal (once), for the source's status.
 */
export function trustOnFirstUse(manager: OPCUACertificateManager, opts: TrustOnFirstUse): () => string | undefined {
	let refusal: string | undefined;
	// node-opcua has no hook for unknown server certificates; its client calls checkCertificate with the
	// endpoint's certificate before opening a secure channel, so that is where the pin is checked.
	const target = manager as unknown as { checkCertificate: CheckCertificate };
	const check: CheckCertificate = target.checkCertificate.bind(manager);
	target.checkCertificate = async (chain) => {
		const status = await check(chain);
		if (status.value !== StatusCodes.BadCertificateUntrusted.value) return status;
		const thumbprint = thumbprintOf(chain);
		const pinned = opts.pins.get(opts.endpoint);
		switch (decidePin(pinned, thumbprint)) {
			case 'pin':
				opts.pins.set(opts.endpoint, thumbprint);
				await manager.trustCertificate(Array.isArray(chain) ? chain[0] : chain);
				opts.log.warn(
					{ source: opts.sourceId, endpoint: opts.endpoint, thumbprint },
					'opcua: trusting the server certificate on first use (OPCUA_TRUST_ON_FIRST_USE); a different certificate from this endpoint will be refused'
				);
				return StatusCodes.Good;
			case 'same':
				return StatusCodes.Good;
			case 'changed':
				refusal = `the OPC UA server's certificate changed since it was first trusted (pinned ${pinned}, now ${thumbprint}): refused`;
				return StatusCodes.BadCertificateUntrusted;
		}
	};
	return () => {
		const last = refusal;
		refusal = undefined;
		return last;
	};
}
