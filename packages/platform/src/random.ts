/** Pooled random hex for ids on hot paths: lives in `@mpstack/protocol`; kept here for imports. */
export { randomHex } from "@mpstack/protocol";
