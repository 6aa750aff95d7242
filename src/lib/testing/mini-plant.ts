import type { PlantView } from '$lib/shared/plant-view';

/**
 * A one-line, one-machine plant view for browser-side unit tests. One fixture, so a new PlantView field is
 * added in one place.
 */
export const miniPlant: PlantView = {
	enterprise: 'acme',
	site: 'utrecht',
	area: 'packaging',
	label: { en: 'Packaging hall', nl: 'Verpakkingshal' },
	staleAfterS: 30,
	reasons: [
		{ code: 0, kind: 'none', label: { en: 'No reason', nl: 'Geen reden' } },
		{ code: 201, kind: 'fault', label: { en: 'Bottle jam', nl: 'Flessenopstopping' } }
	],
	shifts: [{ id: 'early', label: { en: 'Early', nl: 'Vroeg' }, start: '06:00', end: '14:00' }],
	timezone: 'Europe/Amsterdam',
	maxShelveMinutes: 480,
	oeeTargets: { oee: 0.85, availability: 0.9, performance: 0.95, quality: 0.999 },
	lines: [
		{
			id: 'line1',
			path: 'acme/utrecht/packaging/line1',
			label: { en: 'Line 1', nl: 'Lijn 1' },
			source: 'opcua',
			sourceId: 'opcua-line1',
			constraint: 'filler',
			machines: [
				{
					id: 'filler',
					type: 'filler',
					path: 'acme/utrecht/packaging/line1/filler',
					label: { en: 'Filler', nl: 'Vuller' },
					idealRatePerMin: 600,
					tags: [
						{
							id: 'product_temperature',
							path: 'acme/utrecht/packaging/line1/filler/product_temperature',
							kind: 'process',
							unit: '°C',
							range: [4, 10],
							decimals: 1,
							label: { en: 'Product temperature', nl: 'Producttemperatuur' }
						}
					]
				}
			]
		}
	]
};
