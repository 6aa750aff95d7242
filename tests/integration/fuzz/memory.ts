import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

// vitest's workers run without --expose-gc; this turns it on for this process and takes the gc function.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap used after full collections, in MB (several rounds, so weak and finalised objects are gone too). */
export async function settledHeapMb(): Promise<number> {
	for (let i = 0; i < 3; i++) {
		gc();
		await new Promise((r) => setTimeout(r, 50));
	}
	return process.memoryUsage().heapUsed / 1024 / 1024;
}
