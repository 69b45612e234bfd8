import { isRrrError, RrrError, type FieldProblem } from '@rrr/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Fastify's schema-validation issues → our field-by-field problems (`body.quantity: must be >= 0`). */
function validationProblems(error: FastifyError): FieldProblem[] {
  return (error.validation ?? []).map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const missing = (issue.params as { missingProperty?: string }).missingProperty;
    const field = [error.validationContext, path, missing].filter(Boolean).join('.');
    // ajv's enum message does not say which values are allowed; the client needs them to correct the request.
    const allowed = (issue.params as { allowedValues?: unknown[] }).allowedValues;
    const message = Array.isArray(allowed)
      ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
      : (issue.message ?? 'is invalid');
    return { field: field || String(error.validationContext ?? 'request'), message };
  });
}

/** Every error leaves the API as `{ error: { code, message, details } }` with the status its code maps to. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isRrrError(error)) {
      if (error.httpStatus >= 500) request.log.error({ err: error }, error.message);
      return reply.status(error.httpStatus).send(error.toJSON());
    }
    if (error.validation) {
      const problems = validationProblems(error);
      const body = new RrrError(
        'VALIDATION_FAILED',
        `invalid request: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
        {
          details: { problems },
        },
      );
      return reply.status(400).send(body.toJSON());
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send(new RrrError('INTERNAL', 'internal error').toJSON());
    }
    const code = status === 429 ? 'RATE_LIMITED' : status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
    return reply.status(status).send(new RrrError(code, error.message).toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(new RrrError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`).toJSON());
  });
}

/**
 * Fastify's `frameworkErrors` option: what fails before routing (a path with broken percent-encoding, an over-long
 * parameter) would otherwise leave in fastify's own shape, past the error handler.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.status(status).send(new RrrError('VALIDATION_FAILED', error.message).toJSON());
}
