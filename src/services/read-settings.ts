/**
 * What the desk works with, to read: the platform's policy (what it holds and for how long, what it never produces),
 * the rule packs requests are checked against, the connector productions read, and the limits in force. They are set
 * in files and the environment at start (docs/configuration.md), so this view changes nothing.
 */
import type { Actor } from '../core/actor.ts';
import type { DataCategory } from '../core/request.ts';
import { requirePermission } from './common.ts';
import type { ReviewRules } from './review-request.ts';

type Bilingual = { readonly en: string; readonly ko: string };

export interface SettingsDeps {
  readonly review: ReviewRules;
  readonly connectorName: string;
  /** Named limits and switches, as configured (numbers and booleans only: never a secret or an address). */
  readonly limits: Readonly<Record<string, number | boolean>>;
}

export interface SettingsView {
  readonly connector: string;
  readonly policy: {
    readonly name: Bilingual;
    readonly home: readonly string[];
    readonly holds: ReadonlyArray<{ category: DataCategory; held: boolean; days: number | null; note: Bilingual | null }>;
    readonly neverProduces: readonly DataCategory[];
    readonly rules: number;
  };
  readonly packs: ReadonlyArray<{ pack: string; name: Bilingual; rules: number; sources: number }>;
  readonly limits: Readonly<Record<string, number | boolean>>;
}

export function readSettings(deps: SettingsDeps, actor: Actor): SettingsView {
  requirePermission(actor, 'settings.read');
  const { policy, packs } = deps.review;
  return {
    connector: deps.connectorName,
    policy: {
      name: policy.name,
      home: policy.home,
      holds: Object.entries(policy.holds).map(([category, hold]) => ({
        category: category as DataCategory,
        held: hold?.held ?? false,
        days: hold?.days ?? null,
        note: hold?.note ?? null,
      })),
      neverProduces: policy.never_produces,
      rules: policy.rules.length,
    },
    packs: packs.map((pack) => ({ pack: pack.pack, name: pack.name, rules: pack.rules.length, sources: Object.keys(pack.sources).length })),
    limits: deps.limits,
  };
}
