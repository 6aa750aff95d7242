/**
 * Every user-visible string goes through i18next: no letters in the markup of a `.svelte` file outside
 * `{…}` expressions, and none in attributes people read (aria-label, title, placeholder, alt).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'svelte/compiler';

/** Texts allowed as written: units and symbols that read the same in every language. */
const ALLOWED = new Set(['°C', 'bar', '%']);

/** Attributes whose text a user reads or hears. */
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'title', 'placeholder', 'alt', 'label']);

const SRC = join(import.meta.dirname, '..');
const HAS_LETTER = /\p{L}/u;

function svelteFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = join(dir, e.name);
		if (e.isDirectory()) return svelteFiles(p);
		return e.name.endsWith('.svelte') ? [p] : [];
	});
}

interface Finding {
	line: number;
	text: string;
}

type AstNode = { type?: string; start?: number; data?: string; name?: string; value?: unknown; [k: string]: unknown };

/** Hard-coded texts in one component's markup. */
export function findHardCodedText(source: string): Finding[] {
	const ast = parse(source, { modern: true });
	const found: Finding[] = [];
	const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
	const report = (node: AstNode, raw: string) => {
		const words = raw.split(/\s+/).filter((w) => HAS_LETTER.test(w) && !ALLOWED.has(w));
		if (words.length) found.push({ line: lineOf(node.start ?? 0), text: raw.replace(/\s+/g, ' ').trim() });
	};

	const walk = (node: unknown): void => {
		if (Array.isArray(node)) return node.forEach(walk);
		if (!node || typeof node !== 'object') return;
		const n = node as AstNode;
		if (n.type === 'Text') return report(n, n.data ?? '');
		if (n.type === 'Comment') return;
		if (n.type === 'Attribute' && Array.isArray(n.value)) {
			if (VISIBLE_ATTRIBUTES.has(String(n.name))) {
				for (const part of n.value as AstNode[]) if (part.type === 'Text') report(part, part.data ?? '');
			}
			return; // other attributes (class, href, data-*) are not read by people
		}
		// Only markup: expressions ({…}) are code, and may hold keys and data.
		for (const [key, value] of Object.entries(n)) {
			if (key === 'expression' || key === 'metadata') continue;
			if (value && typeof value === 'object') walk(value);
		}
	};
	walk(ast.fragment);
	return found;
}

describe('no hard-coded user-visible text in .svelte files', () => {
	test('the scanner finds what it should', () => {
		const found = findHardCodedText(
			'<script>let x = "Hello";</script>\n<p>Hallo {x}</p>\n<b aria-label="Close">{x}</b>\n<i class="big">{x} °C ▲ —</i>\n<!-- a note -->\n' +
				'{#if x}<Foo title={x}>Bar</Foo>{:else}<span>{x}</span>{/if}\n' +
				'<svelte:head><title>Page</title></svelte:head>\n<button onclick={() => alert("hi")}>{x}</button>\n' +
				'<style>p { color: red }</style>'
		);
		expect(found).toEqual([
			{ line: 2, text: 'Hallo' },
			{ line: 3, text: 'Close' },
			{ line: 6, text: 'Bar' },
			{ line: 7, text: 'Page' }
		]);
	});

	const files = svelteFiles(SRC);
	test('there are components to scan', () => {
		expect(files.length).toBeGreaterThan(0);
	});
	test.each(files.map((f) => [relative(SRC, f), f]))('%s', (_name, file) => {
		expect(findHardCodedText(readFileSync(file, 'utf8'))).toEqual([]);
	});
});
