/** Request ids: the generator lives in `@mpstack/protocol` (one for both sides); kept here for imports. */
export { isRid, newRid } from "@mpstack/protocol";
