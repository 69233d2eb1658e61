/**
 * POST /webhooks/alertmanager: Alertmanager's webhook receiver. Authenticated from the Authorization header
 * before the body is read (webhook_configs' http_config.authorization), like /graphql; the token needs the events
 * permission, and a discovery token reports only as its source (`?source=`, default alertmanager).
 */
import express, { Router } from 'express';
import { GraphQLError } from 'graphql';
import { assertMayPostEventsAs } from '../auth/guards';
import { Permission } from '../auth/permissions';
import { can, Principal } from '../auth/principal';
import { parseAlertmanager } from '../events/alertmanager';
import { EventService } from '../events/event.service';
import { bodyErrors, sendError, sendGraphQLError } from './http-guards';

export function alertWebhookRouter(authenticate: (header: string | undefined) => Promise<Principal>, service: () => EventService, bodyLimit: string): Router {
  const router = Router();
  router.post(
    '/webhooks/alertmanager',
    async (req, res, next) => {
      try {
        const principal = await authenticate(req.headers.authorization);
        if (!can(principal, Permission.EVENTS)) {
          return sendError(res, 403, 'FORBIDDEN', `${principal.name} (role ${principal.role}) may not post events: it needs the '${Permission.EVENTS}' permission (roles discovery, itsm, editor, admin)`);
        }
        const source = typeof req.query.source === 'string' ? req.query.source : 'alertmanager';
        if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(source)) return sendError(res, 400, 'BAD_USER_INPUT', 'source: lower-case letters, digits, ".", "_" and "-", at most 64', { field: 'source' });
        assertMayPostEventsAs(principal, source);
        res.locals.eventSource = source;
        next();
      } catch (err) {
        if (err instanceof GraphQLError) sendGraphQLError(res, err.extensions?.code === 'FORBIDDEN' ? new GraphQLError(err.message, { extensions: { ...err.extensions, http: { status: 403 } } }) : err);
        else next(err);
      }
    },
    express.json({ limit: bodyLimit }),
    async (req, res, next) => {
      try {
        const { events, errors } = parseAlertmanager(req.body, String(res.locals.eventSource));
        if (errors.length) return sendError(res, 400, 'BAD_USER_INPUT', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), { errors });
        res.json(await service().ingest(events));
      } catch (err) {
        next(err);
      }
    },
  );
  // A body that is too large or not JSON: said as such (400/413); anything else reaches the app's last handler.
  router.use('/webhooks/alertmanager', bodyErrors);
  return router;
}
