/**
 * The topic tree moved to the UNS domain (`domain/uns/uns-tree.ts`), where it also keeps values, kinds,
 * warnings and history for the UNS browser. This name stays for code that thinks of it as the tag tree.
 */
export { UnsTree as TopicTree, rateAt, RATE_WINDOW_MS, type UnsNode as TopicNode } from '../uns/uns-tree';
