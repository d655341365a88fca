/**
 * Multi-customer-service policies (spec/customer-service.md §5–§8): where WeChat is undocumented or
 * changed over time, a setting with the spec's proposed default, global or per account, through
 * `PUT /_mpstack/kf-policy`. (Widening the 多客服 row to verified subscription accounts, as the
 * current per-API pages do, is the global `permissionOverrides` policy: `{"kf.records": {"VS": "yes"}}`.)
 */
import { scopedPolicies } from "../../db/scoped-policies.js";

export interface KfPolicy {
  /** The "new customer service" is enabled (§5: otherwise every endpoint answers 65400). */
  enabled: boolean;
  /** Customer-service accounts per official account (§5: 100 now, 10 in older docs). */
  maxAccounts: number;
  /**
   * The account's WeChat ID (公众号微信号), the required suffix of `kf_account`. Accounts keep no
   * WeChat ID, so `null` (default) accepts any well-formed suffix (letters, digits, `_`, `-`, ≤ 30).
   */
  wechatId: string | null;
  /** How long an invitation waits before it is `expired` (§5.7: undocumented; 7 days). */
  inviteSeconds: number;
  /** Customer-service accounts one worker may be bound to, across accounts (65410; undocumented). */
  workerBindLimit: number;
  /** A session closes after this long without a message (§6.6: 30 minutes; older docs 2 hours). */
  sessionTimeoutMinutes: number;
  /** Sessions an auto-accepting worker takes before the rest wait (undocumented). */
  autoAcceptLimit: number;
}

export const DEFAULT_KF_POLICY: Readonly<KfPolicy> = {
  enabled: true,
  maxAccounts: 100,
  wechatId: null,
  inviteSeconds: 7 * 86_400,
  workerBindLimit: 5,
  sessionTimeoutMinutes: 30,
  autoAcceptLimit: 10,
};

export const kfPolicies = scopedPolicies("kf_policies", DEFAULT_KF_POLICY);
