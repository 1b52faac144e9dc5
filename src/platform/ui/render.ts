import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * Render a page to HTML. preact escapes every interpolated value by default. The page goes out as
 * bytes encoded once: sent as a string, it was measured for its Content-Length and then encoded again
 * on the socket.
 */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(Buffer.from(`<!doctype html>${renderToString(page)}`, 'utf8'));
}
