// The routes of Article 9 visits: each parses, calls one use case of src/app/visits, maps the result.
import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "./index.ts";

export function registerVisitRoutes(_app: FastifyInstance, _deps: RouteDeps): void {}
