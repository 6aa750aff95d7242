import type { HealthReport } from '$lib/server/runtime';
import type { SourceHealth } from '$lib/server/connectors/source-status';
import type { StorageState } from '$lib/server/store/storage';

/** What anyone may read about a source: no endpoints, topics, security settings, user names or errors. */
export type PublicSourceHealth = Pick<SourceHealth, 'state' | 'since' | 'messages' | 'malformed'>;

export interface PublicHealthReport {
	status: HealthReport['status'];
	uptimeS: number;
	sources: Record<string, PublicSourceHealth>;
	/** One word (`ok`, `failing`, `damaged`, `unusable`, `missing`, `replaced`): a monitor sees a storage fault without a session. */
	storage: StorageState;
}

/**
 * The health report for callers without a session (load balancers, monitoring). A source's detail and
 * last error can name an endpoint or a user (an OPC UA user name, a broker URL): those are for admins only.
 */
export function publicHealth(report: HealthReport): PublicHealthReport {
	const sources = Object.fromEntries(
		Object.entries(report.sources).map(([id, { state, since, messages, malformed }]) => [id, { state, since, messages, malformed: { ...malformed } }])
	);
	return { status: report.status, uptimeS: report.uptimeS, sources, storage: report.storage.state };
}
