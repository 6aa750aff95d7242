import { z } from 'zod';

/** `POST /api/setpoints`: the setpoint (its tag path), the new value, and optionally the value the user saw. */
export const setpointBody = z
	.object({
		path: z.string().min(1).max(1024),
		// Checked against the setpoint's limits by the service, with its own codes.
		value: z.unknown(),
		expected: z.union([z.number(), z.string(), z.boolean()]).optional()
	})
	.strict();
