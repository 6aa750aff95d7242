/** Line 1 setpoints over OPC UA: a writable Double variable per setpoint, beside the machine's read-only tags. */
import { DataType, DataValue, StatusCodes, Variant, type Namespace, type UAObject, type UAVariable } from 'node-opcua';
import type { MachineId } from './model/plant.js';
import type { SetpointDef } from './model/setpoints.js';
import { MINIMUM_SAMPLING_INTERVAL_MS, type OpcuaServerOptions, type Variables } from './opcua-server.js';

/**
 * Adds the setpoint variable `<machine path>/<id>`. A client's write is handed to `onSetpoint`; the
 * value the client sees afterwards is the one the model reports back, not the one written.
 */
export function addSetpointVariable(
	ns: Namespace,
	object: UAObject,
	machinePath: string,
	machine: MachineId,
	def: SetpointDef,
	variables: Variables,
	options: OpcuaServerOptions
): void {
	const writable = Boolean(options.onSetpoint);
	const variable: UAVariable = ns.addVariable({
		componentOf: object,
		browseName: def.id,
		nodeId: `s=${machinePath}/${def.id}`,
		dataType: 'Double',
		description: `${def.id} (${def.unit}), ${def.limits[0]}…${def.limits[1]}`,
		minimumSamplingInterval: MINIMUM_SAMPLING_INTERVAL_MS,
		accessLevel: writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
		userAccessLevel: writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
		value: new Variant({ dataType: DataType.Double, value: 0 })
	});
	if (options.onSetpoint) {
		const apply = options.onSetpoint;
		variable.bindVariable(
			{
				// The value read is the one the model last reported (update() sets it from source).
				get: () => (variable as unknown as { $dataValue: DataValue }).$dataValue.value,
				set: (variant: Variant) => {
					const value = variant.value as unknown;
					// node-opcua stores the written value whatever the status: on a refusal, put the one in force back into it.
					const keep = () => (variant.value = (variable as unknown as { $dataValue: DataValue }).$dataValue.value.value);
					if (variant.dataType !== DataType.Double && variant.dataType !== DataType.Float) return keep(), StatusCodes.BadTypeMismatch;
					const problem = apply(machine, def.id, value as number);
					if (problem) {
						keep();
						options.log(`opcua: refused write of ${def.id} on ${machinePath}: ${problem.message} [${problem.code}]`);
						return problem.code === 'SIM_ERR_OUT_OF_RANGE' ? StatusCodes.BadOutOfRange : StatusCodes.BadInvalidArgument;
					}
					options.log(`opcua: ${def.id} on ${machinePath} = ${value}`);
					return StatusCodes.Good;
				}
			},
			true
		);
	}
	variables.set(`${machinePath}/${def.id}`, { variable, dataType: DataType.Double, value: undefined });
}
