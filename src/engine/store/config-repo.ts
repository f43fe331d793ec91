import type { Database, Statement } from 'better-sqlite3';
import type { BuyerSpec, CampaignSpec, SourceSpec, Workspace } from '../../shared/domain.js';
import type { ApiKeyRepo, KeyOwnerKind } from './api-key-repo.js';

export interface WorkspaceEntities {
  campaigns: CampaignSpec[];
  sources: SourceSpec[];
  buyers: BuyerSpec[];
}

type Table = 'campaigns' | 'sources' | 'buyers';

interface TableStatements {
  all: Statement;
  upsert: Statement;
  remove: Statement;
  clear: Statement;
}

/** Keys never sit in the spec JSON: they live hashed in api_keys. */
function withoutKeys<T extends { apiKey?: string; apiKeyHashes?: string[] }>(spec: T): Omit<T, 'apiKey' | 'apiKeyHashes'> {
  const { apiKey: _plain, apiKeyHashes: _hashes, ...rest } = spec;
  return rest;
}

/**
 * Campaigns, sources and buyers as JSON specs. Configuration changes are rare and must be durable at
 * once, so each call is its own transaction rather than a queued write.
 */
export class ConfigRepo {
  private readonly stmts: Record<Table, TableStatements>;

  constructor(private readonly db: Database, private readonly keys: ApiKeyRepo, private readonly now: () => number) {
    const make = (t: Table): TableStatements => ({
      all: db.prepare(`SELECT json FROM ${t} ORDER BY rowid`),
      upsert: db.prepare(`INSERT INTO ${t} (id, json, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`),
      remove: db.prepare(`DELETE FROM ${t} WHERE id = ?`),
      clear: db.prepare(`DELETE FROM ${t}`),
    });
    this.stmts = { campaigns: make('campaigns'), sources: make('sources'), buyers: make('buyers') };
  }

  load(): WorkspaceEntities {
    const read = <T>(t: Table): T[] => (this.stmts[t].all.all() as Array<{ json: string }>).map((r) => JSON.parse(r.json) as T);
    return { campaigns: read<CampaignSpec>('campaigns'), sources: read<SourceSpec>('sources'), buyers: read<BuyerSpec>('buyers') };
  }

  saveCampaign(spec: CampaignSpec): void {
    this.stmts.campaigns.upsert.run(spec.id, JSON.stringify(spec), this.now());
  }

  deleteCampaign(id: string): boolean {
    return this.stmts.campaigns.remove.run(id).changes > 0;
  }

  saveSource(spec: SourceSpec): void {
    this.db.transaction(() => this.writeOwner('sources', 'source', spec))();
  }

  saveBuyer(spec: BuyerSpec): void {
    this.db.transaction(() => this.writeOwner('buyers', 'buyer', spec))();
  }

  deleteSource(id: string): boolean {
    return this.db.transaction(() => this.deleteOwner('sources', 'source', id))();
  }

  deleteBuyer(id: string): boolean {
    return this.db.transaction(() => this.deleteOwner('buyers', 'buyer', id))();
  }

  /**
   * Replaces all configuration in one transaction. Keys named in the workspace become their owner's
   * active keys; keys of sources and buyers that are no longer in it are revoked.
   */
  replaceWorkspace(ws: Workspace): void {
    this.db.transaction(() => {
      for (const t of ['campaigns', 'sources', 'buyers'] as const) this.stmts[t].clear.run();
      for (const c of ws.campaigns) this.saveCampaign(c);
      for (const s of ws.sources) this.writeOwner('sources', 'source', s);
      for (const b of ws.buyers) this.writeOwner('buyers', 'buyer', b);
      const owners = new Set([...ws.sources.map((s) => `source:${s.id}`), ...ws.buyers.map((b) => `buyer:${b.id}`)]);
      this.keys.revokeOwnersNotIn(owners);
    }).immediate();
  }

  private writeOwner(table: 'sources' | 'buyers', kind: KeyOwnerKind, spec: SourceSpec | BuyerSpec): void {
    this.stmts[table].upsert.run(spec.id, JSON.stringify(withoutKeys(spec)), this.now());
    this.keys.syncOwnerKeys(kind, spec.id, spec);
  }

  /** A deleted source or buyer must not keep authenticating. */
  private deleteOwner(table: 'sources' | 'buyers', kind: KeyOwnerKind, id: string): boolean {
    const removed = this.stmts[table].remove.run(id).changes > 0;
    this.keys.revokeOwner(kind, id);
    return removed;
  }
}
