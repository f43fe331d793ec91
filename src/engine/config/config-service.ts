import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { AbTestSpec, BuyerSpec, CampaignSpec, CapsSpec, SourceSpec, TierSpec, Workspace } from '../../shared/domain.js';
import type { ConfigChange } from '../../shared/console-api.js';
import type { DynamicFloorSpec } from '../../shared/dynamic-floor.js';
import { PingdeskError, type ErrorDetail } from '../../shared/errors.js';
import { checkBuyer, checkSource } from './entity-problems.js';
import type { Store } from '../store/index.js';
import { keepScreeningKeys, withoutScreeningKeys } from '../screen/compile-screening.js';
import { compileWorkspace } from '../workspace/compile.js';
import type { RuntimeConfig } from '../workspace/runtime.js';
import { buyerSchema, campaignSchema } from '../workspace/schema.js';
import { campaignProblems, issuesToDetails, validateWorkspace } from '../workspace/validate-workspace.js';

type OwnerKind = 'source' | 'buyer';

/**
 * The live configuration: campaigns, sources and buyers as authored (dollars), persisted in the
 * store, compiled into an immutable RuntimeConfig. Every change is validated first (bad input
 * changes nothing), written, recompiled, audited with who and when, and announced; the next
 * auction reads the new snapshot while auctions in flight keep theirs.
 */
export class ConfigService {
  private ws: Workspace;
  private compiled: RuntimeConfig;
  private revision = 1;

  constructor(
    private readonly store: Store,
    private readonly opts: { now: () => number; onChange: (change: ConfigChange) => void },
  ) {
    const entities = store.loadWorkspaceEntities();
    this.ws = { version: 1, ...entities };
    this.compiled = compileWorkspace(this.ws, this.revision);
  }

  get runtime(): RuntimeConfig {
    return this.compiled;
  }

  get workspace(): Workspace {
    return this.ws;
  }

  /** Replaces the whole configuration from a workspace file's content. */
  importWorkspace(input: unknown, actor: string): Workspace {
    const parsed = validateWorkspace(input);
    const ws = { ...parsed, campaigns: parsed.campaigns.map((c) => keepScreeningKeys(c, this.ws.campaigns.find((x) => x.id === c.id))) };
    return this.change({ kind: 'workspace', id: null }, actor, () => {
      this.store.replaceWorkspace(ws);
      this.ws = { version: 1, ...this.store.loadWorkspaceEntities() };
      return { value: this.ws, data: { campaigns: ws.campaigns.length, sources: ws.sources.length, buyers: ws.buyers.length } };
    });
  }

  /** The workspace as a file: keys only as hashes, never in plain text. */
  exportWorkspace(): Workspace {
    return {
      version: 1,
      campaigns: this.ws.campaigns.map(withoutScreeningKeys),
      sources: this.ws.sources.map((s) => withHashes(s, this.store.apiKeyHashesFor('source', s.id))),
      buyers: this.ws.buyers.map((b) => withHashes(b, this.store.apiKeyHashesFor('buyer', b.id))),
    };
  }

  campaign(id: string): CampaignSpec {
    const c = this.ws.campaigns.find((x) => x.id === id);
    if (!c) throw new PingdeskError('not_found', `No campaign "${id}"`);
    return c;
  }

  buyer(id: string): BuyerSpec {
    const b = this.ws.buyers.find((x) => x.id === id);
    if (!b) throw new PingdeskError('not_found', `No buyer "${id}"`);
    return b;
  }

  source(id: string): SourceSpec {
    const s = this.ws.sources.find((x) => x.id === id);
    if (!s) throw new PingdeskError('not_found', `No source "${id}"`);
    return s;
  }

  saveCampaign(input: unknown, actor: string): CampaignSpec {
    const c = keepScreeningKeys(parseEntity(campaignSchema, input, 'campaign') as CampaignSpec, this.ws.campaigns.find((x) => x.id === (input as { id?: unknown } | null)?.id));
    const problems = campaignProblems(c, new Set(this.ws.buyers.map((b) => b.id)));
    if (problems.length) throw problemsError('campaign', problems);
    const previous = this.ws.campaigns.find((x) => x.id === c.id);
    // The minimum price is a floor of every tier: its change is a marker on Live and Reports.
    const minPrice = previous && previous.minPrice !== c.minPrice ? { minPriceBefore: previous.minPrice, minPriceAfter: c.minPrice } : {};
    return this.change({ kind: 'campaign', id: c.id }, actor, () => {
      this.store.saveCampaign(c);
      this.ws = { ...this.ws, campaigns: upsert(this.ws.campaigns, c) };
      return { value: c, data: { action: 'save', ...minPrice } };
    });
  }

