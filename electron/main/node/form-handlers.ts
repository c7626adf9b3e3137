import {
  activeFields, publishForm,
  type FormTemplate, type FormVersion, type SiteForms, type SiteInfo, type SitePerson,
} from '../../../domain';
import { ContractError, type FormVersionInfo, type FormsView, type Handlers } from '../../contract/ipc';
import type { TicketStore } from '../store';
import { formsMetaKey, siteForms } from './forms-record';
import { SiteDocRefused } from '../sync/seat-link';
import { requireSession } from './session';

export interface FormDeps {
  store: TicketStore;
  site: SiteInfo;
  people: readonly SitePerson[];
  /** The site's built-in intake template: version 1 until an admin publishes. */
  template: FormTemplate;
  clock: () => number;
  /**
   * A syncing seat sends the version to the server first (it must be the site's next number);
   * resolves when kept there, throws `SiteDocRefused` or (offline) an Error. Absent: the seat runs alone.
   */
  publishRemote?: (version: FormVersion) => Promise<void>;
}

type FormHandlers = Pick<Handlers, 'forms.get' | 'forms.publish'>;

/** Every field a template asks for with no answers given (the standard part and all groups). */
const fieldsOn = (t: FormTemplate) => [...activeFields(t, {}), ...t.groups.flatMap((g) => g.fields.filter((f) => !f.disabled))];

/**
 * The site's intake form, versioned like the rulebook: `forms.get` answers with the version in
 * use and every version kept; `forms.publish` (admins only) adds the next version to the site's
 * forms document (forms-record.ts) in one meta write. `tickets.create` checks answers against the
 * version in use (ticket-handlers.ts reads it with `publishedTemplate`).
 */
export function formHandlers(deps: FormDeps): FormHandlers {
  const info = (v: FormVersion): FormVersionInfo => {
    const on = fieldsOn(v.template);
    return {
      version: v.version,
      name: v.template.name,
      publishedBy: v.publishedBy,
      publishedByName: v.publishedBy ? (deps.people.find((p) => p.id === v.publishedBy)?.name ?? v.publishedBy) : null,
      publishedAt: v.publishedAt,
      seat: v.seat,
      note: v.note,
      activeFields: on.length,
      requiredFields: on.filter((f) => f.required).length,
    };
  };
  const view = (doc: SiteForms, version?: number): FormsView => {
    const current = doc.versions.find((v) => v.version === doc.current)!;
    const asked = version === undefined ? current : doc.versions.find((v) => v.version === version);
    if (!asked) throw new ContractError({ code: 'not_found', message: `表单没有第 ${version} 版`, field: 'version' });
    return { current: info(current), template: asked.template, versions: doc.versions.map(info).reverse() };
  };
  const src = { store: deps.store, site: deps.site, template: deps.template };

  return {
    'forms.get': async ({ version }) => view(siteForms(src), version),
    'forms.publish': async ({ draft, note }, ctx) => {
      const s = requireSession(ctx, deps);
      if (s.user.role !== 'admin') throw new ContractError({ code: 'not_allowed', message: `${s.user.name}无权发布表单：只有管理员可以修改报修表单` });
      const r = publishForm(siteForms(src), draft, { user: s.user.id, seat: deps.store.seat, at: new Date(deps.clock()).toISOString(), note });
      if (!r.ok) throw new ContractError({ code: 'bad_request', message: `表单未发布：${r.problems.join('；')}`, field: 'draft' });
      if (deps.publishRemote) {
        try {
          await deps.publishRemote(r.version);
        } catch (e) {
          if (e instanceof SiteDocRefused) throw new ContractError({ code: 'conflict', message: `同步服务器未接受这一版表单：${e.message}` });
          throw new ContractError({ code: 'unavailable', message: '发布表单需要连接同步服务器（各席位的表单版本须保持一致）：请联网后再发布' });
        }
      }
      await deps.store.putMeta(formsMetaKey(deps.site.id), r.doc);
      return view(r.doc);
    },
  };
}
