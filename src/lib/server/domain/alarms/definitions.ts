import { ALARM_SEGMENT } from '$lib/shared/uns-path';
import { localized } from '$lib/locales';
import { localText, type LocalText } from '$lib/shared/languages';
import type { PlantModel, PlantTag } from '../plant/schema';
import { linePath, sourceIdOf } from '../plant/view';
import type { AlarmDefinition } from './model';
import { systemAlarmDefinitions } from './system';

/** The message of a limit alarm without its own: the tag's label and the level, in every language. */
function limitMessage(tag: PlantTag, level: 'hh' | 'h' | 'l' | 'll'): LocalText {
	return localized((texts, lang) => `${localText(tag.label, lang)} ${texts.alarms.limitLevel[level]}`);
}

/**
 * Every alarm the plant model declares: limit alarms on analog tags, discrete alarms per machine type,
 * and one communication alarm per line's data source; then the HMI's own system alarms (storage, clock).
 * Each id is the path of the tag that carries its state.
 */
export function alarmDefinitions(plant: PlantModel): AlarmDefinition[] {
	const settings = plant.alarmSettings;
	const defs: AlarmDefinition[] = [];
	for (const line of plant.lines) {
		const base = linePath(plant, line);
		defs.push({
			id: `${base}/${ALARM_SEGMENT}/comms`,
			lineId: line.id,
			trigger: { kind: 'comms', sourceId: sourceIdOf(line) },
			priority: settings.commsLost.priority,
			latching: false,
			onDelayMs: settings.commsLost.onDelayS * 1000,
			offDelayMs: 0,
			message: localized((texts, lang) => texts.alarms.commsLost.replace('{{line}}', () => localText(line.label, lang)))
		});
		for (const machine of line.machines) {
			const type = plant.machineTypes[machine.type];
			const machinePath = `${base}/${machine.id}`;
			const statePath = `${machinePath}/state`;
			const suppression = (states: readonly string[] | undefined) =>
				states && states.length > 0 ? { statePath, states } : undefined;
			for (const tag of type.tags) {
				for (const alarm of tag.alarms ?? []) {
					defs.push({
						id: `${machinePath}/${ALARM_SEGMENT}/${tag.id}_${alarm.level}`,
						lineId: line.id,
						machineId: machine.id,
						trigger: {
							kind: 'limit',
							tagPath: `${machinePath}/${tag.id}`,
							direction: alarm.level.startsWith('h') ? 'high' : 'low',
							limit: alarm.limit,
							deadband: alarm.deadband ?? 0
						},
						priority: alarm.priority,
						latching: alarm.latching,
						onDelayMs: (alarm.onDelayS ?? settings.defaultOnDelayS) * 1000,
						offDelayMs: (alarm.offDelayS ?? settings.defaultOffDelayS) * 1000,
						message: alarm.message ?? limitMessage(tag, alarm.level),
						suppression: suppression(alarm.suppressIn ?? settings.suppressProcessAlarmsIn)
					});
				}
			}
			for (const alarm of type.alarms) {
				defs.push({
					id: `${machinePath}/${ALARM_SEGMENT}/${alarm.id}`,
					lineId: line.id,
					machineId: machine.id,
					trigger: { kind: 'discrete', tagPath: `${machinePath}/${alarm.tag}`, equals: alarm.equals },
					priority: alarm.priority,
					latching: alarm.latching,
					onDelayMs: (alarm.onDelayS ?? 0) * 1000,
					offDelayMs: (alarm.offDelayS ?? 0) * 1000,
					message: alarm.message,
					suppression: suppression(alarm.suppressIn),
					...(alarm.detailTag && { detailTagPath: `${machinePath}/${alarm.detailTag}` })
				});
			}
		}
	}
	defs.push(...systemAlarmDefinitions());
	return defs;
}