  deleteCampaign(id: string, actor: string): void {
    this.campaign(id);
    const sources = this.ws.sources.filter((s) => s.campaigns.includes(id)).map((s) => ({ ...s, campaigns: s.campaigns.filter((c) => c !== id) }));
    this.change({ kind: 'campaign', id }, actor, () => {
      this.store.deleteCampaign(id);
      for (const s of sources) this.store.saveSource(s);
      this.ws = { ...this.ws, campaigns: this.ws.campaigns.filter((c) => c.id !== id), sources: sources.reduce(upsert, this.ws.sources) };
      return { value: undefined, data: { action: 'delete' } };
    });
  }

  /**
   * `why` is added to the audit event: what made the change (e.g. tier placement and its evidence).
   * `alongside` writes with the change, in its transaction (the placement's own record of the move).
   */
  setTiers(campaignId: string, tiers: TierSpec[], actor: string, why: Record<string, unknown> = {}, alongside?: () => void): CampaignSpec {
    const before = this.campaign(campaignId);
    return this.change({ kind: 'tiers', id: campaignId }, actor, () => {
      const next = this.saveCampaignQuietly({ ...before, tiers: keepDynamicFloors(before.tiers, tiers) });
      alongside?.();
      return { value: next, data: { action: 'tiers', before: tierSummary(before.tiers), after: tierSummary(tiers), ...why } };
    });
  }

  /**
   * `detail` joins the audit event: a dynamic floor's change carries `reason: 'dynamicFloor'` and its
   * evidence (basis, percentile, samples, what limited it).
   */
  setFloor(campaignId: string, tierIndex: number, floor: number, actor: string, detail: Record<string, unknown> = {}): CampaignSpec {
    const before = this.campaign(campaignId);
    const tier = before.tiers[tierIndex];
    if (!tier) throw new PingdeskError('validation_failed', `Campaign "${campaignId}" has no tier ${tierIndex + 1}`, { details: [{ field: 'tierIndex', message: 'no such tier' }] });
    const tiers = before.tiers.map((t, i) => (i === tierIndex ? { ...t, floor } : t));
    return this.change({ kind: 'tiers', id: campaignId }, actor, () => ({
      value: this.saveCampaignQuietly({ ...before, tiers }),
      data: { action: 'floor', tier: tier.name, before: tier.floor, after: floor, ...detail },
    }));
  }

  /** Turns a tier's dynamic floor on or off or changes its settings; `null` removes it. The floor itself stays. */
  setDynamicFloor(campaignId: string, tierIndex: number, dynamicFloor: DynamicFloorSpec | null, actor: string): CampaignSpec {
    const before = this.campaign(campaignId);
    const tier = before.tiers[tierIndex];
    if (!tier) throw new PingdeskError('validation_failed', `Campaign "${campaignId}" has no tier ${tierIndex + 1}`, { details: [{ field: 'tierIndex', message: 'no such tier' }] });
    const tiers = before.tiers.map((t, i) => {
      if (i !== tierIndex) return t;
      const { dynamicFloor: _old, ...rest } = t;
      return dynamicFloor ? { ...rest, dynamicFloor } : rest;
    });
    return this.change({ kind: 'tiers', id: campaignId }, actor, () => {
      const next = this.saveCampaignQuietly({ ...before, tiers });
      return { value: next, data: { action: 'dynamicFloor', tier: tier.name, before: tier.dynamicFloor ?? null, after: next.tiers[tierIndex].dynamicFloor ?? null } };
    });
  }

  /**
   * Saves a campaign's ping tree and any buyers' paused switches as one change, audited once with
   * `data` beside it (the what-if apply attaches the replay it was priced with). `next` is the
   * workspace with the changes made (whatif/apply-tree-changes.ts); only that campaign's tree and the
   * buyers whose `paused` moved are written.
   */
  applyTreeChanges(campaignId: string, next: Workspace, actor: string, data: Record<string, unknown>): CampaignSpec {
    const before = this.campaign(campaignId);
    const after = next.campaigns.find((c) => c.id === campaignId);
    if (!after) throw new PingdeskError('not_found', `No campaign "${campaignId}"`);
    const paused = next.buyers.filter((b) => this.ws.buyers.some((x) => x.id === b.id && (x.paused === true) !== (b.paused === true)));
    const pausedSpecs = paused.map((b) => parseEntity(buyerSchema, { ...this.buyer(b.id), paused: b.paused === true }, 'buyer') as BuyerSpec);
    return this.change({ kind: 'tiers', id: campaignId }, actor, () => {
      const saved = this.saveCampaignQuietly({ ...before, tiers: after.tiers, minPrice: after.minPrice });
      for (const b of pausedSpecs) this.store.saveBuyer(b);
      this.ws = { ...this.ws, buyers: pausedSpecs.reduce(upsert, this.ws.buyers) };
      return {
        value: saved,
        data: {
          action: 'tree_changes',
          before: { minPrice: before.minPrice, tiers: tierSummary(before.tiers) },
          after: { minPrice: saved.minPrice, tiers: tierSummary(saved.tiers) },
          ...(pausedSpecs.length ? { paused: pausedSpecs.map((b) => ({ buyerId: b.id, paused: b.paused === true })) } : {}),
          ...data,
        },
      };
    });
  }

