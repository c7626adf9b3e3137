import { currentVersion, formOfVersion, initialForms, siteFormsSchema, type FormTemplate, type SiteForms } from '../../../domain';
import type { TicketStore } from '../store';

/**
 * Where the seat keeps its site's intake form: one versioned document per site in a meta record
 * (`forms:<site>`), shaped so the sync server can replicate it as it is (domain/forms.ts
 * `siteFormsSchema`). Until an admin publishes, the site's built-in template is version 1.
 */
export const formsMetaKey = (site: string): string => `forms:${site}`;

export interface FormsSource {
  store: TicketStore;
  site: { id: string };
  /** The site's built-in template (version 1 until an admin publishes). */
  template: FormTemplate;
}

// Parsed once per stored value: the store hands back the same object until the record is written.
const parsed = new WeakMap<object, SiteForms>();

/** The site's forms document: the stored one when it is valid, else the built-in template alone. */
export function siteForms(src: FormsSource): SiteForms {
  const raw = src.store.meta<unknown>(formsMetaKey(src.site.id));
  if (raw && typeof raw === 'object') {
    const hit = parsed.get(raw);
    if (hit) return hit;
    const r = siteFormsSchema.safeParse(raw);
    if (r.success && r.data.site === src.site.id) {
      parsed.set(raw, r.data);
      return r.data;
    }
  }
  return initialForms(src.site.id, src.template);
}

/** The template intake uses now. */
export function publishedTemplate(src: FormsSource): FormTemplate {
  return currentVersion(siteForms(src)).template;
}

/** The template a ticket was created with (its `formVersion`), else the one in use now. */
export function templateOfVersion(src: FormsSource, version: number | undefined): FormTemplate {
  const doc = siteForms(src);
  return (version !== undefined ? formOfVersion(doc, version) : null) ?? currentVersion(doc).template;
}
