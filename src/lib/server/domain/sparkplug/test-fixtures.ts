/** Sparkplug payloads written out byte by byte, for tests that must not depend on our own encoder. */
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/**
 * An NBIRTH payload assembled by hand from the protobuf wire format (tag = field << 3 | wire type),
 * so decoding is checked against bytes our encoder did not write:
 *   08 e8 07                        Payload.timestamp (1, varint) = 1000: 0xe8 = 0x80|0x68, 0x07 → 7·128+104
 *   12 13                           Payload.metrics (2, length-delimited), 19 bytes:
 *     0a 04 74 65 6d 70               Metric.name (1, len) = "temp"
 *     10 01                           Metric.alias (2, varint) = 1
 *     20 0a                           Metric.datatype (4, varint) = 10 (Double)
 *     69 00 00 00 00 00 80 35 40      Metric.double_value (13, 64-bit: 13<<3|1 = 0x69) = 21.5 (0x4035800000000000 LE)
 *   12 0d                           Payload.metrics, 13 bytes:
 *     0a 05 6c 65 76 65 6c            Metric.name = "level"
 *     10 02                           Metric.alias = 2
 *     20 03                           Metric.datatype = 3 (Int32)
 *     50 07                           Metric.int_value (10, varint: 10<<3 = 0x50) = 7
 *   18 00                           Payload.seq (3, varint) = 0
 */
export const HAND_NBIRTH = hex(`
	08 e8 07
	12 13 0a 04 74 65 6d 70 10 01 20 0a 69 00 00 00 00 00 80 35 40
	12 0d 0a 05 6c 65 76 65 6c 10 02 20 03 50 07
	18 00`);

/**
 * An NDATA by hand, aliases only:
 *   12 08                           Payload.metrics, 8 bytes:
 *     10 02                           Metric.alias = 2 ("level" per the birth)
 *     50 fb ff ff ff 0f               Metric.int_value = 4294967291 = −5 as two's complement uint32
 *   12 0b                           Payload.metrics, 11 bytes:
 *     10 01                           Metric.alias = 1 ("temp")
 *     69 00 00 00 00 00 00 f4 bf      Metric.double_value = −1.25
 *   18 01                           Payload.seq = 1
 */
export const HAND_NDATA = hex(`
	12 08 10 02 50 fb ff ff ff 0f
	12 0b 10 01 69 00 00 00 00 00 00 f4 bf
	18 01`);
