// Loaded first by cucumber.mjs: from here on, `import` of .ts files goes through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
