import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { connectionState, getApi, onConnectionChange } from '../api';
import type { ConnectionState, FormTemplate, Session, SiteInfo, SitePerson } from '../types';

/**
 * The site this seat works for, its people and intake template, and who is signed in. A seat that
 * syncs signs in with a password (checked by the server, or offline by the seat's verifier); a seat
 * running alone signs in as one of the site's people. The role comes from the person.
 */
export const useSessionStore = defineStore('session', () => {
  const api = getApi();
  const siteRef = ref<SiteInfo | null>(null);
  const peopleRef = ref<SitePerson[]>([]);
  const templateRef = ref<FormTemplate | null>(null);
  const sessionRef = ref<Session | null>(null);
  const loadedRef = ref(false);
  const connectionRef = ref<ConnectionState>(connectionState());
  onConnectionChange((s) => { connectionRef.value = s; });

  let loading: Promise<void> | null = null;

  const site = computed(() => siteRef.value);
  const people = computed(() => peopleRef.value);
  const template = computed(() => templateRef.value);
  const session = computed(() => sessionRef.value);
  const loaded = computed(() => loadedRef.value);
  const connection = computed(() => connectionRef.value);
  const user = computed(() => sessionRef.value?.user ?? null);
  const role = computed(() => sessionRef.value?.user.role ?? null);
  const timezone = computed(() => siteRef.value?.timezone ?? 'Asia/Shanghai');
  /** People who can be assigned tickets: the technicians first, then supervisors. */
  const assignable = computed(() => [
    ...peopleRef.value.filter((p) => p.role === 'technician'),
    ...peopleRef.value.filter((p) => p.role === 'supervisor'),
  ]);

  /** Loads site, people, template and the current session once; later calls share the first. */
  function load(): Promise<void> {
    if (loadedRef.value) return Promise.resolve();
    loading ??= (async () => {
      try {
        const [view, current] = await Promise.all([api['site.info']({}), api['session.current']({})]);
        siteRef.value = view.site;
        peopleRef.value = view.people;
        templateRef.value = view.template;
        sessionRef.value = current;
        loadedRef.value = true;
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  /** `password` when the seat syncs with a server (the node signs in there too). */
  async function signIn(userId: string, password?: string): Promise<Session> {
    const s = await api['session.signIn'](password ? { userId, password } : { userId });
    sessionRef.value = s;
    return s;
  }

  async function signOut(): Promise<void> {
    try {
      await api['session.signOut']({});
    } finally {
      sessionRef.value = null;
    }
  }

  /** The node no longer knows this seat's session (e.g. it restarted): forget it here too. */
  function forget(): void {
    sessionRef.value = null;
  }

  function personName(id: string | null): string {
    if (!id) return '';
    return peopleRef.value.find((p) => p.id === id)?.name ?? id;
  }

  function person(id: string | null): SitePerson | null {
    return peopleRef.value.find((p) => p.id === id) ?? null;
  }

  return {
    site, people, template, session, loaded, connection, user, role, timezone, assignable,
    load, signIn, signOut, forget, personName, person,
  };
});