  /**
   * Starts, ends or promotes a campaign's A/B test in one audited change: `abTest` null ends it, and
   * `tiers` (a promoted variant's tree) replaces the campaign's own. `audit` carries the evidence.
   */
  setAbTest(campaignId: string, change: { abTest: AbTestSpec | null; tiers?: TierSpec[] }, actor: string, audit: Record<string, unknown>): CampaignSpec {
    const { abTest: _running, ...before } = this.campaign(campaignId);
    return this.change({ kind: 'tiers', id: campaignId }, actor, () => ({
      value: this.saveCampaignQuietly({ ...before, ...(change.tiers ? { tiers: change.tiers } : {}), ...(change.abTest ? { abTest: change.abTest } : {}) }),
      data: audit,
    }));
  }

  saveSource(input: unknown, actor: string): SourceSpec {
    const checked = checkSource(input, new Set(this.ws.campaigns.map((c) => c.id)));
    if (!checked.ok) throw problemsError('source', checked.problems);
    const s = checked.value;
    const { apiKey, apiKeyHashes: _hashes, ...spec } = s;
    return this.change({ kind: 'source', id: s.id }, actor, () => {
      this.store.saveSource(spec);
      if (apiKey) this.store.addApiKey('source', s.id, apiKey);
      this.ws = { ...this.ws, sources: upsert(this.ws.sources, spec) };
      return { value: spec, data: { action: 'save' } };
    });
  }

  deleteSource(id: string, actor: string): void {
    this.source(id);
    this.change({ kind: 'source', id }, actor, () => {
      this.store.deleteSource(id);
      for (const key of this.store.listApiKeys('source', id)) if (!key.revokedAt) this.store.revokeApiKey(key.id);
      this.ws = { ...this.ws, sources: this.ws.sources.filter((s) => s.id !== id) };
      return { value: undefined, data: { action: 'delete' } };
    });
  }

  saveBuyer(input: unknown, actor: string): BuyerSpec {
    const checked = checkBuyer(input);
    if (!checked.ok) throw problemsError('buyer', checked.problems);
    const b = checked.value;
    const { apiKey, apiKeyHashes: _hashes, ...spec } = b;
    return this.change({ kind: 'buyer', id: b.id }, actor, () => {
      this.store.saveBuyer(spec);
      if (apiKey) this.store.addApiKey('buyer', b.id, apiKey);
      this.ws = { ...this.ws, buyers: upsert(this.ws.buyers, spec) };
      return { value: spec, data: { action: 'save' } };
    });
  }

  deleteBuyer(id: string, actor: string): void {
    this.buyer(id);
    const without = (tiers: TierSpec[]): TierSpec[] => tiers.map((t) => ({ ...t, buyers: t.buyers.filter((b) => b !== id) }));
    const touched = this.ws.campaigns.filter((c) => [...c.tiers, ...(c.abTest?.variantB.tiers ?? [])].some((t) => t.buyers.includes(id)));
    this.change({ kind: 'buyer', id }, actor, () => {
      for (const c of touched) {
        const abTest = c.abTest && { ...c.abTest, variantB: { tiers: without(c.abTest.variantB.tiers) } };
        this.saveCampaignQuietly({ ...c, tiers: without(c.tiers), ...(abTest ? { abTest } : {}) });
      }
      this.store.deleteBuyer(id);
      for (const key of this.store.listApiKeys('buyer', id)) if (!key.revokedAt) this.store.revokeApiKey(key.id);
      this.ws = { ...this.ws, buyers: this.ws.buyers.filter((b) => b.id !== id) };
      return { value: undefined, data: { action: 'delete' } };
    });
  }

  setPaused(id: string, paused: boolean, actor: string): BuyerSpec {
    return this.patchBuyer(id, { paused }, actor, { action: paused ? 'pause' : 'resume' });
  }

  setCaps(id: string, caps: CapsSpec, actor: string): BuyerSpec {
    const before = this.buyer(id).caps ?? {};
    return this.patchBuyer(id, { caps }, actor, { action: 'caps', before, after: caps });
  }

