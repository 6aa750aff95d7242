/** One benchmark figure, as printed and written to bench/results.json. */
export interface Figure {
	name: string;
	value: number;
	unit: string;
	goal: string;
	met: boolean;
	note?: string;
}
