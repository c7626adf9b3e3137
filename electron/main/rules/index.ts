export { SeatRunner, type RunnerOptions } from './runner';
export { Rulebook, RULEBOOK_META, type ActiveRulebook, type RulebookSource } from './rulebook';
export { rulesHandlers, explainTicket } from './handlers';
export { sourceTreeRulebook } from './default-source';
export { explainLineZh } from './explain-zh';
export { parseRuleAction, ruleAction } from './message';
export type { Timers } from './wake-timer';
