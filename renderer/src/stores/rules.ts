import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getApi } from '../api';
import type { RuleBanner, RulebookView, RuleSimulation, TicketExplanation } from '../types';

/**
 * What the seat's rules say: the SLA banners (kept current by the node's `rules.banners` event),
 * why the open ticket went where it went, and the site's rulebook. No messages here: components
 * tell the person.
 */
export const useRulesStore = defineStore('rules', () => {
  const api = getApi();
  const bannersRef = ref<RuleBanner[]>([]);
  const totalRef = ref(0);
  const explanationRef = ref<TicketExplanation | null>(null);
  const rulebookRef = ref<RulebookView | null>(null);
  const simulationRef = ref<RuleSimulation | null>(null);
  const simulationProgressRef = ref<{ done: number; total: number } | null>(null);

  const banners = computed(() => bannersRef.value);
  const total = computed(() => totalRef.value);
  const explanation = computed(() => explanationRef.value);
  const rulebook = computed(() => rulebookRef.value);
  /** The last dry run of a draft, and the progress of one running. */
  const simulation = computed(() => simulationRef.value);
  const simulationProgress = computed(() => simulationProgressRef.value);
  /** The open ticket's banners, if it has any. */
  const bannersOf = (id: string) => bannersRef.value.filter((b) => b.ticketId === id);

  api.on('rules.banners', (list) => {
    bannersRef.value = list.banners;
    totalRef.value = list.total;
  });
  api.on('rulebook.simulation', (p) => {
    simulationProgressRef.value = p;
  });
  api.on('rulebook.changed', () => {
    if (rulebookRef.value) void loadRulebook().catch(() => undefined);
  });

  async function loadBanners(): Promise<void> {
    const list = await api['rules.banners']({});
    bannersRef.value = list.banners;
    totalRef.value = list.total;
  }

  async function explain(id: string): Promise<TicketExplanation> {
    const why = await api['tickets.explain']({ id });
    explanationRef.value = why;
    return why;
  }

  function forgetExplanation(): void {
    explanationRef.value = null;
  }

  async function loadRulebook(): Promise<RulebookView> {
    const book = await api['rulebook.get']({});
    rulebookRef.value = book;
    return book;
  }

  /** Publishes a draft; a refused one rejects with the engine's message and changes nothing. */
  async function publish(yaml: string, note?: string): Promise<RulebookView> {
    const book = await api['rulebook.publish']({ yaml, ...(note ? { note } : {}) });
    rulebookRef.value = book;
    return book;
  }

  /** Replays a draft over the seat's tickets created in the last `since` (e.g. `30d`); nothing is written. */
  async function simulate(yaml: string, since: string): Promise<RuleSimulation> {
    simulationProgressRef.value = null;
    try {
      const result = await api['rulebook.simulate']({ yaml, since });
      simulationRef.value = result;
      return result;
    } finally {
      simulationProgressRef.value = null;
    }
  }

  return {
    banners, total, explanation, rulebook, simulation, simulationProgress, bannersOf, loadBanners, explain, forgetExplanation, loadRulebook, publish, simulate,
  };
});
