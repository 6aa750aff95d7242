import path from 'node:path';
import { z } from 'zod';
import { allowedHostsOf } from './auth/request-trust';

/**
 * Every setting, read once from the environment, validated, with its default visible here.
 * Limits are named so they can be found and tuned (see README "Configuration").
 */
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const flag = z
	.enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
	.default('0')
	.transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
	PORT: int(3000, 0, 65535),
	HOST: z.string().default('0.0.0.0'),
	DATA_DIR: z.string().default('data'),
	PLANT_MODEL: z.string().default('config/plant.json'),
	DEMO: flag,
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	/** External broker (mqtt://, mqtts://). Unset: run the embedded broker. */
	MQTT_URL: z.string().regex(/^(mqtts?|wss?):\/\//, 'must start with mqtt://, mqtts://, ws:// or wss://').optional(),
	MQTT_USERNAME: z.string().optional(),
	MQTT_PASSWORD: z.string().optional(),
	/** Port of the embedded broker. 1884, not 1883, so it does not collide with a system Mosquitto. */
	MQTT_PORT: int(1884, 0, 65535),
	/** Interface the embedded broker listens on. It has no authentication: keep it on loopback unless the network is trusted. */
	MQTT_HOST: z.string().default('127.0.0.1'),
	/** Overrides the endpoint of every OPC UA line in the plant model (handy for tests and one-PLC setups). */
	OPCUA_ENDPOINT: z.string().regex(/^opc\.tcp:\/\//).optional(),
	/** OPC UA message security for every line: None, Sign or SignAndEncrypt. */
	OPCUA_SECURITY_MODE: z.enum(['None', 'Sign', 'SignAndEncrypt']).default('None'),
	/** Security policy for Sign / SignAndEncrypt (ignored with None). */
	OPCUA_SECURITY_POLICY: z.enum(['Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss']).default('Basic256Sha256'),
	/** User name authentication on the OPC UA session; unset: anonymous. The password is never logged. */
	OPCUA_USERNAME: z.string().optional(),
	OPCUA_PASSWORD: z.string().optional(),
	/**
	 * Sign / SignAndEncrypt: trust the first server certificate each endpoint presents and pin it; a different one
	 * later is refused. Off: only certificates in DATA_DIR/pki/opcua-client/trusted/certs are accepted.
	 */
	OPCUA_TRUST_ON_FIRST_USE: flag,
	/** Allows OPCUA_USERNAME with security mode None, where the password crosses the network unencrypted. */
	OPCUA_ALLOW_PLAINTEXT_PASSWORD: flag,
	/** HMAC key for session tokens (≥ 32 characters). Unset: generated once and kept in DATA_DIR/session.key. */
	SESSION_SECRET: z.string().min(32).optional(),
	SESSION_TTL_H: int(12, 1, 24 * 30),
	/** Public origin of the app (as adapter-node's ORIGIN); it is also allowed to open /ws. */
	ORIGIN: z.string().url().optional(),
	/** Further origins allowed to open /ws, comma-separated, compared exactly. */
	ALLOWED_ORIGINS: z.string().default(''),
	/** Further host names requests may be sent to (besides those of the allowed origins), comma-separated, no port. */
	ALLOWED_HOSTS: z.string().default(''),
	/** adapter-node's: the header a proxy puts the client's host name in (e.g. x-forwarded-host); the Host check reads it too. */
	HOST_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name').optional(),
	/** PEM certificate (chain) and private key: with both set, server.js serves HTTPS and WSS only. */
	TLS_CERT_FILE: z.string().optional(),
	TLS_KEY_FILE: z.string().optional(),
	WS_MAX_PAYLOAD_KB: int(64, 1, 16 * 1024),
	WS_MAX_BUFFERED_KB: int(1024, 16, 1024 * 1024),
	WS_MAX_SUBSCRIPTIONS: int(64, 1, 10_000),
	WS_BATCH_MS: int(16, 1, 10_000),
	WS_HEARTBEAT_S: int(15, 1, 3600),
	WS_MAX_PER_USER: int(32, 1, 100_000),
	SSE_MAX_PER_USER: int(8, 1, 100_000),
	/** Failed sign-ins per user name and client address within a minute, and per client address (any names) within 5 minutes. */
	LOGIN_MAX_FAILURES_PER_USER: int(5, 1, 1000),
	LOGIN_MAX_FAILURES_PER_ADDRESS: int(20, 1, 100_000),
	/** Past the address budget: delay before the hash is checked (doubling per further failure, up to the max), and attempts at a time per address. */
	LOGIN_SLOW_DELAY_MS: int(1000, 1, 60_000),
	LOGIN_SLOW_MAX_DELAY_MS: int(8000, 1, 600_000),
	LOGIN_SLOW_MAX_CONCURRENT: int(4, 1, 1000),
	/** adapter-node's: the header with the client's address behind a proxy (read here only to warn when it is missing). */
	ADDRESS_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name').optional(),
	MQTT_MAX_PAYLOAD_KB: int(64, 1, 256 * 1024),
	/** Most tags the tag store holds; a new path past it is refused and counted (`tag-cap`). */
	MAX_TAGS: int(100_000, 100, 10_000_000),
	/** A value stamped further ahead of this server's clock than this is refused as malformed (`future-timestamp`). */
	SOURCE_MAX_FUTURE_S: int(60, 1, 86_400),
	/** Topic filters of the UNS browser's own subscription, comma-separated; its messages feed only the browser's tree. */
	UNS_BROWSE_TOPICS: z.string().default('#'),
	/** How long a setpoint write waits for the source's confirmation (OPC UA answer, MQTT PUBACK) before its outcome is unknown. */
	SETPOINT_WRITE_TIMEOUT_MS: int(5000, 100, 60_000)
});

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	plantModelPath: string;
	demo: boolean;
	logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
	mqtt: { url?: string; username?: string; password?: string; embeddedPort: number; embeddedHost: string; maxPayloadBytes: number };
	/** Most tags in the tag store. */
	maxTags: number;
	/** How far ahead of our clock a source timestamp may be, ms. */
	maxFutureMs: number;
	opcuaEndpointOverride?: string;
	opcua: {
		securityMode: 'None' | 'Sign' | 'SignAndEncrypt';
		/** 'None' exactly when the mode is None. */
		securityPolicy: 'None' | 'Basic256Sha256' | 'Aes128_Sha256_RsaOaep' | 'Aes256_Sha256_RsaPss';
		username?: string;
		password?: string;
		/** Secure modes only: pin the first server certificate per endpoint instead of requiring it in the trusted folder. */
		trustOnFirstUse: boolean;
	};
	/** Set when HTTPS is configured. */
	tls?: { certFile: string; keyFile: string };
	session: { secret?: string; ttlMs: number };
	allowedOrigins: string[];
	/** Host names (no port) requests may be sent to; anything else is refused (DNS rebinding). */
	allowedHosts: string[];
	/** Header the Host check reads: `host`, or HOST_HEADER. */
	hostHeader: string;
	ws: {
		maxPayloadBytes: number;
		maxBufferedBytes: number;
		maxSubscriptions: number;
		batchMs: number;
		heartbeatMs: number;
		maxSocketsPerUser: number;
		maxStreamsPerUser: number;
	};
	login: { maxFailuresPerUser: number; maxFailuresPerAddress: number; slowDelayMs: number; maxSlowDelayMs: number; maxSlowedPerAddress: number };
	/** adapter-node's ADDRESS_HEADER, if set. */
	addressHeader?: string;
	uns: { browseTopics: string[] };
	setpoints: { writeTimeoutMs: number };
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Reads the configuration from environment variables; throws ConfigError listing every bad variable. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
	const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
	}
	const e = parsed.data;
	if (!e.TLS_CERT_FILE !== !e.TLS_KEY_FILE) throw new ConfigError('Invalid configuration:\n  - TLS_CERT_FILE and TLS_KEY_FILE: set both (HTTPS) or neither (HTTP)');
	if (e.OPCUA_PASSWORD !== undefined && e.OPCUA_USERNAME === undefined) throw new ConfigError('Invalid configuration:\n  - OPCUA_PASSWORD: needs OPCUA_USERNAME');
	if (e.OPCUA_USERNAME !== undefined && e.OPCUA_SECURITY_MODE === 'None' && !e.OPCUA_ALLOW_PLAINTEXT_PASSWORD)
		throw new ConfigError(
			'Invalid configuration:\n  - OPCUA_USERNAME: with OPCUA_SECURITY_MODE=None the password would cross the network in clear; use Sign or SignAndEncrypt, or set OPCUA_ALLOW_PLAINTEXT_PASSWORD=1'
		);
	const scheme = e.TLS_CERT_FILE ? 'https' : 'http';
	const origins = new Set(
		e.ALLOWED_ORIGINS.split(',')
			.map((o) => o.trim())
			.filter(Boolean)
	);
	if (e.ORIGIN) origins.add(new URL(e.ORIGIN).origin);
	if (origins.size === 0) {
		// Nothing configured: allow this machine's own addresses only.
		origins.add(`${scheme}://localhost:${e.PORT}`);
		origins.add(`${scheme}://127.0.0.1:${e.PORT}`);
	}
	let allowedHosts: string[];
	try {
		allowedHosts = allowedHostsOf(origins, e.ALLOWED_HOSTS.split(','));
	} catch (err) {
		throw new ConfigError(`Invalid configuration:\n  - ALLOWED_ORIGINS / ALLOWED_HOSTS: ${(err as Error).message}`);
	}
	return {
		port: e.PORT,
		host: e.HOST,
		dataDir: path.resolve(e.DATA_DIR),
		plantModelPath: path.resolve(e.PLANT_MODEL),
		demo: e.DEMO,
		logLevel: e.LOG_LEVEL,
		mqtt: {
			url: e.MQTT_URL,
			username: e.MQTT_USERNAME,
			password: e.MQTT_PASSWORD,
			embeddedPort: e.MQTT_PORT,
			embeddedHost: e.MQTT_HOST,
			maxPayloadBytes: e.MQTT_MAX_PAYLOAD_KB * 1024
		},
		maxTags: e.MAX_TAGS,
		maxFutureMs: e.SOURCE_MAX_FUTURE_S * 1000,
		opcuaEndpointOverride: e.OPCUA_ENDPOINT,
		opcua: {
			securityMode: e.OPCUA_SECURITY_MODE,
			securityPolicy: e.OPCUA_SECURITY_MODE === 'None' ? 'None' : e.OPCUA_SECURITY_POLICY,
			username: e.OPCUA_USERNAME,
			password: e.OPCUA_PASSWORD,
			trustOnFirstUse: e.OPCUA_TRUST_ON_FIRST_USE
		},
		tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: path.resolve(e.TLS_CERT_FILE), keyFile: path.resolve(e.TLS_KEY_FILE) } : undefined,
		session: { secret: e.SESSION_SECRET, ttlMs: e.SESSION_TTL_H * 3600_000 },
		allowedOrigins: [...origins],
		allowedHosts,
		hostHeader: (e.HOST_HEADER ?? 'host').toLowerCase(),
		ws: {
			maxPayloadBytes: e.WS_MAX_PAYLOAD_KB * 1024,
			maxBufferedBytes: e.WS_MAX_BUFFERED_KB * 1024,
			maxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
			batchMs: e.WS_BATCH_MS,
			heartbeatMs: e.WS_HEARTBEAT_S * 1000,
			maxSocketsPerUser: e.WS_MAX_PER_USER,
			maxStreamsPerUser: e.SSE_MAX_PER_USER
		},
		login: {
			maxFailuresPerUser: e.LOGIN_MAX_FAILURES_PER_USER,
			maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
			slowDelayMs: e.LOGIN_SLOW_DELAY_MS,
			maxSlowDelayMs: Math.max(e.LOGIN_SLOW_DELAY_MS, e.LOGIN_SLOW_MAX_DELAY_MS),
			maxSlowedPerAddress: e.LOGIN_SLOW_MAX_CONCURRENT
		},
		addressHeader: e.ADDRESS_HEADER,
		uns: {
			browseTopics: e.UNS_BROWSE_TOPICS.split(',')
				.map((t) => t.trim())
				.filter(Boolean)
		},
		setpoints: { writeTimeoutMs: e.SETPOINT_WRITE_TIMEOUT_MS }
	};
}
