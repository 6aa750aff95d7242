/**
 * The one list of stable error codes, each with the HTTP status it is answered with. Programs and tests
 * assert the code; a person sees the translated text `errors.<CODE>` (locales/*.json). The server answers
 * with `httpError()` (src/lib/server/http/http-error.ts), the hub with `errorFrame()`, and the browser maps
 * an answer back to a text with `send()` (src/lib/client/api.ts).
 *
 * Socket-only codes have `null`: they only travel in an `error` frame on /ws, which has no status. null
 * rather than a nominal status keeps them out of `HttpErrorCode`, so a route cannot answer with one.
 */
export const ERROR_STATUS = {
	// Any request
	HMI_ERR_BAD_REQUEST: 400,
	/** A body that is not `application/json`. */
	HMI_ERR_NOT_JSON: 415,
	HMI_ERR_UNAUTHORIZED: 401,
	HMI_ERR_FORBIDDEN: 403,
	HMI_ERR_NOT_FOUND: 404,
	/** Not sent by this server today; a proxy's 429 is shown with its text. */
	HMI_ERR_RATE_LIMITED: 429,
	/** A service the request needs (the MQTT broker, the Sparkplug host) is not there; nothing was done. */
	HMI_ERR_UNAVAILABLE: 503,
	/** The database cannot answer (REST reads answer 503). */
	HMI_ERR_STORAGE: 503,
	HMI_ERR_BAD_PATTERN: 400,
	/** A tag the historian has not recorded (yet): a 400 as for any bad path, with its own code. */
	HMI_ERR_UNKNOWN_TAG: 400,
	// Abuse limits of /ws and /api/stream, and requests to a name or from a page the server does not serve
	HMI_ERR_TOO_MANY_CONNECTIONS: 429,
	HMI_ERR_HOST_NOT_ALLOWED: 421,
	HMI_ERR_ORIGIN_NOT_ALLOWED: 403,
	// The /ws protocol (socket only)
	HMI_ERR_BAD_MESSAGE: null,
	HMI_ERR_UNKNOWN_TYPE: null,
	HMI_ERR_TOO_MANY_SUBSCRIPTIONS: null,
	HMI_ERR_UNKNOWN_SUBSCRIPTION: null,
	HMI_ERR_SUBSCRIBE_RATE_LIMITED: null,
	// The UNS browser: on the socket, and 404 from GET /api/uns/export
	HMI_ERR_UNKNOWN_PATH: 404,
	HMI_ERR_TOO_MANY_OPEN: null,
	HMI_ERR_BUSY: null,
	// UNS writes (POST /api/uns/publish)
	HMI_ERR_UNS_PUBLISH_PROTECTED: 403,
	/** Not confirmed in time; withdrawn. */
	HMI_ERR_UNS_PUBLISH_TIMEOUT: 502,
	/** The broker connection broke during the publish: the broker may or may not have the message. */
	HMI_ERR_UNS_PUBLISH_FAILED: 502,
	// Setpoint writes (POST /api/setpoints)
	HMI_ERR_SETPOINT_UNKNOWN: 404,
	HMI_ERR_SETPOINT_NOT_A_NUMBER: 400,
	HMI_ERR_SETPOINT_OUT_OF_RANGE: 400,
	HMI_ERR_SETPOINT_OFF_STEP: 400,
	HMI_ERR_SETPOINT_TYPE_RANGE: 400,
	HMI_ERR_SETPOINT_SOURCE_DOWN: 409,
	HMI_ERR_SETPOINT_STALE: 409,
	HMI_ERR_SETPOINT_CHANGED: 409,
	HMI_ERR_SETPOINT_BUSY: 409,
	HMI_ERR_SETPOINT_WRITE_FAILED: 502,
	/** No answer in time: the value may or may not have been applied. */
	HMI_ERR_SETPOINT_OUTCOME_UNKNOWN: 504,
	// User administration (/api/admin/users)
	HMI_ERR_USER_BAD_NAME: 400,
	HMI_ERR_USER_RESERVED_NAME: 400,
	HMI_ERR_BAD_ROLE: 400,
	HMI_ERR_PASSWORD_TOO_SHORT: 400,
	HMI_ERR_PASSWORD_TOO_LONG: 400,
	HMI_ERR_PASSWORD_IS_NAME: 400,
	HMI_ERR_USER_UNKNOWN: 404,
	HMI_ERR_USER_EXISTS: 409,
	HMI_ERR_LAST_ADMIN: 409
} as const satisfies Record<`HMI_ERR_${string}`, number | null>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The codes an HTTP answer may carry (those with a status). */
export type HttpErrorCode = { [C in ErrorCode]: (typeof ERROR_STATUS)[C] extends number ? C : never }[ErrorCode];

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** True for a code of this list (anything else from the wire is treated as no code at all). */
export function isErrorCode(value: unknown): value is ErrorCode {
	return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/** The HTTP status `code` is answered with. */
export function errorStatus(code: HttpErrorCode): number {
	return ERROR_STATUS[code];
}
