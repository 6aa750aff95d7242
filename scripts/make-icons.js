// Draws the app icons (the favicon's trace on the header grey) as PNG files for the web app manifest:
// static/icons/icon-192.png, icon-512.png (purpose "any") and icon-maskable-512.png (full bleed, the trace
// inside the 80 % safe zone that launchers may crop to a circle). No image library: the trace is a
// polyline, each pixel's coverage comes from its distance to it, and zlib writes the PNG.
// Run: node scripts/make-icons.js (the PNGs are committed; run it again after changing the drawing).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'static/icons');

/** The favicon's trace in its 32×32 box. */
const TRACE = [
	[6, 22],
	[11, 22],
	[14, 12],
	[18, 26],
	[21, 17],
	[26, 17]
];
const BACKGROUND = [0x5a, 0x60, 0x68];
const INK = [0xe6, 0xe6, 0xe6];
/** Stroke width in the 32-unit box (the favicon's 2.5). */
const STROKE = 2.5;

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
	const dx = bx - ax;
	const dy = by - ay;
	const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
	return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * RGBA pixels of one icon.
 * @param size edge in px
 * @param scale the trace's box as a fraction of the edge (1 = the favicon's framing)
 * @param rounded corner radius as a fraction of the edge (0 = full bleed, for maskable icons)
 */
function draw(size, scale, rounded) {
	const px = new Uint8Array(size * size * 4);
	const unit = (size * scale) / 32;
	const offset = (size - 32 * unit) / 2;
	const radius = rounded * size;
	const halfStroke = (STROKE / 2) * unit;
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const cx = x + 0.5;
			const cy = y + 0.5;
			// Background coverage: inside the rounded square, anti-aliased over one pixel.
			const qx = Math.max(radius - cx, cx - (size - radius), 0);
			const qy = Math.max(radius - cy, cy - (size - radius), 0);
			const bg = radius > 0 ? Math.max(0, Math.min(1, radius - Math.hypot(qx, qy) + 0.5)) : 1;
			let d = Infinity;
			const tx = (cx - offset) / unit;
			const ty = (cy - offset) / unit;
			for (let i = 1; i < TRACE.length; i++) d = Math.min(d, distanceToSegment(tx, ty, TRACE[i - 1], TRACE[i]) * unit);
			const ink = Math.max(0, Math.min(1, halfStroke - d + 0.5));
			const i = (y * size + x) * 4;
			for (let c = 0; c < 3; c++) px[i + c] = Math.round(BACKGROUND[c] * (1 - ink) + INK[c] * ink);
			px[i + 3] = Math.round(255 * bg);
		}
	}
	return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}

/** An 8-bit RGBA PNG. */
function png(size, rgba) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header[8] = 8; // bit depth
	header[9] = 6; // RGBA
	const raw = Buffer.alloc(size * (size * 4 + 1));
	for (let y = 0; y < size; y++) {
		raw[y * (size * 4 + 1)] = 0; // filter: none
		Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

const ICONS = [
	{ file: 'icon-192.png', size: 192, scale: 1, rounded: 6 / 32 },
	{ file: 'icon-512.png', size: 512, scale: 1, rounded: 6 / 32 },
	// Maskable: the launcher draws its own shape; keep the trace well inside the safe zone (a circle of 80 %).
	{ file: 'icon-maskable-512.png', size: 512, scale: 0.7, rounded: 0 }
];

fs.mkdirSync(outDir, { recursive: true });
for (const icon of ICONS) {
	const file = path.join(outDir, icon.file);
	fs.writeFileSync(file, png(icon.size, draw(icon.size, icon.scale, icon.rounded)));
	console.log(`[icons] ${path.relative(root, file)} ${icon.size}×${icon.size}`);
}
