import { SignJWT, jwtVerify, errors } from 'jose';
import { isRole, type Role } from './roles';

/**
 * Session tokens: HS256 JWTs carrying the session id. The signature makes a forged or edited token
 * worthless without a database look-up; the session row decides whether it is still alive (logout).
 */
export interface SessionClaims {
	userId: number;
	sid: string;
	role: Role;
	expiresAt: number;
}

const ISSUER = 'acme-hmi';

export async function signSessionToken(claims: SessionClaims, key: Uint8Array): Promise<string> {
	return new SignJWT({ sid: claims.sid, role: claims.role })
		.setProtectedHeader({ alg: 'HS256' })
		.setSubject(String(claims.userId))
		.setIssuer(ISSUER)
		.setIssuedAt()
		.setExpirationTime(Math.floor(claims.expiresAt / 1000))
		.sign(key);
}

/** The claims of a valid, unexpired token; null for anything else (bad signature, expired, malformed). */
export async function verifySessionToken(token: string, key: Uint8Array, now: number): Promise<SessionClaims | null> {
	if (token.length > 4096) return null;
	try {
		const { payload } = await jwtVerify(token, key, {
			issuer: ISSUER,
			algorithms: ['HS256'],
			currentDate: new Date(now)
		});
		const userId = Number(payload.sub);
		if (!Number.isInteger(userId) || typeof payload.sid !== 'string' || !isRole(payload.role) || !payload.exp) return null;
		return { userId, sid: payload.sid, role: payload.role, expiresAt: payload.exp * 1000 };
	} catch (err) {
		if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
		throw err;
	}
}
