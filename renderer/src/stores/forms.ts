import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getApi } from '../api';
import type { FormDraft, FormTemplate, FormsView } from '../types';

/**
 * The site's intake form as the node serves it: the version intake uses, every version kept, and
 * templates of older versions (a ticket is read with the version it was created with). Publishing
 * is for admins; the node refuses everyone else and says why.
 */
export const useFormsStore = defineStore('forms', () => {
  const api = getApi();
  const viewRef = ref<FormsView | null>(null);
  const byVersion = ref(new Map<number, FormTemplate>());

  const view = computed(() => viewRef.value);
  const current = computed(() => viewRef.value?.template ?? null);
  const versions = computed(() => viewRef.value?.versions ?? []);

  function remember(v: FormsView): FormsView {
    viewRef.value = v;
    byVersion.value = new Map(byVersion.value).set(v.template.version, v.template);
    return v;
  }

  /** The version in force now, fetched again (an admin may have just published). */
  async function load(): Promise<FormsView> {
    return remember(await api['forms.get']({}));
  }

  /** One version's template (cached: versions never change). */
  async function template(version: number): Promise<FormTemplate> {
    const hit = byVersion.value.get(version);
    if (hit) return hit;
    const v = await api['forms.get']({ version });
    byVersion.value = new Map(byVersion.value).set(version, v.template);
    return v.template;
  }

  async function publish(draft: FormDraft, note?: string): Promise<FormsView> {
    return remember(await api['forms.publish'](note ? { draft, note } : { draft }));
  }

  return { view, current, versions, load, template, publish };
});
