/// <reference types="vitest/config" />
import { sveltekit } from '@sveltejs/kit/vite';
import type { Server } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import { attachUpgradeHandler } from './src/lib/server/process-registry.js';

/**
 * Serves /ws from the dev and preview servers the same way server.js does in production:
 * the upgrade is handed to the running hub (and Vite's own HMR socket is left alone).
 */
function liveSocket(): Plugin {
	return {
		name: 'hmi-live-socket',
		configureServer(server) {
			// Vite's type also covers HTTP/2; its dev server is plain node:http here.
			if (server.httpServer) attachUpgradeHandler(server.httpServer as Server);
		},
		configurePreviewServer(server) {
			attachUpgradeHandler(server.httpServer as Server);
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), liveSocket()],
	test: {
		include: ['src/**/*.test.ts', 'plc-sim/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		// A test that runs no expect() fails: it could not have caught anything.
		expect: { requireAssertions: true },
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration tests bind real ports and start real servers: run files one at a time on this 2-core machine.
		fileParallelism: false
	}
});
