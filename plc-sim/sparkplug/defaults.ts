/** Group and edge node id of the demo plant's utilities, and how often it reports (plant ms). */
export const SPARKPLUG_DEFAULTS = { group: 'acme-utrecht', edge: 'utilities', reportIntervalMs: 1000 } as const;
