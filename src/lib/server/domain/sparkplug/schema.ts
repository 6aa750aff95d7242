/**
 * The Sparkplug B payload schema as a protobufjs reflection object.
 *
 * Transcribed from `sparkplug_b.proto` of the Eclipse Sparkplug 3.0.0 specification (chapter "Payloads",
 * Sparkplug B payload components and the proto definition given there;
 * https://sparkplug.eclipse.org/specification/version/3.0/documents/sparkplug-specification-3.0.0.pdf).
 * Built in TypeScript with `Root.fromJSON` instead of loading the .proto at runtime, so it bundles with
 * Vite and the simulator without file access. The file is proto2: repeated scalars are not packed and
 * every field is `optional` (absent ≠ zero), which we rely on to tell "no seq" from "seq 0".
 *
 * The `extensions N to max` ranges of the original are left out: protobufjs skips unknown fields on
 * decode, which is all a host needs from them.
 */
import protobuf from 'protobufjs';

/** Sparkplug B DataType enum (spec, "Payloads" → datatypes). Values are on the wire; names are what we show. */
export const DataType = {
	Unknown: 0,
	Int8: 1,
	Int16: 2,
	Int32: 3,
	Int64: 4,
	UInt8: 5,
	UInt16: 6,
	UInt32: 7,
	UInt64: 8,
	Float: 9,
	Double: 10,
	Boolean: 11,
	String: 12,
	DateTime: 13,
	Text: 14,
	UUID: 15,
	DataSet: 16,
	Bytes: 17,
	File: 18,
	Template: 19,
	PropertySet: 20,
	PropertySetList: 21,
	Int8Array: 22,
	Int16Array: 23,
	Int32Array: 24,
	Int64Array: 25,
	UInt8Array: 26,
	UInt16Array: 27,
	UInt32Array: 28,
	UInt64Array: 29,
	FloatArray: 30,
	DoubleArray: 31,
	BooleanArray: 32,
	StringArray: 33,
	DateTimeArray: 34
} as const;

export type DataTypeName = keyof typeof DataType;

const dataTypeNames = new Map<number, DataTypeName>(
	Object.entries(DataType).map(([name, code]) => [code, name as DataTypeName])
);

/** The name of a wire datatype code; 'Unknown' for codes this spec version does not define. */
export function dataTypeName(code: number | undefined): DataTypeName {
	return (code !== undefined && dataTypeNames.get(code)) || 'Unknown';
}

const opt = (type: string, id: number) => ({ type, id });
const rep = (type: string, id: number) => ({ rule: 'repeated', type, id });

/** The scalar `oneof value` members shared by Template.Parameter, DataSet.DataSetValue and PropertyValue. */
const scalarValueFields = (first: number) => ({
	int_value: opt('uint32', first),
	long_value: opt('uint64', first + 1),
	float_value: opt('float', first + 2),
	double_value: opt('double', first + 3),
	boolean_value: opt('bool', first + 4),
	string_value: opt('string', first + 5)
});
const valueOneof = (fields: Record<string, unknown>) => ({ value: { oneof: Object.keys(fields) } });
const emptyExtension = { fields: {} };

const parameterFields = { ...scalarValueFields(3), extension_value: opt('ParameterValueExtension', 9) };
const dataSetValueFields = { ...scalarValueFields(1), extension_value: opt('DataSetValueExtension', 7) };
const propertyValueFields = {
	...scalarValueFields(3),
	propertyset_value: opt('PropertySet', 9),
	propertysets_value: opt('PropertySetList', 10),
	extension_value: opt('PropertyValueExtension', 11)
};
const metricValueFields = {
	int_value: opt('uint32', 10),
	long_value: opt('uint64', 11),
	float_value: opt('float', 12),
	double_value: opt('double', 13),
	boolean_value: opt('bool', 14),
	string_value: opt('string', 15),
	bytes_value: opt('bytes', 16),
	dataset_value: opt('DataSet', 17),
	template_value: opt('Template', 18),
	extension_value: opt('MetricValueExtension', 19)
};

/** JSON descriptor in protobufjs' format; placed in package `org.eclipse.tahu.protobuf` as in the spec. */
const sparkplugTypes = {
	DataType: { edition: 'proto2', values: DataType },
	Payload: {
		// protobufjs reads JSON descriptors as proto3 (implicit presence: a seq of 0 would vanish) unless told.
		edition: 'proto2',
		fields: {
			timestamp: opt('uint64', 1),
			metrics: rep('Metric', 2),
			seq: opt('uint64', 3),
			uuid: opt('string', 4),
			body: opt('bytes', 5)
		},
		nested: {
			Template: {
				fields: {
					version: opt('string', 1),
					metrics: rep('Metric', 2),
					parameters: rep('Parameter', 3),
					template_ref: opt('string', 4),
					is_definition: opt('bool', 5)
				},
				nested: {
					Parameter: {
						oneofs: valueOneof(parameterFields),
						fields: { name: opt('string', 1), type: opt('uint32', 2), ...parameterFields },
						nested: { ParameterValueExtension: emptyExtension }
					}
				}
			},
			DataSet: {
				fields: {
					num_of_columns: opt('uint64', 1),
					columns: rep('string', 2),
					types: rep('uint32', 3),
					rows: rep('Row', 4)
				},
				nested: {
					DataSetValue: {
						oneofs: valueOneof(dataSetValueFields),
						fields: dataSetValueFields,
						nested: { DataSetValueExtension: emptyExtension }
					},
					Row: { fields: { elements: rep('DataSetValue', 1) } }
				}
			},
			PropertyValue: {
				oneofs: valueOneof(propertyValueFields),
				fields: { type: opt('uint32', 1), is_null: opt('bool', 2), ...propertyValueFields },
				nested: { PropertyValueExtension: emptyExtension }
			},
			PropertySet: { fields: { keys: rep('string', 1), values: rep('PropertyValue', 2) } },
			PropertySetList: { fields: { propertyset: rep('PropertySet', 1) } },
			MetaData: {
				fields: {
					is_multi_part: opt('bool', 1),
					content_type: opt('string', 2),
					size: opt('uint64', 3),
					seq: opt('uint64', 4),
					file_name: opt('string', 5),
					file_type: opt('string', 6),
					md5: opt('string', 7),
					description: opt('string', 8)
				}
			},
			Metric: {
				oneofs: valueOneof(metricValueFields),
				fields: {
					name: opt('string', 1),
					alias: opt('uint64', 2),
					timestamp: opt('uint64', 3),
					datatype: opt('uint32', 4),
					is_historical: opt('bool', 5),
					is_transient: opt('bool', 6),
					is_null: opt('bool', 7),
					metadata: opt('MetaData', 8),
					properties: opt('PropertySet', 9),
					...metricValueFields
				},
				nested: { MetricValueExtension: emptyExtension }
			}
		}
	}
};

const inPackage = (packageName: string, nested: object) =>
	packageName.split('.').reduceRight<object>((inner, part) => ({ nested: { [part]: inner } }), { nested });

const root = protobuf.Root.fromJSON(inPackage('org.eclipse.tahu.protobuf', sparkplugTypes));

/** The `org.eclipse.tahu.protobuf.Payload` message type. */
export const PayloadType: protobuf.Type = root.lookupType('org.eclipse.tahu.protobuf.Payload');
