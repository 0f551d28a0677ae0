import { isLexeconAvailable } from './availability';
import { entity } from './__fixtures__/deployments';
import {
  EntityLexeconContent,
  LexeconApprovalsPage,
  lexeconPlugin,
} from './plugin';
import { approvalsRouteRef } from './routes';

describe('lexecon plugin', () => {
  it('exports the plugin and the entity content', () => {
    expect(lexeconPlugin.getId()).toBe('lexecon');
    expect(EntityLexeconContent).toBeDefined();
  });

  it('exports the approvals page, routable at its own route', () => {
    expect(LexeconApprovalsPage).toBeDefined();
    expect(lexeconPlugin.routes).toEqual(
      expect.objectContaining({ approvals: approvalsRouteRef }),
    );
  });

  it('offers the tab only for entities with a GitHub repository or a Kubernetes id', () => {
    const withAnnotations = (annotations: Record<string, string>) => ({
      ...entity,
      metadata: { ...entity.metadata, annotations },
    });

    expect(isLexeconAvailable(entity)).toBe(true);
    expect(
      isLexeconAvailable(
        withAnnotations({ 'github.com/project-slug': 'acme/payments-api' }),
      ),
    ).toBe(true);
    expect(
      isLexeconAvailable(
        withAnnotations({ 'backstage.io/kubernetes-id': 'payments-api' }),
      ),
    ).toBe(true);
    expect(isLexeconAvailable(withAnnotations({}))).toBe(false);
    expect(
      isLexeconAvailable(withAnnotations({ 'github.com/project-slug': ' ' })),
    ).toBe(false);
  });
});
