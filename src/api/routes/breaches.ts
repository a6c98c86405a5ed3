// The routes of Article 11 breaches: each parses, calls one use case of src/app/breaches, maps the result.
import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "./index.ts";

export function registerBreachRoutes(_app: FastifyInstance, _deps: RouteDeps): void {}
