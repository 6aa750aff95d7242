import { describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log';
import { openDatabase } from './db';
import { testGuard } from '../testing/test-guard';

function auditLog(): AuditLog {
	const db = openDatabase(':memory:');
	return new AuditLog(db, testGuard(db));
}

describe('AuditLog', () => {
	it('keeps user, action, target, old and new value, newest first', () => {
		const log = auditLog();
		log.record({ ts: 1000, user: 'anna', action: 'setpoint.write', target: 'acme/a/speed_sp', oldValue: 100, newValue: 120 });
		log.record({ ts: 2000, user: 'admin', action: 'user.create', target: 'piet', newValue: { role: 'operator' } });
		log.record({ ts: 3000, user: 'admin', action: 'user.disable', target: 'piet', detail: { reason: 'left' } });

		const all = log.query({ limit: 10 });
		expect(all.map((e) => e.ts)).toEqual([3000, 2000, 1000]);
		expect(all[2]).toMatchObject({ user: 'anna', action: 'setpoint.write', target: 'acme/a/speed_sp', oldValue: 100, newValue: 120 });
		expect(all[2].detail).toBeUndefined();
		expect(all[0].detail).toEqual({ reason: 'left' });
	});

	it('filters by action (exact or prefix), target and time', () => {
		const log = auditLog();
		log.record({ ts: 1000, user: 'a', action: 'user.create', target: 'x' });
		log.record({ ts: 2000, user: 'a', action: 'user.role', target: 'x' });
		log.record({ ts: 3000, user: 'a', action: 'uns.publish', target: 'acme/t' });
		// A prefix is literal: '_' and '%' are not LIKE wildcards here.
		log.record({ ts: 4000, user: 'a', action: 'userXcreate', target: 'y' });

		expect(log.query({ action: 'user.', limit: 10 }).map((e) => e.action)).toEqual(['user.role', 'user.create']);
		expect(log.query({ action: 'uns.publish', limit: 10 })).toHaveLength(1);
		expect(log.query({ target: 'x', limit: 10 })).toHaveLength(2);
		expect(log.query({ from: 1500, to: 3000, limit: 10 }).map((e) => e.ts)).toEqual([3000, 2000]);
		expect(log.query({ limit: 1 })).toHaveLength(1);
	});
});

describe('AuditLog: attempts audited before they are made', () => {
	it('settle merges the outcome into the entry; pending lists the attempts still without one', () => {
		const db = openDatabase(':memory:');
		const log = new AuditLog(db, testGuard(db));
		const a = log.record({ ts: 1000, user: 'anna', action: 'setpoint.write', target: 'x', oldValue: 1, newValue: 2, detail: { line: 'l1', result: 'pending' } });
		const b = log.record({ ts: 2000, user: 'piet', action: 'setpoint.write', target: 'y', newValue: 3, detail: { result: 'pending' } });
		log.record({ ts: 2500, user: 'admin', action: 'uns.publish', target: 't', detail: { result: 'pending' } });
		log.record({ ts: 3000, user: 'admin', action: 'user.create', target: 'z' });
		expect(log.pending('setpoint.write').map((e) => e.id)).toEqual([a, b]);

		log.settle(a!, { result: 'written', settledTs: 1100 });
		expect(log.query({ target: 'x', limit: 1 })[0]).toMatchObject({ oldValue: 1, newValue: 2, detail: { line: 'l1', result: 'written', settledTs: 1100 } });
		expect(log.pending('setpoint.write').map((e) => e.id)).toEqual([b]);
		// A later note (a read-back) adds to the outcome without losing it.
		log.settle(a!, { readBack: 2 });
		expect(log.query({ target: 'x', limit: 1 })[0].detail).toEqual({ line: 'l1', result: 'written', settledTs: 1100, readBack: 2 });
		// An id that is not there changes nothing.
		log.settle(9999, { result: 'failed' });
		expect(log.query({ limit: 10 }).map((e) => e.detail)).not.toContainEqual({ result: 'failed' });
	});

	it('finds pending attempts through an index, not by reading the whole log', () => {
		const db = openDatabase(':memory:');
		const plan = db
			.prepare(`EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE action = 'setpoint.write' AND json_extract(detail, '$.result') = 'pending'`)
			.all() as { detail: string }[];
		expect(plan.map((p) => p.detail).join(' ')).toContain('audit_log_pending');
	});
});
