/**
 * What routes and hooks may use: each a narrow view of one service, never the runtime's parts (the
 * database, the storage, the connectors, the configuration). A route asks for the services it needs by
 * name, so what it can reach is what it says, and a new route cannot quietly grow into the whole runtime.
 */
import type { PlantView } from '$lib/shared/plant-view';
import type { AuthService } from './auth/auth-service';
import type { RequestTrust } from './auth/request-trust';
import type { UserAdminService } from './auth/user-admin-service';
import type { Clock } from './clock';
import type { AlarmService } from './engines/alarm-service';
import type { Historian } from './engines/historian';
import type { OeeService } from './engines/oee-service';
import type { SetpointService } from './engines/setpoint-service';
import type { Hub } from './hub/hub';
import type { Logger } from './log';
import { ensureRuntime, type HealthReport } from './runtime';
import type { AlarmJournal } from './store/alarm-journal';
import type { AuditLog } from './store/audit-log';
import type { TagStore } from './domain/tags/tag-store';
import type { UnsTree } from './domain/uns/uns-tree';
import type { UnsService } from './uns/service';

export interface Services {
	readonly plantView: PlantView;
	/** Users that exist with password = name (demo mode only), for the sign-in page. */
	readonly demoUsers: readonly string[];
	readonly sessions: Pick<AuthService, 'login' | 'logout' | 'verify' | 'setLanguage'>;
	/** The host names, origins and headers a request is checked against before any route runs. */
	readonly requestTrust: RequestTrust;
	readonly users: Pick<UserAdminService, 'list' | 'create' | 'setEnabled' | 'resetPassword' | 'setRole'>;
	readonly audit: Pick<AuditLog, 'record' | 'query'>;
	readonly alarms: Pick<AlarmService, 'records' | 'act'>;
	readonly journal: Pick<AlarmJournal, 'query'>;
	readonly oee: Pick<OeeService, 'paths' | 'current' | 'history'>;
	readonly history: Pick<Historian, 'query'>;
	readonly setpoints: SetpointService;
	readonly tags: Pick<TagStore, 'match'>;
	readonly unsTree: Pick<UnsTree, 'find'>;
	readonly uns: Pick<UnsService, 'publish' | 'rebirth' | 'canRebirth'>;
	/** SSE streams: the hub's sessions, fed as a WebSocket is. */
	readonly streams: Pick<Hub, 'reserveConnection' | 'connect' | 'receive' | 'disconnect' | 'limits'>;
	readonly health: () => HealthReport;
	readonly clock: Clock;
	readonly log: Logger;
}

/** The services of the running process; the `init` hook has started it before any request is handled. */
export async function services(): Promise<Services> {
	return (await ensureRuntime()).services;
}
