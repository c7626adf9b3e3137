import type { ClassicLevel } from 'classic-level';
import { Mutex } from '../../util/mutex';
import { bySiteDocAge, type SiteDocKind, type SiteDocRecord, type SiteDocStorage } from '../site-doc-types';
import { END, SEP, write } from './layout';

/** Site documents in the embedded store: sublevel `sd`, key site␀kind␀id → record JSON. */
export class EmbeddedSiteDocs implements SiteDocStorage {
  private readonly mutex = new Mutex();
  private readonly sd;

  constructor(private readonly db: ClassicLevel<string, Uint8Array>) {
    this.sd = db.sublevel<string, SiteDocRecord>('sd', { valueEncoding: 'json' });
  }

  idle(): Promise<void> {
    return this.mutex.run(async () => undefined);
  }

  putSiteDoc(doc: SiteDocRecord): Promise<boolean> {
    const key = doc.site + SEP + doc.kind + SEP + doc.id;
    return this.mutex.run(async () => {
      if ((await this.sd.get(key)) !== undefined) return false;
      await write(this.db, [{ type: 'put', sublevel: this.sd, key, value: doc }]);
      return true;
    });
  }

  async listSiteDocs(site: string, kind?: SiteDocKind): Promise<SiteDocRecord[]> {
    const prefix = site + SEP + (kind ? kind + SEP : '');
    return (await this.sd.values({ gte: prefix, lt: prefix + END }).all()).sort(bySiteDocAge);
  }
}
