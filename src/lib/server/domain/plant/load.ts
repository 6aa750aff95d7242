import { plantModelSchema, type PlantModel } from './schema';

/** Thrown when the plant model file is not valid; the message lists every problem with its location. */
export class PlantModelError extends Error {
	constructor(
		readonly source: string,
		readonly problems: string[]
	) {
		super(`Plant model ${source} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'PlantModelError';
	}
}

/**
 * Parses and validates plant model JSON text. Pure: the caller reads the file.
 * @param source where the text came from, for the error message
 */
export function parsePlantModel(text: string, source: string): PlantModel {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (err) {
		throw new PlantModelError(source, [`not valid JSON: ${(err as Error).message}`]);
	}
	const result = plantModelSchema.safeParse(raw);
	if (!result.success) {
		throw new PlantModelError(
			source,
			result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
		);
	}
	return result.data;
}
