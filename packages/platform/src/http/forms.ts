/**
 * HTML form posts for the platform's own pages (pay sheet, invoice authorisation): a parser for
 * `application/x-www-form-urlencoded` bodies, bounded, giving the fields as a plain object.
 */
import type { FastifyInstance } from "fastify";

export function acceptForms(scope: FastifyInstance, bodyLimit = 4096): void {
  scope.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
}
