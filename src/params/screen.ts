import type { ParamMatcher } from '@sveltejs/kit';

/**
 * Any path that is not an API or asset path: such unknown paths are app screens that do not exist, and get
 * their 404 inside the app frame (header, navigation, way back). `/api/…` keeps its JSON answers.
 */
export const match: ParamMatcher = (param) => !/^(api|_app)(\/|$)/.test(param);
