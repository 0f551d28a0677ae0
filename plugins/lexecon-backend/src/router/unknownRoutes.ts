import { CustomErrorBase, NotFoundError } from '@backstage/errors';
import express from 'express';

/** 405: Backstage's error middleware answers with the status a thrown error carries. */
export class MethodNotAllowedError extends CustomErrorBase {
  name = 'MethodNotAllowedError' as const;
  readonly statusCode = 405;
}

/** What Express 4 keeps of each route registered on a router. */
interface RouteLayer {
  regexp: RegExp;
  route?: { methods: Record<string, boolean> };
}

/**
 * The last handler of the plugin's routes: a path no route has is a 404, a path some route has
 * with another method a 405 naming the methods in `Allow`, both in Backstage's JSON error body
 * (thrown to its error middleware) instead of Express's empty default. The routes are read from
 * the routers themselves, so a new route needs no entry here.
 */
export function answerUnknownRoutes(
  routers: readonly express.Router[],
): express.RequestHandler {
  const layers = routers.flatMap(router =>
    (router.stack as RouteLayer[]).filter(layer => layer.route),
  );
  return (req, res, next) => {
    // Backstage's own endpoints under every plugin (auth cookie, actions) are not ours to answer.
    if (req.path.startsWith('/.backstage/')) {
      next();
      return;
    }
    const methods = new Set(
      layers
        .filter(layer => layer.regexp.test(req.path))
        .flatMap(layer =>
          Object.keys(layer.route!.methods).map(m => m.toUpperCase()),
        ),
    );
    if (!methods.size) {
      next(new NotFoundError(`No route ${req.method} ${req.path} in this API`));
      return;
    }
    // Express answers HEAD with the GET route.
    if (methods.has('GET')) methods.add('HEAD');
    const allow = [...methods].sort().join(', ');
    res.setHeader('Allow', allow);
    next(
      new MethodNotAllowedError(
        `${req.method} is not allowed on ${req.path}; allowed: ${allow}`,
      ),
    );
  };
}
