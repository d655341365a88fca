/** The client's typed surface, derived from the protocol's endpoint catalog by mapped types. */
import type { Catalog, RequestOf, ResponseOf } from "@mpstack/protocol";
import type { MediaInput } from "./multipart.js";

/** Per-call settings. */
export interface CallOptions {
  /** Overrides the client's timeout for this call (downloads of big files may need more). */
  timeoutMs?: number;
}

/**
 * The arguments of an endpoint's method: its request fields minus what the client fills itself
 * (`access_token`), with the file field `media` of uploads taking a Buffer, a path or a stream.
 * Distributes over unions (requests whose shape depends on `msgtype`, for instance).
 */
export type ArgsOf<E> = PlaceArgs<RequestOf<E>>;

type PlaceArgs<T> = T extends unknown
  ? "access_token" extends keyof T
    ? PlaceArgs<Omit<T, "access_token">>
    : "media" extends keyof T
      ? Omit<T, "media"> & { media: MediaInput }
      : T
  : never;

/**
 * What an endpoint's method resolves to: the response body. Downloads (`responseKind: "binary"`)
 * declare the file as the protocol's `BinaryFile` (`{ data, contentType, filename? }`, `data` a
 * Buffer at run time), possibly in a union with the JSON success form (e.g. `{ video_url }`).
 */
export type ResultOf<E> = ResponseOf<E>;

export type EndpointMethod<E> =
  Record<never, never> extends ArgsOf<E>
    ? (args?: ArgsOf<E>, options?: CallOptions) => Promise<ResultOf<E>>
    : (args: ArgsOf<E>, options?: CallOptions) => Promise<ResultOf<E>>;

/** `client.<group>.<name>(args)` for every endpoint of a catalog. */
export type CatalogMethods<C> = {
  readonly [G in keyof C]: { readonly [N in keyof C[G]]: EndpointMethod<C[G][N]> };
};

/** The methods of the protocol's catalog as it stands: new groups appear here with no SDK change. */
export type ApiGroups = CatalogMethods<Catalog>;