  createKey(kind: OwnerKind, ownerId: string, actor: string): { id: string; prefix: string; key: string } {
    if (kind === 'source') this.source(ownerId);
    else this.buyer(ownerId);
    const key = `${kind === 'source' ? 'src' : 'buy'}_${randomBytes(24).toString('base64url')}`;
    return this.change({ kind, id: ownerId }, actor, () => {
      const { id, prefix } = this.store.addApiKey(kind, ownerId, key);
      return { value: { id, prefix, key }, data: { action: 'key_created', keyId: id, prefix } };
    });
  }

  revokeKey(keyId: string, actor: string): void {
    const key = this.store.listApiKeys().find((k) => k.id === keyId);
    if (!key) throw new PingdeskError('not_found', `No API key "${keyId}"`);
    this.change({ kind: key.ownerKind, id: key.ownerId }, actor, () => {
      this.store.revokeApiKey(keyId);
      return { value: undefined, data: { action: 'key_revoked', keyId, prefix: key.prefix } };
    });
  }

  private patchBuyer(id: string, patch: Partial<BuyerSpec>, actor: string, audit: Record<string, unknown>): BuyerSpec {
    // Held to the same schema as a saved buyer: the console's argument schemas are looser (any number).
    const next = parseEntity(buyerSchema, { ...this.buyer(id), ...patch }, 'buyer') as BuyerSpec;
    return this.change({ kind: 'buyer', id }, actor, () => {
      this.store.saveBuyer(next);
      this.ws = { ...this.ws, buyers: upsert(this.ws.buyers, next) };
      return { value: next, data: audit };
    });
  }

  private saveCampaignQuietly(c: CampaignSpec): CampaignSpec {
    const parsed = parseEntity(campaignSchema, c, 'campaign') as CampaignSpec;
    const problems = campaignProblems(parsed, new Set(this.ws.buyers.map((b) => b.id)));
    if (problems.length) throw new PingdeskError('validation_failed', 'The change has problems', { details: problems });
    this.store.saveCampaign(parsed);
    this.ws = { ...this.ws, campaigns: upsert(this.ws.campaigns, parsed) };
    return parsed;
  }

  /**
   * One change: `edit` writes it (and moves `ws`), inside one transaction with its `config` audit
   * event (Store.writeAudited), so the change is never stored without its event nor the other way
   * round. If anything throws, nothing is stored and the workspace is as it was. Then the snapshot
   * is recompiled and the change announced.
   */
  private change<T>(target: Omit<ConfigChange, 'actor' | 'at'>, actor: string, edit: () => { value: T; data: Record<string, unknown> }): T {
    const before = this.ws;
    const revision = this.revision + 1;
    const at = this.opts.now();
    let written: { value: T; compiled: RuntimeConfig };
    try {
      ({ value: written } = this.store.writeAudited(() => {
        const done = edit();
        // Compiled inside the transaction: a workspace that does not compile is not stored either.
        const compiled = compileWorkspace(this.ws, revision);
        return { value: { value: done.value, compiled }, audit: { leadId: null, type: 'config', actor, at, data: { kind: target.kind, id: target.id, revision, ...done.data } } };
      }));
    } catch (err) {
      this.ws = before;
      throw err;
    }
    this.revision = revision;
    this.compiled = written.compiled;
    this.opts.onChange({ ...target, actor, at });
    return written.value;
  }
}

function parseEntity<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw problemsError(what, issuesToDetails(parsed.error.issues));
  return parsed.data;
}

/** One refusal naming how many fields need attention; the details say which and how to fix each. */
function problemsError(what: string, problems: ErrorDetail[]): PingdeskError {
  const n = new Set(problems.map((p) => p.field)).size;
  return new PingdeskError('validation_failed', `The ${what} was not saved: ${n === 1 ? 'one field needs' : `${n} fields need`} attention`, { details: problems });
}

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  return i < 0 ? [...list, item] : list.map((x, j) => (j === i ? item : x));
}

function withHashes<T extends { apiKey?: string; apiKeyHashes?: string[] }>(spec: T, hashes: string[]): T {
  const { apiKey: _plain, ...rest } = spec;
  return (hashes.length ? { ...rest, apiKeyHashes: hashes } : rest) as T;
}

/** A tier edit that does not mention a tier's dynamic floor keeps it (tiers matched by name). */
function keepDynamicFloors(before: TierSpec[], after: TierSpec[]): TierSpec[] {
  return after.map((t) => {
    if (t.dynamicFloor !== undefined) return t;
    const dynamicFloor = before.find((b) => b.name === t.name)?.dynamicFloor;
    return dynamicFloor ? { ...t, dynamicFloor } : t;
  });
}

function tierSummary(tiers: TierSpec[]): Array<{ name: string; floor: number; buyers: string[] }> {
  return tiers.map((t) => ({ name: t.name, floor: t.floor, buyers: t.buyers }));
}
