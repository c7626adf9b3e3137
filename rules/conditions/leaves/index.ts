/** The leaves a version-1 pack may use. Add a leaf by defining it and listing it here. */
import { createLeafRegistry } from '../registry';
import { countLeaf } from './count';
import { fieldLeaf } from './field';
import { keywordsLeaf } from './keywords';
import { timeLeaf } from './time';

export const DEFAULT_LEAVES = createLeafRegistry([keywordsLeaf, fieldLeaf, timeLeaf, countLeaf]);
