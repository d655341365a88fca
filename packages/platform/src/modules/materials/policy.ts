/**
 * Material policies: where material.md gives two sets of numbers (older and newer doc text) or
 * leaves a limit unknown, a setting with the spec's proposed default. Set through
 * `PUT /_mpstack/material-policy`.
 */
import { scopedPolicies } from "../../db/scoped-policies.js";

export interface MaterialPolicy {
  /** §0.1: the newer doc column (10 MB images; default) or the older one (2 MB images, 5 MB permanent voice). */
  sizeLimits: "newer" | "older";
  /** §0.2: newer (100 000 news and images; default) or older (5 000). */
  countLimits: "newer" | "older";
  /** When above 0: the most permanent materials of every kind, instead of the doc's numbers. */
  maxMaterialsPerKind: number;
  /** Lifetime of temporary media, uploadnews groups and uploadvideo ids (documented 3 days). */
  temporarySeconds: number;
  /**
   * Article field caps in characters (45003 title, 45003 author, 45004 digest, 45005 source URL);
   * 0 = not enforced (default: the docs give no numbers).
   */
  titleMaxChars: number;
  authorMaxChars: number;
  digestMaxChars: number;
  sourceUrlMaxChars: number;
  /** Refuse JSON with `\uXXXX` escapes in article bodies (40033); off by default. */
  rejectUnicodeEscapes: boolean;
  /** The account has the comment feature; when false, comment flags answer 88000. */
  commentPrivilege: boolean;
  /** Seconds a publishing job takes before its result (and PUBLISHJOBFINISH); default 0. */
  publishSeconds: number;
}

export const DEFAULT_MATERIAL_POLICY: MaterialPolicy = {
  sizeLimits: "newer",
  countLimits: "newer",
  maxMaterialsPerKind: 0,
  temporarySeconds: 3 * 24 * 3600,
  titleMaxChars: 0,
  authorMaxChars: 0,
  digestMaxChars: 0,
  sourceUrlMaxChars: 0,
  rejectUnicodeEscapes: false,
  commentPrivilege: true,
  publishSeconds: 0,
};

export const materialPolicies = scopedPolicies("material_policies", DEFAULT_MATERIAL_POLICY);
