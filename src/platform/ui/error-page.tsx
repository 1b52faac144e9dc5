import type { RequestContext } from '../http/context.ts';
import { Layout } from './layout.tsx';

export function ErrorPage({
  ctx,
  status,
  title,
  body,
}: {
  ctx: RequestContext;
  status: number;
  title: string;
  body: string;
}) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{body}</p>
      <p>
        <a href="/">{ctx.t('errors.backHome')}</a>
      </p>
      <p class="text-muted small">{ctx.t('errors.reference', { status, id: ctx.requestId })}</p>
    </Layout>
  );
}
