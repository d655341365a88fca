/**
 * The bridge's HTTP side, outside the simulator's guard (a page on any origin calls it; the bridge
 * token is the credential): the scripts, `POST /_mpstack/jsbridge/invoke` (a JSON body sent as
 * text/plain, so no CORS preflight; answered with `Access-Control-Allow-Origin: *` and no
 * cookies), and the users' sample files for the pickers.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { BridgeDispatcher, InvokeRequest } from "./dispatch.js";
import type { JssdkContext } from "./handlers/toolkit.js";
import { phoneSettings } from "./records.js";
import {
  SAMPLE_IMAGE_COUNT,
  SAMPLE_TRANSCRIPT,
  SAMPLE_VOICE_SECONDS,
  sampleAmr,
  samplePng,
} from "./samples.js";
import { type BridgeBoot, bridgeScript, jweixinScript } from "./scripts.js";

export const BRIDGE_PREFIX = "/_mpstack/jsbridge";
/** Uploads carry a 10 MB image as base64. */
const MAX_INVOKE_BYTES = 16 * 1024 * 1024;
/** The JS file versions WeChat's CDN has served; all get the current code. */
const JWEIXIN_VERSIONS = new Set(["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.3.2", "1.4.0", "1.5.0", "1.6.0"]);

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-allow-headers": "content-type",
  "access-control-max-age": "600",
};

export function addBridgeRoutes(ctx: JssdkContext, dispatcher: BridgeDispatcher): void {
  const identity = ctx.services["web-identity"];
  const originOf = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? "127.0.0.1"}`;

  const boot = async (req: FastifyRequest): Promise<BridgeBoot> => {
    const user = await identity.userOf(req);
    const token = user ? (await identity.bridgeTokenFor(user.id)).token : null;
    const net = user ? (await phoneSettings(ctx.db, user.id)).networkType : "wifi";
    const origin = originOf(req);
    const overlay = (req.query as Record<string, unknown> | undefined)?.overlay;
    return {
      api: `${origin}${BRIDGE_PREFIX}`,
      token,
      user: user ? { id: user.id, nickname: user.nickname } : null,
      chooser: `${origin}${identity.chooserUrl("")}`,
      ua: `MicroMessenger/8.0.47(0x1800312b) NetType/${net === "wifi" ? "WIFI" : net.toUpperCase()} Language/zh_CN`,
      overlay: overlay !== "0" && overlay !== "false",
      sampleTranscript: SAMPLE_TRANSCRIPT,
      sampleSeconds: SAMPLE_VOICE_SECONDS,
    };
  };
  const sendScript = (reply: FastifyReply, text: string) =>
    reply
      .type("application/javascript; charset=utf-8")
      .header("cache-control", "no-store")
      .header("access-control-allow-origin", "*")
      .send(text);

  ctx.app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: MAX_INVOKE_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    scope.get("/_mpstack/jsbridge.js", async (req, reply) =>
      sendScript(reply, bridgeScript(await boot(req))),
    );
    scope.get<{ Params: { file: string } }>("/open/js/:file", async (req, reply) => {
      const version = /^jweixin-([0-9.]+)\.js$/.exec(req.params.file)?.[1];
      if (!version || !JWEIXIN_VERSIONS.has(version))
        return reply.code(404).type("text/plain").send("not found");
      return sendScript(reply, jweixinScript(await boot(req)));
    });
    scope.options(`${BRIDGE_PREFIX}/invoke`, async (_req, reply) => reply.code(204).headers(CORS).send());
    scope.post(`${BRIDGE_PREFIX}/invoke`, async (req, reply) => {
      reply.headers(CORS);
      let body: InvokeRequest;
      try {
        const parsed: unknown = JSON.parse(typeof req.body === "string" ? req.body : "");
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
        body = parsed as InvokeRequest;
      } catch {
        return reply
          .code(400)
          .send({ error: { code: "invalid_request", message: "a JSON object is expected" } });
      }
      const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
      return dispatcher.invoke(body, origin, `${originOf(req)}${identity.chooserUrl("")}`);
    });
    scope.get<{ Params: { user: string; file: string } }>(
      `${BRIDGE_PREFIX}/samples/:user/:file`,
      async (req, reply) => {
        const n = /^([0-9])\.png$/.exec(req.params.file);
        if (!n || Number(n[1]) >= SAMPLE_IMAGE_COUNT || req.params.user.length > 64)
          return reply.code(404).type("text/plain").send("not found");
        return reply
          .type("image/png")
          .header("cache-control", "public, max-age=86400")
          .header("access-control-allow-origin", "*")
          .send(samplePng(req.params.user, Number(n[1])));
      },
    );
    scope.get(`${BRIDGE_PREFIX}/samples/voice.amr`, async (_req, reply) =>
      reply.type("audio/amr").header("access-control-allow-origin", "*").send(sampleAmr()),
    );
  });
}
